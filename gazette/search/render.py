"""Search results for a terminal (Rich), and what the command says when there are none."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from gazette.exceptions import BadInputError, NotFoundError
from gazette.search.backend import Hit, SearchResult, Sort
from gazette.search.query import Filters
from gazette.search.snippets import Snippet

#: `gazette search --sort` values.
SORT_OPTIONS: dict[str, Sort] = {"relevance": "relevance", "date": "date_asc", "-date": "date_desc"}
_FACET_LABELS = {"issuer": "机关 issuer", "doc_type": "类型 type", "year": "年份 year"}


def parse_sort(value: str | None) -> Sort | None:
    """A `--sort` value; None (not given) leaves the order to the query."""
    if value is None:
        return None
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
    meta = " · ".join(
        filter(
            None,
            [hit.doc_number, hit.date_written, "、".join(hit.issuer), hit.id if hit.id != hit.doc_number else None],
        )
    )
    body = Text("     ")
    body.append_text(snippet_text(hit.snippet))
    return Group(head, Text("     " + meta, style="cyan"), body, Text())


def check_page(result: SearchResult, page: int, limit: int) -> None:
    """Raise `NotFoundError` for a page past the end of a result that has hits, saying which pages exist
    (a result with no hits at all is not an error: `result_view` says so)."""
    if result.hits or not result.total:
        return
    pages = result.pages(limit)
    which = "1 page" if pages == 1 else f"pages 1–{pages}"
    raise NotFoundError(f"page {page} is past the end: {_documents(result.total)}, {which}")


def _documents(count: int) -> str:
    return "1 document" if count == 1 else f"{count} documents"


def empty_hints(query: str, filters: Filters) -> list[str]:
    """What to try when nothing matches: the filters given, a quoted phrase."""
    hints = []
    given = [
        option
        for option, value in (
            ("--issuer", filters.issuer),
            ("--type", filters.doc_type),
            ("--from", filters.date_from),
            ("--to", filters.date_to),
        )
        if value
    ]
    if given:
        one = len(given) == 1
        hints.append(
            f"{', '.join(given)} {'narrows' if one else 'narrow'} the search: try without {'it' if one else 'them'}"
        )
    if '"' in query or "“" in query:
        hints.append('a "quoted phrase" matches only that exact string: without quotes, its parts may stand apart')
    return hints


def result_view(result: SearchResult, page: int, limit: int, hints: list[str] | None = None) -> RenderableType:
    """Hits with highlighted snippets, then the count and the facets; "no documents match" and
    `hints` when there are none."""
    if not result.total:
        return Group(
            Text("no documents match", style="bold"), *(Text(f"  {hint}", style="dim") for hint in hints or ())
        )
    first = (page - 1) * limit + 1
    parts: list[RenderableType] = [_hit(first + i, hit) for i, hit in enumerate(result.hits)]
    parts.append(Text(f"{first}–{first + len(result.hits) - 1} of {result.total} documents", style="bold"))
    for name, counts in result.facets.items():
        if counts:
            line = Text(f"{_FACET_LABELS.get(name, name)}: ", style="dim")
            line.append("  ".join(f"{key} ({count})" for key, count in counts.items()))
            parts.append(line)
    return Group(*parts)
