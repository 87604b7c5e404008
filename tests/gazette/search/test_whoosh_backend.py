"""The Whoosh backend's own writing: a pool grouped by term, postings written a term at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gazette.model import Document
from gazette.search import whoosh_backend


def postings(backend: whoosh_backend.WhooshBackend) -> dict[tuple[int, str, bytes], Any]:
    """Every term's statistics and postings (docnum, weight, value), per segment."""
    found = {}
    for leaf, base in backend._current().leaf_searchers():
        reader = leaf.reader()
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher, listed = reader.postings(fieldname, text), []
            while matcher.is_active():
                listed.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length(), info.max_weight())
            found[base, fieldname, text] = (stats, listed)
    return found


def test_a_pool_spilled_to_disk_writes_the_same_postings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, all_docs: tuple[Document, ...]
) -> None:
    whole = whoosh_backend.WhooshBackend(tmp_path / "whole")
    whole.rebuild(all_docs)
    monkeypatch.setattr(whoosh_backend, "_POOL_MB", 0.05)  # a run on disk every few documents
    spilled = whoosh_backend.WhooshBackend(tmp_path / "spilled")
    spilled.rebuild(all_docs)
    assert postings(spilled) == postings(whole)


def test_positions_are_stored_as_four_bytes_each() -> None:
    form = whoosh_backend._BigramPositions()
    value = form.encode([0, 7, 70000])
    assert len(value) == 12 and form.decode_positions(value) == [0, 7, 70000] and form.decode_frequency(value) == 3
    counts, flat = form.decode_many([value, form.encode([5])])
    assert counts.tolist() == [3, 1] and flat.tolist() == [0, 7, 70000, 5]
