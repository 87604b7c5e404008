"""Search for the portal: a request's parameters, the search over public documents only, and
what the search page, its JSON twin and its Atom feed show.

The parameters are the page's whole state, so a result can be shared by its URL::

    q       the query, in `gazette search`'s language (docs/search.md)
    issuer  type  from  to      the filters (from/to: a year, YYYY-MM or YYYY-MM-DD)
    gazette                     only documents printed in this gazette
    sort    relevance | date | -date (default: the query's own order)
    page    1, 2, …

The index holds every document that is not 不予公开; the portal's rule (`is_public_document`)
also hides 依申请公开 and withdrawn documents, so their ids are excluded inside the query
(totals and facets count public documents only), and a hit the edition does not know is dropped.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from gazette.exceptions import BadInputError
from gazette.issuers import known_issuers
from gazette.search import plan
from gazette.search import query as q
from gazette.search.backend import SearchBackend, SearchResult, Sort
from gazette.search.query import Filters
from gazette.web.edition import Edition

LIMIT = 10
MAX_QUERY = 500  # characters of ``q``
MAX_VALUE = 100  # characters of a filter
MAX_PAGE = 1000
FEED_LIMIT = 50
SORTS: dict[str, Sort] = {"relevance": "relevance", "date": "date_asc", "-date": "date_desc"}
SORT_LABELS = {"": "默认", "relevance": "相关度", "-date": "成文日期（新→旧）", "date": "成文日期（旧→新）"}
PARAMS = ("q", "issuer", "type", "from", "to", "gazette", "sort", "page")


class QueryTooLongError(BadInputError):
    pass


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    issuer: str = ""
    type: str = ""
    date_from: str = ""
    date_to: str = ""
    gazette: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchRequest:
        """The request of a URL's query parameters; a bad value raises `BadInputError` (a 400)."""
        text = params.get("q", "")
        if len(text) > MAX_QUERY:
            raise QueryTooLongError(f"查询过长：最多 {MAX_QUERY} 个字符，收到 {len(text)} 个")
        values = {name: params.get(name, "").strip() for name in ("issuer", "type", "from", "to", "gazette", "sort")}
        for name, value in values.items():
            if len(value) > MAX_VALUE:
                raise QueryTooLongError(f"参数 {name} 过长：最多 {MAX_VALUE} 个字符")
        if values["sort"] not in ("", *SORTS):
            raise BadInputError(f"排序方式只能是 relevance、date 或 -date，不是 {values['sort']!r}")
        raw_page = params.get("page", "1").strip() or "1"
        if not raw_page.isascii() or not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
            raise BadInputError(f"页码应为 1 到 {MAX_PAGE} 之间的整数，不是 {raw_page[:20]!r}")
        for name in ("from", "to"):
            if values[name]:
                q.date_range(values[name], None)  # raises BadInputError for a date that is not one
        return cls(
            text.strip(),
            values["issuer"],
            values["type"],
            values["from"],
            values["to"],
            values["gazette"],
            values["sort"],
            int(raw_page),
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The URL parameters of this request with ``changes`` (None or "" drops one); page 1 is left out."""
        current = {
            "q": self.q,
            "issuer": self.issuer,
            "type": self.type,
            "from": self.date_from,
            "to": self.date_to,
            "gazette": self.gazette,
            "sort": self.sort,
            "page": "" if self.page == 1 else str(self.page),
        }
        for name, value in changes.items():
            current[name.rstrip("_")] = "" if value is None else str(value)
        if current.get("page") == "1":
            current["page"] = ""
        return {name: current[name] for name in PARAMS if current.get(name)}

    def query_string(self, **changes: Any) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    @property
    def filters(self) -> Filters:
        return Filters(self.issuer or None, self.type or None, self.date_from or None, self.date_to or None)

    @property
    def has_filters(self) -> bool:
        return bool(self.issuer or self.type or self.date_from or self.date_to or self.gazette)

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.has_filters


@dataclass(frozen=True)
class Narrowing:
    """Which ids one search leaves out, and the only ids it may find (None: any)."""

    excluded: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None


# The narrowing of the search running in this thread or task. Searches run concurrently over one
# shared index reader, so it travels with the call, never as state on the reader.
_NARROWING: ContextVar[Narrowing | None] = ContextVar("gazette_web_narrowing", default=None)


@functools.cache
def _public_class(cls: type[SearchBackend]) -> type[SearchBackend]:
    """``cls`` with every query ANDed with the current search's `Narrowing` (see `run_search`)."""

    class Public(cls):  # type: ignore[misc,valid-type]
        def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> Any:
            narrowing = _NARROWING.get() or Narrowing()
            must: list[plan.Prim] = [query]
            if narrowing.only is not None:
                must.append(plan.Bool(should=tuple(plan.Term("id", doc_id) for doc_id in narrowing.only)))
            if narrowing.excluded or len(must) > 1:
                query = plan.Bool(
                    must=tuple(must), must_not=tuple(plan.Term("id", doc_id) for doc_id in narrowing.excluded)
                )
            return super()._search(query, sort, offset, limit, facets)

    Public.__name__ = f"Public{cls.__name__}"
    return Public


def public_backend(backend: SearchBackend) -> SearchBackend:
    """A reader over the same index as ``backend`` whose searches `run_search` narrows by id
    (safe to share between threads: the narrowing is the caller's, not the reader's)."""
    return _public_class(type(backend))(backend.index_dir)


def run_search(
    index: SearchBackend,
    edition: Edition,
    request: SearchRequest,
    *,
    limit: int = LIMIT,
    sort: Sort | None = None,
    page: int | None = None,
) -> SearchResult:
    """The request's page of hits over public documents only (the index is opened read-only
    and never rebuilt here). A bad query raises `BadInputError`, an unknown issuer or type
    `NotFoundError`."""
    node: str | q.Node = request.q if request.q else q.And(())
    if sort is None:
        sort = SORTS[request.sort] if request.sort else (None if request.q else "date_desc")
    excluded = edition.once("excluded", lambda: tuple(sorted(edition.hidden)))
    only = gazette_ids(edition, request.gazette) if request.gazette else None
    token = _NARROWING.set(Narrowing(excluded, only))
    try:
        result = index.search(node, request.filters, sort=sort, page=page or request.page, limit=limit)
    finally:
        _NARROWING.reset(token)
    known = edition.data.documents
    return replace(result, hits=tuple(hit for hit in result.hits if hit.id in known))


def gazette_ids(edition: Edition, gazette: str) -> tuple[str, ...]:
    """The public documents printed in ``gazette`` (in a stored issue, or by their own record)."""
    return edition.once("gazette_ids", lambda: _ids_by_gazette(edition)).get(gazette) or ("\x00none",)


def _ids_by_gazette(edition: Edition) -> dict[str, tuple[str, ...]]:
    """Gazette name → its public documents, made once per edition."""
    data = edition.data
    found: dict[str, list[str]] = {}
    for doc in data.documents.values():
        issue = data.issue_of.get(doc.id)
        name = issue.name if issue else (doc.gazette.name if doc.gazette else "")
        found.setdefault(name, []).append(doc.id)
    return {name: tuple(ids) for name, ids in found.items() if name}


def gazette_names(edition: Edition) -> list[str]:
    """The names of the edition's gazettes, sorted (made once per edition: it reads every document)."""
    return edition.once("gazette_names", lambda: list(edition.data.gazettes()))


def public_issuers(edition: Edition) -> list[str]:
    """Every issuer of a public document, sorted (made once per edition)."""
    return edition.once("issuers", lambda: sorted({i for doc in edition.data.documents.values() for i in doc.issuer}))


def closest_issuers(edition: Edition, typed: str) -> list[str]:
    """Up to three issuers of public documents (or of the tables of names) most like ``typed``."""
    names = list(dict.fromkeys([*public_issuers(edition), *sorted(known_issuers())]))
    return difflib.get_close_matches(typed.strip(), names, n=3, cutoff=0.3)


def result_json(result: SearchResult, request: SearchRequest, edition: Edition, base: str) -> dict[str, Any]:
    """`gazette search --json`'s shape, with the page, the pages and each hit's URL."""
    from gazette.web import urls

    record = result.to_json()
    for hit in record["hits"]:
        hit["url"] = base.rstrip("/") + urls.url_path(urls.document_page(hit["id"]))
    record["page"] = request.page
    record["pages"] = result.pages(LIMIT)
    record["query"] = request.params()
    return record
