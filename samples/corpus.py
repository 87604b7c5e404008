"""Real documents of the corpus (`corpus_dirs`) as `Document`s: the samples' source and the tests' ground truth.

`documents.jsonl` records carry their metadata beside the body; the body repeats the
title, 文号 and recipients at the top and the signature, date and notes at the bottom,
which are taken apart here by the rules of official documents.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gazette.dates import parse_date
from gazette.docnumber import jurisdiction_for_code, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.model import Block, Document, GazetteRef, Provenance
from gazette.structure import blocks_from_paragraphs, join_broken_paragraphs

#: The corpus files the tests need, in the repository (tests/data/corpus/README.md names their sources).
REPO_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
#: The whole shared corpus, beside a checkout that has one (the benchmarks' larger files live only there).
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Notes printed after the date, such as （此件公开发布） and （本文有删减）.
_CLOSING_NOTE_CHARS = 20


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


def corpus_lines(name: str) -> Iterator[str]:
    """The lines of a corpus text file, gzip-compressed or not."""
    path = corpus_file(name)
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as lines:
        yield from lines


def load_records(name: str = "documents.jsonl") -> list[dict[str, Any]]:
    return [json.loads(line) for line in corpus_lines(name) if line.strip()]


def _split_tail(lines: list[str]) -> tuple[list[str], list[str], str | None, list[str]]:
    """Body lines, signature lines, the printed date and closing notes, from the end of a body."""
    end = len(lines)
    notes: list[str] = []
    while end and lines[end - 1].startswith(("（", "(")) and len(lines[end - 1]) <= _CLOSING_NOTE_CHARS:
        notes.insert(0, lines[end - 1])
        end -= 1
    if not end or parse_date(lines[end - 1]) is None:
        return lines, [], None, []
    date_printed = lines[end - 1]
    end -= 1
    signature: list[str] = []
    while end and len(lines[end - 1]) <= _CLOSING_NOTE_CHARS and not lines[end - 1].endswith("。"):
        signature.insert(0, lines[end - 1])
        end -= 1
    return lines[:end], signature, date_printed, notes


def document_from_record(record: dict[str, Any], gazette: GazetteRef | None = None) -> Document:
    """A `Document` from one `documents.jsonl` record: metadata from the record, structure from the body."""
    lines = [line.strip() for line in record["body"].split("\n") if line.strip()]
    number = parse_doc_number(record["doc_number"]) if record.get("doc_number") else None
    start = 0
    if number is not None:
        start = next((i + 1 for i, line in enumerate(lines[:8]) if parse_doc_number(line) == number), 0)
    recipients = None
    if start < len(lines) and lines[start].endswith("：") and len(lines[start]) < 120:
        recipients = lines[start].removesuffix("：")
        start += 1
    body_lines, signature, date_printed, notes = _split_tail(lines[start:])
    body = blocks_from_paragraphs(join_broken_paragraphs(body_lines)) + tuple(Block("note", note) for note in notes)
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
