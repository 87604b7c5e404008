"""The command line never shows a traceback: every failure is one line and an exit code.

Usage errors exit 2 with click's message; the library's errors exit with the codes of
`gazette.exceptions`; a bug exits 1 with its traceback in ``ARCHIVE/logs/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.errorlog import write_traceback
from gazette.model import ReviewFlag
from tests.gazette.conftest import make_document

ROOT = Path(__file__).parents[2]
MARKUP_TITLE = "关于[/]和[bold]标记[/bold]的通知"


def gazette(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it, in its own process."""
    env = os.environ | {"PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "gazette", *args], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Two documents, one whose title and review note are Rich markup, and a withdrawn one, with a whoosh index."""
    store = Archive.create(tmp_path_factory.mktemp("errors") / "archive")
    store.put_document(make_document())
    store.put_document(
        make_document(
            id="markup",
            doc_number=None,
            doc_number_printed=None,
            title=MARKUP_TITLE,
            needs_review=(ReviewFlag("date_written", "[red]under a seal[/]"),),
        )
    )
    store.put_document(make_document(id="gone", doc_number=None, title="已撤回的通知", withdrawn="重复收录"))
    store.flush()
    assert run(["index", "--archive", str(store.root)]) == 0
    return store


@pytest.fixture(scope="module")
def a_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("file") / "passwd"
    path.write_text("root:x:0:0\n")
    return path


# (case, arguments (ARCHIVE, FILE and INPUT are replaced), exit code, what the one line names)
CASES = [
    ("unknown option", ["list", "--bogus"], 2, "--bogus"),
    ("missing ID", ["show"], 2, "'ID'"),
    ("--limit not a number", ["search", "x", "--limit", "abc"], 2, "--limit"),
    ("--limit 0", ["search", "x", "--limit", "0", "--archive", "ARCHIVE"], 2, "--limit"),
    ("--page negative", ["search", "x", "--page", "-1", "--archive", "ARCHIVE"], 2, "--page"),
    ("unknown command, with a hint", ["serch"], 2, "Did you mean 'search'"),
    ("extra argument", ["list", "extra"], 2, "extra"),
    ("two output forms", ["show", "x", "--xml", "--json", "--archive", "ARCHIVE"], 2, "--xml"),
    ("--workers negative", ["ingest", "INPUT", "--workers", "-3", "--archive", "NEW"], 2, "--workers"),
    ("a 300-character id", ["show", "x" * 300, "--archive", "ARCHIVE"], 4, "x" * 300),
    ("--archive is a file", ["list", "--archive", "FILE"], 3, "FILE"),
    ("ingest into a file", ["ingest", "INPUT", "--archive", "FILE"], 3, "FILE"),
    (
        "unreachable scheduler",
        ["ingest", "INPUT", "--scheduler", "tcp://127.0.0.1:1", "--archive", "NEW"],
        3,
        "tcp://127.0.0.1:1",
    ),
    ("unknown query field", ["search", "title:国务院", "--archive", "ARCHIVE"], 3, "unknown field 'title:'"),
    ("a query of operators only", ["search", "AND OR NOT", "--archive", "ARCHIVE"], 3, "empty query"),
    ("serve without an archive", ["serve", "--archive", "NEW"], 4, "no gazette archive here"),
    ("publish a file that is no issue", ["publish", "FILE", "--out", "NEW", "--archive", "NEW"], 3, "FILE"),
    ("a signature of a file that is no PDF", ["verify", "FILE", "--archive", "ARCHIVE"], 3, "FILE"),
    ("edit without --set", ["edit", "markup", "--archive", "ARCHIVE"], 2, "--set"),
    (
        "edit an unknown field",
        ["edit", "markup", "--set", "colour=red", "--archive", "ARCHIVE"],
        3,
        "cannot set 'colour'",
    ),
    ("edit with no =", ["edit", "markup", "--set", "title", "--archive", "ARCHIVE"], 3, "FIELD=VALUE"),
    ("edit a bad date", ["edit", "markup", "--set", "date_written=someday", "--archive", "ARCHIVE"], 3, "not a date"),
    ("edit a missing document", ["edit", "nothere", "--set", "title=x", "--archive", "ARCHIVE"], 4, "nothere"),
    (
        "accept a field not flagged",
        ["review", "accept", "markup", "title", "--archive", "ARCHIVE"],
        4,
        "not in the review queue",
    ),
    ("accept without a field", ["review", "accept", "markup", "--archive", "ARCHIVE"], 2, "ID FIELD"),
    (
        "accept an unknown batch",
        ["review", "accept", "--batch", "x", "--field", "title", "--archive", "ARCHIVE"],
        3,
        "no batch",
    ),
    ("revert to a missing version", ["revert", "markup", "--to", "7", "--archive", "ARCHIVE"], 4, "no version 7"),
    ("withdraw without a reason", ["withdraw", "markup", "--archive", "ARCHIVE"], 2, "--reason"),
    ("restore what is not withdrawn", ["restore", "markup", "--archive", "ARCHIVE"], 3, "not withdrawn"),
    (
        "merge one with itself",
        ["merge", "markup", "markup", "--keep", "markup", "--archive", "ARCHIVE"],
        3,
        "one document",
    ),
    ("join one with itself", ["join", "markup", "markup", "--archive", "ARCHIVE"], 3, "one document"),
    ("join a missing document", ["join", "markup", "nothere", "--archive", "ARCHIVE"], 4, "nothere"),
    ("join a withdrawn document", ["join", "markup", "gone", "--archive", "ARCHIVE"], 3, "gone is withdrawn"),
    ("split at the first block", ["split", "markup", "--at", "1", "--archive", "ARCHIVE"], 3, "out of range"),
    ("split past the last block", ["split", "markup", "--at", "4", "--archive", "ARCHIVE"], 3, "from 2 to 3"),
    ("split at no block's text", ["split", "markup", "--at", "无此段", "--archive", "ARCHIVE"], 3, "no block"),
    ("split without --at", ["split", "markup", "--archive", "ARCHIVE"], 2, "--at"),
    ("split a missing document", ["split", "nothere", "--at", "2", "--archive", "ARCHIVE"], 4, "nothere"),
    ("export in an unknown format", ["export", "--format", "xls", "--archive", "ARCHIVE"], 3, "jsonl, csv, akn-zip"),
    ("akn-zip to stdout", ["export", "--format", "akn-zip", "--archive", "ARCHIVE"], 3, "--out"),
    ("history of nothing", ["history", "nothere", "--archive", "ARCHIVE"], 4, "nothere"),
]


@pytest.mark.parametrize(("args", "code", "names"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_failure_is_one_line_and_its_exit_code(
    indexed: Archive, a_file: Path, tmp_path: Path, args: list[str], code: int, names: str
) -> None:
    places = {"ARCHIVE": str(indexed.root), "FILE": str(a_file), "NEW": str(tmp_path / "new"), "INPUT": str(a_file)}
    done = gazette(*(places.get(arg, arg) for arg in args))
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("gazette: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert places.get(names, names) in done.stderr
    assert "#" not in done.stderr  # messages cite no issue numbers
    assert not (tmp_path / "new").exists()  # refused before anything was stored


@pytest.mark.parametrize("args", [[], ["list", "--bogus"], ["show"], ["search", "x", "--limit", "abc"], ["serch"]])
def test_the_usage_errors_strangers_make_print_no_traceback(args: list[str]) -> None:
    done = gazette(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout


def test_no_arguments_prints_the_help_and_exits_2() -> None:
    done = gazette()
    assert done.returncode == 2 and "Usage" in done.stdout + done.stderr and "search" in done.stdout + done.stderr


def test_a_query_may_start_with_an_exclusion(indexed: Archive) -> None:
    root = str(indexed.root)
    shown = [
        gazette("search", "-国务院", "--json", "--archive", root),
        gazette("search", "--json", "--archive", root, "--", "-国务院"),
    ]
    assert [done.returncode for done in shown] == [0, 0], shown[0].stderr
    assert json.loads(shown[0].stdout) == json.loads(shown[1].stdout)
    assert {hit["id"] for hit in json.loads(shown[0].stdout)["hits"]} == {"markup", "粤办函〔2016〕629号"}
    narrowed = gazette("search", "-通报 阳光政务", "--archive", root, "--limit", "1", "--json")
    assert [hit["id"] for hit in json.loads(narrowed.stdout)["hits"]] == ["粤办函〔2016〕629号"]
    assert (
        gazette("search", "--limit", "-3", "x", "--archive", root).returncode == 2
    )  # an option's value stays its value


def test_document_values_are_never_read_as_rich_markup(indexed: Archive) -> None:
    root = str(indexed.root)
    for args, shown in (
        (["list"], MARKUP_TITLE),
        (["search", "标记"], MARKUP_TITLE),
        (["review"], "[red]under a seal[/]"),
    ):
        done = gazette(*args, "--archive", root)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert shown in done.stdout, args


@pytest.fixture
def broken_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """`gazette list` with a bug in it."""

    def fail(self: Archive, *args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Archive, "documents", fail)


def test_a_bug_is_one_line_with_its_traceback_in_the_archive_logs(
    archive: Archive, broken_list: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["list", "--archive", str(archive.root)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("gazette: error: unexpected RuntimeError: boom (traceback written to ")
    assert error.count("\n") == 1 and "Traceback" not in error
    (log,) = (archive.root / "logs").iterdir()
    assert str(log) in error
    assert log.read_text("utf-8").startswith("Traceback") and "RuntimeError: boom" in log.read_text("utf-8")
    assert archive.verify() == []  # logs/ lies outside the bag's payload


def test_debug_prints_the_traceback_too(
    archive: Archive, broken_list: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--debug", "list", "--archive", str(archive.root)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Traceback") and "RuntimeError: boom" in error
    assert error.splitlines()[-1].startswith("gazette: error: unexpected RuntimeError: boom (traceback written to ")
    assert len(list((archive.root / "logs").iterdir())) == 1


def test_where_the_log_cannot_be_written_the_traceback_goes_to_stderr(
    archive: Archive, broken_list: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (archive.root / "logs").write_text("")  # a file where the folder would go: as unwritable as a read-only archive
    monkeypatch.setenv("GAZETTE_ARCHIVE", str(archive.root))
    assert run(["list"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Traceback") and "RuntimeError: boom" in error
    assert error.splitlines()[-1] == "gazette: error: unexpected RuntimeError: boom (traceback above)"


def test_write_traceback_writes_only_into_an_archive(tmp_path: Path, archive: Archive) -> None:
    try:
        raise ValueError("bad value")
    except ValueError as error:
        assert write_traceback(tmp_path / "elsewhere", error) is None
        written = write_traceback(archive.root, error)
    assert not (tmp_path / "elsewhere").exists()
    assert (
        written is not None and written.parent == archive.root / "logs" and written.name.endswith(f"-{os.getpid()}.log")
    )
    assert "ValueError: bad value" in written.read_text("utf-8")
