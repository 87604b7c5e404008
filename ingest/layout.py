"""Lines of pages → paragraphs in reading order, whatever made the lines (text layer or OCR).

1. `reading_order`: a recursive XY-cut over the line fragments of a page. A vertical
   gutter splits columns (and a red header's issuers from the ``文件`` beside them)
   before horizontal gaps split bands, so columns are never interleaved; row-aligned
   cells form table rows joined by tabs.
2. `strip_furniture`: page numbers (``— 12 —``, ``·12·``, ``- 3 -``) and running heads
   (the same words at the top or bottom of several pages) are removed.
3. `paragraphs`: lines join into paragraphs by geometry: a two-character indent or a
   short previous line starts a new one; a line that fills its column continues on the
   next line or page. Centred and right-aligned lines (titles, 文号, dates) stand alone.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from gazette.model import Box
from gazette.numerals import normalise_width
from ingest.normalize import remove_spaces_in_han_text
from ingest.types import Line, PageText

Align = Literal["left", "center", "right"]

# A vertical gutter at least this many characters wide may separate columns.
_GUTTER = 0.9
# Boxes shrink by this share of their height before horizontal gaps are sought, so
# lines that touch (tall red headers) still separate.
_SHRINK = 0.15
# Horizontal gaps within this share of the widest are cut together.
_WIDEST_GAPS = 0.8
# Side-by-side groups with this share of rows in line are table cells, not columns.
_ALIGNED_ROWS = 0.5
# Two lines are on one row when their centres are this close (share of their height).
_ROW = 0.35
# Columns of running text have at least this many rows and lines this many characters wide.
_TEXT_COLUMN_ROWS = 3
_TEXT_COLUMN_CHARS = 6.0
# A top row this much taller than the median line is a heading over the columns below.
_HEADING_SIZE = 1.2
# Paragraph geometry, in characters of the line's size.
_INDENT = 1.2
_SHORT = 1.2
_CENTRE_TOLERANCE = 1.0
_PAGE_NUMBER = re.compile(r"^[\s—–－\-·•.．]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?[\s—–－\-·•.．]*$")
_NUMBER_ENDS = re.compile(r"^[0-9０-９—–－\-·•.．|｜第页]+|[0-9０-９—–－\-·•.．|｜第页]+$")
_MARGIN = 0.125


@dataclass(frozen=True)
class PlacedLine:
    """A line in reading order with the column it sits in (x0, x1 of that column)."""

    line: Line
    column: tuple[float, float]
    page_height: float = 0.0


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or title, 文号, date…) of running text, with where it was printed.

    ``size`` is the font size or line height (0 when unknown, as in a saved web page);
    ``indent`` is the first line's indent in characters; ``lines`` the printed lines.
    """

    text: str
    page: int
    size: float = 0.0
    color: str = "black"
    align: Align = "left"
    indent: float = 0.0
    lines: tuple[str, ...] = ()
    boxes: tuple[Box, ...] = ()


# -- 1. reading order ----------------------------------------------------------------


def reading_order(page: PageText) -> list[PlacedLine]:
    """The page's lines in reading order: columns one after another, table rows with tab-separated cells."""
    lines = [line for line in page.lines if line.text.strip()]
    if not lines:
        return []
    return [replace(placed, page_height=page.height) for placed in _cut(lines, _column_of(lines))]


def _cut(lines: list[Line], column: tuple[float, float]) -> list[PlacedLine]:
    if len(lines) == 1:
        return [PlacedLine(lines[0], column)]
    size = statistics.median(_height(line) for line in lines)
    groups = _split(lines, lambda l: (l.box.x0, l.box.x1), _GUTTER * size)
    if len(groups) > 1:
        heading = _heading(lines, groups, size)
        if heading:
            rest = [line for line in lines if all(line is not top for top in heading)]
            return [_table_row(heading, column), *_cut(rest, _column_of(rest))]
        if _are_columns(groups, size):
            return [placed for group in groups for placed in _cut(group, _column_of(group))]
        return [_table_row(row, column) for row in _rows(lines)]
    bands = _bands(lines)
    if len(bands) > 1:
        return [placed for band in bands for placed in _cut(band, column)]
    return [_table_row(row, column) for row in _rows(lines)]


def _heading(lines: list[Line], groups: list[list[Line]], size: float) -> list[Line]:
    """The top row when its type is larger than the rest and it lies over more than one of
    the side-by-side groups (目　　录 spread over two columns of contents, its characters
    apart): a heading over the groups below, read before them. A title at the top of one
    column is not."""
    top = _rows(lines)[0]
    over = sum(any(any(line is member for member in group) for line in top) for group in groups)
    if over > 1 and len(top) < len(lines) and all(_height(line) > _HEADING_SIZE * size for line in top):
        return top
    return []


def _split(lines: list[Line], span, min_gap: float) -> list[list[Line]]:
    """Groups of lines separated by gaps wider than ``min_gap`` along one axis, in order."""
    ordered = sorted(lines, key=lambda line: span(line)[0])
    groups: list[list[Line]] = [[ordered[0]]]
    reach = span(ordered[0])[1]
    for line in ordered[1:]:
        start, end = span(line)
        if start - reach > min_gap:
            groups.append([])
        groups[-1].append(line)
        reach = max(reach, end)
    return groups


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Cut across at the widest horizontal gaps only: a wider gap above two columns is cut
    first, so the columns below meet the vertical cut before their rows are separated."""
    ordered = sorted(lines, key=lambda l: l.box.y0 + _SHRINK * _height(l))
    gaps: list[float] = []
    reach = ordered[0].box.y1 - _SHRINK * _height(ordered[0])
    for line in ordered[1:]:
        gaps.append(line.box.y0 + _SHRINK * _height(line) - reach)
        reach = max(reach, line.box.y1 - _SHRINK * _height(line))
    widest = max(gaps, default=0.0)
    if widest <= 0:
        return [lines]
    bands: list[list[Line]] = [[ordered[0]]]
    for line, gap in zip(ordered[1:], gaps, strict=False):
        if gap >= _WIDEST_GAPS * widest:
            bands.append([])
        bands[-1].append(line)
    return bands


def _are_columns(groups: list[list[Line]], size: float) -> bool:
    """Side-by-side groups are columns unless their rows line up (then they are table cells or one row)
    or no line of one sits beside a line of the next (a note after the date, left of the
    signature above it, with the page number below both)."""
    if not all(_beside(left, right) for left, right in itertools.pairwise(groups)):
        return False
    row_sets = [_rows(group) for group in groups]
    aligned = all(_rows_align(a, b) for a, b in itertools.pairwise(row_sets))
    if not aligned:
        return True
    # Two columns of running text set on one grid align too: many rows of long lines.
    return len(groups) == 2 and all(
        len(rows) >= _TEXT_COLUMN_ROWS and statistics.median(_width(row) for row in rows) >= _TEXT_COLUMN_CHARS * size
        for rows in row_sets
    )


def _beside(left: list[Line], right: list[Line]) -> bool:
    """Whether a line of `left` and one of `right` share height (boxes shrunk as for bands:
    OCR pads them, so stacked lines may touch)."""
    return any(
        min(a.box.y1 - _SHRINK * _height(a), b.box.y1 - _SHRINK * _height(b))
        > max(a.box.y0 + _SHRINK * _height(a), b.box.y0 + _SHRINK * _height(b))
        for a in left
        for b in right
    )


def _rows_align(left: list[list[Line]], right: list[list[Line]]) -> bool:
    """Most rows of the shorter side sit on a row of the other (a wrapped cell or a running
    head may not): the sides are cells of one table or list, not columns."""
    shorter, longer = sorted((left, right), key=len)
    centres = [_centre(row[0]) for row in longer]
    matched = sum(1 for row in shorter if any(abs(_centre(row[0]) - c) < _ROW * _height(row[0]) for c in centres))
    return matched >= _ALIGNED_ROWS * len(shorter)


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows by their centres, top to bottom; each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=_centre):
        if rows and abs(_centre(rows[-1][0]) - _centre(line)) < _ROW * max(_height(line), _height(rows[-1][0])):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.box.x0) for row in rows]


def _table_row(row: list[Line], column: tuple[float, float]) -> PlacedLine:
    if len(row) == 1:
        return PlacedLine(row[0], column)
    first = row[0]
    box = Box(
        first.box.page,
        min(l.box.x0 for l in row),
        min(l.box.y0 for l in row),
        max(l.box.x1 for l in row),
        max(l.box.y1 for l in row),
    )
    line = replace(
        first,
        text="\t".join(line.text for line in row),
        box=box,
        confidence=min(line.confidence for line in row),
    )
    return PlacedLine(line, column)


def _column_of(lines: Sequence[Line]) -> tuple[float, float]:
    """A column's left and right edges: where most lines start and end, not the outliers."""
    starts = sorted(line.box.x0 for line in lines)
    ends = sorted(line.box.x1 for line in lines)
    return starts[len(starts) // 10], ends[(len(ends) * 9) // 10]


def _height(line: Line) -> float:
    return max(line.box.y1 - line.box.y0, 1.0)


def _width(row: list[Line]) -> float:
    return max(line.box.x1 for line in row) - min(line.box.x0 for line in row)


def _centre(line: Line) -> float:
    return (line.box.y0 + line.box.y1) / 2


# -- 2. page furniture ---------------------------------------------------------------


def strip_furniture(pages: Sequence[list[PlacedLine]]) -> tuple[list[list[PlacedLine]], dict[int, int]]:
    """Remove page numbers and running heads: the first or last lines of a page that are a
    page number, or whose words (digits aside) stand first or last on another page too.
    Also returns the printed page number of each page that has one (contents cite them)."""
    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({_furniture_key(placed.line.text) for placed in _edge_lines(lines) if _in_margin(placed)})
    cleaned: list[list[PlacedLine]] = []
    labels: dict[int, int] = {}
    for lines in pages:
        drop = set()
        for placed in _edge_lines(lines):
            text = placed.line.text
            if _PAGE_NUMBER.match(text):
                labels[placed.line.box.page] = int(re.sub(r"\D", "", normalise_width(text)))
                drop.add(id(placed))
            elif _in_margin(placed) and edges[_furniture_key(text)] > 1:
                drop.add(id(placed))
        cleaned.append([placed for placed in lines if id(placed) not in drop])
    return cleaned, labels


def _edge_lines(lines: list[PlacedLine]) -> list[PlacedLine]:
    """The lines above and below everything else on the page (two at each end at most)."""
    if not lines:
        return []
    by_top = sorted(lines, key=lambda placed: placed.line.box.y0)
    return by_top[:2] + by_top[-2:] if len(by_top) > 4 else by_top


def _in_margin(placed: PlacedLine) -> bool:
    """Above or below the text block: running heads sit in the page's outer eighth."""
    box, height = placed.line.box, placed.page_height
    return box.y0 < _MARGIN * height or box.y1 > (1 - _MARGIN) * height


def _furniture_key(text: str) -> str:
    """A running head's words without the page number at either end (dates inside stay distinct)."""
    return _NUMBER_ENDS.sub("", re.sub(r"\s+", "", text))


# -- 3. paragraphs -------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """A file's paragraphs in reading order, and the printed page number of each page (by page index)."""

    paragraphs: tuple[Paragraph, ...]
    page_labels: dict[int, int]


def page_paragraphs(pages: Sequence[PageText]) -> Flow:
    """Paragraphs in reading order over all pages, furniture removed and broken paragraphs joined."""
    placed, labels = strip_furniture([reading_order(page) for page in pages])
    return Flow(tuple(paragraphs([line for page in placed for line in page])), labels)


def paragraphs(lines: Sequence[PlacedLine]) -> list[Paragraph]:
    """Join placed lines into paragraphs by indent, line ends, size, colour and alignment."""
    out: list[Paragraph] = []
    previous: PlacedLine | None = None
    body_size = _body_size(lines)
    for placed in lines:
        line = placed.line
        text = remove_spaces_in_han_text(line.text.strip())
        if not text:
            continue
        align, indent = _alignment(placed)
        if previous is not None and out and _continues(previous, placed, align, indent, body_size):
            last = out[-1]
            out[-1] = replace(last, text=last.text + text, lines=last.lines + (text,), boxes=last.boxes + (line.box,))
        else:
            out.append(
                Paragraph(
                    text, line.box.page, line.size or _height(line), line.color, align, indent, (text,), (line.box,)
                )
            )
        previous = placed
    return out


def _alignment(placed: PlacedLine) -> tuple[Align, float]:
    line, (left, right) = placed.line, placed.column
    char = line.size or _height(line)
    indent = max(0.0, (line.box.x0 - left) / char)
    right_gap = (right - line.box.x1) / char
    if indent > _INDENT and abs(indent - right_gap) < _CENTRE_TOLERANCE:
        return "center", indent
    if indent > 4 and line.box.x1 > right - _SHORT * char:
        return "right", indent
    return "left", indent


def _body_size(lines: Sequence[PlacedLine]) -> float:
    """The size most characters are set in: body text."""
    sizes: Counter[float] = Counter()
    for placed in lines:
        sizes[round(placed.line.size or _height(placed.line))] += len(placed.line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _continues(previous: PlacedLine, placed: PlacedLine, align: Align, indent: float, body_size: float) -> bool:
    """Whether ``placed`` continues the paragraph that ``previous`` ended: body text only, since
    titles and red headers are read line by line (a multi-line title is joined by the metadata step)."""
    before, line = previous.line, placed.line
    if align != "left" or _alignment(previous)[0] != "left" or "\t" in line.text or "\t" in before.text:
        return False
    if abs(round(line.size or _height(line)) - body_size) > 0.1 * body_size:
        return False
    if line.color != before.color or abs((line.size or 1) - (before.size or 1)) > 0.1 * max(line.size, 1):
        return False
    char = line.size or _height(line)
    filled = before.box.x1 >= previous.column[1] - _SHORT * char
    return filled and indent < _INDENT
