"""whoosh_internals: the same columns as Whoosh's public API gives, read without changing Whoosh's
objects; and no other module of the package reads a private name of Whoosh."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import whoosh.index

from gazette.search import SearchBackend, get_backend, whoosh_internals

PACKAGE = Path(whoosh_internals.__file__).resolve().parent


def leaf_readers(backend: SearchBackend) -> list[Any]:
    return [leaf.reader() for leaf, _ in backend._current().searcher.leaf_searchers()]  # type: ignore[attr-defined]


def test_field_lengths_are_those_doc_field_length_gives(segmented: SearchBackend) -> None:
    readers = leaf_readers(segmented)
    assert len(readers) == 3
    for reader in readers:
        for field in ("title", "body", "words", "issuer", "doc_number"):  # (the last two keep no lengths)
            expected = [reader.doc_field_length(docnum, field, 1) or 0 for docnum in range(reader.doc_count_all())]
            assert whoosh_internals.field_lengths(reader, field).tolist() == expected, field


def test_a_numeric_column_is_what_the_column_reader_gives(segmented: SearchBackend) -> None:
    for reader in leaf_readers(segmented):
        found = whoosh_internals.numeric_column(reader, "date")
        assert found.dtype == np.int64 and found.tolist() == list(reader.column_reader("date"))
        assert 0 in found.tolist()  # (undated documents, the column's default)


def test_nothing_is_read_from_an_index_without_documents(tmp_path: Path) -> None:
    backend = get_backend("whoosh", tmp_path / "whoosh")
    backend.update([])
    with whoosh.index.open_dir(str(tmp_path / "whoosh")).searcher() as searcher:
        reader = searcher.reader()
        assert whoosh_internals.field_lengths(reader, "body").tolist() == []
        assert whoosh_internals.numeric_column(reader, "date").tolist() == []


def test_reading_changes_nothing_in_the_reader(segmented: SearchBackend) -> None:
    for reader in leaf_readers(segmented):
        for field in ("title", "body"):
            reader.doc_field_length(0, field)  # (Whoosh keeps the length columns it opens)
        list(reader.column_reader("date"))
        perdoc = reader._perdoc
        before = [dict(vars(obj)) for obj in (reader, perdoc)], dict(perdoc._readers)
        columns = {name: dict(vars(column)) for name, column in perdoc._readers.items()}
        whoosh_internals.field_lengths(reader, "title")
        whoosh_internals.field_lengths(reader, "body")
        whoosh_internals.numeric_column(reader, "date")
        assert ([dict(vars(obj)) for obj in (reader, perdoc)], dict(perdoc._readers)) == before
        assert {name: dict(vars(column)) for name, column in perdoc._readers.items()} == columns


def private_names_read(path: Path) -> list[str]:
    """`x._name` where x is not self or cls, and `from whoosh… import _name`, in a module's source."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        private = isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        if private and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{path.name}:{node.lineno}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
    return found


def imports_whoosh(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "whoosh" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            return True
    return False


WHOOSH_USERS = [
    path for path in sorted(PACKAGE.glob("*.py")) if imports_whoosh(path) and path.name != "whoosh_internals.py"
]


def test_the_modules_that_use_whoosh() -> None:
    assert {path.name for path in WHOOSH_USERS} == {"whoosh_analysis.py", "whoosh_backend.py", "whoosh_eval.py"}


@pytest.mark.parametrize("path", WHOOSH_USERS, ids=lambda path: path.name)
def test_only_whoosh_internals_reads_private_names_of_whoosh(path: Path) -> None:
    assert private_names_read(path) == []
    assert "__dict__" not in path.read_text("utf-8")
