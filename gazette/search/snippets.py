"""Snippets: up to three ~80-character fragments of a body around the query's matches.

Made from the stored text, not by a backend, so both backends give the same
snippets. A snippet is neutral data (fragments with marked spans); `render`
turns it into `<mark>` HTML for JSON and the web, or `[…]` for a terminal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from gazette.chars import HAN
from gazette.search.analysis import fold_with_offsets

FRAGMENTS = 3
WIDTH = 80
# How much text to keep before the first match of a fragment.
LEAD = 20
# Matches looked for per string: enough to fill three fragments.
_MAX_MATCHES = 30
_HAN = re.compile(f"[{HAN}]+")


@dataclass(frozen=True)
class Fragment:
    text: str
    marks: tuple[tuple[int, int], ...]  # [start, end) spans of `text` to highlight
    cut_before: bool = False
    cut_after: bool = False


@dataclass(frozen=True)
class Snippet:
    fragments: tuple[Fragment, ...] = ()

    def render(self, open_mark: str, close_mark: str, *, escape: Callable[[str], str] = str, gap: str = " … ") -> str:
        """Fragments joined by `gap`, each match between `open_mark` and `close_mark`."""
        parts = []
        for fragment in self.fragments:
            pieces, cursor = [], 0
            for start, end in fragment.marks:
                pieces += [escape(fragment.text[cursor:start]), open_mark, escape(fragment.text[start:end]), close_mark]
                cursor = end
            pieces.append(escape(fragment.text[cursor:]))
            parts.append("".join(pieces))
        if not parts:
            return ""
        lead = "…" if self.fragments[0].cut_before else ""
        tail = "…" if self.fragments[-1].cut_after else ""
        return lead + gap.join(parts) + tail

    def html(self) -> str:
        """The snippet with matches in `<mark>`, the text HTML-escaped (the JSON and web form)."""
        return self.render("<mark>", "</mark>", escape=html.escape)


def make_snippet(text: str, needles: list[tuple[str, bool]]) -> Snippet:
    """Fragments of `text` around the folded strings of `needles`; a string flagged as matching
    by parts (an unquoted query) and not found whole is looked for in its bigrams."""
    spans = _merge(sorted(_plain_spans(text, needles) or _spans(*fold_with_offsets(text), needles)))
    if not spans:
        return Snippet((_fragment(text, 0, min(len(text), WIDTH), ()),)) if text else Snippet()
    fragments: list[Fragment] = []
    index = 0
    while index < len(spans) and len(fragments) < FRAGMENTS:
        start = max(0, spans[index][0] - LEAD)
        end = min(len(text), start + WIDTH)
        inside = []
        while index < len(spans) and spans[index][0] < end:
            inside.append((spans[index][0] - start, min(spans[index][1], end) - start))
            index += 1
        fragments.append(_fragment(text, start, end, tuple(inside)))
    return Snippet(tuple(fragments))


def _plain_spans(text: str, needles: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    """The matches of strings of Han characters found in ``text`` as it is, when each string
    is (simplified text, the usual hit: folding would change nothing there); else none,
    and the text is folded. A match broken by a line or punctuation is then not marked,
    one of the others is."""
    found: list[tuple[int, int]] = []
    for needle, _ in dict.fromkeys(needles):
        hits = _find(text, needle) if _HAN.fullmatch(needle) else []
        if not hits:
            return []
        found += [(start, start + length) for start, length in hits]
    return found


def _spans(folded: str, offsets: list[int], needles: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for needle, by_parts in dict.fromkeys(needles):
        hits = _find(folded, needle)
        if not hits and by_parts and len(needle) > 2:
            hits = [hit for i in range(len(needle) - 1) for hit in _find(folded, needle[i : i + 2])]
        found += [(offsets[hit], offsets[hit + length - 1] + 1) for hit, length in hits]
    return found


def _find(folded: str, needle: str) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    position = folded.find(needle) if needle else -1
    while position >= 0 and len(hits) < _MAX_MATCHES:
        hits.append((position, len(needle)))
        position = folded.find(needle, position + len(needle))
    return hits


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _fragment(text: str, start: int, end: int, marks: tuple[tuple[int, int], ...]) -> Fragment:
    # Line breaks and tabs become spaces (same length, so marks keep their places).
    piece = text[start:end].replace("\n", " ").replace("\t", " ")
    return Fragment(piece, marks, cut_before=start > 0, cut_after=end < len(text))
