from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from tests.gazette.conftest import make_document

CONTRACT_KEYS = {
    "id",
    "doc_number",
    "doc_number_printed",
    "title",
    "issuer",
    "doc_type",
    "date_written",
    "date_published",
    "index_number",
    "category",
    "subject_words",
    "recipients",
    "disclosure",
    "gazette",
    "pages",
    "source",
    "confidence",
    "needs_review",
}
# Keys the archivist's review added (docs/archivists.md): the contract's keys stay as they are.
REVIEW_KEYS = {"status", "status_by", "withdrawn", "reading_of", "readings", "version"}
# The year filters use, and whether it was derived from the 文号 (docs/archivists.md).
YEAR_KEYS = {"year", "year_derived"}


@pytest.fixture
def filled(archive: Archive) -> Archive:
    archive.put_document(make_document())
    archive.put_document(
        make_document(
            id="国发〔2019〕3号",
            doc_number="国发〔2019〕3号",
            title="国务院关于促进综合保税区高水平开放高质量发展的若干意见",
        )
    )
    archive.flush()
    return archive


def test_list_json_has_the_contract_keys(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["list", "--json", "--archive", str(filled.root)]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [set(doc) for doc in docs] == [CONTRACT_KEYS | REVIEW_KEYS | YEAR_KEYS] * 2
    gd = next(doc for doc in docs if doc["id"] == "粤办函〔2016〕629号")
    assert gd["needs_review"] == ["date_written"] and gd["issuer"] == ["广东省人民政府办公厅"]
    assert gd["gazette"] == {"name": "广东省人民政府公报", "year": 2016, "issue": 35, "total": None}


def test_archive_comes_from_the_environment(
    filled: Archive, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAZETTE_ARCHIVE", str(filled.root))
    assert run(["list"]) == 0
    assert "2 documents" in capsys.readouterr().out


def test_show_in_three_forms(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(filled.root)
    assert run(["show", "粤办函[2016]629号", "--archive", root]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[1] == "广东省人民政府办公厅关于推进阳光政务建设工作的通知"
    assert "\u3000\u3000为贯彻落实" in text and text.rstrip().endswith("2016年12月12日")

    assert run(["show", "粤办函〔2016〕629号", "--json", "--archive", root]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["doc_number"] == "粤办函〔2016〕629号" and "一、推动决策公开" in shown["text"]

    assert run(["show", "粤办函〔2016〕629号", "--xml", "--archive", root]) == 0
    assert "<docNumber>粤办函〔2016〕629号</docNumber>" in capsys.readouterr().out


def test_show_unknown_document_is_one_line(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "nope", "--archive", str(filled.root)]) == 4
    error = capsys.readouterr().err.strip()
    assert error.startswith("gazette: error:") and "nope" in error and "\n" not in error


def test_verify_passes_then_names_the_damage(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(filled.root)
    assert run(["verify", "--archive", root]) == 0
    doc_path = filled.document_path("国发〔2019〕3号")
    doc_path.unlink()
    assert run(["verify", "--archive", root]) == 5
    assert "国发〔2019〕3号.xml: missing" in capsys.readouterr().err
    assert run(["verify", "--json", "--archive", root]) == 5
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"][0]["kind"] == "missing"


def test_missing_archive_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["list", "--archive", str(tmp_path / "none")]) == 4
    assert "no gazette archive here" in capsys.readouterr().err


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("demo", "ingest", "list", "show", "index", "search", "publish", "verify", "serve", "review"):
        assert run([command, "--help"]) == 0, command
        assert "Usage" in capsys.readouterr().out


def test_the_installed_command_runs_and_fails_cleanly(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gazette", "show", "x", "--archive", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_demo_loads_lists_publishes_and_verifies_the_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["demo", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert captured.err == ""
    for expected in (
        "粤办函〔2016〕629号",
        "2016-12-12",
        "国发〔2019〕3号",
        "2019-01-12",
        "ok: every file",
        "国家发展改革委办公厅、税务总局办公厅",
        "1–1 of 1 documents",
    ):
        assert expected in printed
    archive = Archive.open_existing(tmp_path / "archive")
    # Six samples, the born-digital input, the scan of a loaded sample (a second reading of it;
    # the saved page is a sample read from that same original: it replaces its own reading),
    # and the Word draft the publish step stored; the published issue replaces the sample's.
    ids = sorted(doc.id for doc in archive.documents())
    assert len(ids) == 9 and "粤办函〔2019〕6号" in ids and len(list(archive.issues())) == 1
    scan = [i for i in ids if i.startswith("国办函〔1996〕14号")][1]
    assert scan.startswith("国办函〔1996〕14号~")
    assert archive.get_document(scan).reading_of == "国办函〔1996〕14号"
    assert archive.get_document("国办函〔1996〕14号").readings == (scan,)
    assert archive.verify() == []
    # The last step publishes the sample issue and the Word draft, signed, and verifies it.
    from publish.signing import verify_pdf

    published = tmp_path / "published"
    assert f"issue:     {published / 'issue.pdf'}" in printed
    assert "verified 8 PDFs" in printed and "粤办函〔2019〕6号 from Word" in printed
    pem = (tmp_path / "keys" / "signer.pem").read_bytes()
    assert verify_pdf((published / "issue.pdf").read_bytes(), "issue.pdf", [pem]).ok
    sums = (published / "SHA256SUMS").read_text("utf-8").splitlines()
    assert len(sums) == 8 and sums[-1].endswith("  issue.pdf")
    assert (published / "documents" / "粤办函〔2019〕6号.pdf").is_file()
    assert run(["verify", str(published / "issue.pdf"), "--trust", str(tmp_path / "keys" / "signer.pem")]) == 0


def test_serve_without_an_archive_says_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "--archive", str(tmp_path)]) == 4
    error = capsys.readouterr().err
    assert "no gazette archive here" in error and error.count("\n") == 1


def test_a_truncated_document_gives_a_one_line_error_naming_the_file(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled.document_path("国发〔2019〕3号")
    path.write_bytes(path.read_bytes()[:300])
    assert run(["show", "国发〔2019〕3号", "--archive", str(filled.root)]) == 3
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(path) in error.replace("\n", "")
    assert run(["verify", "--archive", str(filled.root)]) == 5
    assert "国发〔2019〕3号.xml: altered" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("gazette 0.")


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["index"], ["index", "--rebuild"], ["review"]])
def test_one_damaged_document_file_is_named_and_the_rest_still_served(
    filled: Archive, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled.document_path("国发〔2019〕3号")
    path.write_bytes(path.read_bytes()[:300])
    assert run([*command, "--archive", str(filled.root)]) == 5
    printed = capsys.readouterr()
    assert "国发〔2019〕3号.xml" in printed.err and printed.err.count("\n") == 1
    if command[0] == "list":
        assert "粤办函〔2016〕629号" in printed.out
    if command[0] == "index":
        assert "1 documents indexed" in printed.out
    if command[0] == "review":
        assert "date_written" in printed.out


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "archive" / "my-notes.txt"
    mine.parent.mkdir()
    mine.write_text("keep me")
    assert run(["demo", "--out", str(tmp_path)]) == 3
    assert "not an archive `gazette demo` made" in capsys.readouterr().err
    assert mine.read_text() == "keep me"
