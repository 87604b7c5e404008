"""The batch runner: many files in, documents into the archive, one report out.

Per file: identify by content → skip when the archive finished it before → store the
original untouched → text layer (`pipeline.read_pages`) → pages without one through the
OCR workers (`ingest.workers`: checkpointed, so a killed run resumes) → the same layout,
split and metadata steps → `archive.put_document`. One bad file or page never stops the
batch: its one-line reason goes into the report, and nothing stored before it is
touched. The report is printed and written into the archive.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from gazette.archive import Archive
from gazette.exceptions import GazetteError
from gazette.fsutil import atomic_write, sha256_file
from gazette.model import Document, keep_apart
from ingest import intake, pipeline, screen
from ingest import workers as workers_module
from ingest.types import NeedsOcr, PageText
from ingest.workers import PageJob, PageOutcome


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input: ``status`` is ingested, skipped or failed."""

    file: str
    status: str
    reason: str = ""
    pages: int = 0
    documents: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()


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
            "pages_read_by_ocr": sum(len(f.ocr_pages) for f in self.files),
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


def _finished_marker(archive: Archive, sha256: str) -> Path:
    """Written once a file's documents are stored: only then is a file \"already ingested\".

    An original stored by a run that was killed before its pages were all read has no
    marker, so the next run takes it up again (finished pages come from the OCR checkpoints).
    """
    return archive.root / "work" / "files" / f"{sha256}.done"


@dataclass(frozen=True)
class _Started:
    """A file stored and read as far as its text layer goes; ``pages`` may still need OCR."""

    task: pipeline.FileTask
    path: Path
    note: str
    pages: tuple[PageText | NeedsOcr, ...]


def start_file(path: Path, archive: Archive, config: pipeline.IngestConfig) -> FileOutcome | _Started:
    """Identify, store and read a file's text; a skipped file's outcome. Raises GazetteError when refused."""
    found = intake.identify(path)
    sha = sha256_file(path)
    if _finished_marker(archive, sha).exists():
        return FileOutcome(str(path), "skipped", "already in the archive")
    # Encrypted, truncated or past the limits (a decompression bomb): refused before anything is stored.
    pipeline.page_count(path, found.kind, config.limits)
    archive.store_original(path)
    stored = archive.find_original(sha)
    assert stored is not None
    task = pipeline.FileTask(path.name, stored, sha, found.kind, config)
    if found.kind in ("text", "html"):
        return _Started(task, path, found.note, ())
    return _Started(task, path, found.note, tuple(pipeline.read_pages(pipeline.page_tasks(task))))


def finish_file(started: _Started, archive: Archive, ocr: dict[int, PageOutcome]) -> tuple[FileOutcome, list[Document]]:
    """Documents from a file whose pages are all read (``ocr``: outcomes of its NeedsOcr pages by number)."""
    task = started.task
    if task.kind in ("text", "html"):
        result = pipeline.process_file(task)
    else:
        pages = [ocr[page.number].text if isinstance(page, NeedsOcr) else page for page in started.pages]
        result = pipeline.documents_from_pages(task, [page for page in pages if page is not None])
    errors = [o.error for _, o in sorted(ocr.items()) if o.error]
    if errors and len(errors) == len(started.pages):
        return FileOutcome(str(started.path), "failed", errors[0], len(started.pages)), []
    problems = [o.error or o.problem for _, o in sorted(ocr.items()) if o.error or o.problem]
    notes = tuple(filter(None, (started.note, *result.problems, *problems)))
    rejected = screen.not_a_gazette_document(result.documents)
    if rejected:
        outcome = FileOutcome(str(started.path), "skipped", rejected, len(started.pages), (), notes, tuple(sorted(ocr)))
        return outcome, []
    documents = [keep_apart(doc, archive.stored_document(doc.id)) for doc in result.documents]
    for doc in documents:
        archive.put_document(doc)
    docs = tuple(doc.id for doc in documents)
    atomic_write(_finished_marker(archive, task.sha256), "\n".join(docs).encode("utf-8"))
    recovered = sum(o.text.recovered_lines for o in ocr.values() if o.text)
    if recovered:
        notes += (f"{recovered} line(s) recovered from ink that detection missed",)
    outcome = FileOutcome(str(started.path), "ingested", "", len(started.pages), docs, notes, tuple(sorted(ocr)))
    return outcome, documents


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(), console=console or Console(stderr=True), transient=True, disable=console is None,
    )


def run_batch(
    paths: Iterable[Path],
    archive: Archive,
    config: pipeline.IngestConfig = pipeline.IngestConfig(),
    console: Console | None = None,
    on_documents: Callable[[list[Document]], None] | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> BatchReport:
    """Ingest every file under ``paths``; write the report into the archive and flush its manifest.

    Files are read in two passes: intake and text layers file by file, then every page
    that needs OCR through one pool (``workers`` processes, default all cores, or the Dask
    scheduler at ``scheduler``), so pages of all files keep every core busy. A file's
    documents are built as soon as its last page is in. ``include`` and ``exclude`` are
    glob patterns (`intake.expand_paths`); what they, and the intake's rules, leave out
    is in the report as skipped.
    """
    files, left_out = intake.expand_paths(paths, include=include, exclude=exclude, skip=(archive.root,))
    outcomes: dict[Path, FileOutcome] = {}
    review: list[ReviewItem] = []
    ingested: list[Document] = []

    def finish(started: _Started, ocr: dict[int, PageOutcome]) -> None:
        outcome, docs = _guarded(started.path, lambda: finish_file(started, archive, ocr))
        outcomes[started.path] = outcome
        ingested.extend(docs)
        for doc in docs:
            review.extend(review_items(doc))

    waiting: dict[str, tuple[_Started, dict[int, PageOutcome], int]] = {}
    jobs: list[PageJob] = []
    settings = workers_module.settings_for(config.engine, workers)
    clock = _Rate()
    with _progress(console) as progress:
        bar = progress.add_task("ingest", total=0, rate="")
        for path in files:
            progress.update(bar, description=path.name[:40])
            started_or_done = _guarded(path, lambda: (start_file(path, archive, config), []))[0]
            if isinstance(started_or_done, FileOutcome):
                outcomes[path] = started_or_done
                continue
            started = started_or_done
            needs = [page.number for page in started.pages if isinstance(page, NeedsOcr)]
            progress.update(bar, total=progress.tasks[0].total + max(len(started.pages), 1))
            progress.advance(bar, max(len(started.pages), 1) - len(needs))
            if not needs:
                finish(started, {})
                continue
            waiting[started.task.sha256] = (started, {}, len(needs))
            jobs.extend(PageJob(archive.root, started.task.stored, started.task.sha256, n, settings) for n in needs)
        progress.update(bar, description="OCR")
        for page in workers_module.run_pages(jobs, workers, scheduler):
            started, read, count = waiting[page.job.source_sha256]
            read[page.job.number] = page
            progress.update(bar, advance=1, rate=clock.tick(page.resumed))
            if len(read) == count:
                finish(started, read)
    skipped = tuple(FileOutcome(str(entry.path), "skipped", entry.reason) for entry in left_out)
    report = BatchReport(skipped + tuple(outcomes[path] for path in files if path in outcomes), tuple(review))
    if ingested and on_documents is not None:
        on_documents(ingested)
    archive.write_report("ingest", report.to_json())
    archive.flush()
    return report


class _Rate:
    """Pages per second of pages really read in this run (resumed pages cost nothing)."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._read = 0

    def tick(self, resumed: bool) -> str:
        self._read += not resumed
        return f"{self._read / max(time.perf_counter() - self._start, 1e-6):.2f} pages/s"


T = TypeVar("T")


def _guarded(path: Path, step: Callable[[], tuple[T, list[Document]]]) -> tuple[T | FileOutcome, list[Document]]:
    """One file's step; its failure becomes a one-line outcome and the batch goes on."""
    try:
        return step()
    except GazetteError as error:
        return FileOutcome(str(path), "failed", str(error)), []
    except Exception as error:  # a bug on one file must not lose the rest of the batch
        return FileOutcome(str(path), "failed", f"{path}: {type(error).__name__}: {error}"), []


def summary_table(report: BatchReport) -> Table:
    table = Table("files", "pages", "documents", "skipped", "failed", "read by OCR", "fields to review", box=None)
    s = report.summary()
    table.add_row(*(str(s[k]) for k in ("files", "pages", "documents", "skipped", "failed",
                                          "pages_read_by_ocr", "fields_needing_review")))
    return table
