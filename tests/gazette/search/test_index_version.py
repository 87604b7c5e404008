"""An index made by another version of gazette (what is indexed, or how, changed): `gazette index`
and `gazette search` rebuild it and say so, `gazette serve` stops with one line, a current one
is left alone."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import ExitCode
from gazette.model import Document
from gazette.search import (
    IndexOutdatedError,
    SearchBackend,
    index_documents,
    rebuild_index,
    search,
    update_index,
)
from gazette.search import backend as backend_module
from gazette.search.backend import INDEX_CONTENT, record_for
from gazette.search.service import index_dir, open_backend, refresh_index

from .conftest import BACKENDS, synthetic
from .test_derived_year import DATED, SEALED, UNDATED

# A SHA-256 of what `record_for` makes of `_FINGERPRINTED`, for each `INDEX_CONTENT`.
_RECORDS_OF = {2: "70b5293617413391"}
_FINGERPRINTED = (
    DATED,
    SEALED,
    UNDATED,
    synthetic(
        "國辦函〔1996〕14號",
        "國務院辦公廳關於ＷＴＯ規則的函",
        "按照ＷＴＯ规则第１２３条办理。",
        doc_number="国办函〔1996〕14号",
        issuer=("國務院辦公廳", "国务院办公厅"),
        doc_type="複函",
        date_written="1996-02-29",
    ),
)


def _records_digest(docs: tuple[Document, ...]) -> str:
    digest = hashlib.sha256()
    for doc in docs:
        record = record_for(doc)
        fields = (record.id, record.title, record.body, record.doc_number, record.issuers, record.doc_type, record.date)
        digest.update(json.dumps(fields, ensure_ascii=False).encode("utf-8") + record.payload)
    return digest.hexdigest()[:16]


def test_what_is_indexed_has_not_changed_without_a_new_index_content_version() -> None:
    assert _records_digest(_FINGERPRINTED) == _RECORDS_OF.get(INDEX_CONTENT), (
        "record_for makes other records of the same documents: bump INDEX_CONTENT in "
        "gazette/search/backend.py (indexes of the old version are then rebuilt) and record the new digest here"
    )


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    store = Archive.create(tmp_path / "archive")
    for doc in (DATED, SEALED, UNDATED):
        store.put_document(doc)
    return store


def _old_index(archive: Archive, backend: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The index as gazette made it before the year of a 文号 was indexed: no derived year, and
    a marker without the content version."""
    with monkeypatch.context() as patched:
        patched.setattr(backend_module, "_index_date", lambda doc: int((doc.date_written or "0").replace("-", "")))
        rebuild_index(archive, backend)
    assert open_backend(archive, backend).search("海关 年份:1996").total == 0  # what the old index answers
    folder = index_dir(archive, backend)
    marker = folder / "gazette-index.json"
    old = json.loads(marker.read_text("utf-8"))
    del old["content"]
    marker.write_text(json.dumps(old), "utf-8")
    return folder


def _marker(folder: Path) -> dict[str, object]:
    return dict(json.loads((folder / "gazette-index.json").read_text("utf-8")))


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_rebuilds_an_index_of_an_older_version_and_finds_the_derived_year(
    archive: Archive, backend: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _old_index(archive, backend, monkeypatch)
    assert "content 1" in (open_backend(archive, backend).outdated() or "")
    with caplog.at_level(logging.WARNING, logger="gazette.search.service"):
        found = search(archive, "海关 年份:1996", backend=backend)
    assert [hit.id for hit in found.hits] == [SEALED.id]
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and "made by another version of gazette" in said[0] and "\n" not in said[0]
    assert _marker(folder)["content"] == INDEX_CONTENT
    assert search(archive, "海关", backend=backend).facets["year"] == {"1996": 1, "1997": 1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_gazette_index_rebuilds_an_index_of_an_older_version_and_says_so(
    archive: Archive, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_index(archive, backend, monkeypatch)
    report = update_index(archive, backend)
    assert report.rebuilt and report.indexed == 3 and "another version of gazette" in report.reason
    assert [hit.id for hit in search(archive, "海关 年份:1996", backend=backend).hits] == [SEALED.id]
    again = update_index(archive, backend)  # now current: nothing to do
    assert not again.rebuilt and (again.indexed, again.removed, again.reason) == (0, 0, "")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_current_index_is_not_rebuilt(archive: Archive, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild_index(archive, backend)
    folder = index_dir(archive, backend)
    made = folder.stat().st_ino

    def refused(self: SearchBackend, documents: object) -> int:
        raise AssertionError("a current index was rebuilt")

    monkeypatch.setattr(SearchBackend, "_rebuild", refused)
    assert open_backend(archive, backend).outdated() is None
    assert search(archive, "海关 年份:1996", backend=backend).total == 1
    assert not update_index(archive, backend).rebuilt
    assert refresh_index(archive, backend) is None
    index_documents(archive, [synthetic("new", "关于海关新规的通知", "新规。", date_written="2001-01-01")])
    assert folder.stat().st_ino == made and _marker(folder)["content"] == INDEX_CONTENT


def test_of_two_that_find_it_outdated_one_rebuilds(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    _old_index(archive, "whoosh", monkeypatch)
    reader = open_backend(archive, "whoosh")  # a portal or a search that opened the old index
    first, second = open_backend(archive, "whoosh"), open_backend(archive, "whoosh")
    assert first.outdated() and second.outdated()
    assert refresh_index(archive, "whoosh") == 3
    assert refresh_index(archive, "whoosh") is None  # found current under the lock
    assert [hit.id for hit in reader.search("海关 年份:1996").hits] == [SEALED.id]


def test_ingest_into_an_index_of_an_older_version_rebuilds_it_with_the_new_documents(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_index(archive, "whoosh", monkeypatch)
    new = synthetic(
        "国办发〔1996〕9号", "关于海关新规的通知", "新规。", doc_number="国办发〔1996〕9号", date_written=None
    )
    archive.put_document(new)
    index_documents(archive, [new])
    hits = {hit.id for hit in search(archive, "海关 年份:1996", backend="whoosh").hits}
    assert hits == {SEALED.id, new.id}


@pytest.mark.parametrize(
    "marker",
    [
        {"format": "x", "backend": "whoosh"},  # a format nobody writes
        {"format": 99, "content": 99, "backend": "whoosh"},  # made by a newer gazette
    ],
)
def test_any_other_version_is_outdated_and_rebuilt(archive: Archive, marker: dict[str, object]) -> None:
    rebuild_index(archive, "whoosh")
    folder = index_dir(archive, "whoosh")
    (folder / "gazette-index.json").write_text(json.dumps(marker), "utf-8")
    assert open_backend(archive, "whoosh").outdated()
    with pytest.raises(IndexOutdatedError, match=r"another version of gazette .*; run `gazette index`$"):
        open_backend(archive, "whoosh").count()
    assert search(archive, "海关 年份:1996", backend="whoosh").total == 1


@pytest.mark.parametrize("marker", [b"[]", b"not json", b'{"format": 1, "backend": "tantivy"}'])
def test_a_marker_that_says_nothing_of_a_version_is_damage_not_age(archive: Archive, marker: bytes) -> None:
    rebuild_index(archive, "whoosh")
    (index_dir(archive, "whoosh") / "gazette-index.json").write_bytes(marker)
    index = open_backend(archive, "whoosh")
    assert index.outdated() is None
    with pytest.raises(Exception, match="the search index is damaged") as raised:
        index.count()
    assert not isinstance(raised.value, IndexOutdatedError)


def test_the_command_line_says_it_in_one_line(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("the portal started"))
    where = ["--archive", str(archive.root)]
    _old_index(archive, "whoosh", monkeypatch)
    assert run(["serve", *where]) == ExitCode.damaged
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "made by another version of gazette" in err and "run `gazette index`" in err

    assert run(["search", "海关 年份:1996", "--json", *where]) == 0
    captured = capsys.readouterr()
    assert [hit["id"] for hit in json.loads(captured.out)["hits"]] == [SEALED.id]
    assert len(captured.err.strip().splitlines()) == 1 and "rebuilding it" in captured.err

    _old_index(archive, "whoosh", monkeypatch)
    assert run(["index", *where]) == 0
    out = capsys.readouterr().out.strip()
    assert "\n" not in out and out.startswith("whoosh index rebuilt (made by another version of gazette")
    assert run(["index", *where]) == 0
    assert capsys.readouterr().out.strip() == "whoosh index updated: 0 documents indexed, 0 removed"
