"""The order of the ingest steps, and the picklable units of work the batch runner hands out.

    PDF:  read_pages (text layer, or NeedsOcr) → layout.page_paragraphs → split.split_issue
          → metadata.build_document per slice
    scan: NeedsOcr pages → ingest.workers (raster → cleanup → recognise) → the same steps as PDF
    page: webpage.parse_page → metadata.build_document

`FileTask` and `PageTask` are plain frozen data, so a process pool (or a cluster) can run
`read_pages` on chunks of pages and `documents_from_pages` once a file's pages are in;
a page that comes back `NeedsOcr` is read by the OCR workers (`ingest.batch` hands it over)
and its `PageText` joins the text-layer pages here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber

from gazette.chars import xml_safe
from gazette.issuedata import IssueData, settle
from gazette.model import Document, GazetteRef, Provenance, ReviewFlag, Source
from ingest import layout, metadata, raster, split, textlayer, webpage
from ingest.intake import FileKind
from ingest.limits import Limits, check_pdf
from ingest.types import NeedsOcr, PageText


@dataclass(frozen=True)
class IngestConfig:
    review_threshold: float = metadata.DEFAULT_REVIEW_THRESHOLD
    engine: str = "rapidocr"
    limits: Limits = Limits()


@dataclass(frozen=True)
class FileTask:
    """One stored original to turn into documents. ``stored`` is the archive's copy, read only."""

    name: str
    stored: Path
    sha256: str
    kind: FileKind
    config: IngestConfig = IngestConfig()
    input_path: str = ""
    parts: tuple[Source, ...] = ()  # the page files of a grouped source (`ingest.grouping`), in order
    # The issue's data given for the source (the command line, issue.toml), in order of trust;
    # what is read from the cover comes after them (`gazette.issuedata.settle`).
    issue_given: tuple[tuple[str, IssueData], ...] = ()


@dataclass(frozen=True)
class PageTask:
    file: FileTask
    number: int


@dataclass(frozen=True)
class FileResult:
    task: FileTask
    pages: int
    documents: tuple[Document, ...]
    needs_ocr: tuple[NeedsOcr, ...] = ()
    problems: tuple[str, ...] = ()
    issue: IssueData | None = None  # the issue's data, given and read, when anything says it
    # The printed page number each document starts on (`split.printed_page`), in the order of
    # ``documents``; empty for a web page.
    printed_pages: tuple[int | None, ...] = ()


def page_count(path: Path, kind: FileKind, limits: Limits = Limits()) -> int:
    """Pages of a file; BadInputError when it is encrypted, damaged or past ``limits``, found
    before any reader decodes it whole (a PDF's streams and page tree are measured first)."""
    if kind == "pdf":
        check_pdf(path, limits)
    count = _pages(path, kind, limits.max_pages)
    limits.check_pages(count, path)
    return count


def _pages(path: Path, kind: FileKind, up_to: int) -> int:
    """Pages from headers only: PDF pages, image frames (counted up to ``up_to`` + 1); a saved web page is one."""
    if kind == "pdf":
        return textlayer.page_count(path)
    return raster.count_pages(path, up_to) if kind in ("tiff", "jpeg", "png") else 1


def page_tasks(task: FileTask) -> list[PageTask]:
    """One task per page of a PDF or multi-page image (`page_count` has passed); web pages are a single unit."""
    count = _pages(task.stored, task.kind, task.config.limits.max_pages)
    return [PageTask(task, number) for number in range(1, count + 1)]


def read_pages(tasks: Sequence[PageTask]) -> list[PageText | NeedsOcr]:
    """Lines of the given pages of one file (text layer), or NeedsOcr where the OCR path must read them."""
    if not tasks:
        return []
    file = tasks[0].file
    if file.kind != "pdf":
        return [NeedsOcr(file.sha256, t.number, f"{file.kind} image: needs OCR") for t in tasks]
    return textlayer.read_pdf(file.stored, file.sha256, [t.number for t in tasks])


def process_file(task: FileTask) -> FileResult:
    """A whole file, start to end, in this process."""
    if task.kind in ("text", "html"):
        return _web_page(task)
    return documents_from_pages(task, read_pages(page_tasks(task)))


def documents_from_pages(task: FileTask, pages: Sequence[PageText | NeedsOcr]) -> FileResult:
    """Documents from a file's pages once they are all read (pages still needing OCR are reported)."""
    readable = [xml_safe_page(page) for page in pages if isinstance(page, PageText)]
    waiting = tuple(page for page in pages if isinstance(page, NeedsOcr))
    source = Source(task.name, task.sha256, len(pages), task.parts)
    if not any(page.lines for page in readable):
        return FileResult(task, len(pages), (), waiting)
    flow = layout.page_paragraphs(readable)
    issue = split.split_issue(flow)
    heads = split.read_running_heads([[line.text for line in page.lines] for page in readable])
    read = [("the cover", _cover_data(issue.cover)), ("the running heads", _cover_data(heads))]
    data, disagreements = settle([*task.issue_given, *read])
    gazette = _gazette_ref(data)
    docs = []
    for piece in issue.documents:
        evidence = metadata.Evidence(
            source=source,
            gazette=gazette,
            issue_date=data.date,
            contents_title=piece.entry.title if piece.entry else None,
            contents_number=piece.entry.doc_number if piece.entry else None,
            split_problems=piece.problems,
            provenance=_provenance(
                task,
                *_engine(readable),
                (*_page_steps(readable), "layout", "split", "metadata"),
                dropped=_dropped_on(readable, piece.paragraphs),
            ),
            threshold=task.config.review_threshold,
        )
        docs.append(flag_doubtful_characters(metadata.build_document(piece.paragraphs, evidence), readable))
    issue_data = data if gazette is not None else None
    problems = (*issue.problems, *disagreements)
    printed = tuple(piece.page for piece in issue.documents)
    return FileResult(task, len(pages), tuple(docs), waiting, problems, issue_data, printed)


def renumbered(page: PageText, number: int) -> PageText:
    """The page as page ``number`` of a grouped source (its lines' boxes too)."""
    if page.number == number:
        return page
    lines = tuple(replace(line, box=replace(line.box, page=number)) for line in page.lines)
    return replace(page, number=number, lines=lines)


def xml_safe_page(page: PageText) -> PageText:
    """The page with every line's text cleaned of what XML cannot hold (`gazette.chars.xml_safe`);
    the count is added to the page's ``dropped_characters``."""
    lines = []
    dropped = 0
    for line in page.lines:
        text, count = xml_safe(line.text)
        dropped += count
        lines.append(replace(line, text=text) if count else line)
    if not dropped:
        return page
    return replace(page, lines=tuple(lines), dropped_characters=page.dropped_characters + dropped)


def _dropped_on(pages: Sequence[PageText], paragraphs: Sequence[layout.Paragraph]) -> int:
    """Characters dropped on the pages a document's paragraphs come from."""
    numbers = {paragraph.page for paragraph in paragraphs}
    return sum(page.dropped_characters for page in pages if page.number in numbers)


_CHECKED_FIELDS = ("doc_number_printed", "title", "issuer", "date_written_printed", "recipients")


def flag_doubtful_characters(doc: Document, pages: Sequence[PageText]) -> Document:
    """Fields that hold a character the recogniser was unsure of go to review.

    A field is affected when one of its values and a line with low-confidence characters
    overlap in text (a title spans lines; a line may hold a 文号 and more).
    """
    doubtful = [
        line.text for page in pages for line in page.lines if line.low_confidence and len(line.text.strip()) > 1
    ]
    flagged = {flag.field for flag in doc.needs_review}
    added = []
    for name in _CHECKED_FIELDS:
        value = getattr(doc, name)
        values = value if isinstance(value, tuple) else (value,) if value else ()
        field = name.removesuffix("_printed")
        if field not in flagged and any(v in text or text in v for v in values for text in doubtful):
            added.append(ReviewFlag(field, "OCR unsure of some characters"))
    return replace(doc, needs_review=doc.needs_review + tuple(added)) if added else doc


def _web_page(task: FileTask) -> FileResult:
    decoded = webpage.decode(task.stored.read_bytes(), task.name)
    text, dropped = xml_safe(decoded.text)
    page = webpage.parse_page(text)
    evidence = metadata.Evidence(
        source=Source(task.name, task.sha256, 1),
        disclosure=page.disclosure,
        provenance=_provenance(task, f"{task.kind}-page", "", ("webpage", "metadata"), dropped=dropped),
        threshold=task.config.review_threshold,
    )
    repaired = tuple(f"repaired label {label}" for label in page.disclosure.repaired_labels)
    problems = tuple(filter(None, (decoded.note, *repaired)))
    return FileResult(task, 1, (metadata.build_document(page.paragraphs, evidence),), (), problems)


def _cover_data(cover: split.IssueCover | None) -> IssueData | None:
    if cover is None:
        return None
    return IssueData(gazette=cover.name, year=cover.year, number=cover.number, total=cover.total, date=cover.date)


def _gazette_ref(data: IssueData) -> GazetteRef | None:
    if not (data.gazette or data.year or data.number):
        return None
    return GazetteRef(name=data.gazette or "", year=data.year, issue=data.number, total=data.total)


def _engine(pages: Sequence[PageText]) -> tuple[str, str]:
    """The OCR engine when any page was read by one (its name and version), else the text layer's reader."""
    read = next((page for page in pages if page.engine), None)
    return (read.engine, read.engine_version) if read else ("pdfplumber", pdfplumber.__version__)


def _page_steps(pages: Sequence[PageText]) -> tuple[str, ...]:
    """Every step that made the pages, once, in first-seen order; measurements like deskew(+1.20°) drop."""
    steps = [step.split("(")[0] for page in pages for step in page.steps or ("text-layer",)]
    return tuple(dict.fromkeys(steps))


def _provenance(task: FileTask, engine: str, version: str, steps: tuple[str, ...], *, dropped: int = 0) -> Provenance:
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return Provenance(
        engine=engine,
        engine_version=version,
        steps=steps,
        created=created,
        input_path=task.input_path,
        dropped_characters=dropped,
    )
