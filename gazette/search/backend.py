"""The search backend interface, the records both backends index, and the registry.

`SearchBackend` does the shared work once: only public documents become records
(不予公开 is filtered here and nowhere else), writes hold the index lock, queries are
parsed, resolved against what the index holds (is `国办函` a 机关代字 here?), and lowered
(`plan`), hits get their snippets, and an empty result caused by an issuer or type the
archive has never heard of says which ones are closest. A backend implements the
`_`-prefixed methods over its library.
"""

from __future__ import annotations

import difflib
import json
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gazette.doctypes import DOC_TYPES
from gazette.exceptions import ArchiveDamagedError, BadInputError, NotFoundError
from gazette.fsutil import atomic_write, exclusive_lock
from gazette.issuers import is_known_issuer, known_issuers
from gazette.model import Document
from gazette.search import plan
from gazette.search import query as q
from gazette.search.analysis import fold_value
from gazette.search.snippets import Snippet, make_snippet

Sort = Literal["relevance", "date_asc", "date_desc"]
SORTS: tuple[Sort, ...] = ("relevance", "date_asc", "date_desc")
FACETS = ("issuer", "doc_type", "year")
# Buckets kept per facet, most frequent first.
FACET_SIZE = 20
# How many known names an unknown issuer or type is shown.
CLOSEST = 3
# Bumped whenever the analysis or the way backends store the fields change: an older index is then rebuilt.
INDEX_FORMAT = 1
# The version of what is indexed: the fields of `IndexRecord` and how `record_for` derives them
# from a `Document`. Bumped by hand when that changes, because the archive's XML does not: an
# incremental `gazette index` would never read the documents again, and an index of an older
# version is rebuilt instead (tests/gazette/search/test_index_version.py fails until it is bumped).
# 2: the year derived from the 文号 (`Document.year`) in the year filter and facet.
INDEX_CONTENT = 2
_MARKER = "gazette-index.json"
# Which archive file (and its SHA-256) each indexed document came from: what an
# incremental `gazette index` compares with the archive's manifest.
_SOURCES = "gazette-sources.json"


class IndexDamagedError(ArchiveDamagedError):
    """The index cannot be opened or read; it can be rebuilt from the archive."""

    def __init__(self, index_dir: Path, reason: str) -> None:
        super().__init__(self._message(reason), path=str(index_dir))

    @staticmethod
    def _message(reason: str) -> str:
        return f"the search index is damaged ({reason}); run `gazette index --rebuild`"


class IndexOutdatedError(IndexDamagedError):
    """The index was made by another version of gazette (`SearchBackend.outdated`): it reads, but
    not as this version indexes. Whatever rebuilds a damaged index rebuilds it too."""

    @staticmethod
    def _message(reason: str) -> str:
        return f"the search index was made by another version of gazette ({reason}); run `gazette index`"


@dataclass(frozen=True)
class IndexRecord:
    """What a backend stores for one document: analysed fields plus the payload shown in hits."""

    id: str
    title: str  # analysed by `analysis.bigrams` / `analysis.latin_words` in each backend
    body: str
    doc_number: str
    issuers: tuple[str, ...]
    doc_type: str
    date: int  # YYYYMMDD; 0 when the document has no 成文日期
    payload: bytes


@dataclass(frozen=True)
class RawHit:
    id: str
    score: float
    payload: bytes


@dataclass(frozen=True)
class RawResult:
    total: int
    hits: tuple[RawHit, ...]
    facets: dict[str, dict[str, int]]
    # The total and facets when they are still being counted (in another thread while the
    # hits' snippets are made): called once, after the hits.
    counted: Callable[[], tuple[int, dict[str, dict[str, int]]]] | None = None


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    title: str
    doc_number: str | None
    date_written: str | None
    issuer: tuple[str, ...]
    snippet: Snippet

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "doc_number": self.doc_number,
            "date_written": self.date_written,
            "issuer": list(self.issuer),
            "snippet": self.snippet.html(),
        }


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [hit.to_json() for hit in self.hits], "facets": self.facets}

    def pages(self, limit: int) -> int:
        """How many pages of `limit` hits the result fills."""
        return -(-self.total // limit)


def _index_date(doc: Document) -> int:
    """YYYYMMDD of the 成文日期; YYYY0000 for a year derived from the 文号 (found by a year
    filter and counted in the year facet, never by a filter on days); 0 when undated."""
    if doc.date_written:
        return int(doc.date_written.replace("-", ""))
    return doc.year * 10000 if doc.year else 0


def record_for(doc: Document) -> IndexRecord:
    """The record of a public document (pure)."""
    text = doc.text  # (joined from the blocks at every access)
    payload = {
        "title": doc.title,
        "doc_number": doc.doc_number,
        "date_written": doc.date_written,
        "issuer": list(doc.issuer),
        "text": text,
    }
    date = _index_date(doc)
    return IndexRecord(
        id=doc.id,
        title=doc.title,
        body=text,
        doc_number=doc.doc_number or "",
        issuers=tuple(dict.fromkeys(fold_value(issuer) for issuer in doc.issuer)),
        doc_type=fold_value(doc.doc_type or ""),
        date=date,
        payload=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
    )


def count_facets(values: dict[str, Iterable[Any]]) -> dict[str, dict[str, int]]:
    """Top `FACET_SIZE` buckets per facet from raw counts, most frequent first, ties by key."""
    return {
        name: dict(
            sorted(((str(key), int(n)) for key, n in counts if key not in ("", None, 0)), key=_bucket_order)[
                :FACET_SIZE
            ]
        )
        for name, counts in values.items()
    }


def _bucket_order(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


class SearchBackend(ABC):
    """One index in `index_dir`. Reading needs no lock; every write holds `<index_dir>.lock`."""

    name: str = ""
    # `INDEX_FORMAT`, plus what the backend's own storage has changed since (its indexes are rebuilt too)
    index_format: int = INDEX_FORMAT

    def __init__(self, index_dir: Path, *, lock_timeout: float = 120.0) -> None:
        self.index_dir = Path(index_dir)
        self.lock_path = self.index_dir.with_name(self.index_dir.name + ".lock")
        self.lock_timeout = lock_timeout

    # -- the interface -------------------------------------------------------------

    def exists(self) -> bool:
        return (self.index_dir / _MARKER).is_file()

    def update(self, documents: Iterable[Document], *, sources: Any = None) -> int:
        """Add or replace documents; a document that is not public is removed instead. Returns how many were indexed.

        `sources` is recorded with the change (see `sources()`); by default they are forgotten,
        as the index then holds documents they do not describe."""
        with self._locked():
            self._ensure()
            latest = {doc.id: doc for doc in documents}  # the last version of an id wins
            records = [record_for(doc) for doc in latest.values() if doc.is_public]
            self._write(records, [doc.id for doc in latest.values() if not doc.is_public])
            if sources is not _KEEP:
                self._write_sources(sources)
        return len(records)

    def delete(self, ids: Iterable[str], *, sources: Any = None) -> None:
        with self._locked():
            self._ensure()
            self._write([], list(ids))
            if sources is not _KEEP:
                self._write_sources(sources)

    def rebuild(self, documents: Iterable[Document]) -> int:
        """A fresh index of `documents`, built beside the old one and swapped in when complete."""
        with self._locked():
            return self._rebuild(documents)

    def refresh(self, documents: Iterable[Document]) -> int | None:
        """`rebuild` when the index is missing or `outdated`, as found under the lock (of the
        processes that find it so at once, one rebuilds); None when it was current."""
        with self._locked():
            if self.exists() and self.outdated() is None:
                return None
            return self._rebuild(documents)

    def _rebuild(self, documents: Iterable[Document]) -> int:
        building = self.index_dir.with_name(f".{self.index_dir.name}.building")
        shutil.rmtree(building, ignore_errors=True)
        fresh = type(self)(building)
        fresh._ensure()
        counted = _Counted(record_for(doc) for doc in documents if doc.is_public)
        fresh._bulk_load(counted)
        fresh.close()
        self.close()
        old = self.index_dir.with_name(f".{self.index_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.index_dir.exists():
            self.index_dir.rename(old)
        building.rename(self.index_dir)
        shutil.rmtree(old, ignore_errors=True)
        return counted.count

    def search(
        self,
        query: str | q.Node,
        filters: q.Filters = q.Filters(),
        *,
        sort: Sort | None = None,
        page: int = 1,
        limit: int = 10,
        facets: bool = True,
    ) -> SearchResult:
        """One page of hits, the total and the facets. `sort` None is the query's own order:
        newest first for a 文号 prefix (`国办函`), else relevance.

        A page past the end has no hits and the total; an empty result whose issuer or type
        filter names nothing the archive or the tables know raises `NotFoundError` naming
        the closest known ones."""
        if sort is not None and sort not in SORTS:
            raise BadInputError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        if page < 1 or limit < 1:
            raise BadInputError("page and limit must be 1 or more")
        node = q.parse_query(query) if isinstance(query, str) else query
        if not self.exists():
            raise IndexDamagedError(self.index_dir, "no index here")
        node = self._resolved(node)
        if sort is None:
            sort = "date_desc" if q.is_prefix_query(node) else "relevance"
        node = q.with_filters(node, filters)
        raw = self._search(plan.lower(node), sort, (page - 1) * limit, limit, facets)
        needles = q.highlight_strings(node)
        hits = tuple(_hit(hit, needles) for hit in raw.hits)
        total, counts = raw.counted() if raw.counted else (raw.total, raw.facets)
        if total == 0:
            self._check_keywords(node)
        return SearchResult(total, hits, counts)

    def _resolved(self, node: q.Node) -> q.Node:
        """A word that only looks like a 机关代字 (`国办函`, `国办函〔2006〕`, alone or beside filters)
        as the prefix of the 文号 that start with it when the index holds one, else as its
        words: a word is taken for a code only where documents carry that code."""
        if isinstance(node, q.And):
            return q.And(tuple(self._resolved(item) for item in node.items))
        if not isinstance(node, q.DocNumberPrefix) or node.fallback is None:
            return node
        prefix = q.DocNumberPrefix(node.prefix)
        return prefix if self._holds(plan.lower(prefix)) else node.fallback

    def _holds(self, prim: plan.Prim) -> bool:
        """Whether any document matches (the total only: no facets, one hit)."""
        return self._search(prim, "relevance", 0, 1, False).total > 0

    def _check_keywords(self, node: q.Node) -> None:
        """Raise `NotFoundError` for an issuer or type filter that no document carries and the
        tables do not know either (a typo, or a name shortened beyond the aliases)."""
        for keyword in q.keywords(node):
            if keyword.field not in ("issuer", "doc_type") or _is_known(keyword):
                continue
            if self._holds(plan.lower(keyword)):
                continue
            label = {"issuer": "issuer", "doc_type": "document type"}[keyword.field]
            closest = _closest(keyword.value, self._known_values(keyword.field))
            hint = f"; the closest known: {', '.join(closest)}" if closest else ""
            raise NotFoundError(
                f"unknown {label} {keyword.value!r}: no document has it and no table of names lists it{hint}"
            )

    def _known_values(self, field: str) -> list[str]:
        """The values of a keyword field that the archive holds most (its facets) and the tables know."""
        raw = self._search(plan.All(), "relevance", 0, 1, True)
        _, counts = raw.counted() if raw.counted else (raw.total, raw.facets)
        tables = sorted(known_issuers()) if field == "issuer" else list(DOC_TYPES)
        return list(dict.fromkeys([*counts.get(field, {}), *tables]))

    def sources(self) -> dict[str, tuple[str, str]] | None:
        """``{archive path: (sha256, document id)}`` of what the index holds, or None when unknown
        (an index made before sources were recorded, or by `update` with no source given)."""
        try:
            raw = json.loads((self.index_dir / _SOURCES).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict):
            return None
        return {
            path: (entry[0], entry[1]) for path, entry in raw.items() if isinstance(entry, list) and len(entry) == 2
        }

    def set_sources(self, sources: dict[str, tuple[str, str]] | None) -> None:
        """Record `sources` (None forgets them: the next incremental update compares everything)."""
        with self._locked():
            self._write_sources(sources)

    def _write_sources(self, sources: dict[str, tuple[str, str]] | None) -> None:
        path = self.index_dir / _SOURCES
        if sources is None:
            path.unlink(missing_ok=True)
        elif self.index_dir.is_dir():
            atomic_write(
                path,
                json.dumps({key: list(value) for key, value in sources.items()}, ensure_ascii=False).encode("utf-8"),
            )

    def count(self) -> int:
        return self._count() if self.exists() else 0

    def ids(self) -> set[str]:
        return self._ids() if self.exists() else set()

    def close(self) -> None:  # noqa: B027  (a backend with nothing open has nothing to let go of)
        """Let go of open files and readers (a later call reopens)."""

    # -- what a backend implements ---------------------------------------------------

    @abstractmethod
    def _create(self) -> None:
        """Make an empty index in `index_dir` (which may not exist)."""

    @abstractmethod
    def _write(self, records: list[IndexRecord], delete_ids: list[str]) -> None:
        """Replace documents by id, delete others, and commit."""

    @abstractmethod
    def _bulk_load(self, records: Iterator[IndexRecord]) -> None:
        """Add every record to a new, empty index in one writer, and commit."""

    @abstractmethod
    def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult: ...

    @abstractmethod
    def _count(self) -> int: ...

    @abstractmethod
    def _ids(self) -> set[str]: ...

    # -- shared helpers ----------------------------------------------------------------

    def _ensure(self) -> None:
        if not self.exists():
            self._create()
            self._mark()

    def outdated(self) -> str | None:
        """Why the index is not of this version (its storage format or `INDEX_CONTENT` differ), or
        None when it is, or when there is no readable marker to tell (`_check_marker` says damaged)."""
        try:
            marker = self._marker()
        except (OSError, ValueError):
            return None
        return self._outdated(marker) if self._is_ours(marker) else None

    def _marker(self) -> Any:
        return json.loads((self.index_dir / _MARKER).read_text("utf-8"))

    def _is_ours(self, marker: Any) -> bool:
        return isinstance(marker, dict) and marker.get("backend") == self.name

    def _outdated(self, marker: dict[str, Any]) -> str | None:
        # An index made before the marker held the content version holds version 1.
        made, now = (marker.get("format"), marker.get("content", 1)), (self.index_format, INDEX_CONTENT)
        if made == now:
            return None
        return f"format {made[0]}, content {made[1]}; this version writes format {now[0]}, content {now[1]}"

    def _mark(self) -> None:
        marker = {"format": self.index_format, "content": INDEX_CONTENT, "backend": self.name}
        atomic_write(self.index_dir / _MARKER, json.dumps(marker).encode("utf-8"))

    def _check_marker(self) -> None:
        try:
            marker = self._marker()
        except (OSError, ValueError) as error:
            raise IndexDamagedError(self.index_dir, f"unreadable {_MARKER}: {error}") from None
        if not self._is_ours(marker):
            raise IndexDamagedError(self.index_dir, f"not a {self.name} index ({marker})")
        if reason := self._outdated(marker):
            raise IndexOutdatedError(self.index_dir, reason)

    def _locked(self) -> Any:
        return exclusive_lock(self.lock_path, timeout=self.lock_timeout, what="search index")


def _hit(raw: RawHit, needles: list[tuple[str, bool]]) -> Hit:
    payload = json.loads(raw.payload)
    return Hit(
        id=raw.id,
        score=raw.score,
        title=payload["title"],
        doc_number=payload["doc_number"],
        date_written=payload["date_written"],
        issuer=tuple(payload["issuer"]),
        snippet=make_snippet(payload["text"], needles),
    )


def _is_known(keyword: q.Keyword) -> bool:
    if keyword.field == "issuer":
        return is_known_issuer(keyword.value)
    return any(value in DOC_TYPES for value in plan.keyword_values(keyword))


def _closest(typed: str, known: list[str]) -> list[str]:
    """Up to `CLOSEST` known names most like `typed` (character by character: difflib)."""
    return difflib.get_close_matches(typed.strip(), known, n=CLOSEST, cutoff=0.4)


_KEEP: Any = object()  # `update(..., sources=_KEEP)` leaves the recorded sources as they are


class _Counted(Iterator[IndexRecord]):
    """An iterator that counts what it yields (a rebuild streams its records)."""

    def __init__(self, records: Iterable[IndexRecord]) -> None:
        self._records = iter(records)
        self.count = 0

    def __next__(self) -> IndexRecord:
        record = next(self._records)
        self.count += 1
        return record


_REGISTRY: dict[str, str] = {
    "whoosh": "gazette.search.whoosh_backend:WhooshBackend",
    "tantivy": "gazette.search.tantivy_backend:TantivyBackend",
}


def backend_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_backend(name: str, index_dir: Path) -> SearchBackend:
    """The backend `name` over `index_dir` (imported lazily: tantivy is an optional package)."""
    import importlib

    target = _REGISTRY.get(name)
    if target is None:
        raise BadInputError(f"no search backend {name!r}; choose one of {', '.join(_REGISTRY)}")
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        from gazette.exceptions import MissingDependencyError

        raise MissingDependencyError(
            f"the {name} search backend needs {error.name}: pip install 'gazette[{name}]'"
        ) from None
    backend: SearchBackend = getattr(module, class_name)(index_dir)
    return backend
