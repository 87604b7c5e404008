"""Search results for a terminal (Rich)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from gazette.exceptions import BadInputError
from gazette.search.backend import Hit, SearchResult, Sort
from gazette.search.snippets import Snippet

#: `gazette search --sort` values.
SORT_OPTIONS: dict[str, Sort] = {"relevance": "relevance", "date": "date_asc", "-date": "date_desc"}
_FACET_LABELS = {"issuer": "机关 issuer", "doc_type": "类型 type", "year": "年份 year"}


def parse_sort(value: str) -> Sort:
    sort = SORT_OPTIONS.get(value)
    if sort is None:
        raise BadInputError(f"--sort takes {', '.join(SORT_OPTIONS)}, not {value!r}")
    return sort


def snippet_text(snippet: Snippet) -> Text:
    """The snippet with its matches styled, built from spans (never parsed as markup)."""
    text = Text()
    for number, fragment in enumerate(snippet.fragments):
        if number or fragment.cut_before:
            text.append(" … " if number else "…", style="dim")
        cursor = 0
        for start, end in fragment.marks:
            text.append(fragment.text[cursor:start])
            text.append(fragment.text[start:end], style="bold yellow")
            cursor = end
        text.append(fragment.text[cursor:])
    if snippet.fragments and snippet.fragments[-1].cut_after:
        text.append("…", style="dim")
    return text


def _hit(rank: int, hit: Hit) -> RenderableType:
    head = Text(f"{rank:>3}. ", style="dim")
    head.append(hit.title, style="bold")
    meta = " · ".join(filter(None, [hit.doc_number, hit.date_written, "、".join(hit.issuer), hit.id if hit.id != hit.doc_number else None]))
    body = Text("     ")
    body.append_text(snippet_text(hit.snippet))
    return Group(head, Text("     " + meta, style="cyan"), body, Text())


def result_view(result: SearchResult, page: int, limit: int) -> RenderableType:
    """Hits with highlighted snippets, then the count and the facets."""
    first = (page - 1) * limit + 1
    parts: list[RenderableType] = [_hit(first + i, hit) for i, hit in enumerate(result.hits)]
    shown = f"{first}–{first + len(result.hits) - 1} of " if result.hits else "none of "
    parts.append(Text(f"{shown}{result.total} documents", style="bold"))
    for name, counts in result.facets.items():
        if counts:
            line = Text(f"{_FACET_LABELS.get(name, name)}: ", style="dim")
            line.append("  ".join(f"{key} ({count})" for key, count in counts.items()))
            parts.append(line)
    return Group(*parts)
