"""The fast backend: tantivy (Rust), fed the very tokens `analysis` gives Whoosh.

Text fields receive the terms of `analysis.bigrams` / `latin_words` joined by
spaces under tantivy's `whitespace` tokenizer, which numbers them 0, 1, 2, … as
`BigramTokenizer` does: both backends index the same terms at the same positions.
(Terms hold no spaces: folding keeps only letters and digits.) `PreTokenizedString`
would say the same but costs a Python object per term, 4× slower. Facets come from
tantivy's terms aggregation over fast fields.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import tantivy

from gazette.search import plan
from gazette.search.analysis import analyse
from gazette.search.backend import (
    FACET_SIZE,
    INDEX_FORMAT,
    IndexDamagedError,
    IndexRecord,
    RawHit,
    RawResult,
    SearchBackend,
    Sort,
    count_facets,
)

_HEAP = 128 * 1024 * 1024
_BULK_HEAP = 512 * 1024 * 1024
# Facet buckets asked of each aggregation before the shared cut to FACET_SIZE (keeps ties exact).
_AGG_SIZE = FACET_SIZE * 10


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("doc_number", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name="whitespace")
    builder.add_text_field("body", tokenizer_name="whitespace")
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("issuer", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("doc_type", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("date", indexed=True, fast=True)
    # A year as text: tantivy counts terms by their ordinals, faster than integer values.
    builder.add_text_field("year", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


_Prepared = tuple[str, str, str, str, str, tuple[str, ...], str, int, bytes]


def _prepare(record: IndexRecord) -> _Prepared:
    """The field values of a record as tantivy takes them (the analysis: pure Python)."""
    title, title_words = analyse(record.title)
    body, body_words = analyse(record.body)
    return (
        record.id,
        record.doc_number,
        title,
        body,
        " ".join(title_words + body_words),
        record.issuers,
        record.doc_type,
        record.date,
        record.payload,
    )


def _document(prepared: _Prepared) -> tantivy.Document:
    doc_id, doc_number, title, body, words, issuers, doc_type, date, payload = prepared
    doc = tantivy.Document()
    doc.add_text("id", doc_id)
    doc.add_text("doc_number", doc_number)
    doc.add_text("title", title)
    doc.add_text("body", body)
    doc.add_text("words", words)
    for issuer in issuers:
        doc.add_text("issuer", issuer)
    doc.add_text("doc_type", doc_type)
    doc.add_integer("date", date)
    doc.add_text("year", str(date // 10000) if date else "")
    doc.add_bytes("payload", payload)
    return doc


def _is_panic(error: BaseException) -> bool:
    """A Rust panic inside tantivy surfaces as pyo3's `PanicException`, a `BaseException`."""
    return type(error).__name__ == "PanicException"


class TantivyBackend(SearchBackend):
    name = "tantivy"
    index_format = INDEX_FORMAT + 1  # the year a text fast field

    def __init__(self, index_dir: Any, *, lock_timeout: float = 120.0) -> None:
        super().__init__(index_dir, lock_timeout=lock_timeout)
        self._schema = _schema()
        self._opened: tantivy.Index | None = None
        # (the commit's stamp, a searcher on it), replaced whole: threads that search at the
        # same time each take one reference and never see a half-made pair.
        self._reader: tuple[tuple[int, int, int], tantivy.Searcher] | None = None
        self._opening = threading.Lock()  # opening and reloading only; searches take no lock
        self._facet_threads: ThreadPoolExecutor | None = None

    # -- writing ---------------------------------------------------------------------

    def _create(self) -> None:
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.index_dir.mkdir(parents=True)
        tantivy.Index(self._schema, path=str(self.index_dir), reuse=False)

    @contextlib.contextmanager
    def _writer(self, heap: int, threads: int) -> Iterator[tantivy.IndexWriter]:
        """A writer committed when the block succeeds, rolled back otherwise; a Rust panic is damage."""
        writer = self._index().writer(heap, threads)
        try:
            yield writer
            writer.commit()
        except BaseException as error:
            writer.rollback()
            if _is_panic(error):
                raise IndexDamagedError(self.index_dir, f"tantivy panicked: {_first_line(error)}") from None
            raise
        finally:
            writer.wait_merging_threads()  # releases tantivy's own writer lock

    def _write(self, records: list[IndexRecord], delete_ids: list[str]) -> None:
        with self._writer(_HEAP, 1) as writer:
            for doc_id in [*delete_ids, *(record.id for record in records)]:
                writer.delete_documents_by_term("id", doc_id)
            for record in records:
                writer.add_document(_document(_prepare(record)))

    def _bulk_load(self, records: Iterator[IndexRecord]) -> None:
        # The text is analysed in this thread while tantivy's own threads index: worker
        # processes for the analysis cost more CPU (pickling records out and terms back)
        # than they save, and the indexing threads are the larger half of the work.
        with self._writer(_BULK_HEAP, 2) as writer:
            for record in records:
                writer.add_document(_document(_prepare(record)))

    # -- reading ---------------------------------------------------------------------

    def _index(self) -> tantivy.Index:
        opened = self._opened
        if opened is None:
            with self._opening:
                opened = self._opened
                if opened is None:
                    self._check_marker()
                    try:
                        opened = self._opened = tantivy.Index.open(str(self.index_dir))
                    except BaseException as error:
                        if isinstance(error, (OSError, ValueError)) or _is_panic(error):
                            raise IndexDamagedError(self.index_dir, _first_line(error)) from None
                        raise
        return opened

    def _current(self) -> tantivy.Searcher:
        """A searcher on the latest commit: reloaded only when `meta.json` (rewritten by every
        commit, by this process or another) has changed since the last one. A searcher is
        thread-safe and stays on its commit, so a search that took the old one finishes on it."""
        index = self._index()
        try:
            meta = (self.index_dir / "meta.json").stat()
            generation = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
        except OSError as error:
            raise IndexDamagedError(self.index_dir, _first_line(error)) from None
        reader = self._reader
        if reader is not None and reader[0] == generation:
            return reader[1]
        with self._opening:
            reader = self._reader
            if reader is None or reader[0] != generation:
                index.reload()
                reader = self._reader = (generation, index.searcher())
        return reader[1]

    def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult:
        with self._reading():
            searcher = self._current()
            compiled = self._compile(query)
            # Facets are aggregated in another thread (tantivy lets go of the GIL) while this
            # one finds the top hits and the caller makes their snippets. The total then
            # comes from the aggregation, so the search counts nothing and may skip
            # documents that cannot make the top (block-max WAND).
            pending = self._aggregator().submit(self._facets, searcher, compiled) if facets else None
            if sort == "relevance":
                found = searcher.search(compiled, limit, count=not facets, offset=offset)
            else:
                order = tantivy.Order.Asc if sort == "date_asc" else tantivy.Order.Desc
                found = searcher.search(
                    compiled, limit, count=not facets, order_by_field="date", offset=offset, order=order
                )
            hits = []
            for key, address in found.hits:
                stored = searcher.doc(address)
                score = float(key) if sort == "relevance" else 0.0
                hits.append(RawHit(stored["id"][0], score, bytes(stored["payload"][0])))
        if pending is None:
            # `count` is there when the search asked to count; tantivy's stubs leave it out.
            return RawResult(getattr(found, "count", None) or 0, tuple(hits), {})
        return RawResult(0, tuple(hits), {}, counted=lambda: self._waited(pending))

    def _waited(self, pending: Future[tuple[int, dict[str, dict[str, int]]]]) -> tuple[int, dict[str, dict[str, int]]]:
        with self._reading():
            return pending.result()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """OS and value errors and Rust panics while reading mean a damaged index."""
        try:
            yield
        except BaseException as error:
            if isinstance(error, (OSError, ValueError)) or _is_panic(error):
                self.close()
                raise IndexDamagedError(self.index_dir, _first_line(error)) from None
            raise

    def _aggregator(self) -> ThreadPoolExecutor:
        threads = self._facet_threads
        if threads is None:
            with self._opening:
                threads = self._facet_threads
                if threads is None:
                    # One aggregation per core at a time, for searches made in several threads.
                    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
                    threads = self._facet_threads = ThreadPoolExecutor(
                        max_workers=max(1, workers or 1), thread_name_prefix="tantivy-facets"
                    )
        return threads

    def _facets(self, searcher: tantivy.Searcher, compiled: tantivy.Query) -> tuple[int, dict[str, dict[str, int]]]:
        """The number of matches and their facet counts, from one aggregation. Every document
        has one year ("" when undated), so the year buckets and what they leave out add up to
        the matches."""
        spec = {name: {"terms": {"field": name, "size": _AGG_SIZE}} for name in ("issuer", "doc_type", "year")}
        result = searcher.aggregate(compiled, spec)
        years = result["year"]
        total = sum(bucket["doc_count"] for bucket in years["buckets"]) + years.get("sum_other_doc_count", 0)
        counts = count_facets(
            {name: ((bucket["key"], bucket["doc_count"]) for bucket in result[name]["buckets"]) for name in spec}
        )
        return int(total), counts

    def _compile(self, prim: plan.Prim) -> tantivy.Query:
        schema = self._schema
        Query = tantivy.Query
        if isinstance(prim, plan.Term):
            return _boosted(Query.term_query(schema, prim.field, prim.text), prim.boost)
        if isinstance(prim, plan.Phrase):
            # Only the covering terms, at their offsets: the same documents, fewer postings read.
            words: list[str | tuple[int, str]] = [
                (offset, prim.terms[offset]) for offset in plan.cover_offsets(len(prim.terms))
            ]
            return _boosted(Query.phrase_query(schema, prim.field, words), prim.boost)
        if isinstance(prim, plan.Prefix):
            # A prefix automaton (edit distance 0): the same terms and constant score as
            # `regex_query(prefix + ".*")`, without its ~1 ms of regex compilation.
            return Query.fuzzy_term_query(schema, prim.field, prim.prefix, distance=0, prefix=True)
        if isinstance(prim, plan.Range):
            return Query.range_query(schema, prim.field, tantivy.FieldType.Integer, prim.low, prim.high)
        if isinstance(prim, plan.All):
            return Query.all_query()
        clauses = [(tantivy.Occur.Must, self._compile(item)) for item in prim.must]
        clauses += [(tantivy.Occur.Should, self._compile(item)) for item in prim.should]
        clauses += [(tantivy.Occur.MustNot, self._compile(item)) for item in prim.must_not]
        return Query.boolean_query(clauses) if prim.must or prim.should else Query.empty_query()

    def _count(self) -> int:
        return int(self._current().num_docs)

    def _ids(self) -> set[str]:
        searcher = self._current()
        found = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs), count=False)
        return {searcher.doc(address)["id"][0] for _, address in found.hits}

    def close(self) -> None:
        self._opened = None
        self._reader = None


def _first_line(error: BaseException) -> str:
    lines = str(error).splitlines()
    return lines[0] if lines else type(error).__name__


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)
