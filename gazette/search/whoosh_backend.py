"""The default backend: Whoosh (pure Python), with the bigram analysis of `analysis`.

Relevance queries are evaluated a segment at a time with numpy (`whoosh_eval`):
the total, the top hits and the facets come from one boolean array of the matching
documents, never from `groupedby` (which, given a limit, scores every match) nor
from a posting-by-posting walk. Date-sorted queries use Whoosh's own search.
"""

from __future__ import annotations

import array
import itertools
import operator
import os
import pickle
import shutil
import struct
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import whoosh.index
import whoosh.writing
from whoosh import columns, fields, formats, matching, scoring
from whoosh import query as wq
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.searching import Searcher
from whoosh.util import make_binary_tree
from whoosh.util.numeric import length_to_byte

from gazette.search import plan, whoosh_eval
from gazette.search.analysis import BigramTokenizer, LatinWordTokenizer, bigrams
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

# What a damaged Whoosh index raises on open or read.
_DAMAGE = (OSError, EOFError, ValueError, KeyError, IndexError, struct.error, zlib.error, pickle.UnpicklingError, whoosh.index.IndexError)
# A rebuild larger than this is indexed by several processes.
_PARALLEL_FROM = 5000
# The posting pool of a (sub-)writer, in MB.
_POOL_MB = 2048
_SEPARATOR = "\x1f"
# A posting block pickled to fewer bytes than this is written uncompressed.
_COMPRESS_FROM = 256


class _BigramPositions(formats.Positions):
    """Positions stored as 4-byte little-endian integers, not as Whoosh's count and pickled
    list of gaps: copied to and from an array in C (reading positions is most of a phrase
    query's work), and 4 bytes instead of ~12 for the usual single position."""

    def encode(self, poslist: list[int]) -> bytes:
        packed = array.array(_POSITION, poslist)
        if _SWAP:
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        packed = array.array(_POSITION, valuestring)
        if _SWAP:
            packed.byteswap()
        return packed.tolist()

    def decode_many(self, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(how many positions each, every position in a row) of several postings, decoded at once."""
        counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // _POSITION_SIZE
        return counts, np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // _POSITION_SIZE

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


# A position as stored: an unsigned 4-byte integer (C's unsigned int), little-endian on disk.
_POSITION = "I"
_POSITION_SIZE = 4
_SWAP = sys.byteorder == "big"
assert array.array(_POSITION).itemsize == _POSITION_SIZE


class _CachedLengths:
    """A per-document reader whose field lengths are read once per field into a list.

    Writing a segment's postings needs the field length of every posting's document (to
    keep per-block statistics): through the length column that costs more than encoding
    the posting itself."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def field_lengths(self, fieldname: str) -> list[int]:
        """Every document's length of the field, by docnum."""
        if fieldname not in self._lengths:
            length = self._reader.doc_field_length
            self._lengths[fieldname] = [length(n, fieldname, 0) for n in range(self._reader.doc_count_all())]
        return self._lengths[fieldname]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _per_document_reader(self: whoosh.writing.SegmentWriter) -> Any:
    return _CachedLengths(_stock_per_document_reader(self))


class _TermPool(whoosh.writing.PostingPool):
    """Whoosh's posting pool, holding the postings grouped by term: adding one is a dict
    lookup and an append, and only the terms are sorted, not every posting (6 million for
    50,000 articles, ~10 s). Past its limit it spills a sorted run to disk, as Whoosh's does.
    Postings arrive in docnum order (a writer numbers documents as they come), so each term's
    list is sorted as it stands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._terms: defaultdict[tuple[str, bytes], list[tuple[int, float, bytes]]] = defaultdict(list)

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self._terms[fieldname, tbytes].append((docnum, weight, vbytes))
        self.fieldnames.add(fieldname)
        # Whoosh's estimate of a posting's size in memory
        self.currentsize += _POSTING_BYTES + len(fieldname) + 2 * len(tbytes) + len(vbytes or b"")
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        self.current = list(self._sorted())
        self._terms.clear()
        super().save()

    def items(self, maxfiles: int = 128) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        # (with runs on disk, Whoosh's `items` saves what is left through `save` and merges)
        return self._sorted() if not self.runs else super().items(maxfiles)

    def _sorted(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        for key in sorted(self._terms):
            fieldname, tbytes = key
            for docnum, weight, vbytes in self._terms[key]:
                yield fieldname, tbytes, docnum, weight, vbytes


_POSTING_BYTES = 150

# Installed once for every SegmentWriter (MpWriter's sub-writers in forked processes too).
_stock_per_document_reader = whoosh.writing.SegmentWriter.per_document_reader
whoosh.writing.SegmentWriter.per_document_reader = _per_document_reader  # type: ignore[method-assign]
whoosh.writing.PostingPool = _TermPool  # type: ignore[misc]


class _PostingsWriter(W3PostingsWriter):
    """Whoosh 3's postings writer, pickling each block with the highest protocol instead of 2.

    Under protocol 2 every position value (a bytes object) is pickled as a call to
    `codecs.encode`, and unpickling a block of 128 postings costs ~70 µs of such calls:
    most of reading a common word's postings. Any Whoosh reader reads either form."""

    def add_run(self, docnums: tuple[int, ...], weights: tuple[float, ...], values: tuple[bytes, ...], lengths: list[int]) -> None:
        """What `add_posting` does for each of a term's postings (sorted, the block buffer empty),
        a block at a time and without its per-posting checks."""
        limit = self._blocklimit
        for start in range(0, len(docnums), limit):
            if start:
                self._write_block()
            end = start + limit
            self._ids = array.array("I", docnums[start:end])
            self._weights = array.array("f", weights[start:end])
            self._values = [value for value in values[start:end] if value]
            self._maxweight = max(0, *weights[start:end])
            present = [length for length in lengths[start:end] if length]
            self._minlength = min(present, default=None)
            self._maxlength = max(present, default=0)

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
        # Small blocks (most terms have a few postings) stay uncompressed: zlib gains little there.
        comp = self._compression if len(databytes) >= _COMPRESS_FROM else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        info = (len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength), length_to_byte(self._maxlength))
        infobytes = pickle.dumps(info, 2)
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _FieldWriter(W3FieldWriter):
    """Whoosh 3's field writer, given each term's postings at once.

    Whoosh hands the sorted postings of a segment over one call (and several checks) a
    posting; here they are grouped by term and the postings writer takes a term's run in
    blocks. (Our schema has no spelling fields, whose words Whoosh sends through here too.)"""

    def add_postings(self, schema: Any, lengths: _CachedLengths, items: Iterator[tuple[str, bytes, int, float, bytes]]) -> None:
        fieldname = None
        for (field, btext), postings in itertools.groupby(items, key=_TERM):
            if field != fieldname:
                if fieldname is not None:
                    self.finish_field()
                fieldname, field_lengths = field, lengths.field_lengths(field)
                self.start_field(field, schema[field])
            _, _, docnums, weights, values = zip(*postings)
            self.start_term(btext)
            self._postwriter.add_run(docnums, weights, values, [field_lengths[docnum] for docnum in docnums])
            self.finish_term()
        if fieldname is not None:
            self.finish_field()


_TERM = operator.itemgetter(0, 1)  # (fieldname, term bytes) of a posting


class _Codec(W3Codec):
    """Whoosh 3's codec (read as such) with `_PostingsWriter` for new segments, and zlib level 1
    for posting blocks (as small as the default level 3 on this text, less CPU to write;
    uncompressed blocks made the 100,000-article index 2× larger for no measurable speed)."""

    def __init__(self, blocklimit: int = 128, compression: int = 1, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression, inlinelimit=self._inlinelimit
        )


class _BigramText(fields.TEXT):
    """A text field of `analysis.bigrams` with their positions (`_BigramPositions`).

    Its postings come straight from the term list: the same terms and positions
    `BigramTokenizer` gives, without a Token object per bigram nor Whoosh's two generators
    a term (`Format.word_values`, `FieldType.index`)."""

    def __init__(self) -> None:
        super().__init__(analyzer=BigramTokenizer(), phrase=True)
        self.format = _BigramPositions()

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, term in enumerate(bigrams(value)):
            positions[term].append(position)
        encode = self.format.encode
        return [(term.encode("utf-8"), len(found), float(len(found)), encode(found)) for term, found in positions.items()]


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        doc_number=fields.ID(),
        title=_BigramText(),
        body=_BigramText(),
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
    """Every document's facet values as codes into a list of labels, read once per searcher generation
    (counted with `numpy.bincount` over the matching documents)."""

    issuers: list[str]
    issuer_docs: np.ndarray  # one entry per (document, issuer): the docnum …
    issuer_codes: np.ndarray  # … and the issuer's index in `issuers`
    doc_types: list[str]
    doc_type_codes: np.ndarray  # per docnum
    years: list[int]
    year_codes: np.ndarray  # per docnum

    @classmethod
    def read(cls, reader: Any) -> _Columns:
        issuers: dict[str, int] = {}
        issuer_docs: list[int] = []
        issuer_codes: list[int] = []
        for docnum, value in enumerate(reader.column_reader("facet_issuer")):
            for issuer in value.decode("utf-8").split(_SEPARATOR) if value else ():
                issuer_docs.append(docnum)
                issuer_codes.append(issuers.setdefault(issuer, len(issuers)))
        doc_types: dict[str, int] = {}
        doc_type_codes = [doc_types.setdefault(value.decode("utf-8"), len(doc_types)) for value in reader.column_reader("facet_type")]
        years: dict[int, int] = {}
        year_codes = [years.setdefault(date // 10000, len(years)) for date in reader.column_reader("date")]
        return cls(
            list(issuers),
            np.array(issuer_docs, dtype=np.int64),
            np.array(issuer_codes, dtype=np.int64),
            list(doc_types),
            np.array(doc_type_codes, dtype=np.int64),
            list(years),
            np.array(year_codes, dtype=np.int64),
        )


class WhooshBackend(SearchBackend):
    name = "whoosh"
    index_format = INDEX_FORMAT + 1  # positions stored as 4-byte integers (`_BigramPositions`)

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
        writer = self._index().writer(codec=_Codec())
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
        # A sub-writer keeps its postings in memory up to `_POOL_MB` (by Whoosh's estimate, ~180
        # bytes a posting: 50,000 articles take ~1.1 GB): spilling them to sorted runs on disk
        # and merging those back made a 100,000-article rebuild twice as slow.
        options: dict[str, Any] = {"procs": self.procs, "multisegment": True, "limitmb": _POOL_MB} if parallel else {"limitmb": _POOL_MB}
        options["codec"] = _Codec()
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
            self._searcher = self._index().searcher(weighting=_CachedBM25F())
        return self._searcher

    def _search(self, query: plan.Prim, sort: Sort, offset: int, limit: int, facets: bool) -> RawResult:
        try:
            searcher = self._current()
            if sort == "relevance":
                # Whole segments at once: every match (for the total and the facets) and the top hits.
                mask, top = whoosh_eval.evaluate(searcher, query, offset + limit, _range_docnums)
                hits = tuple(self._hit(searcher, docnum, score) for score, docnum in top[offset:])
            else:
                compiled = _compile(query)
                results = searcher.search(compiled, limit=offset + limit, sortedby="date", reverse=sort == "date_desc")
                hits = tuple(self._hit(searcher, hit.docnum, 0.0) for hit in results[offset : offset + limit])
                mask = np.zeros(searcher.doc_count_all(), dtype=bool)
                mask[np.fromiter(searcher.docs_for_query(compiled), dtype=np.int64)] = True  # unscored
            counts = self._facets(searcher, mask) if facets else {}
        except _DAMAGE as error:
            self.close()
            raise IndexDamagedError(self.index_dir, f"{type(error).__name__}: {error}") from None
        return RawResult(int(np.count_nonzero(mask)), hits, counts)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float) -> RawHit:
        stored = searcher.stored_fields(docnum)
        return RawHit(stored["id"], float(score), stored["payload"])

    def _facets(self, searcher: Searcher, mask: np.ndarray) -> dict[str, dict[str, int]]:
        if self._columns is None:
            self._columns = _Columns.read(searcher.reader())
        cols = self._columns
        counted = {
            "issuer": np.bincount(cols.issuer_codes[mask[cols.issuer_docs]], minlength=len(cols.issuers)),
            "doc_type": np.bincount(cols.doc_type_codes[mask], minlength=len(cols.doc_types)),
            "year": np.bincount(cols.year_codes[mask], minlength=len(cols.years)),
        }
        labels = {"issuer": cols.issuers, "doc_type": cols.doc_types, "year": cols.years}
        return count_facets({name: [(labels[name][code], n) for code, n in enumerate(counts.tolist()) if n] for name, counts in counted.items()})

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
        return _ExactPhrase(prim.field, prim.terms, boost=prim.boost)
    if isinstance(prim, plan.Prefix):
        return wq.Prefix(prim.field, prim.prefix)
    if isinstance(prim, plan.Range):
        return _ColumnRange(prim.field, prim.low, prim.high)
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


def _range_docnums(reader: Any, prim: plan.Range) -> np.ndarray:
    return _ColumnRange(prim.field, prim.low, prim.high)._docnums(reader)


class _CachedBM25F(scoring.BM25F):
    """BM25F reading each document's field length from a list made once per segment reader,
    instead of from the length column at every scored posting (same scores, several times faster)."""

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            scorer.dfl = lengths.__getitem__
        return scorer


def _field_lengths(reader: Any, fieldname: str) -> list[int]:
    cache: dict[str, list[int]] = reader.__dict__.setdefault("_gazette_lengths", {})
    if fieldname not in cache:
        length = reader.doc_field_length
        cache[fieldname] = [length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())]
    return cache[fieldname]


class _ColumnRange(wq.Query):
    """An integer field between two bounds, matched from its column (a list per segment reader,
    filtered once per range and cached) rather than by expanding a `NumericRange` into terms.
    Scores a constant 1, as `NumericRange` does."""

    def __init__(self, fieldname: str, low: int | None, high: int | None) -> None:
        self.fieldname, self.low, self.high = fieldname, low, high
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ColumnRange) and (self.fieldname, self.low, self.high) == (other.fieldname, other.low, other.high)

    def __hash__(self) -> int:
        return hash((self.fieldname, self.low, self.high))

    def __repr__(self) -> str:
        return f"_ColumnRange({self.fieldname!r}, {self.low!r}, {self.high!r})"

    def estimate_size(self, ixreader: Any) -> int:
        return len(self._docnums(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums = self._docnums(searcher.reader())
        if not len(docnums):
            return matching.NullMatcher()
        return matching.ListMatcher(docnums.tolist(), all_weights=self.boost)

    def _docnums(self, reader: Any) -> np.ndarray:
        """The live documents in range, in order (cached per reader and range)."""
        cache: dict[tuple[str, int | None, int | None], np.ndarray] = reader.__dict__.setdefault("_gazette_ranges", {})
        key = (self.fieldname, self.low, self.high)
        if key not in cache:
            values = reader.__dict__.setdefault("_gazette_columns", {})
            if self.fieldname not in values:
                values[self.fieldname] = _column_values(reader, self.fieldname)
            found = values[self.fieldname]
            inside = np.ones(len(found), dtype=bool)
            if self.low is not None:
                inside &= found >= self.low
            if self.high is not None:
                inside &= found <= self.high
            if reader.has_deletions():
                inside[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = False
            cache[key] = np.flatnonzero(inside)
        return cache[key]


# struct's standard sizes ("!" order) as numpy types
_NUMPY_TYPES = {"b": "i1", "B": "u1", "h": ">i2", "H": ">u2", "i": ">i4", "I": ">u4", "l": ">i4", "L": ">u4", "q": ">i8", "Q": ">u8"}


def _column_values(reader: Any, fieldname: str) -> np.ndarray:
    """Every document's value of an integer column, as `column_reader` gives them.

    A numeric column is read as one run of bytes; its few distinct raw values (dates)
    go through the field's own translation one by one."""
    column = reader.column_reader(fieldname)
    inner, translate = getattr(column, "_reader", column), getattr(column, "_translate", None)
    typecode = getattr(inner, "_typecode", None)
    if typecode not in _NUMPY_TYPES or np.dtype(_NUMPY_TYPES[typecode]).itemsize != getattr(inner, "_fixedlen", None):
        return np.array(list(column), dtype=np.int64)
    size = reader.doc_count_all()
    stored = min(inner._count, size)
    raw = np.full(size, inner._default, dtype=np.int64)
    raw[:stored] = np.frombuffer(inner._dbfile.get(inner._basepos, stored * inner._fixedlen), dtype=_NUMPY_TYPES[typecode])
    if translate is None:
        return raw
    distinct, where = np.unique(raw, return_inverse=True)
    return np.array([translate(int(value)) for value in distinct.tolist()], dtype=np.int64)[where.reshape(-1)]


class _ExactPhrase(wq.Query):
    """Consecutive terms of a field, checked with a covering subset of them (`plan.cover_offsets`):
    a set intersection of positions per candidate instead of Whoosh's span machinery.
    Scored as the sum of those terms' scores."""

    def __init__(self, fieldname: str, words: tuple[str, ...], boost: float = 1.0) -> None:
        self.fieldname, self.words, self.boost = fieldname, tuple(words), boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ExactPhrase) and (self.fieldname, self.words, self.boost) == (other.fieldname, other.words, other.boost)

    def __hash__(self) -> int:
        return hash((self.fieldname, self.words, self.boost))

    def __repr__(self) -> str:
        return f"_ExactPhrase({self.fieldname!r}, {self.words!r})"

    def _offsets(self) -> list[int]:
        return plan.cover_offsets(len(self.words))

    def estimate_size(self, ixreader: Any) -> int:
        return min(ixreader.doc_frequency(self.fieldname, self.words[i]) for i in self._offsets())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        if self.fieldname not in searcher.schema or not searcher.schema[self.fieldname].format.supports("positions"):
            return matching.NullMatcher()
        picked = []
        for offset in self._offsets():
            if (self.fieldname, self.words[offset]) not in reader:
                return matching.NullMatcher()
            picked.append((reader.doc_frequency(self.fieldname, self.words[offset]), offset))
        picked.sort()  # rarest first: it drives the intersection
        matchers = [wq.Term(self.fieldname, self.words[offset]).matcher(searcher, context) for _, offset in picked]
        found = _PhraseMatcher(matchers, [offset for _, offset in picked], len(self.words))
        return found if self.boost == 1.0 else matching.WrappingMatcher(found, self.boost)


class _PhraseMatcher(SpanWrappingMatcher):
    def __init__(self, matchers: list[Any], offsets: list[int], size: int) -> None:
        self.ms, self.offsets, self.size = matchers, offsets, size
        child = matchers[0] if len(matchers) == 1 else make_binary_tree(matching.IntersectionMatcher, matchers)
        super().__init__(child)

    def copy(self) -> _PhraseMatcher:
        return _PhraseMatcher([m.copy() for m in self.ms], self.offsets, self.size)

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self) -> list[Span]:
        offset0 = self.offsets[0]
        starts = {position - offset0 for position in self.ms[0].value_as("positions")}
        for matcher, offset in zip(self.ms[1:], self.offsets[1:]):
            if not starts:
                break
            starts &= {position - offset for position in matcher.value_as("positions")}
        return [Span(start, start + self.size - 1) for start in sorted(starts)]
