"""Chinese line breaking (避头尾): where a paragraph's lines end, by widths on the grid.

Rules, as Word and GB/T 9704 practice apply them:

- no line starts with a closing or pausing mark ``，。、；：？！）》」』〕】…`` (nor ``”’〉］｝％``);
- no line ends with an opening mark ``（《「『〔【`` (nor ``“‘〈［｛``);
- ``……`` and ``——`` stay whole, and a run of Latin letters and digits (``2019``, ``APP``,
  ``3.5``) is never split unless it alone is wider than a line;
- otherwise a line may end between any two characters.

A break that would start a line with a forbidden mark takes characters back from the
line before (it becomes shorter and is justified); it never lets a line overflow, so a
full line of Han characters holds exactly the grid's 28.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

NO_START = frozenset("，。、；：？！）》」』〕】…,.;:?!)]}”’〉］｝％%‰")
NO_END = frozenset("（《「『〔【“‘〈［｛([{")

# Units that are never split: doubled marks, and runs of Latin letters and digits.
_UNIT = re.compile(r"……|——|[0-9A-Za-z]+(?:[.:/][0-9A-Za-z]+)*|.", re.DOTALL)
_EPSILON = 0.01

Advance = Callable[[str], float]


@dataclass(frozen=True)
class Line:
    """One broken line: its text, its width (sum of advances), and whether it ends the paragraph."""

    text: str
    width: float
    last: bool


def units(text: str) -> list[str]:
    return _UNIT.findall(text)


def forbidden_break(before: str, after: str) -> bool:
    """True where a line may not end after ``before`` and the next start with ``after``."""
    return after[:1] in NO_START or before[-1:] in NO_END


def break_lines(
    text: str,
    advance: Advance,
    first_width: float,
    width: float | None = None,
    char_advances: Sequence[float] | None = None,
) -> list[Line]:
    """Break ``text`` into lines no wider than ``first_width`` (the first) and ``width`` (the rest).

    ``advance(s)`` is the width ``s`` takes on a line (glyph widths plus spacing);
    ``char_advances``, when given, is each character's own (text set in several fonts).
    """
    rest_width = first_width if width is None else width
    pieces = _split_oversized(units(text), advance, min(first_width, rest_width))
    if char_advances is None:
        sizes = [advance(piece) for piece in pieces]
    else:
        sizes, at = [], 0
        for piece in pieces:
            sizes.append(sum(char_advances[at : at + len(piece)]))
            at += len(piece)
    lines: list[Line] = []
    start = 0
    while start < len(pieces):
        room = first_width if not lines else rest_width
        end, used = start, 0.0
        while end < len(pieces) and used + sizes[end] <= room + _EPSILON:
            used += sizes[end]
            end += 1
        if end == start:  # nothing fits (a line narrower than one character): take one anyway
            end = start + 1
        if end < len(pieces):
            end = _legal_break(pieces, start, end)
        text_of_line = "".join(pieces[start:end])
        lines.append(Line(text_of_line, sum(sizes[start:end]), end == len(pieces)))
        start = end
    return lines


def _legal_break(pieces: Sequence[str], start: int, end: int) -> int:
    """The last break at or before ``end`` that the rules allow; ``end`` itself when none does."""
    at = end
    while at > start + 1 and forbidden_break(pieces[at - 1], pieces[at]):
        at -= 1
    return at if not forbidden_break(pieces[at - 1], pieces[at]) else end


def _split_oversized(pieces: list[str], advance: Advance, width: float) -> list[str]:
    """Units wider than a whole line (a long URL) are split into their characters."""
    out: list[str] = []
    for piece in pieces:
        if len(piece) > 1 and advance(piece) > width + _EPSILON:
            out.extend(piece)
        else:
            out.append(piece)
    return out


def balanced_lines(text: str, advance: Advance, width: float) -> list[Line]:
    """Lines for a title: as few as fit in ``width``, as even as the rules allow, longer above
    (GB/T 9704 §7.3.1: a title's lines are "梯形或菱形", symmetric and of sensible lengths)."""
    greedy = break_lines(text, advance, width)
    if len(greedy) <= 1:
        return greedy
    total = sum(line.width for line in greedy)
    target = total / len(greedy)
    step = max(advance("中"), 1.0)
    room = target
    while room < width:
        lines = break_lines(text, advance, room)
        if len(lines) <= len(greedy):
            return lines
        room += step / 4
    return greedy


def check_breaks(lines: Sequence[str]) -> list[str]:
    """The lines that break a rule: one starting with a forbidden mark, or ending with one."""
    bad = []
    for n, line in enumerate(lines):
        if n and line[:1] in NO_START:
            bad.append(f"line {n + 1} starts with {line[0]}: {line}")
        if n < len(lines) - 1 and line[-1:] in NO_END:
            bad.append(f"line {n + 1} ends with {line[-1]}: {line}")
    return bad
