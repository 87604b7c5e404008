"""Traditional → simplified characters, one character for one (opencc's t2s character table).

The one home of this folding: the search analysis folds the index and the queries with
it, and the 文号 rules fold a printed 文号 (`國辦函〔2006〕71號`) before reading it.
Every entry maps one ideograph to one ideograph, so folding keeps a string's length and
a span found in folded text is valid in the original.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def t2s_table() -> dict[int, str]:
    """opencc's own t2s character table, applied with `str.translate`.

    `OpenCC('t2s').convert` (pure Python, phrase-aware) costs ~5 µs a character,
    too slow to index 100,000 documents; character-level folding is enough for
    search and for 文号 because the same table folds both sides of every comparison.
    """
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        if len(traditional) == 1 and simplified:
            target = simplified.split()[0]
            if target != traditional:
                table[ord(traditional)] = target
    return table


@cache
def _t2s_list() -> list[int | str]:
    """`t2s_table` as a list indexed by code point: `str.translate` then finds each character
    without the KeyError a dict raises for every one it lacks (2× faster on Chinese text)."""
    table = t2s_table()
    listed: list[int | str] = list(range(max(table) + 1))
    for code, simplified in table.items():
        listed[code] = simplified
    return listed


def to_simplified(text: str) -> str:
    """``text`` with traditional characters as simplified ones; same length as ``text``."""
    return text.translate(_t2s_list())
