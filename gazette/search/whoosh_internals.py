"""The one module that reads Whoosh's private structures: whole per-document columns at once.

Whoosh's public API reads a column value by value (`IndexReader.doc_field_length`,
iterating a column reader): a Python call or more per document, for every document of
every segment, each time a searcher is opened (in a `gazette search` process, before
its first answer). The columns here are arrays of fixed-size numbers on disk, so they
are read as one run of bytes into numpy instead.

Private names read (whoosh-reloaded 2.7.5, pinned in pyproject.toml):

- `whoosh.reading.SegmentReader._perdoc`: the segment's per-document reader;
- `whoosh.codec.whoosh3.W3PerDocReader._cached_reader(name, column)`: a column by its
  stored name (the one `doc_field_length` itself reads);
- `whoosh.codec.whoosh3._lenfield(fieldname)`: the stored name of a field's lengths;
- on a `whoosh.columns.NumericColumn.Reader`: `_dbfile`, `_basepos`, `_count` (values
  on disk; later documents hold the default), `_default`, `_fixedlen`, `_typecode`.

Nothing here writes to a Whoosh object. When a structure is not what this expects
(another codec or column type, or no segment file at all) each function answers through
the public API instead; tests compare both answers on indexes of several segments.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import columns
from whoosh.util.numeric import byte_to_length

# struct's standard sizes ("!" order: big-endian) as numpy types
_NUMPY_TYPES = {
    "b": "i1",
    "B": "u1",
    "h": ">i2",
    "H": ">u2",
    "i": ">i4",
    "I": ">u4",
    "l": ">i4",
    "L": ">u4",
    "q": ">i8",
    "Q": ">u8",
}
# A length byte's length, as `doc_field_length` decodes it (0: no length, which it gives as None).
_BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)


def field_lengths(reader: Any, fieldname: str) -> np.ndarray:
    """Every document's length of `fieldname` in a segment, by docnum, as BM25F reads it
    (`reader.doc_field_length(docnum, fieldname, 1)`, with 0 where that gives None)."""
    size = reader.doc_count_all()
    column = _length_column(reader, fieldname)
    if column is None:
        return np.array([_public_length(reader, docnum, fieldname) for docnum in range(size)], dtype=np.float64)
    raw = _numeric_array(column, size)
    if raw is None:
        return np.array([_public_length(reader, docnum, fieldname) for docnum in range(size)], dtype=np.float64)
    lengths: np.ndarray = _BYTE_LENGTHS[raw]
    return lengths


def numeric_column(reader: Any, fieldname: str) -> np.ndarray:
    """Every document's value of a NUMERIC field's column in a segment, by docnum, as
    `list(reader.column_reader(fieldname))` gives them."""
    size = reader.doc_count_all()
    if not size:
        return np.zeros(0, dtype=np.int64)
    raw_column = reader.column_reader(fieldname, translate=False)  # (public: the column as stored)
    raw = _numeric_array(raw_column, size)
    if raw is None:
        return np.array(list(reader.column_reader(fieldname)), dtype=np.int64)
    # Few distinct values (dates): each goes through the field's own translation once.
    distinct, where = np.unique(raw.astype(np.int64), return_inverse=True)
    translate = reader.schema[fieldname].from_column_value
    return np.array([translate(int(value)) for value in distinct.tolist()], dtype=np.int64)[where.reshape(-1)]


def _length_column(reader: Any, fieldname: str) -> Any:
    """The segment's column of length bytes for `fieldname`, or None (another reader or codec)."""
    perdoc = getattr(reader, "_perdoc", None)
    cached = getattr(perdoc, "_cached_reader", None)
    if cached is None:
        return None
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    return cached(_lenfield(fieldname), LENGTHS_COLUMN)


def _public_length(reader: Any, docnum: int, fieldname: str) -> float:
    return reader.doc_field_length(docnum, fieldname, 1) or 0


def _numeric_array(column: Any, size: int) -> np.ndarray | None:
    """A numeric column's raw values for `size` documents, or None when it is not a
    `NumericColumn.Reader` of a fixed-size integer type."""
    if type(column) is not columns.NumericColumn.Reader:
        return None
    typecode = column._typecode
    if typecode not in _NUMPY_TYPES or np.dtype(_NUMPY_TYPES[typecode]).itemsize != column._fixedlen:
        return None
    stored = min(column._count, size)
    raw = np.full(size, column._default, dtype=np.dtype(_NUMPY_TYPES[typecode]).newbyteorder("="))
    if stored:
        data = column._dbfile.get(column._basepos, stored * column._fixedlen)
        raw[:stored] = np.frombuffer(data, dtype=_NUMPY_TYPES[typecode])
    return raw
