"""Real documents of ``../shared/corpus`` as `Document`s: the samples' source and the tests' ground truth.

`documents.jsonl` records carry their metadata beside the body; the body repeats the
title, 文号 and recipients at the top and the signature, date and notes at the bottom,
which are taken apart here by the rules of official documents.
"""

from __future__ import annotations

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

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Notes printed after the date, such as （此件公开发布） and （本文有删减）.
_CLOSING_NOTE_CHARS = 20


def corpus_dir() -> Path:
    """``../shared/corpus`` beside the checkout, or $GAZETTE_CORPUS."""
    return Path(os.environ.get("GAZETTE_CORPUS", CORPUS))


def load_records(name: str = "documents.jsonl") -> list[dict[str, Any]]:
    with (corpus_dir() / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


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
