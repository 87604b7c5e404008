"""Text analysis shared by every backend: folding, character bigrams, Latin words.

Han text has no spaces, so the index holds overlapping character bigrams with
positions: a string of n ≥ 2 characters is then the phrase of its n−1 bigrams, and
any exact substring is found by a phrase query. Before that, text is *folded*:
NFKC (full-width ↔ half-width), traditional → simplified, lower case, and every
character that is neither a letter nor a digit (punctuation, spaces, line breaks)
dropped. Dropping them makes the bigram stream run across `阳光政 务`, across a
sentence broken at a page break and across the brackets of a 文号, so
`粤办函[2016]629号` and `粤办函〔2016〕629号` give the same stream.

The last character of a stream is also emitted on its own, so that every
character starts some token and a one-character query is a prefix query.

Both backends index the token lists made here (Whoosh through the tokenizers of
`whoosh_analysis`, tantivy as pre-tokenised strings), so they match the same documents.
This module imports no backend: a tantivy archive never loads Whoosh.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from functools import cache

from gazette.simplified import t2s_table as _t2s_table

_DROP = re.compile(r"[\W_]+")
_LATIN_WORD = re.compile(r"[0-9a-z]+")
# Runs of anything but CJK Unified Ideographs (not `gazette.chars.HAN`: compatibility
# ideographs do change under NFKC). Those ideographs are stable under NFKC
# (unchanged, never composed with a neighbour), so normalising only the runs between
# them gives exactly `normalize("NFKC", text)` at a fraction of the cost on Chinese text.
_NOT_IDEOGRAPH = re.compile(r"[^\u4e00-\u9fff]+")
_SPACE = " ".encode("utf-32-le")


@cache
def _fold_table() -> list[int | str]:
    """`_t2s_table` plus each full-width ASCII form and the ideographic space mapped to its
    NFKC form (what makes most law texts not NFKC-normal), as a list indexed by code point:
    `str.translate` looks each character up in a list without the KeyError a dict raises for
    every character it lacks (2× faster; ~7 MB).

    Mapping a character to its compatibility decomposition leaves the text's NFKC unchanged,
    and t2s maps ideographs to ideographs, which NFKC neither changes nor composes; so when
    the translated text is NFKC-normal it is exactly the text's NFKC, t2s-folded."""
    mapped = dict(_t2s_table())
    for code in [*range(0xFF01, 0xFF5F), 0x3000]:
        mapped[code] = unicodedata.normalize("NFKD", chr(code))
    table: list[int | str] = list(range(max(mapped) + 1))
    for code, folded in mapped.items():
        table[code] = folded
    return table


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    return _NOT_IDEOGRAPH.sub(_nfkc_run, text)


def _nfkc_run(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match[0])


def fold(text: str) -> str:
    """NFKC, traditional → simplified, lower case; punctuation and spaces kept."""
    folded = text.translate(_fold_table())
    if not unicodedata.is_normalized("NFKC", folded):  # rare (Ⅱ, ①, ㎡, ﹕…): fold the whole way
        folded = _nfkc(text).translate(_t2s_table())
    return folded.lower()


def stream(text: str) -> str:
    """The folded text with everything but letters and digits removed: what bigrams run over."""
    return _DROP.sub("", fold(text))


@functools.lru_cache(maxsize=4096)
def fold_value(value: str) -> str:
    """A keyword value (issuer, type) as indexed and as matched by a filter (few distinct: cached)."""
    return stream(value)


def bigrams(text: str) -> list[str]:
    """The terms of `text`: its overlapping bigrams, then its last character alone.

    Term i sits at position i, so a phrase of consecutive terms is a contiguous string.
    """
    chars = stream(text)
    if not chars:
        return []
    return [chars[i : i + 2] for i in range(len(chars) - 1)] + [chars[-1]]


def analyse(text: str) -> tuple[str, list[str]]:
    """`(" ".join(bigrams(text)), latin_words(text))`, folding `text` once (what tantivy indexing calls)."""
    folded = fold(text)
    return _joined_bigrams(_DROP.sub("", folded)), _LATIN_WORD.findall(folded)


def _joined_bigrams(chars: str) -> str:
    """The bigrams of a stream and its last character, separated by spaces, built by copying
    4-byte code points in C (a Python string per bigram costs ~3× more)."""
    if len(chars) < 2:
        return chars
    codes = memoryview(chars.encode("utf-32-le")).cast("I")
    # Rows of three code points, "c[i] c[i+1] space"; the last row, c[-1] alone, loses its padding.
    rows = bytearray(_SPACE * (3 * len(codes)))
    cells = memoryview(rows).cast("I")
    cells[0::3] = codes
    cells[1:-3:3] = codes[1:]
    return rows[: -len(_SPACE) * 2].decode("utf-32-le")


def phrase_terms(text: str) -> list[str]:
    """The consecutive bigrams a query string must match (one term when it has one character)."""
    chars = stream(text)
    if len(chars) < 2:
        return [chars] if chars else []
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def latin_words(text: str) -> list[str]:
    """Runs of ASCII letters and digits (after folding), indexed as whole words."""
    return _LATIN_WORD.findall(fold(text))


def is_latin_word(text: str) -> bool:
    return _LATIN_WORD.fullmatch(stream(text)) is not None


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`stream(text)` plus, for each of its characters, the offset in `text` it came from.

    Used to place highlights in a few hits, never to index. When folding keeps every
    character in place (NFKC leaves the text as it is, the table maps one character to
    one, lower case changes no length and there is no Σ, whose lower case depends on
    context), the whole text is folded at once; otherwise character by character (each
    character's folding cached: law texts are rarely NFKC-normal, for their full-width
    punctuation).
    """
    table = _t2s_table()
    if unicodedata.is_normalized("NFKC", text) and "Σ" not in text:
        lowered = text.translate(table).lower()
        if len(lowered) == len(text):
            offsets = [offset for offset, char in enumerate(lowered) if char.isalnum()]
            return "".join([lowered[offset] for offset in offsets]), offsets
    pieces = list(map(_CHAR_FOLD.__getitem__, text))
    chars = "".join(pieces)
    offsets = [offset for offset, piece in enumerate(pieces) if piece]
    if len(offsets) != len(chars):  # some character folded to several
        offsets = [offset for offset, piece in enumerate(pieces) for _ in piece]
    return chars, offsets


class _CharFold(dict[str, str]):
    """A character → its folded letters and digits ('' for punctuation; rarely several), each
    worked out on first use: what `fold_with_offsets` does character by character."""

    def __missing__(self, char: str) -> str:
        folded = "".join(c for c in unicodedata.normalize("NFKC", char).translate(_t2s_table()).lower() if c.isalnum())
        self[char] = folded
        return folded


_CHAR_FOLD = _CharFold()
