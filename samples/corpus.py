"""Real documents of the corpus (`corpus_dirs`) as `Document`s: the samples' source and the tests' ground truth.

`documents.jsonl` records carry their metadata beside the body; the body repeats the
title, 文号 and recipients at the top and the 附件说明, signature, date and notes at the
end of the document's own text, which are taken apart here by the rules of official
documents. What follows the date is 附注 and attachments: a 附件 label and its title, or,
in a notice that prints or forwards documents (印发, 转发), the title of each as the notice
names it in 《》 — so the closing is the first date under a signature, not the body's last line.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gazette.dates import parse_date
from gazette.docnumber import jurisdiction_for_code, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.model import Block, Document, GazetteRef, Provenance
from gazette.structure import (
    PARAGRAPH_END,
    blocks_from_paragraphs,
    heading_level,
    is_attachment_label,
    is_attachment_note,
    join_broken_paragraphs,
)

#: The corpus files the tests need, in the repository (tests/data/corpus/README.md names their sources).
REPO_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
#: The whole shared corpus, beside a checkout that has one (the benchmarks' larger files live only there).
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Notes printed after the date, such as （此件公开发布） and （本文有删减）; 署名 lines are as short.
_CLOSING_NOTE_CHARS = 20
_MAX_SIGNATURE_LINES = 4
_DATE_CHARS = 24
_SENTENCE_END = ("。", "；", "：", ":", "！", "？")
# An attachment's title: under a 2号 line's 20-odd characters a line, wrapped over up to three.
_MAX_TITLE_CHARS = 60
_MAX_TITLE_LINES = 3
_ATTACHMENT_NOTE = re.compile(r"^附件[0-9０-９]*[：:]\s*")
_ITEM = re.compile(r"^[0-9０-９]+[.．、]\s*")
_QUOTED = re.compile(r"《([^《》]{2,80})》")


def corpus_dirs() -> list[Path]:
    """Where corpus files are looked for: $GAZETTE_CORPUS alone when set, else the repository's
    data, then ``../shared/corpus``."""
    chosen = os.environ.get("GAZETTE_CORPUS")
    return [Path(chosen)] if chosen else [REPO_CORPUS, SHARED_CORPUS]


def corpus_file(name: str) -> Path:
    """The first corpus file called ``name`` (or ``name.gz``); FileNotFoundError naming the places looked in."""
    for folder in corpus_dirs():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    places = ", ".join(str(folder) for folder in corpus_dirs())
    raise FileNotFoundError(f"corpus file {name} is in none of: {places} (set GAZETTE_CORPUS or pass --corpus DIR)")


def has_corpus_file(name: str) -> bool:
    """Whether `corpus_file` finds ``name`` (the benchmarks' laws are only in the shared corpus)."""
    try:
        corpus_file(name)
    except FileNotFoundError:
        return False
    return True


def corpus_lines(name: str) -> Iterator[str]:
    """The lines of a corpus text file, gzip-compressed or not."""
    path = corpus_file(name)
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as lines:
        yield from lines


def load_records(name: str = "documents.jsonl") -> list[dict[str, Any]]:
    return [json.loads(line) for line in corpus_lines(name) if line.strip()]


def _is_signature_line(line: str) -> bool:
    return (
        0 < len(line) <= _CLOSING_NOTE_CHARS
        and not line.endswith(_SENTENCE_END)
        and not is_attachment_note(line)
        and not heading_level(line)
        and "\t" not in line
        and parse_date(line) is None
    )


def _is_date_line(line: str) -> bool:
    return len(line) <= _DATE_CHARS and parse_date(line) is not None


def _closing_at(lines: list[str]) -> int | None:
    """The date line that closes the document: the first with 署名 lines above it, else a date ending the body.

    Documents that print or forward others (印发, 转发) close before what they carry, so the
    closing is looked for from the top, as a reader and `ingest.preface.find_closing` do."""
    for i, line in enumerate(lines):
        if i and _is_date_line(line) and _is_signature_line(lines[i - 1]):
            return i
    end = len(lines)
    while end and _is_closing_note(lines[end - 1]):
        end -= 1
    return end - 1 if end and _is_date_line(lines[end - 1]) else None


def _is_closing_note(line: str) -> bool:
    return line.startswith(("（", "(")) and line.endswith(("）", ")")) and len(line) <= _CLOSING_NOTE_CHARS


def _split_tail(lines: list[str]) -> tuple[list[str], list[str], str | None, list[Block]]:
    """Body lines, 署名 lines, the printed date, and the blocks after the date (附注, attachments)."""
    at = _closing_at(lines)
    if at is None:
        return lines, [], None, []
    start = at
    while start and at - start < _MAX_SIGNATURE_LINES and _is_signature_line(lines[start - 1]):
        start -= 1
    return lines[:start], lines[start:at], lines[at], _after_date(lines[at + 1 :], _named(lines[:start]))


def _named(body: list[str]) -> set[str]:
    """What the body names as carried: 《titles》 it prints or forwards, and the items of its 附件说明."""
    names = {name for line in body for name in _QUOTED.findall(line)}
    for line in body:
        if is_attachment_note(line) or names and _ITEM.match(line):
            names.add(_ITEM.sub("", _ATTACHMENT_NOTE.sub("", line)).strip())
    return names


def _after_date(lines: list[str], named: set[str]) -> list[Block]:
    """附注, then attachments: a 附件 label and the title after it, or — for what a notice prints
    or forwards — a title the body names; the title may wrap over lines. Lines here are
    paragraphs (the records break only titles), so a 署名 or date of a forwarded document
    stays a line of its own."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines) and _is_closing_note(lines[i]):
        blocks.append(Block("note", lines[i]))
        i += 1
    content: list[str] = []
    expect_title = True  # first after the date and its notes
    while i < len(lines):
        line = lines[i]
        if is_attachment_label(line):
            blocks += blocks_from_paragraphs(content)
            content = []
            blocks.append(Block("attachment", line))
            expect_title = True
            i += 1
            continue
        span = _title_span(lines, i, named, expect_title)
        if span:
            blocks += blocks_from_paragraphs(content)
            content = []
            blocks.append(Block("attachment", "".join(lines[i : i + span])))
            i += span
        else:
            content.append(line)
            i += 1
        expect_title = False
    return blocks + list(blocks_from_paragraphs(content))


def _title_span(lines: list[str], i: int, named: set[str], expected: bool) -> int:
    """How many lines from ``i`` are an attachment's title: a named one anywhere, the first line where one is expected."""
    for span in range(1, _MAX_TITLE_LINES + 1):
        if "".join(lines[i : i + span]) in named:
            return span
    line = lines[i]
    plain = not line.endswith((*PARAGRAPH_END, "：", ":")) and not heading_level(line) and "\t" not in line
    return 1 if expected and plain and len(line) <= _MAX_TITLE_CHARS else 0


def document_from_record(record: dict[str, Any], gazette: GazetteRef | None = None) -> Document:
    """A `Document` from one `documents.jsonl` record: metadata from the record, structure from the body."""
    # ``&sp;`` is a space entity the source's pages left in a few 署名 lines.
    lines = [line.replace("&sp;", " ").strip() for line in record["body"].split("\n")]
    lines = [line for line in lines if line]
    number = parse_doc_number(record["doc_number"]) if record.get("doc_number") else None
    start = 0
    if number is not None:
        start = next((i + 1 for i, line in enumerate(lines[:8]) if parse_doc_number(line) == number), 0)
    recipients = None
    if start < len(lines) and lines[start].endswith("：") and len(lines[start]) < 120:
        recipients = lines[start].removesuffix("：")
        start += 1
    body_lines, signature, date_printed, after = _split_tail(lines[start:])
    body = blocks_from_paragraphs(join_broken_paragraphs(body_lines)) + tuple(after)
    jurisdiction = (number and jurisdiction_for_code(number.code)) or "cn"
    return Document(
        id=number.canonical if number else record["id"],
        title=record["title"],
        doc_number=number.canonical if number else None,
        doc_number_printed=record.get("doc_number") or None,
        issuer=tuple(filter(None, [record.get("issuer")])),
        doc_type=doc_type_from_title(record["title"]),
        date_written=record.get("date_written"),
        date_written_printed=date_printed,
        date_published=record.get("date_published"),
        index_number=record.get("index_number"),
        category=record.get("category"),
        recipients=recipients,
        disclosure="主动公开",
        jurisdiction=jurisdiction,
        gazette=gazette,
        body=body,
        signature=tuple(signature),
        confidence={"doc_number": 1.0, "title": 1.0, "issuer": 1.0, "date_written": 1.0},
        provenance=Provenance(engine="corpus", steps=("documents.jsonl",), created=record.get("date_published") or ""),
    )


def iter_corpus_documents(gazette: GazetteRef | None = None) -> Iterator[Document]:
    for record in load_records():
        yield document_from_record(record, gazette)
