"""The batch runner: many files in, documents into the archive, one report out.

Per file: identify by content → skip when the archive already holds it → store the
original untouched → `pipeline.process_file` → `archive.put_document`. One bad file
never stops the batch: its one-line reason goes into the report, and nothing stored
before it is touched. The report is printed and written into the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from gazette.archive import Archive
from gazette.exceptions import GazetteError
from gazette.fsutil import sha256_file
from gazette.model import Document
from ingest import intake, pipeline, textlayer


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input: ``status`` is ingested, skipped or failed."""

    file: str
    status: str
    reason: str = ""
    pages: int = 0
    documents: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    needs_ocr: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReviewItem:
    document: str
    field: str
    value: str
    why: str


@dataclass(frozen=True)
class BatchReport:
    files: tuple[FileOutcome, ...] = ()
    review: tuple[ReviewItem, ...] = field(default=())

    @property
    def failed(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.status == "failed")

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "pages": sum(f.pages for f in self.files),
            "documents": sum(len(f.documents) for f in self.files),
            "skipped": sum(1 for f in self.files if f.status == "skipped"),
            "failed": len(self.failed),
            "pages_needing_ocr": sum(len(f.needs_ocr) for f in self.files),
            "fields_needing_review": len(self.review),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "files": [asdict(f) for f in self.files],
            "failed": [{"file": f.file, "reason": f.reason} for f in self.failed],
            "review": [asdict(item) for item in self.review],
        }


def review_items(doc: Document) -> list[ReviewItem]:
    """A document's flagged fields as queue items (document, field, value, why)."""
    items = []
    for flag in doc.needs_review:
        value = getattr(doc, flag.field, None)
        shown = "、".join(value) if isinstance(value, tuple) else ("" if value is None else str(value))
        items.append(ReviewItem(doc.id, flag.field, shown, flag.reason))
    return items


def ingest_file(path: Path, archive: Archive, config: pipeline.IngestConfig) -> tuple[FileOutcome, list[Document]]:
    """One input, start to end; raises GazetteError with a one-line reason when it cannot be ingested."""
    found = intake.identify(path)
    sha = sha256_file(path)
    if archive.find_original(sha) is not None:
        return FileOutcome(str(path), "skipped", "already in the archive"), []
    if found.kind == "pdf":
        textlayer.page_count(path)  # encrypted or truncated: refused before anything is stored
    archive.store_original(path)
    stored = archive.find_original(sha)
    assert stored is not None
    result = pipeline.process_file(pipeline.FileTask(path.name, stored, sha, found.kind, config))
    for doc in result.documents:
        archive.put_document(doc)
    notes = tuple(filter(None, (found.note, *result.problems)))
    waiting = tuple(page.number for page in result.needs_ocr)
    if waiting:
        notes += (f"{len(waiting)} page(s) need OCR: {result.needs_ocr[0].reason}",)
    outcome = FileOutcome(
        str(path), "ingested", "", result.pages, tuple(doc.id for doc in result.documents), notes, waiting
    )
    return outcome, list(result.documents)


def run_batch(
    paths: Iterable[Path],
    archive: Archive,
    config: pipeline.IngestConfig = pipeline.IngestConfig(),
    console: Console | None = None,
    on_documents: Callable[[list[Document]], None] | None = None,
) -> BatchReport:
    """Ingest every file under ``paths``; write the report into the archive and flush its manifest."""
    files = intake.expand_paths(paths)
    outcomes: list[FileOutcome] = []
    review: list[ReviewItem] = []
    ingested: list[Document] = []
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console or Console(stderr=True), transient=True, disable=console is None,
    )
    with progress:
        bar = progress.add_task("ingest", total=len(files))
        for path in files:
            progress.update(bar, description=path.name[:40])
            try:
                outcome, docs = ingest_file(path, archive, config)
            except GazetteError as error:
                outcome, docs = FileOutcome(str(path), "failed", str(error)), []
            except Exception as error:  # a bug on one file must not lose the rest of the batch
                outcome, docs = FileOutcome(str(path), "failed", f"{path}: {type(error).__name__}: {error}"), []
            outcomes.append(outcome)
            ingested.extend(docs)
            for doc in docs:
                review.extend(review_items(doc))
            progress.advance(bar)
    report = BatchReport(tuple(outcomes), tuple(review))
    if ingested and on_documents is not None:
        on_documents(ingested)
    archive.write_report("ingest", report.to_json())
    archive.flush()
    return report


def summary_table(report: BatchReport) -> Table:
    table = Table("files", "pages", "documents", "skipped", "failed", "need OCR", "fields to review", box=None)
    s = report.summary()
    table.add_row(*(str(s[k]) for k in ("files", "pages", "documents", "skipped", "failed",
                                          "pages_needing_ocr", "fields_needing_review")))
    return table
