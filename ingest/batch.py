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
import itertools
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
from gazette.fsutil import atomic_copy, atomic_write, sha256_file
from gazette.issuedata import IssueData, read_issue_file
from gazette.model import Document, Issue, IssueEntry, Source
from ingest import grouping, intake, pipeline, screen
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
    grouped_by: str = "file"  # file, stem or folder: the rule that made the source (`ingest.grouping`)
    parts: tuple[str, ...] = ()  # the files read as its pages, in order, when several


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
    grouping: str = "auto"  # the rule that made sources of the files (`ingest.grouping`)

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
            "grouping": self.grouping,
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
class _Part:
    """One file of a source, staged and read as far as its text layer goes; ``pages`` may still need OCR."""

    task: pipeline.FileTask
    note: str
    pages: tuple[PageText | NeedsOcr, ...]


@dataclass(frozen=True)
class _Started:
    """A source (one file, or the page files of a group) staged and read as far as its text layers go.

    ``task`` is the source's: for a group, its sha256 is the group's identity and its parts name the files.
    """

    task: pipeline.FileTask
    group: grouping.SourceGroup
    parts: tuple[_Part, ...]

    @property
    def path(self) -> Path:
        return self.group.files[0]

    @property
    def page_count(self) -> int:
        return sum(len(part.pages) for part in self.parts)


def source_label(group: grouping.SourceGroup) -> str:
    """How the report names a source: the file, or the first page file and the last."""
    shown = shown_path(group.files[0])
    return shown if not group.grouped else f"{shown} … {shown_name(group.files[-1])}"


def start_source(
    group: grouping.SourceGroup,
    archive: Archive,
    config: pipeline.IngestConfig,
    staging: Path,
    issue_given: tuple[tuple[str, IssueData], ...] = (),
) -> FileOutcome | _Started:
    """Identify, stage and read a source's text; a skipped source's outcome. Raises GazetteError when refused.
    ``issue_given``: the issue's data from the command line and issue.toml, in order of trust."""
    found = [intake.identify(path) for path in group.files]
    if group.grouped and (other := next((f for f in found if f.kind in ("text", "html")), None)):
        raise BadInputError(f"is a {other.kind} file, not a page of a scan; use --group file", path=str(other.path))
    hashes = [sha256_file(path) for path in group.files]
    sha = grouping.group_identity(hashes) if group.grouped else hashes[0]
    if _finished_marker(archive, sha).exists():
        names = tuple(map(shown_path, group.files)) if group.grouped else ()
        return FileOutcome(source_label(group), "skipped", "already in the archive", grouped_by=group.how, parts=names)
    # Encrypted, truncated or past the limits (a decompression bomb): refused before anything is copied.
    counts = [pipeline.page_count(f.path, f.kind, config.limits) for f in found]
    if group.grouped:
        config.limits.check_pages(sum(counts), group.files[0])
    parts = []
    for file, part_sha in zip(found, hashes, strict=True):
        stored = archive.stage_original(file.path, part_sha, intake.EXTENSIONS[file.kind][0], staging)
        task = pipeline.FileTask(
            shown_name(file.path), stored, part_sha, file.kind, config, input_path=shown_path(file.path)
        )
        pages = () if file.kind in ("text", "html") else tuple(pipeline.read_pages(pipeline.page_tasks(task)))
        parts.append(_Part(task, file.note, pages))
    first = replace(parts[0].task, issue_given=issue_given)
    if not group.grouped:
        return _Started(first, group, tuple(parts))
    sources = tuple(Source(p.task.name, p.task.sha256, len(p.pages)) for p in parts)
    task = replace(first, name=group.name, sha256=sha, parts=sources)
    return _Started(task, group, tuple(parts))


def issue_readings(
    group: grouping.SourceGroup, given: IssueData | None, files: dict[Path, IssueData | None]
) -> tuple[tuple[str, IssueData], ...]:
    """The issue data given for a source: ``given`` (the command line), then the ``issue.toml`` beside
    its first file (read once per folder, kept in ``files``). BadInputError for a bad issue.toml."""
    folder = group.files[0].parent
    if folder not in files:
        found = next((p for p in _listing(folder) if p.name.lower() == intake.ISSUE_FILE), None)
        files[folder] = None if found is None else read_issue_file(found)
    readings = [("the command line", given), ("issue.toml", files[folder])]
    return tuple((where, data) for where, data in readings if data is not None)


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def keep_issue(
    archive: Archive,
    named: tuple[str, int, int],
    data: IssueData,
    documents: Sequence[tuple[Document, int | None]],
    source: Source,
) -> str:
    """The issue's ``<officialGazette>``, listing its documents in order, each with the printed page
    it starts on (when its folio or its contents entry says it); the note for the report.

    An issue already stored from another source is not replaced nor merged: this one is stored
    beside it under ``ID~<8 hex>`` and the note says so, for a person to settle."""
    name, year, number = named
    issue_id = f"{name}-{year}-{number}"
    entries = tuple(IssueEntry(doc.id, doc.title, doc.doc_number, page) for doc, page in documents)
    jurisdiction = documents[0][0].jurisdiction if documents else "cn"
    with archive.locked():
        stored = archive.stored_issue(issue_id)
        note = ""
        if stored is not None and stored.source is not None and stored.source.sha256 != source.sha256:
            issue_id = f"{issue_id}~{source.sha256[:8]}"
            note = f"; issue {stored.id} is already stored from {stored.source.file}: kept apart as {issue_id}"
        issue = Issue(
            id=issue_id,
            name=name,
            year=year,
            number=number,
            date=data.date or "",
            total_number=data.total,
            jurisdiction=jurisdiction,
            publisher=data.publisher,
            entries=entries,
            source=source,
        )
        archive.put_issue(issue)
    return f"issue {issue_id} stored with {len(entries)} document(s){note}"


@dataclass(frozen=True)
class _Finished:
    """A source whose documents are in the archive; it is marked done once they are indexed too."""

    outcome: FileOutcome
    documents: list[Document]
    sha256: str


#: OCR outcomes of a source's pages, by the file's SHA-256 and its page number there.
PageOutcomes = dict[tuple[str, int], PageOutcome]


def finish_file(started: _Started, archive: Archive, ocr: PageOutcomes) -> FileOutcome | _Finished:
    """Documents from a source whose pages are all read (``ocr``: outcomes of its NeedsOcr pages),
    kept in the archive with its original files. The pages of a group are numbered through its files."""
    task = started.task
    shown = source_label(started.group)
    how, files = started.group.how, started.group.files
    parts = tuple(map(shown_path, files)) if started.group.grouped else ()
    numbers = itertools.count(1)  # pages are numbered through the files of a group
    pages = ((page, number) for part in started.parts for page, number in zip(part.pages, numbers, strict=False))
    ocr_pages = tuple(number for page, number in pages if isinstance(page, NeedsOcr))
    if task.kind in ("text", "html"):
        result = pipeline.process_file(task)
    else:
        result = pipeline.documents_from_pages(task, _numbered_pages(started, ocr))
    errors = [o.error for _, o in sorted(ocr.items()) if o.error]
    if errors and len(errors) == started.page_count:
        return FileOutcome(shown, "failed", errors[0], started.page_count, grouped_by=how, parts=parts)
    problems = [o.error or o.problem for _, o in sorted(ocr.items()) if o.error or o.problem]
    grouping_note = f"read as one source of {len(files)} files (grouped by {how})" if started.group.grouped else ""
    notes = tuple(filter(None, (grouping_note, *(p.note for p in started.parts), *result.problems, *problems)))
    rejected = screen.not_a_gazette_document(result.documents)
    if rejected:  # nothing of it enters the archive: not its original, pages or documents
        return FileOutcome(shown, "skipped", rejected, started.page_count, (), notes, ocr_pages, how, parts)
    if started.group.grouped:
        _stage_group_page_images(archive, started)
    kept, unstored = keep_file(archive, task, result.documents, [part.task for part in started.parts])
    notes += tuple(unstored)
    printed = result.printed_pages or (None,) * len(kept)
    paged = [(doc, page) for doc, page in zip(kept, printed, strict=True) if doc is not None]
    documents = [doc for doc, _ in paged]
    named = result.issue.named if result.issue is not None else None
    if result.issue is not None and named is not None and documents:
        source = documents[0].source or Source(task.name, task.sha256, started.page_count, task.parts)
        notes += (keep_issue(archive, named, result.issue, paged, source),)
    recovered = sum(o.text.recovered_lines for o in ocr.values() if o.text)
    if recovered:
        notes += (f"{recovered} line(s) recovered from ink that detection missed",)
    docs = tuple(doc.id for doc in documents)
    outcome = FileOutcome(shown, "ingested", "", started.page_count, docs, notes, ocr_pages, how, parts)
    return _Finished(outcome, documents, task.sha256)


def _numbered_pages(started: _Started, ocr: PageOutcomes) -> list[PageText | NeedsOcr]:
    """The source's pages in order, numbered through its files; a page OCR could not read is left out."""
    pages: list[PageText | NeedsOcr] = []
    number = 0
    for part in started.parts:
        for page in part.pages:
            number += 1
            text = ocr[(part.task.sha256, page.number)].text if isinstance(page, NeedsOcr) else page
            if text is not None:
                pages.append(pipeline.renumbered(text, number) if started.group.grouped else text)
    return pages


def _stage_group_page_images(archive: Archive, started: _Started) -> None:
    """What OCR left of each file's pages (`ingest.pageimage`: reading copy and geometry), staged again
    under the group's page numbers. A geometry keeps the page's number in its own file, which review
    turns upright again (`Source.part_of_page` finds the file)."""
    target = archive.staged_page_images(started.task.sha256)
    number = 0
    for part in started.parts:
        staged = archive.staged_page_images(part.task.sha256)
        for page in part.pages:
            number += 1
            for kept in sorted(staged.glob(f"{page.number:04d}.*")) if staged.is_dir() else ():
                atomic_copy(kept, target / f"{number:04d}{kept.suffix}")


def keep_file(
    archive: Archive,
    task: pipeline.FileTask,
    documents: Iterable[Document],
    originals: Sequence[pipeline.FileTask] = (),
) -> tuple[list[Document | None], list[str]]:
    """Keep the original (``originals``: every file of a grouped source, else ``task``'s), the page
    images and the documents, all under the archive's lock; each document as stored, in order.

    Each document is stored on its own: one that cannot be written as XML is kept as
    JSON for review (None in its place) and named in the returned notes, and its neighbours are stored.
    """
    stored: list[Document | None] = []
    unstored: list[str] = []
    with archive.locked():
        for original in originals or (task,):
            archive.keep_original(original.stored, original.sha256)
        archive.keep_page_images(archive.staged_page_images(task.sha256), task.sha256)
        for doc in documents:
            try:
                stored.append(archive.add_document(doc))
            except (GazetteError, OSError, ValueError) as error:
                reason = f"document {doc.id} could not be stored ({error}); kept for review"
                archive.keep_unstored(doc, reason)
                unstored.append(reason)
                stored.append(None)
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
    group: grouping.GroupMode = "auto",
    issue: IssueData | None = None,
) -> BatchReport:
    """Ingest every file under ``paths``; write the report into the archive and flush its manifest.

    Files that are pages of one source (``group``: `ingest.grouping`) are read as one file of
    their pages in order; the report names each such source's files and the rule that grouped them.
    A source's issue data comes from ``issue`` (the command line), else the ``issue.toml`` beside
    it, else its cover (`gazette.issuedata.settle`); each issue so named gets its ``<officialGazette>``.

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
    groups = grouping.group_files(files, group)
    staging = archive.staging_dir()
    try:
        report = _run(groups, archive, config, on_progress, on_documents, workers, scheduler, staging, issue)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    skipped = tuple(FileOutcome(shown_path(entry.path), "skipped", entry.reason) for entry in left_out)
    report = replace(report, files=skipped + report.files, grouping=group)
    timing = {"engine": config.engine, "seconds": round(time.perf_counter() - started, 3)}
    archive.write_report("ingest", report.to_json() | timing)
    archive.flush()
    return report


def _page_groups(
    group: grouping.SourceGroup, archive: Archive, config: pipeline.IngestConfig, outcomes: dict[Path, FileOutcome]
) -> list[grouping.SourceGroup]:
    """The sources a group of files makes once their headers are read: a page file that cannot be
    read fails on its own (in ``outcomes``) and the others are still read as the source; a file of
    several pages in a group by name (``name_2.tif``, a scan of its own) is a source of its own."""
    if not group.grouped:
        return [group]

    def check(path: Path) -> int:
        found = intake.identify(path)
        return pipeline.page_count(path, found.kind, config.limits)

    kept: list[Path] = []
    alone: list[Path] = []
    for path in group.files:
        pages = _guarded(path, archive, functools.partial(check, path))
        if isinstance(pages, FileOutcome):
            outcomes[path] = replace(pages, reason=f"{pages.reason} (a page of {source_label(group)}; left out of it)")
        elif pages > 1 and group.how == "stem":
            alone.append(path)
        else:
            kept.append(path)
    sources = [grouping.SourceGroup((path,)) for path in alone]
    if kept:
        sources.insert(0, grouping.SourceGroup(tuple(kept), group.how if len(kept) > 1 else "file"))
    return sources


def _run(
    groups: list[grouping.SourceGroup],
    archive: Archive,
    config: pipeline.IngestConfig,
    on_progress: OnProgress | None,
    on_documents: Callable[[list[Document]], None] | None,
    workers: int,
    scheduler: str | None,
    staging: Path,
    issue: IssueData | None,
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

    def finish(started: _Started, ocr: PageOutcomes) -> None:
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

    # Sources waiting for OCR, by identity: the pages they still need and those read; a page
    # file's pages go to every source holding that file, and are read once.
    issue_files: dict[Path, IssueData | None] = {}

    def start(group: grouping.SourceGroup) -> FileOutcome | _Started:
        return start_source(group, archive, config, staging, issue_readings(group, issue, issue_files))

    waiting: dict[str, tuple[_Started, PageOutcomes, set[tuple[str, int]]]] = {}
    holders: dict[str, list[str]] = {}
    jobs: dict[tuple[str, int], PageJob] = {}
    settings = workers_module.settings_for(config.engine, workers)
    tally = _Tally(on_progress)
    for readable in (source for group in groups for source in _page_groups(group, archive, config, outcomes)):
        tally.show(shown_name(readable.files[0]))
        started = _guarded(readable.files[0], archive, functools.partial(start, readable))
        if isinstance(started, FileOutcome):
            _log_outcome(started)
            outcomes[readable.files[0]] = started
            continue
        needs = {
            (part.task.sha256, page.number)
            for part in started.parts
            for page in part.pages
            if isinstance(page, NeedsOcr)
        }
        count = max(started.page_count, 1)
        tally.add(count, done=count - len(needs))
        if not needs:
            finish(started, {})
            continue
        if started.task.sha256 in waiting:
            same = shown_path(waiting[started.task.sha256][0].path)
            outcomes[started.path] = FileOutcome(
                source_label(readable), "skipped", f"the same content as {same}, read once"
            )
            continue
        waiting[started.task.sha256] = (started, {}, needs)
        for part in started.parts:
            holders.setdefault(part.task.sha256, []).append(started.task.sha256)
            for page in part.pages:
                if isinstance(page, NeedsOcr):
                    key = (part.task.sha256, page.number)
                    jobs.setdefault(
                        key, PageJob(archive.root, part.task.stored, part.task.sha256, page.number, settings)
                    )
    tally.show("OCR")
    try:
        for outcome in workers_module.run_pages(list(jobs.values()), workers, scheduler) if jobs else ():
            key = (outcome.job.source_sha256, outcome.job.number)
            tally.page_read(outcome.resumed)
            for identity in holders.get(outcome.job.source_sha256, ()):
                if identity not in waiting:
                    continue
                started, read, needs = waiting[identity]
                if key in needs:
                    read[key] = outcome
                if len(read) == len(needs):
                    finish(started, read)
                    del waiting[identity]
    except GazetteError as error:
        log.info("OCR stopped: %s", error)
        for started, _, _ in waiting.values():
            outcomes[started.path] = FileOutcome(source_label(started.group), "failed", str(error))
    mark_done()
    files = [path for group in groups for path in group.files]
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
