"""Scoring recognised text against the truth of generated scans: character error rate and lost lines.

Shared by the tests and `bench/ocr.py`, so both measure the same way: NFKC on both
sides and nothing else, and a drawn line counts as lost when no recognised text on its
page holds at least half of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

_WHITESPACE = str.maketrans("", "", " \t\n\u3000")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (insertions by a running minimum)."""
    if not a or not b:
        return len(a) + len(b)
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    index = np.arange(len(b) + 1)
    row = index.copy()
    for i, char in enumerate(a, 1):
        diagonal = row[:-1] + (codes_b != ord(char))
        best = np.minimum(diagonal, row[1:] + 1)
        candidate = np.concatenate(([i], best))
        # D[j] = min over k ≤ j of candidate[k] + (j − k): insertions along the row.
        row = np.minimum.accumulate(candidate - index) + index
    return int(row[-1])


def cer(expected: str, got: str) -> float:
    """Character error rate after NFKC on both sides (line breaks and spaces are layout, not text)."""
    truth = nfkc(expected).translate(_WHITESPACE)
    seen = nfkc(got).translate(_WHITESPACE)
    return edit_distance(truth, seen) / max(len(truth), 1)


def _content(text: str) -> str:
    """Letters, digits and Han characters only: a page number's dashes are decoration, not text."""
    return "".join(char for char in nfkc(text) if unicodedata.category(char)[0] in "LN")


def lost_lines(drawn: Iterable[str], recognised: Sequence[str]) -> list[str]:
    """Drawn lines of a page of which less than half the content turns up in the page's recognised text."""
    page = _content("".join(recognised))
    lost = []
    for line in drawn:
        want = _content(line)
        if want and _best_overlap(want, page) < 0.5:
            lost.append(line)
    return lost


def _best_overlap(want: str, page: str) -> float:
    """Share of ``want`` found in order in ``page`` around its best anchor (a cheap local alignment)."""
    if want in page:
        return 1.0
    best = 0.0
    for start in range(0, len(want), max(1, len(want) // 4)):
        anchor = want[start : start + 2]
        position = page.find(anchor)
        while position >= 0:
            for shift in range(-2, 3):
                begin = max(0, position - start + shift)
                best = max(best, 1 - edit_distance(want, page[begin : begin + len(want)]) / len(want))
            position = page.find(anchor, position + 1)
    return best
