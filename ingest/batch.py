"""The batch runner: many files in, documents into the archive, one report out.

Per file: identify by content → skip when the archive finished it before → stage a copy
of the original (``work/staging``, outside the bag) → text layer (`pipeline.read_pages`)
→ pages without one through the OCR workers (`ingest.workers`: checkpointed, so a killed
run resumes) → the same layout, split and metadata steps → keep the original, its page
images and its documents in the archive, under the archive's lock (`keep_file`) → index
→ mark the file done. One bad file, page or document never stops the batch: its one-line
reason goes into the report (a document that cannot be stored as XML is kept as JSON for
review), and nothing stored before it is touched. The report is printed and written
into the archive.

A file is "done" (skipped by a later run) only once its documents are stored *and*
indexed: a run killed in between does the file again, which stores the same documents
under the same ids and finishes the index.
"""

from __future__ import annotations

import functools
import logging
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from gazette.archive import Archive
from gazette.chars import shown_name, shown_path
from gazette.errorlog import write_traceback
from gazette.exceptions import BadInputError, GazetteError
from gazette.fsutil import atomic_write, sha256_file
from gazette.model import Document
from ingest import intake, pipeline, screen
from ingest import workers as workers_module
from ingest.types import NeedsOcr, PageText
from ingest.workers import PageJob, PageOutcome

log = logging.getLogger(__name__)


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
    notes: tuple[str, ...] = ()

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
            "notes": list(self.notes),
        }


def review_items(doc: Document) -> list[ReviewItem]:
    """A document's flagged fields as queue items (document, field, value, why)."""
    return [ReviewItem(doc.id, flag.field, shown_value(doc, flag.field), flag.reason) for flag in doc.needs_review]


#: How much of a document's text stands for its body in the queue (the reason says what to check).
_BODY_SHOWN_CHARS = 40


def shown_value(doc: Document, field: str) -> str:
    """A flagged field's value as the queue shows it: lists joined by 、; the body (flagged when the
    issue's split and its contents disagree about the document) as its pages and first words."""
    if field == "body":
        pages = f"{doc.pages[0]}–{doc.pages[-1]}" if len(doc.pages) > 1 else "".join(map(str, doc.pages))
        text = doc.text.replace("\n", "")
        opening = text[:_BODY_SHOWN_CHARS] + ("…" if len(text) > _BODY_SHOWN_CHARS else "")
        return f"pages {pages}: {opening}" if pages else opening
    value = getattr(doc, field, None)
    if isinstance(value, tuple):
        return "、".join(str(item) for item in value)
    return "" if value is None else str(value)


def _finished_marker(archive: Archive, sha256: str) -> Path:
    """Written once a file's documents are stored and indexed: only then is a file \"already ingested\".

    A file whose run was killed before that has no marker, so the next run takes it up
    again (finished pages come from the OCR checkpoints; stored documents are stored again
    under the same ids, unchanged, and indexed).
    """
    return archive.root / "work" / "files" / f"{sha256}.done"


@dataclass(frozen=True)
class _Started:
    """A file stored and read as far as its text layer goes; ``pages`` may still need OCR."""

    task: pipeline.FileTask
    path: Path
    note: str
    pages: tuple[PageText | NeedsOcr, ...]


def start_file(path: Path, archive: Archive, config: pipeline.IngestConfig, staging: Path) -> FileOutcome | _Started:
    """Identify, stage and read a file's text; a skipped file's outcome. Raises GazetteError when refused."""
    found = intake.identify(path)
    sha = sha256_file(path)
    if _finished_marker(archive, sha).exists():
        return FileOutcome(shown_path(path), "skipped", "already in the archive")
    # Encrypted, truncated or past the limits (a decompression bomb): refused before anything is copied.
    pipeline.page_count(path, found.kind, config.limits)
    stored = archive.stage_original(path, sha, intake.EXTENSIONS[found.kind][0], staging)
    task = pipeline.FileTask(shown_name(path), stored, sha, found.kind, config, input_path=shown_path(path))
    if found.kind in ("text", "html"):
        return _Started(task, path, found.note, ())
    return _Started(task, path, found.note, tuple(pipeline.read_pages(pipeline.page_tasks(task))))


@dataclass(frozen=True)
class _Finished:
    """A file whose documents are in the archive; it is marked done once they are indexed too."""

    outcome: FileOutcome
    documents: list[Document]
    sha256: str


def finish_file(started: _Started, archive: Archive, ocr: dict[int, PageOutcome]) -> FileOutcome | _Finished:
    """Documents from a file whose pages are all read (``ocr``: outcomes of its NeedsOcr pages by number),
    kept in the archive with the original."""
    task = started.task
    shown = shown_path(started.path)
    if task.kind in ("text", "html"):
        result = pipeline.process_file(task)
    else:
        pages = [ocr[page.number].text if isinstance(page, NeedsOcr) else page for page in started.pages]
        result = pipeline.documents_from_pages(task, [page for page in pages if page is not None])
    errors = [o.error for _, o in sorted(ocr.items()) if o.error]
    if errors and len(errors) == len(started.pages):
        return FileOutcome(shown, "failed", errors[0], len(started.pages))
    problems = [o.error or o.problem for _, o in sorted(ocr.items()) if o.error or o.problem]
    notes = tuple(filter(None, (started.note, *result.problems, *problems)))
    rejected = screen.not_a_gazette_document(result.documents)
    if rejected:  # nothing of it enters the archive: not its original, pages or documents
        return FileOutcome(shown, "skipped", rejected, len(started.pages), (), notes, tuple(sorted(ocr)))
    documents, unstored = keep_file(archive, task, result.documents)
    notes += tuple(unstored)
    recovered = sum(o.text.recovered_lines for o in ocr.values() if o.text)
    if recovered:
        notes += (f"{recovered} line(s) recovered from ink that detection missed",)
    docs = tuple(doc.id for doc in documents)
    outcome = FileOutcome(shown, "ingested", "", len(started.pages), docs, notes, tuple(sorted(ocr)))
    return _Finished(outcome, documents, task.sha256)


def keep_file(
    archive: Archive, task: pipeline.FileTask, documents: Iterable[Document]
) -> tuple[list[Document], list[str]]:
    """Keep the original, its page images and its documents, all under the archive's lock.

    Each document is stored on its own: one that cannot be written as XML is kept as
    JSON for review and named in the returned notes, and its neighbours are stored.
    """
    stored: list[Document] = []
    unstored: list[str] = []
    with archive.locked():
        archive.keep_original(task.stored, task.sha256)
        archive.keep_page_images(archive.staged_page_images(task.sha256), task.sha256)
        for doc in documents:
            try:
                stored.append(archive.add_document(doc))
            except (GazetteError, OSError, ValueError) as error:
                reason = f"document {doc.id} could not be stored ({error}); kept for review"
                archive.keep_unstored(doc, reason)
                unstored.append(reason)
    return stored, unstored


def check_options(workers: int, scheduler: str | None) -> None:
    """Refuse a bad worker count or an unreachable cluster before any file is read."""
    if workers < 0:
        raise BadInputError(f"--workers must be 0 (all cores) or more, not {workers}")
    if scheduler:
        workers_module.connect(scheduler, timeout=5).close()


#: Finished files are indexed and marked done in groups of about this many documents.
_INDEX_EVERY = 200


def run_batch(
    paths: Iterable[Path],
    archive: Archive,
    config: pipeline.IngestConfig = pipeline.IngestConfig(),
    on_progress: OnProgress | None = None,
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
    documents are stored as soon as its last page is in; ``on_documents`` (the index)
    gets them in groups, and only then are their files marked done. ``include`` and
    ``exclude`` are glob patterns (`intake.expand_paths`); what they, and the intake's
    rules, leave out is in the report as skipped.
    """
    check_options(workers, scheduler)
    started = time.perf_counter()
    files, left_out = intake.expand_paths(paths, include=include, exclude=exclude, skip=(archive.root,))
    staging = archive.staging_dir()
    try:
        report = _run(files, archive, config, on_progress, on_documents, workers, scheduler, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    skipped = tuple(FileOutcome(shown_path(entry.path), "skipped", entry.reason) for entry in left_out)
    report = replace(report, files=skipped + report.files)
    timing = {"engine": config.engine, "seconds": round(time.perf_counter() - started, 3)}
    archive.write_report("ingest", report.to_json() | timing)
    archive.flush()
    return report


def _run(
    files: list[Path],
    archive: Archive,
    config: pipeline.IngestConfig,
    on_progress: OnProgress | None,
    on_documents: Callable[[list[Document]], None] | None,
    workers: int,
    scheduler: str | None,
    staging: Path,
) -> BatchReport:
    outcomes: dict[Path, FileOutcome] = {}
    review: list[ReviewItem] = []
    unmarked: list[_Finished] = []
    notes: list[str] = []

    def mark_done() -> None:
        """Index what was stored, then mark its files done: a file is done only when both happened.

        Each document is read back as it is stored now: another process may have made it a
        reading of its own better one since."""
        documents = [archive.stored_document(doc.id) or doc for finished in unmarked for doc in finished.documents]
        if documents and on_documents is not None:
            try:
                on_documents(documents)
            except GazetteError as error:
                notes.append(f"the index was not updated ({error}); run `gazette index`")
                unmarked.clear()
                return
        for finished in unmarked:
            ids = "\n".join(doc.id for doc in finished.documents)
            atomic_write(_finished_marker(archive, finished.sha256), ids.encode("utf-8"))
        unmarked.clear()

    def finish(started: _Started, ocr: dict[int, PageOutcome]) -> None:
        result = _guarded(started.path, archive, lambda: finish_file(started, archive, ocr))
        if isinstance(result, FileOutcome):
            _log_outcome(result)
            outcomes[started.path] = result
            return
        outcomes[started.path] = result.outcome
        unmarked.append(result)
        for doc in result.documents:
            review.extend(review_items(doc))
        if sum(len(finished.documents) for finished in unmarked) >= _INDEX_EVERY:
            mark_done()

    waiting: dict[str, tuple[_Started, dict[int, PageOutcome], int]] = {}
    jobs: list[PageJob] = []
    settings = workers_module.settings_for(config.engine, workers)
    tally = _Tally(on_progress)
    for path in files:
        tally.show(shown_name(path))
        started = _guarded(path, archive, functools.partial(start_file, path, archive, config, staging))
        if isinstance(started, FileOutcome):
            _log_outcome(started)
            outcomes[path] = started
            continue
        needs = [page.number for page in started.pages if isinstance(page, NeedsOcr)]
        tally.add(max(len(started.pages), 1), done=max(len(started.pages), 1) - len(needs))
        if not needs:
            finish(started, {})
            continue
        waiting[started.task.sha256] = (started, {}, len(needs))
        jobs.extend(PageJob(archive.root, started.task.stored, started.task.sha256, n, settings) for n in needs)
    tally.show("OCR")
    try:
        for page in workers_module.run_pages(jobs, workers, scheduler) if jobs else ():
            started, read, count = waiting[page.job.source_sha256]
            read[page.job.number] = page
            tally.page_read(page.resumed)
            if len(read) == count:
                finish(started, read)
                del waiting[page.job.source_sha256]
    except GazetteError as error:
        log.info("OCR stopped: %s", error)
        for started, _, _ in waiting.values():
            outcomes[started.path] = FileOutcome(shown_path(started.path), "failed", str(error))
    mark_done()
    return BatchReport(tuple(outcomes[path] for path in files if path in outcomes), tuple(review), tuple(notes))


@dataclass(frozen=True)
class Progress:
    """Where a batch stands, for whoever shows it (the command line draws a bar from it).

    ``total`` grows as files are read (a file's pages are counted when it is opened);
    ``pages_per_second`` counts pages really read by OCR in this run (resumed ones cost nothing).
    """

    label: str
    done: int
    total: int
    pages_per_second: float | None = None


OnProgress = Callable[[Progress], None]


class _Tally:
    """Counts pages as the batch reads them and reports each change to ``on_progress``."""

    def __init__(self, on_progress: OnProgress | None) -> None:
        self._report = on_progress
        self._start = time.perf_counter()
        self._label = ""
        self._done = self._total = self._read = 0

    def show(self, label: str) -> None:
        self._label = label
        self._send()

    def add(self, pages: int, done: int) -> None:
        self._total += pages
        self._done += done
        self._send()

    def page_read(self, resumed: bool) -> None:
        self._done += 1
        self._read += not resumed
        self._send(self._read / max(time.perf_counter() - self._start, 1e-6))

    def _send(self, rate: float | None = None) -> None:
        if self._report is not None:
            self._report(Progress(self._label, self._done, self._total, rate))


def _log_outcome(outcome: FileOutcome) -> None:
    """The report carries every outcome; the log says it as it happens (for --debug and other callers)."""
    log.info("%s %s: %s", outcome.status, outcome.file, outcome.reason)


T = TypeVar("T")


def _guarded(path: Path, archive: Archive, step: Callable[[], T]) -> T | FileOutcome:
    """One file's step; its failure becomes a one-line outcome and the batch goes on.
    A bug's traceback is kept in the archive's ``logs/`` and named in the outcome."""
    try:
        return step()
    except GazetteError as error:
        return FileOutcome(shown_path(path), "failed", str(error))
    except Exception as error:  # noqa: BLE001  (a bug on one file must not lose the rest of the batch)
        log = write_traceback(archive.root, error)
        where = f" (traceback in {log})" if log else ""
        return FileOutcome(shown_path(path), "failed", f"{shown_path(path)}: {type(error).__name__}: {error}{where}")
