"""`kill -9` in the middle of a batch: the resumed run redoes no finished page, finishes the
index, and no OCR worker outlives the process that started it."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from gazette.archive import Archive
from tests.ingest.test_workers import _checkpoints, _last_report, _scan
from tests.reliability.conftest import gazette, start_gazette


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_kill_9_of_the_batch_alone_leaves_no_worker_and_the_rerun_finishes_the_index(
    pdf397: Path, guangdong: Path, tmp_path: Path
) -> None:
    scans = [_scan(tmp_path / f"scan{i}.tif", 10, i) for i in range(3)]
    archive = tmp_path / "archive"
    # Born-digital files first: their documents are stored before the OCR pages start.
    files = [str(pdf397), str(guangdong), *map(str, scans)]
    first = start_gazette("ingest", "--archive", str(archive), "--engine", "null", "--workers", "2", *files)
    deadline = time.monotonic() + 120
    while len(_checkpoints(archive) if (archive / "work").exists() else {}) < 6:
        assert first.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    workers = _children(first.pid)
    assert workers, "the batch has no worker processes to watch"
    os.kill(first.pid, signal.SIGKILL)  # the batch alone, not its process group
    first.wait()
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the batch"
    done_before = _checkpoints(archive)
    assert 6 <= len(done_before) < 30

    second = gazette("ingest", "--archive", str(archive), "--engine", "null", "--workers", "2", *files)
    assert second.returncode == 0, second.stderr
    report = _last_report(archive)
    after = _checkpoints(archive)
    assert len(after) == 30
    # Nothing was skipped as "already in the archive": the null engine reads no text, so the scans
    # are "not a gazette document" (and leave nothing in the bag); the born-digital files are stored.
    assert not [f for f in report["files"] if f["reason"] == "already in the archive"]
    assert report["summary"]["pages_read_by_ocr"] == 30 and report["summary"]["documents"] == 2
    assert {path: after[path] for path in done_before} == done_before  # no finished page redone
    assert Archive(archive).verify() == []
    # Documents stored before the kill are in the index without `gazette index`.
    for query in ("发改办财金规〔2019〕860号", "粤办函〔2016〕629号"):
        found = gazette("search", query, "--archive", str(archive), "--json")
        assert json.loads(found.stdout)["total"] >= 1, query
    third = gazette("ingest", "--archive", str(archive), "--engine", "null", "--workers", "2", *files)
    assert third.returncode == 0
    again = _last_report(archive)["files"]
    assert [f["reason"] for f in again[:2]] == ["already in the archive"] * 2
    assert all(f["reason"].startswith("not a gazette document") for f in again[2:])
    assert not list((archive / "work" / "staging").iterdir())


def test_documents_stored_before_a_kill_are_indexed_by_the_rerun(pdf397: Path, tmp_path: Path) -> None:
    """The window between storing a file's documents and indexing them: a rerun closes it."""
    from ingest.batch import run_batch

    archive = Archive.create(tmp_path / "archive")

    def killed(docs: list) -> None:
        raise KeyboardInterrupt  # the process dies after storing, before indexing

    with pytest.raises(KeyboardInterrupt):
        run_batch([pdf397], archive, on_documents=killed)
    assert [doc.id for doc in archive.documents()] == ["发改办财金规〔2019〕860号"]
    indexed: list[str] = []
    again = run_batch([pdf397], archive, on_documents=lambda docs: indexed.extend(doc.id for doc in docs))
    assert again.summary()["skipped"] == 0 and indexed == ["发改办财金规〔2019〕860号"]
    assert run_batch([pdf397], archive).summary()["skipped"] == 1
    assert archive.verify() == []
