"""Rows onto pages of 22 grid lines: page breaks, rows kept together, the 版记 at the foot.

A page is a tuple of items placed on it (`publish.typeset`); page numbers and running
heads are added by the layouts that know them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from publish import geometry as g
from publish.typeset import Item, Row, shift


@dataclass(frozen=True)
class Page:
    items: tuple[Item, ...]
    used: int = 0  # grid lines used by the flow


def paginate(
    rows: Sequence[Row],
    *,
    first_line: int = 0,
    first_items: Sequence[Item] = (),
    foot: Sequence[Row] = (),
) -> list[Page]:
    """Place ``rows`` from line ``first_line`` of the first page (which already holds
    ``first_items``); ``foot`` rows (the 版记) end on the last line of the last page."""
    pages: list[list[Item]] = [list(first_items)]
    line = first_line
    k = 0
    while k < len(rows):
        row = rows[k]
        if row.new_page and (line > 0 or pages[-1]):
            pages.append([])
            line = 0
        if row.at_line is not None and line <= row.at_line:
            line = row.at_line
        group = _kept_group(rows, k)
        if line > 0 and line + group > g.LINES and group <= g.LINES:
            pages.append([])
            line = 0
        if line == 0 and not row.items and not row.new_page and row.at_line is None:
            k += 1  # a blank line never opens a page
            continue
        if line + row.lines > g.LINES and line > 0:
            pages.append([])
            line = 0
        pages[-1].extend(shift(item, g.line_top(line)) for item in row.items)
        line += row.lines
        k += 1
    used = [g.LINES] * (len(pages) - 1) + [line]
    if foot:
        height = sum(row.lines for row in foot)
        if used[-1] + height > g.LINES:
            pages.append([])
            used.append(0)
        at = g.LINES - height
        for row in foot:
            pages[-1].extend(shift(item, g.line_top(at)) for item in row.items)
            at += row.lines
    return [Page(tuple(items), n) for items, n in zip(pages, used, strict=False)]


def _kept_group(rows: Sequence[Row], k: int) -> int:
    """Lines of row ``k`` and the rows it is kept with."""
    total = rows[k].lines
    while rows[k].keep and k + 1 < len(rows) and not rows[k + 1].new_page:
        k += 1
        total += rows[k].lines
    return total
