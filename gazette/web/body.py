"""A document's body as the parts a page shows: headings by level, paragraphs, lists, tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gazette.model import Block

#: The HTML heading of each body heading level: the title is <h1>, 一、 <h2>, （一） <h3> …
_FIRST_HEADING = 2
_LAST_HEADING = 6


@dataclass(frozen=True)
class Part:
    """One thing a page shows: ``kind`` is heading (``level`` is its <hN>), paragraph, items
    (``items`` of consecutive list items), table (``rows``, the first row its header when
    there are more), attachment or note."""

    kind: str
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def heading_tag(level: int) -> int:
    """The <hN> of a body heading of ``level`` (1–4; 0 for 第N条-style headings)."""
    return min(_FIRST_HEADING + max(level, 1) - 1, _LAST_HEADING)


def body_parts(blocks: Iterable[Block]) -> Iterator[Part]:
    """The parts of a body in order; consecutive list items make one list."""
    items: list[str] = []
    for block in blocks:
        if block.kind == "list_item":
            items.append(block.text)
            continue
        if items:
            yield Part("items", items=tuple(items))
            items = []
        if block.kind == "heading":
            yield Part("heading", block.text, level=heading_tag(block.level))
        elif block.kind == "table":
            rows = block.rows or tuple(tuple(line.split("\t")) for line in block.text.split("\n") if line)
            yield Part("table", rows=rows)
        elif block.kind in ("attachment", "note"):
            yield Part(block.kind, block.text)
        else:
            yield Part("paragraph", block.text)
    if items:
        yield Part("items", items=tuple(items))


def block_json(block: Block) -> dict[str, object]:
    """A body block for a JSON twin."""
    record: dict[str, object] = {"kind": block.kind, "text": block.text}
    if block.kind == "heading":
        record["level"] = block.level
    if block.rows:
        record["rows"] = [list(row) for row in block.rows]
    return record
