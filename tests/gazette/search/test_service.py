"""The index as the archive keeps it: built on demand, updated by ingest, shared by writers, repaired."""

from __future__ import annotations

import dataclasses
import multiprocessing
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.exceptions import BusyError
from gazette.model import Document
from gazette.search import IndexDamagedError, get_backend, index_documents, rebuild_index, search, update_index
from gazette.search.service import index_dir, open_backend

from .conftest import BACKENDS, synthetic

WRITES = 12


@pytest.fixture
def archive(tmp_path: Path, corpus: tuple[Document, ...]) -> Archive:
    store = Archive.create(tmp_path / "archive")
    for doc in corpus:
        store.put_document(doc)
    return store


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_builds_a_missing_index_under_the_archive(archive: Archive, backend: str) -> None:
    result = search(archive, "綜合保稅區", backend=backend)
    assert [hit.id for hit in result.hits] == ["国发〔2019〕3号"]
    assert (archive.root / "index" / backend).is_dir()


def test_ingest_updates_every_index_and_drops_private_documents(archive: Archive) -> None:
    for backend in BACKENDS:
        rebuild_index(archive, backend)
    new = synthetic("new", "关于新文件的通知", "本件提到独角兽企业。")
    archive.put_document(new)
    index_documents(archive, [new])
    for backend in BACKENDS:
        assert search(archive, "独角兽", backend=backend).total == 1
    index_documents(archive, [dataclasses.replace(new, disclosure="不予公开")])
    for backend in BACKENDS:
        assert search(archive, "独角兽", backend=backend).total == 0


def test_update_index_follows_the_archive(archive: Archive) -> None:
    assert update_index(archive).rebuilt
    gone = archive.document_path("国发〔2019〕3号")
    gone.unlink()
    report = update_index(archive)
    assert (report.rebuilt, report.removed, report.indexed) == (False, 1, 0)
    assert search(archive, "综合保税区").total == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_update_index_reads_only_new_and_changed_documents(
    archive: Archive, corpus: tuple[Document, ...], backend: str
) -> None:
    assert update_index(archive, backend).rebuilt
    assert update_index(archive, backend) == update_index(archive, backend).__class__(backend, 0, 0, False)
    changed = dataclasses.replace(corpus[0], title=corpus[0].title + "独角兽企业")
    archive.put_document(changed)
    archive.put_document(synthetic("new", "关于新文件的通知", "本件提到麒麟企业。"))
    report = update_index(archive, backend)
    assert (report.rebuilt, report.removed, report.indexed) == (False, 0, 2)
    assert [hit.id for hit in search(archive, '"独角兽企业"', backend=backend).hits] == [changed.id]
    assert search(archive, '"麒麟企业"', backend=backend).total == 1
    assert open_backend(archive, backend).count() == len(corpus) + 1 - sum(not doc.is_public for doc in corpus)


def test_a_rust_panic_in_tantivy_is_index_damage(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    from gazette.search import tantivy_backend

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    rebuild_index(archive, "tantivy")
    calls = []
    compile_ = tantivy_backend.TantivyBackend._compile

    def panicking(self: object, prim: object) -> object:
        calls.append(prim)
        if len(calls) == 1:
            raise PanicException("called `Option::unwrap()` on a `None` value")
        return compile_(self, prim)  # type: ignore[arg-type]

    monkeypatch.setattr(tantivy_backend.TantivyBackend, "_compile", panicking)
    with pytest.raises(IndexDamagedError, match="gazette index --rebuild"):
        open_backend(archive, "tantivy").search("综合保税区")
    calls.clear()
    assert search(archive, "综合保税区", backend="tantivy").total == 1  # rebuilt, then found


def _write_many(backend: str, folder: str, prefix: str) -> None:
    index = get_backend(backend, Path(folder))
    for number in range(WRITES):
        index.update([synthetic(f"{prefix}{number}", f"关于{prefix}的通知", f"并发写入{prefix}第{number}件。")])


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_processes_writing_at_once_lose_no_update(tmp_path: Path, backend: str) -> None:
    folder = tmp_path / backend
    get_backend(backend, folder).update([synthetic("seed", "关于起始的通知", "起始。")])
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(backend, str(folder), prefix)) for prefix in ("甲", "乙")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    index = get_backend(backend, folder)
    assert index.ids() == {"seed"} | {f"{prefix}{n}" for prefix in ("甲", "乙") for n in range(WRITES)}
    assert index.search('"并发写入甲"').total == WRITES


def test_a_writer_waits_for_the_lock_then_gives_up_with_busy(tmp_path: Path) -> None:
    index = get_backend("whoosh", tmp_path / "whoosh")
    index.lock_timeout = 0.2
    with index._locked(), pytest.raises(BusyError, match="search index lock"):  # another writer holds the index
        index.update([synthetic("x", "关于甲的通知", "正文。")])


def _corrupt(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file() and path.name != "gazette-index.json":
            path.write_bytes(b"\x00garbage" * max(1, path.stat().st_size // 8))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_corrupted_index_says_how_to_fix_it_and_search_rebuilds_it(archive: Archive, backend: str) -> None:
    rebuild_index(archive, backend)
    _corrupt(index_dir(archive, backend))
    with pytest.raises(IndexDamagedError, match=r"run `gazette index --rebuild`"):
        open_backend(archive, backend).search("综合保税区")
    assert search(archive, "综合保税区", backend=backend).total == 1
    assert open_backend(archive, backend).count() == 20


def test_an_index_of_another_format_is_rebuilt(archive: Archive) -> None:
    rebuild_index(archive)
    (index_dir(archive, "whoosh") / "gazette-index.json").write_text('{"format": 0, "backend": "whoosh"}')
    assert search(archive, "综合保税区").total == 1
