"""The OCR worker pool behind `gazette ingest`: checkpoints, SIGKILL and restart, bad pages reported, Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gazette.archive import Archive
from ingest.batch import run_batch
from ingest.pipeline import IngestConfig
from ingest.workers import page_jobs, run_pages, settings_for

ROOT = Path(__file__).resolve().parents[2]


def _scan(path: Path, pages: int, seed: int) -> Path:
    """A multi-page TIFF of lines of ink (the null engine reads nothing; clean-up still runs)."""
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(pages):
        page = np.full((1600, 1200), 255, np.uint8)
        for row in range(200, 1400, 60):
            page[row : row + 30, 150 : int(rng.integers(400, 1050))] = 0
        frames.append(Image.fromarray(page))
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300))
    return path


def _checkpoints(archive: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(archive)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in (archive / "work" / "ocr").rglob("*.json")  # not the pages' geometry staged beside them
    }


def _run(archive: Path, files: list[Path], workers: int = 2) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gazette",
        "ingest",
        "--archive",
        str(archive),
        "--engine",
        "null",
        "--workers",
        str(workers),
        *map(str, files),
    ]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _last_report(archive: Path) -> dict:
    return json.loads(max((archive / "data" / "reports").glob("*-ingest.json")).read_text("utf-8"))


@pytest.mark.slow
def test_batch_killed_mid_run_resumes_and_does_every_page_once(tmp_path: Path) -> None:
    files = [_scan(tmp_path / f"scan{i}.tif", 10, i) for i in range(3)]
    archive = tmp_path / "archive"
    first = _run(archive, files)
    deadline = time.monotonic() + 120
    while len(_checkpoints(archive) if (archive / "work").exists() else {}) < 6:
        assert first.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    done_before = _checkpoints(archive)
    assert 6 <= len(done_before) < 30

    second = _run(archive, files)
    second.communicate(timeout=300)
    assert second.returncode == 0
    report = _last_report(archive)
    after = _checkpoints(archive)
    assert len(after) == 30
    # Originals stored by the killed run are taken up again, not skipped as "already ingested" (the null
    # engine reads no text, so each is then skipped as not a gazette document: `ingest.screen`).
    assert all(f["reason"] != "already in the archive" for f in report["files"])
    assert report["summary"]["pages_read_by_ocr"] == 30
    # Finished pages were not done again: the same files, never rewritten.
    assert {path: after[path] for path in done_before} == done_before
    assert Archive(archive).verify() == []
    verify = subprocess.run(
        [sys.executable, "-m", "gazette", "verify", "--archive", str(archive)], cwd=ROOT, capture_output=True, text=True
    )
    assert verify.returncode == 0, verify.stderr
    third = _run(archive, files)
    third.communicate(timeout=300)
    assert _last_report(archive)["summary"]["skipped"] == 3 and _checkpoints(archive) == after


def test_bad_files_and_pages_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _scan(tmp_path / "good.tif", 1, 0)
    Image.new("L", (1200, 1600), 255).save(tmp_path / "blank.png")
    Image.new("L", (1200, 1600), 0).save(tmp_path / "black.png")
    Image.new("L", (1, 1), 0).save(tmp_path / "dot.png")
    (tmp_path / "text.jpg").write_text("not a picture", encoding="utf-8")
    corrupted = tmp_path / "corrupted.tif"
    corrupted.write_bytes(good.read_bytes()[:300] + b"\0" * 40)
    bomb = tmp_path / "bomb.png"
    from tests.ingest.test_raster import _png_header_only

    _png_header_only(bomb, 30_000, 30_000)
    names = ["good.tif", "blank.png", "black.png", "dot.png", "text.jpg", "corrupted.tif", "bomb.png"]
    archive = Archive.create(tmp_path / "a")
    report = run_batch([tmp_path / n for n in names], archive, IngestConfig(engine="null"), workers=1)
    by_name = {Path(f.file).name: f for f in report.files}
    assert [Path(f.file).name for f in report.files] == names  # every file reported, in order
    assert "blank" in by_name["blank.png"].notes[0] and "all black" in by_name["black.png"].notes[0]
    assert "1×1" in by_name["dot.png"].notes[0]
    failed = {Path(f.file).name: f.reason for f in report.failed}
    assert set(failed) == {"corrupted.tif", "bomb.png"}
    assert any("but is TEXT" in note for note in by_name["text.jpg"].notes)  # intake goes by content
    assert "refused" in failed["bomb.png"] and "damaged" in failed["corrupted.tif"]
    assert report.summary()["pages_read_by_ocr"] == 4  # good, blank, black, dot
    # Nothing was read (null engine): no gazette document, so the page images stay outside the bag.
    assert list((tmp_path / "a" / "work" / "pages").rglob("0001.json"))
    assert not list((tmp_path / "a" / "data" / "pages").rglob("*.*"))


@pytest.mark.slow
def test_pages_run_on_a_dask_cluster(tmp_path: Path) -> None:
    from distributed import LocalCluster

    scan = _scan(tmp_path / "scan.tif", 4, 1)
    archive = Archive.create(tmp_path / "archive")
    source, _ = archive.store_original(scan)
    stored = archive.find_original(source.sha256)
    assert stored is not None
    jobs = list(page_jobs(archive.root, stored, settings_for("null", 2), source.sha256))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        outcomes = list(run_pages(jobs, scheduler=cluster.scheduler_address))
    assert sorted(o.job.number for o in outcomes) == [1, 2, 3, 4]
    assert all(o.text is not None and not o.error for o in outcomes)


def test_an_unreachable_dask_scheduler_is_one_line() -> None:
    from gazette.exceptions import BadInputError
    from ingest.workers import connect

    with pytest.raises(BadInputError, match="cannot reach the Dask scheduler") as raised:
        connect("tcp://127.0.0.1:1", timeout=1)
    assert "\n" not in str(raised.value) and "tcp://127.0.0.1:1" in str(raised.value)
