"""Views for the terminal: documents as printed text (`gazette show --text`; `gazette join`
follows the same printed order), `gazette list`, a batch's summary and progress bar. The
command line and the demo print them; the library returns data."""

from __future__ import annotations

from typing import Any, Protocol, Self

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from gazette.model import Block, Document

_INDENT = "\u3000\u3000"  # two full-width spaces: the 2-character paragraph indent


def block_as_text(block: Block) -> str:
    if block.kind == "paragraph":
        return _INDENT + block.text
    return block.text


def printed_head(doc: Document) -> list[tuple[str, str]]:
    """``(field, text)`` of what is printed above the body, in order: 文号 (as printed), title,
    主送 with its colon."""
    parts = []
    if number := doc.doc_number_printed or doc.doc_number:
        parts.append(("doc_number", number))
    parts.append(("title", doc.title))
    if doc.recipients:
        parts.append(("recipients", doc.recipients + ("" if doc.recipients.endswith(("：", ":")) else "：")))
    return parts


def printed_closing(doc: Document) -> list[tuple[str, str]]:
    """``(field, text)`` of what is printed below the body: the 署名's names (the first stands for
    the issuer), the 成文日期 as printed."""
    parts = [("issuer" if k == 0 else "", name) for k, name in enumerate(doc.signature)]
    if date := doc.date_written_printed or doc.date_written:
        parts.append(("date_written", date))
    return parts


def document_as_text(doc: Document, *, numbered: bool = False) -> str:
    """The document as a reader sees it printed: number, title, recipients, body, signature and date.
    ``numbered``: each body block opens with its number, ``[N] `` (the blocks `gazette split --at` counts)."""
    lines = [text for _, text in printed_head(doc)]
    lines.extend((f"[{k}] " if numbered else "") + block_as_text(block) for k, block in enumerate(doc.body, 1))
    lines.extend(text for _, text in printed_closing(doc))
    return "\n".join(lines) + "\n"


def notes(doc: Document) -> list[str]:
    """What a reader must know besides the text: withdrawn, legal status, readings, version."""
    lines = []
    if doc.withdrawn is not None:
        lines.append(f"已撤回 withdrawn: {doc.withdrawn}")
    if doc.status:
        lines.append(f"效力 status: {doc.status}" + (f"（{doc.status_by}）" if doc.status_by else ""))
    if doc.reading_of:
        lines.append(f"读本 a reading of {doc.reading_of}")
    if doc.readings:
        lines.append(f"另有读本 other readings: {'、'.join(doc.readings)}")
    if doc.version > 1:
        lines.append(f"version {doc.version} (gazette history {doc.id})")
    return lines


def _mark(doc: Document) -> str:
    marks = []
    if doc.readings:
        marks.append(f"+{len(doc.readings)} 读本: " + "、".join(doc.readings))
    if doc.reading_of:
        marks.append(f"读本 of {doc.reading_of}")
    if doc.withdrawn is not None:
        marks.append("已撤回")
    if doc.status and doc.status != "有效":
        marks.append(doc.status)
    return "; ".join(marks)


def documents_table(docs: list[Document]) -> Table:
    """A terminal table of documents; ids and dates never wrap, titles fold. A document read from
    several originals is one row naming its other readings; withdrawn ones are marked.

    Cells are `Text`, never strings Rich would read as markup: a title may hold `[/]`.
    """
    table = Table(box=None, pad_edge=False)
    for name in ("id", "成文日期", "发布日期"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="fold", min_width=20)
    marks = [_mark(doc) for doc in docs]
    if any(marks):
        table.add_column("备注", overflow="fold")
    for doc, mark in zip(docs, marks, strict=True):
        cells = [doc.id, doc.date_written or "—", doc.date_published or "—", doc.title]
        table.add_row(*(Text(cell) for cell in cells + ([mark] if any(marks) else [])))
    return table


class BatchSummary(Protocol):
    def summary(self) -> dict[str, int]: ...


def summary_table(report: BatchSummary) -> Table:
    """A batch report's counts as one row (`ingest.batch.BatchReport`)."""
    table = Table("files", "pages", "documents", "skipped", "failed", "read by OCR", "fields to review", box=None)
    counts = report.summary()
    table.add_row(
        *(
            str(counts[k])
            for k in ("files", "pages", "documents", "skipped", "failed", "pages_read_by_ocr", "fields_needing_review")
        )
    )
    return table


class BatchProgress(Protocol):
    """What the bar reads of `ingest.batch.Progress` (a frozen dataclass: read-only members)."""

    @property
    def label(self) -> str: ...
    @property
    def done(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def pages_per_second(self) -> float | None: ...


class ProgressBar:
    """A Rich progress bar on stderr fed by a batch's `on_progress` callbacks; a context manager."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("ingest", total=0, rate="")

    def __enter__(self) -> Self:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def __call__(self, progress: BatchProgress) -> None:
        rate = f"{progress.pages_per_second:.2f} pages/s" if progress.pages_per_second is not None else None
        # The bar's own fields (rich takes them as **Any); without a rate the last one stays.
        fields: dict[str, Any] = {"rate": rate} if rate else {}
        self._bar.update(
            self._task, description=escape(progress.label[:40]), completed=progress.done, total=progress.total, **fields
        )
