"""The default backend: Whoosh (pure Python), with the bigram analysis of `analysis`.

Facets and the total come from one unscored pass over the matching document
numbers and the index's columns, never from `groupedby` (which, given a limit,
scores every match).
"""

from __future__ import annotations

import itertools
import os
import pickle
import shutil
import struct
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import whoosh.index
from whoosh import columns, fields, formats
from whoosh import query as wq
from whoosh.searching import Searcher

from gazette.search import plan
from gazette.search.analysis import BigramTokenizer, LatinWordTokenizer, bigrams
from gazette.search.backend import (
    IndexDamagedError,
    IndexRecord,
    RawHit,
    RawResult,
    SearchBackend,
    Sort,
    count_facets,
)

# What a damaged Whoosh index raises on open or read.
_DAMAGE = (OSError, EOFError, ValueError, KeyError, IndexError, struct.error, zlib.error, pickle.UnpicklingError, whoosh.index.IndexError)
# A rebuild larger than this is indexed by several processes.
_PARALLEL_FROM = 5000
_SEPARATOR = "\x1f"


class _BigramPositions(formats.Positions):
    """Postings of `analysis.bigrams` straight from the term list: the same terms and positions
    `BigramTokenizer` gives, without a Token object per bigram (indexing runs ~2× faster)."""

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, term in enumerate(bigrams(value)):
            positions[term].append(position)
        for term, found in positions.items():
            yield term, len(found), float(len(found)), self.encode(found)


def _text_field() -> fields.TEXT:
    field = fields.TEXT(analyzer=BigramTokenizer(), phrase=True)
    field.format = _BigramPositions()
    return field


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        doc_number=fields.ID(),
        title=_text_field(),
        body=_text_field(),
        words=fields.TEXT(analyzer=LatinWordTokenizer(), phrase=False),
        issuer=fields.KEYWORD(lowercase=False, scorable=False),
        doc_type=fields.ID(),
        date=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
        facet_issuer=fields.COLUMN(columns.VarBytesColumn()),
        facet_type=fields.COLUMN(columns.VarBytesColumn()),
        payload=fields.STORED(),
    )


def _fields(record: IndexRecord) -> dict[str, Any]:
    # Folded issuer values hold no spaces, so a KEYWORD field splits them back apart.
    return {
        "id": record.id,
        "doc_number": record.doc_number,
        "title": record.title,
        "body": record.body,
        "words": record.title + "\n" + record.body,
        "issuer": " ".join(record.issuers),
        "doc_type": record.doc_type,
        "date": record.date,
        "facet_issuer": _SEPARATOR.join(record.issuers).encode("utf-8"),
        "facet_type": record.doc_type.encode("utf-8"),
        "payload": record.payload,
    }


@dataclass(frozen=True)
class _Columns:
    """Every document's facet values, read once per searcher generation."""

    issuers: list[list[str]]
    doc_types: list[str]
    years: list[int]


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, index_dir: Any, *, lock_timeout: float = 120.0, procs: int | None = None) -> None:
        super().__init__(index_dir, lock_timeout=lock_timeout)
        self.procs = procs or min(4, os.cpu_count() or 1)
        self._searcher: Searcher | None = None
        self._columns: _Columns | None = None

    # -- writing ---------------------------------------------------------------------

    def _create(self) -> None:
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.index_dir.mkdir(parents=True)
        whoosh.index.create_in(str(self.index_dir), _schema())

    def _write(self, records: list[IndexRecord], delete_ids: list[str]) -> None:
        writer = self._index().writer()
        try:
            for doc_id in delete_ids:
                writer.delete_by_term("id", doc_id)
            for record in records:
                writer.update_document(**_fields(record))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _bulk_load(self, records: Iterator[IndexRecord]) -> None:
        head = list(itertools.islice(records, _PARALLEL_FROM))
        parallel = len(head) == _PARALLEL_FROM and self.procs > 1
        options: dict[str, Any] = {"procs": self.procs, "multisegment": True, "limitmb": 256} if parallel else {}
        writer = self._index().writer(**options)
        try:
            for record in itertools.chain(head, records):
                writer.add_document(**_fields(record))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    # -- reading ---------------------------------------------------------------------

    def _index(self) -> whoosh.index.Index:
        self._check_marker()
        try:
            return whoosh.index.open_dir(str(self.index_dir))
        except _DAMAGE as error:
            raise IndexDamagedError(self.index_dir, f"{type(error).__name__}: {error}") from None

    def _current(self) -> Searcher:
        """A searcher on the latest commit, kept open between queries (and its columns with it)."""
        if self._searcher is not None and not self._searcher.up_to_date():
            self.close()  # (`Searcher.refresh` can hand back a reader of the old generation)
        if self._searcher is None:
            self._searcher = self._index().searcher()
        return self._searcher

    def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult:
        try:
            searcher = self._current()
            compiled = _compile(query)
            if sort == "relevance":
                results = searcher.search(compiled, limit=offset + limit, terms=False)
            else:
                results = searcher.search(compiled, limit=offset + limit, sortedby="date", reverse=sort == "date_desc")
            scored = sort == "relevance"
            hits = tuple(
                RawHit(hit["id"], float(hit.score or 0.0) if scored else 0.0, hit["payload"])
                for hit in results[offset : offset + limit]
            )
            matching = list(searcher.docs_for_query(compiled))  # unscored
            counts = self._facets(searcher, matching) if facets else {}
        except _DAMAGE as error:
            self.close()
            raise IndexDamagedError(self.index_dir, f"{type(error).__name__}: {error}") from None
        return RawResult(len(matching), hits, counts)

    def _facets(self, searcher: Searcher, docnums: list[int]) -> dict[str, dict[str, int]]:
        if self._columns is None:
            reader = searcher.reader()
            self._columns = _Columns(
                issuers=[value.decode("utf-8").split(_SEPARATOR) if value else [] for value in reader.column_reader("facet_issuer")],
                doc_types=[value.decode("utf-8") for value in reader.column_reader("facet_type")],
                years=[date // 10000 for date in reader.column_reader("date")],
            )
        cols = self._columns
        issuers: Counter[str] = Counter()
        for docnum in docnums:
            issuers.update(cols.issuers[docnum])
        doc_types = Counter(cols.doc_types[docnum] for docnum in docnums)
        years = Counter(cols.years[docnum] for docnum in docnums)
        return count_facets({"issuer": issuers.items(), "doc_type": doc_types.items(), "year": years.items()})

    def _count(self) -> int:
        with self._index().searcher() as searcher:
            return searcher.doc_count()

    def _ids(self) -> set[str]:
        with self._index().searcher() as searcher:
            return {fields_["id"] for fields_ in searcher.all_stored_fields()}

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._columns = None


def _compile(prim: plan.Prim) -> wq.Query:
    if isinstance(prim, plan.Term):
        return wq.Term(prim.field, prim.text, boost=prim.boost)
    if isinstance(prim, plan.Phrase):
        return wq.Phrase(prim.field, list(prim.terms), boost=prim.boost)
    if isinstance(prim, plan.Prefix):
        return wq.Prefix(prim.field, prim.prefix)
    if isinstance(prim, plan.Range):
        return wq.NumericRange(prim.field, prim.low, prim.high)
    if isinstance(prim, plan.All):
        return wq.Every()
    if not prim.must:
        compiled: wq.Query = wq.Or([_compile(item) for item in prim.should]) if prim.should else wq.NullQuery
    else:
        compiled = wq.And([_compile(item) for item in prim.must])
        if prim.should:
            compiled = wq.AndMaybe(compiled, wq.Or([_compile(item) for item in prim.should]))
    if prim.must_not:
        compiled = wq.AndNot(compiled, wq.Or([_compile(item) for item in prim.must_not]))
    return compiled
