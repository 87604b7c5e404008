"""`gazette export`: the archive's public documents as JSON lines, CSV or a zip of their Akoma Ntoso.

One object per document, in id order: the `--json` contract of `document_to_json` (with
the text in JSON lines). Only documents that may reach the public are exported
(`Document.is_public`): never 不予公开 ones, never withdrawn ones, and a second reading
of a document is exported as that document, once. A query (the search language of
`gazette search`) narrows the export to its hits. Every export writes a report into the
archive (``data/reports/<time>-export.json``: what, how many, what was left out, timings).
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gazette.archive import Archive, OnDamaged, file_name_for_id
from gazette.baginfo import software
from gazette.exceptions import BadInputError
from gazette.fsutil import atomic_write
from gazette.model import NOT_PUBLIC, Document, document_to_json

Format = Literal["jsonl", "csv", "akn-zip"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "akn-zip")
#: Zip entries get this date, so one archive always exports to the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: CSV columns: the contract's keys; lists are joined with 、, objects written as JSON.
_LIST_JOIN = "、"


@dataclass
class ExportReport:
    format: str
    query: str | None
    out: str
    documents: int = 0
    left_out: dict[str, int] = field(default_factory=lambda: {"不予公开": 0, "withdrawn": 0, "reading": 0})
    seconds: float = 0.0
    engine: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "export",
            "format": self.format,
            "query": self.query,
            "out": self.out,
            "documents": self.documents,
            "left_out": self.left_out,
            "seconds": round(self.seconds, 3),
            "engine": self.engine,
        }


def _why_not(doc: Document) -> str | None:
    if doc.disclosure == NOT_PUBLIC:
        return "不予公开"
    if doc.withdrawn is not None:
        return "withdrawn"
    if doc.reading_of is not None:
        return "reading"
    return None


def public_documents(
    archive: Archive, report: ExportReport, ids: set[str] | None, on_damaged: OnDamaged | None
) -> Iterator[Document]:
    """The archive's public documents in id order (only ``ids`` when given), counting what is left out."""
    docs = sorted(archive.documents(on_damaged), key=lambda doc: doc.id)
    for doc in docs:
        if ids is not None and doc.id not in ids:
            continue
        why = _why_not(doc)
        if why is not None:
            report.left_out[why] += 1
            continue
        report.documents += 1
        yield doc


def matching_ids(archive: Archive, query: str, backend: str | None = None) -> set[str]:
    """The ids of every hit of ``query`` (the index holds only public documents)."""
    from gazette.search import Filters, search

    first = search(archive, query, Filters(), backend=backend, limit=1)
    if first.total == 0:
        return set()
    return {hit.id for hit in search(archive, query, Filters(), backend=backend, limit=first.total).hits}


def _jsonl(archive: Archive, docs: Iterable[Document]) -> bytes:
    lines = [json.dumps(document_to_json(doc) | {"text": doc.text}, ensure_ascii=False) for doc in docs]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _LIST_JOIN.join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv(archive: Archive, docs: Iterable[Document]) -> bytes:
    rows = [document_to_json(doc) for doc in docs]
    buffer = io.StringIO()
    columns = list(rows[0]) if rows else list(document_to_json(Document(id="", title="")))
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read the Chinese


def _akn_zip(archive: Archive, docs: Iterable[Document]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for doc in docs:
            entry = zipfile.ZipInfo(f"documents/{file_name_for_id(doc.id)}.xml", _ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, archive.document_path(doc.id).read_bytes())
    return buffer.getvalue()


_WRITERS = {"jsonl": _jsonl, "csv": _csv, "akn-zip": _akn_zip}


def export(
    archive: Archive,
    fmt: str,
    out: Path | None,
    query: str | None = None,
    *,
    on_damaged: OnDamaged | None = None,
    stdout: io.BufferedIOBase | None = None,
) -> ExportReport:
    """Export to ``out`` (written atomically), or to ``stdout`` for the text formats; returns the report."""
    if fmt not in _WRITERS:
        raise BadInputError(f"--format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if out is None and fmt == "akn-zip":
        raise BadInputError("akn-zip is a zip file: give --out FILE.zip")
    if out is not None and out.is_dir():
        raise BadInputError("is a folder; --out takes a file name", path=str(out))
    started = time.perf_counter()
    report = ExportReport(fmt, query, str(out) if out else "-", engine=software())
    ids = matching_ids(archive, query) if query else None
    data = _WRITERS[fmt](archive, public_documents(archive, report, ids, on_damaged))
    if out is not None:
        try:
            atomic_write(out, data)
        except OSError as error:
            raise BadInputError(f"cannot write the export: {error.strerror}", path=str(out)) from None
    elif stdout is not None:
        stdout.write(data)
        stdout.flush()
    report.seconds = time.perf_counter() - started
    archive.write_report("export", report.to_json())
    archive.flush()
    return report
