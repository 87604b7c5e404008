"""The default backend: Whoosh (pure Python), with the bigram analysis of `analysis`.

The index is a stock Whoosh index (stock field types and codec, written by Whoosh's own
writers) of the tokens `analysis` makes. Queries are evaluated a segment at a time with
numpy (`whoosh_eval`): the total, the top hits, the date order and the facets come from
one boolean array of the matching documents, never from `groupedby` (which, given a
limit, scores every match) nor from a posting-by-posting walk of the query's matchers.
Importing this module changes nothing in the `whoosh` package.
"""

from __future__ import annotations

import itertools
import os
import pickle
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import whoosh.index
from whoosh import columns, fields
from whoosh.searching import Searcher

from gazette.search import plan
from gazette.search.backend import (
    INDEX_FORMAT,
    IndexDamagedError,
    IndexRecord,
    RawHit,
    RawResult,
    SearchBackend,
    Sort,
    count_facets,
)
from gazette.search.whoosh_analysis import BigramTokenizer, LatinWordTokenizer
from gazette.search.whoosh_eval import Evaluator

# What a damaged Whoosh index raises on open or read.
_DAMAGE = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    whoosh.index.IndexError,
)
# A rebuild larger than this is indexed by several processes.
_PARALLEL_FROM = 5000
# The posting pool of a (sub-)writer, in MB (Whoosh's `limitmb`): past it Whoosh sorts a run of
# postings to disk and merges the runs at the end, which makes a large rebuild much slower.
_POOL_MB = 2048
_SEPARATOR = "\x1f"


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        doc_number=fields.ID(),
        title=fields.TEXT(analyzer=BigramTokenizer(), phrase=True),
        body=fields.TEXT(analyzer=BigramTokenizer(), phrase=True),
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
    """Every document's facet values as codes into a list of labels, read once per searcher
    (counted with `numpy.bincount` over the matching documents)."""

    issuers: list[str]
    issuer_docs: np.ndarray  # one entry per (document, issuer): the docnum …
    issuer_codes: np.ndarray  # … and the issuer's index in `issuers`
    doc_types: list[str]
    doc_type_codes: np.ndarray  # per docnum
    years: list[int]
    year_codes: np.ndarray  # per docnum

    @classmethod
    def read(cls, reader: Any, dates: np.ndarray) -> _Columns:
        issuers: dict[str, int] = {}
        issuer_docs: list[int] = []
        issuer_codes: list[int] = []
        for docnum, value in enumerate(_column(reader, "facet_issuer")):
            for issuer in value.decode("utf-8").split(_SEPARATOR) if value else ():
                issuer_docs.append(docnum)
                issuer_codes.append(issuers.setdefault(issuer, len(issuers)))
        doc_types: dict[str, int] = {}
        doc_type_codes = [
            doc_types.setdefault(value.decode("utf-8"), len(doc_types)) for value in _column(reader, "facet_type")
        ]
        years, year_codes = np.unique(dates // 10000, return_inverse=True)
        return cls(
            list(issuers),
            np.array(issuer_docs, dtype=np.int64),
            np.array(issuer_codes, dtype=np.int64),
            list(doc_types),
            np.array(doc_type_codes, dtype=np.int64),
            years.tolist(),
            year_codes.reshape(-1).astype(np.int64),
        )


def _column(reader: Any, fieldname: str) -> Any:
    """A column's values by docnum (none in an index without documents, whose reader has no columns)."""
    return reader.column_reader(fieldname) if reader.doc_count_all() else ()


class WhooshBackend(SearchBackend):
    name = "whoosh"
    # +2: positions in Whoosh's own format (an index of format +1 stored them in one of ours)
    index_format = INDEX_FORMAT + 2

    def __init__(self, index_dir: Any, *, lock_timeout: float = 120.0, procs: int | None = None) -> None:
        super().__init__(index_dir, lock_timeout=lock_timeout)
        self.procs = procs or min(4, os.cpu_count() or 1)
        self._open: _Open | None = None
        # Whoosh's readers share file positions and a reload closes the old searcher: one
        # search at a time per backend object (tantivy's searchers need no such lock).
        self._reading = threading.Lock()

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
        options: dict[str, Any] = {"limitmb": _POOL_MB}
        if len(head) == _PARALLEL_FROM and self.procs > 1:
            # One segment per sub-writer, not merged into one at the end (a merge rewrites every posting).
            options |= {"procs": self.procs, "multisegment": True}
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

    def _current(self) -> _Open:
        """A searcher on the latest commit with what has been read through it, kept between queries."""
        if self._open is not None and not self._open.searcher.up_to_date():
            self.close()  # (`Searcher.refresh` can hand back a reader of the old generation)
        if self._open is None:
            self._open = _Open(self._index().searcher())
        return self._open

    def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult:
        with self._reading:
            return self._search_alone(query, sort, offset, limit, facets)

    def _search_alone(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult:
        try:
            current = self._current()
            if sort == "relevance":
                mask, top = current.evaluator.top(query, offset + limit)
                hits = tuple(self._hit(current.searcher, docnum, score) for score, docnum in top[offset:])
            else:
                mask, docnums = current.evaluator.by_column(query, "date", offset + limit, reverse=sort == "date_desc")
                hits = tuple(self._hit(current.searcher, docnum, 0.0) for docnum in docnums[offset:])
            counts = current.facets(mask) if facets else {}
        except _DAMAGE as error:
            self.close()
            raise IndexDamagedError(self.index_dir, f"{type(error).__name__}: {error}") from None
        return RawResult(int(np.count_nonzero(mask)), hits, counts)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float) -> RawHit:
        stored = searcher.stored_fields(docnum)
        return RawHit(stored["id"], float(score), stored["payload"])

    def _count(self) -> int:
        with self._index().searcher() as searcher:
            count: int = searcher.doc_count()
            return count

    def _ids(self) -> set[str]:
        with self._index().searcher() as searcher:
            return {fields_["id"] for fields_ in searcher.all_stored_fields()}

    def close(self) -> None:
        if self._open is not None:
            self._open.searcher.close()
        self._open = None


class _Open:
    """An open searcher, its evaluator and its facet columns (read at the first query that counts facets)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.evaluator = Evaluator(searcher)
        self._columns: _Columns | None = None

    def facets(self, mask: np.ndarray) -> dict[str, dict[str, int]]:
        if self._columns is None:
            self._columns = _Columns.read(self.searcher.reader(), self.evaluator.column("date"))
        cols = self._columns
        counted = {
            "issuer": np.bincount(cols.issuer_codes[mask[cols.issuer_docs]], minlength=len(cols.issuers)),
            "doc_type": np.bincount(cols.doc_type_codes[mask], minlength=len(cols.doc_types)),
            "year": np.bincount(cols.year_codes[mask], minlength=len(cols.years)),
        }
        labels: dict[str, list[Any]] = {"issuer": cols.issuers, "doc_type": cols.doc_types, "year": cols.years}
        return count_facets(
            {
                name: [(labels[name][code], n) for code, n in enumerate(counts.tolist()) if n]
                for name, counts in counted.items()
            }
        )
