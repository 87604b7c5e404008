"""OCR checkpoints stand only for the code and the engine that made them (`ingest.readerversion`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazette.archive import Archive
from ingest import readerversion
from ingest.ocr import cached_engine
from ingest.ocr.null import NullEngine
from ingest.readerversion import code_digest, reader_version
from ingest.workers import PageJob, checkpoint_path, page_jobs, run_page, settings_for
from tests.ingest.test_workers import _scan


@pytest.fixture
def job(tmp_path: Path) -> PageJob:
    archive = Archive.create(tmp_path / "archive")
    source, _ = archive.store_original(_scan(tmp_path / "scan.tif", 1, 7))
    stored = archive.find_original(source.sha256)
    assert stored is not None
    return next(page_jobs(archive.root, stored, settings_for("null", 1), source.sha256))


def _stamp(path: Path) -> tuple[int, int]:
    return path.stat().st_ino, path.stat().st_mtime_ns


def test_a_checkpoint_of_the_same_code_and_engine_is_reused_untouched(job: PageJob) -> None:
    first = run_page(job)
    assert not first.resumed and first.text is not None
    checkpoint = checkpoint_path(job)
    before = _stamp(checkpoint)
    again = run_page(job)
    assert again.resumed and again.text == first.text
    assert _stamp(checkpoint) == before


@pytest.mark.parametrize(
    "reader",
    [
        None,  # made before checkpoints recorded their reader
        "0123456789abcdef 0",  # other code, same engine version
        "{code} 1",  # this code, another engine version
    ],
)
def test_a_checkpoint_of_another_reader_is_read_again_and_replaced(job: PageJob, reader: str | None) -> None:
    run_page(job)
    checkpoint = checkpoint_path(job)
    record = json.loads(checkpoint.read_text("utf-8"))
    current = record["reader"]
    assert current == reader_version(cached_engine("null"))
    if reader is None:
        del record["reader"]
    else:
        record["reader"] = reader.format(code=current.split()[0])
    record["problem"] = "an old reading"  # what the other reader made of the page
    checkpoint.write_text(json.dumps(record), "utf-8")
    outcome = run_page(job)
    assert not outcome.resumed and outcome.problem == ""
    replaced = json.loads(checkpoint.read_text("utf-8"))
    assert replaced["reader"] == current and replaced["problem"] == ""


def test_an_upgraded_engine_reads_the_page_again(job: PageJob, monkeypatch: pytest.MonkeyPatch) -> None:
    run_page(job)
    monkeypatch.setattr(NullEngine, "version", lambda self: "1")
    reader_version.cache_clear()
    try:
        assert not run_page(job).resumed
        assert run_page(job).resumed
    finally:
        reader_version.cache_clear()


@pytest.mark.parametrize("garbage", [b"", b"\xff\xfe not json", b"[1, 2]", b'{"text": null}'])
def test_an_unreadable_checkpoint_is_read_again(job: PageJob, garbage: bytes) -> None:
    checkpoint = checkpoint_path(job)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    checkpoint.write_bytes(garbage)
    outcome = run_page(job)
    assert not outcome.resumed and not outcome.error
    assert json.loads(checkpoint.read_text("utf-8"))["reader"] == reader_version(cached_engine("null"))


def _package(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")


def test_the_code_digest_follows_the_imports_of_the_reading_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package(
        tmp_path,
        {
            "ingest/__init__.py": "",
            "ingest/recognise.py": "import numpy\nfrom ingest.cleanup import clean\nfrom . import ocr\n",
            "ingest/cleanup.py": "def clean():\n    from gazette.chars import HAN\n    return HAN\n",
            "ingest/ocr/__init__.py": "from .base import Engine\n",
            "ingest/ocr/base.py": "class Engine: ...\n",
            "ingest/layout.py": "WIDTH = 1\n",  # imported by nothing that reads a page
            "gazette/__init__.py": "",
            "gazette/chars.py": "HAN = '[一-龥]'\n",
        },
    )
    monkeypatch.setattr(readerversion, "_package_root", lambda top: tmp_path / top)
    digest = code_digest.__wrapped__  # uncached: the files change under it
    closure = readerversion._closure(("ingest.recognise",))
    # A package's __init__ counts only when named (``from . import ocr``), not as the parent of
    # a module: `gazette/__init__.py` gathers the whole API, none of it reading pages.
    assert sorted(closure) == [
        "gazette.chars",
        "ingest",
        "ingest.cleanup",
        "ingest.ocr",
        "ingest.ocr.base",
        "ingest.recognise",
    ]
    before = digest(("ingest.recognise",))
    _package(tmp_path, {"ingest/layout.py": "WIDTH = 2\n"})
    assert digest(("ingest.recognise",)) == before
    for name, source in [
        ("gazette/chars.py", "HAN = '[一-鿿]'\n"),  # imported lazily, inside a function
        ("ingest/ocr/base.py", "class Engine:\n    pass\n"),  # through a relative import
    ]:
        _package(tmp_path, {name: source})
        assert digest(("ingest.recognise",)) != before, name
        before = digest(("ingest.recognise",))


def test_the_real_reader_names_the_engine_and_is_computed_once() -> None:
    engine = cached_engine("null")
    version = reader_version(engine)
    code, engine_version = version.split(" ", 1)
    assert len(code) == 16 and engine_version == engine.version()
    closure = readerversion._closure(("ingest.recognise", "ingest.raster", "ingest.ocr.null"))
    assert {"ingest.cleanup", "ingest.furniture", "ingest.ocr.base", "ingest.ocr.textfix"} <= set(closure)
    assert reader_version(engine) is version
