"""Several `gazette ingest` processes into one archive at once keep every reading that one
after another keeps: the id check and the write share the archive's lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette.archive import Archive
from samples.corpus import load_records
from tests.ingest.issue_pdf import build_issue
from tests.reliability.conftest import gazette, start_gazette

# Four printings that share documents (two issues reprint one 文号, one issue scanned twice…),
# and one that shares none.
SHARED = ((0, 1, 2), (1, 2, 3), (2, 3, 0), (3, 0, 1))
APART = ((4, 5), (6, 7), (8, 9), (10, 11))


@pytest.fixture(scope="module")
def printings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    records = load_records()
    folder = tmp_path_factory.mktemp("printings")
    files: dict[str, list[Path]] = {}
    for name, groups in (("shared", SHARED), ("apart", APART)):
        files[name] = []
        for n, group in enumerate(groups):
            path = folder / f"{name}-{n}.pdf"
            build_issue([records[i] for i in group], path, issue=n + 1)
            files[name].append(path)
    return files


def _readings(root: Path) -> set[tuple[str | None, str, str, tuple[int, ...]]]:
    """What the archive holds, whatever ids the order of arrival gave: 文号, title, original, pages."""
    docs = list(Archive.open_existing(root).documents())
    assert all(doc.source is not None for doc in docs)
    return {(doc.doc_number, doc.title, doc.source.sha256, doc.pages) for doc in docs if doc.source}


def _ingest_at_once(files: list[Path], root: Path) -> None:
    running = [start_gazette("ingest", str(path), "--archive", str(root), "--workers", "1") for path in files]
    for process in running:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr


def _check_against_one_after_another(files: list[Path], tmp_path: Path, rounds: int) -> None:
    sequential = tmp_path / "sequential"
    for path in files:
        assert gazette("ingest", str(path), "--archive", str(sequential)).returncode == 0
    expected = _readings(sequential)
    assert len(expected) == 3 * len(files) or len(expected) == 2 * len(files)
    for round_ in range(rounds):
        root = tmp_path / f"concurrent-{round_}"
        _ingest_at_once(files, root)
        assert _readings(root) == expected, f"round {round_}"
        done = gazette("verify", "--archive", str(root))
        assert done.returncode == 0, done.stderr
        # The index holds every document: each title found, one hit per document however many
        # readings of it the printings gave (the texts agree, so the others are its readings).
        for _, title, _, _ in expected:
            hits = gazette("search", f'"{title}"', "--archive", str(root), "--json", "--limit", "50")
            assert hits.returncode == 0, hits.stderr
            assert f'"title": "{title}"' in hits.stdout
        total = gazette("search", "国务院", "--archive", str(root), "--json", "--limit", "1")
        assert f'"total": {len({(number, title) for number, title, _, _ in expected})}' in total.stdout


@pytest.mark.parametrize("kind", ["shared", "apart"])
def test_four_ingests_at_once_keep_what_one_after_another_keeps(
    printings: dict[str, list[Path]], kind: str, tmp_path: Path
) -> None:
    _check_against_one_after_another(printings[kind], tmp_path, rounds=1)


@pytest.mark.slow
def test_four_ingests_at_once_twenty_times(printings: dict[str, list[Path]], tmp_path: Path) -> None:
    _check_against_one_after_another(printings["shared"], tmp_path, rounds=20)


def test_two_processes_create_one_archive_at_once(tmp_path: Path) -> None:
    for round_ in range(5):
        root = tmp_path / f"new-{round_}"
        running = [
            start_gazette("ingest", str(Path("samples/inputs/粤办函〔2016〕629号.txt")), "--archive", str(root))
            for _ in range(2)
        ]
        for process in running:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr
        assert gazette("verify", "--archive", str(root)).returncode == 0
