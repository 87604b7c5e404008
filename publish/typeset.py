"""Text set on the grid: what a page holds (`Text`, `Stroke`, `Picture`, anchors, links) and
paragraphs, centred titles and tables turned into `Row`s of whole grid lines.

A `Row` holds items placed relative to its own top; `publish.paginate` puts rows on
pages, line by line. Everything here is plain data: the renderer draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from publish import geometry as g
from publish.fonts import FontSet, Role
from publish.linebreak import Line, balanced_lines, break_lines

Color = tuple[float, float, float]


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    size: float
    color: Color = g.BLACK


@dataclass(frozen=True)
class Text:
    """Runs of text from ``x`` on the baseline ``y``, each character followed by ``char_space``."""

    x: float
    y: float
    runs: tuple[Run, ...]
    char_space: float = 0.0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Stroke:
    """A straight line (a rule, a table border)."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.5
    color: Color = g.BLACK


@dataclass(frozen=True)
class Picture:
    """An image (a seal) by its PNG bytes, its top-left corner and size."""

    png: bytes
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Anchor:
    """A bookmark target here: ``key`` names it, ``title`` and ``level`` place it in the outline."""

    key: str
    title: str
    level: int
    y: float = 0.0


@dataclass(frozen=True)
class Link:
    """A clickable box that jumps to the anchor ``key``."""

    key: str
    x0: float
    y0: float
    x1: float
    y1: float


Item = Text | Stroke | Picture | Anchor | Link


@dataclass(frozen=True)
class Row:
    """Items on ``lines`` grid lines, placed from the row's top. ``keep`` keeps it on the page
    of the row after it; ``new_page`` starts a page before it; ``at_line`` puts it on that
    line of its page (blank lines before it)."""

    items: tuple[Item, ...] = ()
    lines: int = 1
    keep: bool = False
    new_page: bool = False
    at_line: int | None = None


BLANK = Row()


def shift(item: Item, dy: float) -> Item:
    if isinstance(item, Text | Picture | Anchor):
        return replace(item, y=item.y + dy)
    if isinstance(item, Stroke):
        return replace(item, y0=item.y0 + dy, y1=item.y1 + dy)
    return replace(item, y0=item.y0 + dy, y1=item.y1 + dy)


def spacing(size: float) -> float:
    """Character spacing: body text (3号) on the grid's pitch, other sizes as the font sets them."""
    return g.grid_spacing(size) if size == g.SIZE_3 else 0.0


@dataclass(frozen=True)
class Style:
    role: Role
    size: float = g.SIZE_3
    color: Color = g.BLACK


BODY = Style("fangsong")
TITLE = Style("song", g.SIZE_2)


class Setter:
    """Sets text in one `FontSet`; widths are cached per font, size and character."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts

    def advance_fn(self, style: Style) -> Callable[[str], float]:
        return _advance(self.fonts, style.role, style.size, spacing(style.size))

    def width(self, text: str, style: Style) -> float:
        return self.advance_fn(style)(text) - spacing(style.size)

    def run(self, text: str, style: Style) -> Run:
        return Run(text, self.fonts.name(style.role), style.size, style.color)

    # -- paragraphs ---------------------------------------------------------------------

    def paragraph(
        self,
        spans: Sequence[tuple[str, Style]],
        *,
        indent: float = 2 * g.CHAR_PITCH,
        hanging: float = 0.0,
        left: float = g.LEFT,
        width: float = g.BLOCK_WIDTH,
        justify: bool = True,
    ) -> list[Row]:
        """A paragraph of one or more styled spans: first line indented by ``indent``, the rest by
        ``hanging``; every line but the last justified to ``width``."""
        text = "".join(span for span, _ in spans)
        base = spans[0][1]
        advances = [self.advance_fn(style)(char) for span, style in spans for char in span]
        lines = break_lines(text, self.advance_fn(base), width - indent, width - hanging, advances)
        rows = []
        at = 0
        for n, line in enumerate(lines):
            x = left + (indent if n == 0 else hanging)
            room = width - (indent if n == 0 else hanging)
            runs = self._runs(spans, at, at + len(line.text))
            at += len(line.text)
            rows.append(Row((self._line_text(x, runs, line, room, base, justify),)))
        return rows

    def _line_text(self, x: float, runs: tuple[Run, ...], line: Line, room: float, base: Style, justify: bool) -> Text:
        tc = spacing(base.size)
        count = len(line.text)
        if justify and not line.last and count > 1:
            natural = sum(pdfmetrics.stringWidth(run.text, run.font, run.size) for run in runs)
            # Justified: the last glyph ends where it ends on a full line of the grid (for 3号,
            # 0.21 pt past the block: 28 characters of 16 pt on a pitch of 156/28 mm).
            tc = (room - natural - tc) / (count - 1)
        return Text(x, g.baseline_offset(base.size), runs, tc)

    def _runs(self, spans: Sequence[tuple[str, Style]], start: int, end: int) -> tuple[Run, ...]:
        runs = []
        at = 0
        for text, style in spans:
            lo, hi = max(start, at), min(end, at + len(text))
            if lo < hi:
                runs.append(self.run(text[lo - at : hi - at], style))
            at += len(text)
        return tuple(runs)

    def centred(
        self, text: str, style: Style, *, balanced: bool = True, left: float = g.LEFT, width: float = g.BLOCK_WIDTH
    ) -> list[Row]:
        """Centred lines (titles): as even as the line-breaking rules allow when ``balanced``."""
        advance = self.advance_fn(style)
        lines = balanced_lines(text, advance, width) if balanced else break_lines(text, advance, width)
        return [self.at(line.text, style, left + (width - self.width(line.text, style)) / 2) for line in lines]

    def at(self, text: str, style: Style, x: float) -> Row:
        """One line of ``text`` from ``x``."""
        return Row((Text(x, g.baseline_offset(style.size), (self.run(text, style),), spacing(style.size)),))

    def right(self, text: str, style: Style, right_indent: float) -> Row:
        """One line ending ``right_indent`` before the block's right edge."""
        return self.at(text, style, g.RIGHT - right_indent - self.width(text, style))

    # -- tables -------------------------------------------------------------------------

    def table(self, rows: Sequence[Sequence[str]], style: Style = Style("fangsong", g.SIZE_4)) -> list[Row]:
        """A table with borders, one `Row` per table row (as many grid lines as its tallest cell)."""
        columns = max((len(row) for row in rows), default=0)
        if not columns:
            return []
        widths = _column_widths(rows, columns, lambda text: self.width(text, style))
        pad = style.size / 2
        out: list[Row] = []
        for r, cells in enumerate(rows):
            cell_lines = []
            for c in range(columns):
                text = cells[c] if c < len(cells) else ""
                room = widths[c] - 2 * pad
                broken = break_lines(text, self.advance_fn(style), room) if text else []
                cell_lines.append([line.text for line in broken])
            height = max(1, *(len(lines) for lines in cell_lines))
            items: list[Item] = []
            x = g.LEFT
            for c, lines in enumerate(cell_lines):
                for k, line in enumerate(lines):
                    items.append(
                        Text(x + pad, k * g.LINE_PITCH + g.baseline_offset(style.size), (self.run(line, style),), 0.0)
                    )
                x += widths[c]
            bottom = height * g.LINE_PITCH
            if r == 0:
                items.append(Stroke(g.LEFT, 0, g.RIGHT, 0))
            items.append(Stroke(g.LEFT, bottom, g.RIGHT, bottom))
            x = g.LEFT
            for w in (0.0, *widths):
                x += w
                items.append(Stroke(x, 0, x, bottom))
            out.append(Row(tuple(items), height))
        return out


def _column_widths(rows: Sequence[Sequence[str]], columns: int, width: Callable[[str], float]) -> list[float]:
    """Columns as wide as their longest cell wants, shrunk together to the block's width;
    no column narrower than two characters."""
    wants = [
        max((width(row[c]) if c < len(row) else 0.0 for row in rows), default=0.0) + g.SIZE_4 for c in range(columns)
    ]
    floor = 2 * g.SIZE_4 + g.SIZE_4
    wants = [max(want, floor) for want in wants]
    total = sum(wants)
    if total <= g.BLOCK_WIDTH:
        extra = (g.BLOCK_WIDTH - total) / columns
        return [want + extra for want in wants]
    # Shrink the wide columns, keeping narrow ones whole where possible.
    fair = g.BLOCK_WIDTH / columns
    narrow = [want for want in wants if want <= fair]
    wide_total = sum(want for want in wants if want > fair)
    room = g.BLOCK_WIDTH - sum(narrow)
    return [want if want <= fair else want * room / wide_total for want in wants]


@lru_cache(maxsize=64)
def _advance_cached(font: str, size: float, tc: float) -> Callable[[str], float]:
    cache: dict[str, float] = {}

    def advance(text: str) -> float:
        total = 0.0
        for char in text:
            width = cache.get(char)
            if width is None:
                width = cache[char] = pdfmetrics.stringWidth(char, font, size) + tc
            total += width
        return total

    return advance


def _advance(fonts: FontSet, role: Role, size: float, tc: float) -> Callable[[str], float]:
    return _advance_cached(fonts.name(role), size, tc)
