"""The gazette issue: cover, contents (dot leaders, page numbers, links), the documents in the
gazette's order as gazettes print them (title, the 文号 under it, no 版头), running heads,
page numbers running on from the first document, a bookmark per section and document.

The cover and the contents carry no page number; the first document starts on page 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gazette.model import Document, Issue, IssueEntry
from publish import geometry as g
from publish.document_pdf import page_number
from publish.paginate import paginate
from publish.standard import GAZETTE, layout_document
from publish.typeset import (
    BODY,
    TITLE,
    Anchor,
    Item,
    Link,
    Row,
    Setter,
    Stroke,
    Style,
    Text,
)

COVER_NAME = Style("song", 40.0, g.RED)
COVER_LINE = Style("song", g.SIZE_3)
HEAD = Style("song", g.SIZE_RUNNING_HEAD)
LEADER = "…"


@dataclass(frozen=True)
class IssueData:
    """What the cover says, and the documents by section in the gazette's order."""

    gazette: str
    year: int
    number: int
    date: str  # ISO
    publisher: str = ""
    total: int | None = None
    sections: tuple[tuple[str, tuple[Document, ...]], ...] = ()

    @property
    def id(self) -> str:
        return f"{self.gazette}-{self.year}-{self.number}"

    @property
    def label(self) -> str:
        """``2026年第12期``."""
        return f"{self.year}年第{self.number}期"

    @property
    def printed_date(self) -> str:
        year, month, day = self.date.split("-")
        return f"{int(year)}年{int(month)}月{int(day)}日"


def issue_layout(issue: IssueData, setter: Setter) -> tuple[list[tuple[Item, ...]], Issue]:
    """The issue's pages and the `Issue` (its contents with the page each document starts on)."""
    body: list[tuple[Item, ...]] = []
    entries: list[IssueEntry] = []
    starts: list[tuple[str, Document, int]] = []
    for s, (section, documents) in enumerate(issue.sections):
        for d, doc in enumerate(documents):
            pages = layout_document(doc, setter, GAZETTE)
            first = len(body) + 1
            marks: list[Item] = []
            if d == 0:
                marks.append(Anchor(f"section-{s}", section, 0, g.TOP))
            marks.append(Anchor(_key(doc), doc.title, 1, g.TOP))
            for n, page in enumerate(pages):
                number = first + n
                items = (*marks, *page.items) if n == 0 else page.items
                body.append((*items, *running_head(issue, setter), page_number(setter, number)))
            starts.append((section, doc, first))
            entries.append(IssueEntry(doc.id, doc.title, doc.doc_number, first, section))
    contents = contents_pages(issue, setter, starts)
    model = Issue(
        id=issue.id,
        name=issue.gazette,
        year=issue.year,
        number=issue.number,
        date=issue.date,
        total_number=issue.total,
        publisher=issue.publisher,
        entries=tuple(entries),
    )
    return [cover(issue, setter), *contents, *body], model


def _key(doc: Document) -> str:
    return "doc-" + "".join(char if char.isalnum() else "_" for char in doc.id)


def cover(issue: IssueData, setter: Setter) -> tuple[Item, ...]:
    """Name in red, 2026年第12期, 总第N期, the publisher and the date."""
    rows: list[Row] = [*setter.centred(issue.gazette, COVER_NAME, balanced=False)]
    items: list[Item] = []
    y = g.TOP + 20 * g.MM
    for row in rows:
        items += [_at(item, y) for item in row.items]
        y += COVER_NAME.size * 1.5
    lines = [issue.label]
    if issue.total is not None:
        lines.append(f"总第{issue.total}期")
    y += 20 * g.MM
    for text in lines:
        items += [_at(item, y) for item in setter.centred(text, COVER_LINE, balanced=False)[0].items]
        y += 2 * g.LINE_PITCH
    items.append(Stroke(g.LEFT, y, g.RIGHT, y, 1.0, g.RED))
    y = g.BOTTOM - 3 * g.LINE_PITCH
    if issue.publisher:
        items += [
            _at(item, y) for item in setter.centred(f"主办：{issue.publisher}", COVER_LINE, balanced=False)[0].items
        ]
        y += g.LINE_PITCH
    items += [_at(item, y) for item in setter.centred(issue.printed_date, COVER_LINE, balanced=False)[0].items]
    return tuple(items)


def _at(item: Item, y: float) -> Item:
    assert isinstance(item, Text)
    return replace(item, y=item.y + y)


def running_head(issue: IssueData, setter: Setter) -> tuple[Item, ...]:
    """The gazette and the issue, centred above the text block over a thin rule."""
    text = f"{issue.gazette}　{issue.label}"
    x = g.LEFT + (g.BLOCK_WIDTH - setter.width(text, HEAD)) / 2
    rule = g.TOP - 4 * g.MM
    head = Text(x, rule - 2 * g.MM, (setter.run(text, HEAD),), 0.0)
    return (head, Stroke(g.LEFT, rule, g.RIGHT, rule, 0.5))


def contents_pages(
    issue: IssueData, setter: Setter, starts: Sequence[tuple[str, Document, int]]
) -> list[tuple[Item, ...]]:
    """目录: each section's name, then each document's title and 文号, a dot leader and its page,
    the whole entry a link to the document."""
    rows: list[Row] = [replace(r, keep=True) for r in setter.centred("目　　录", TITLE)]
    rows.append(Row(keep=True))
    section = None
    for name, doc, page in starts:
        if name != section:
            rows.append(replace(setter.at(f"【{name}】", Style("hei"), g.LEFT), keep=True))
            section = name
        rows += entry_rows(doc, page, setter)
    return [page.items for page in paginate(rows)]


def entry_rows(doc: Document, page: int, setter: Setter) -> list[Row]:
    text = f"{doc.title}（{doc.doc_number}）" if doc.doc_number else doc.title
    label = str(page)
    label_width = setter.width(label, BODY)
    room = g.BLOCK_WIDTH - 3 * g.CHAR_PITCH
    rows = setter.paragraph([(text, BODY)], indent=0.0, hanging=2 * g.CHAR_PITCH, width=room, justify=False)
    last = rows[-1].items[0]
    assert isinstance(last, Text)
    advance = setter.advance_fn(BODY)
    free = g.RIGHT - label_width - g.SIZE_3 / 2 - (last.x + advance(last.text))
    leader = LEADER * max(2, int(free // advance(LEADER)))
    rows[-1] = Row(
        (
            replace(last, runs=(*last.runs, setter.run(leader, BODY))),
            Text(g.RIGHT - label_width, last.y, (setter.run(label, BODY),), 0.0),
        )
    )
    key = _key(doc)
    top, bottom = 0.0, g.LINE_PITCH
    return [
        replace(row, items=(*row.items, Link(key, g.LEFT, top, g.RIGHT, bottom)), keep=n < len(rows) - 1)
        for n, row in enumerate(rows)
    ]
