"""Issue data at ingest: an <officialGazette> for every issue, from the cover, issue.toml or the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import ExitCode
from gazette.model import Issue
from ingest.batch import run_batch
from tests.ingest.issue_pdf import GAZETTE, Truth
from tests.ingest.test_batch_grouping import split_pdf

TOML = '[issue]\ngazette = "国务院公报"\nyear = 2019\nnumber = 6\ntotal = 1651\n'


def only_issue(archive: Archive) -> Issue:
    (issue,) = archive.issues()
    return issue


def in_order(archive: Archive) -> list[str]:
    return [doc.id for doc in sorted(archive.documents(), key=lambda d: d.pages)]


def test_an_issue_read_from_its_cover_is_written_with_its_documents_in_order(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([small_issue[0]], archive, workers=1)
    issue = only_issue(archive)
    assert (issue.name, issue.year, issue.number, issue.total_number, issue.date) == (
        GAZETTE,
        2019,
        5,
        1650,
        "2019-02-20",
    )
    assert [entry.document_id for entry in issue.entries] == in_order(archive)
    assert [entry.doc_number for entry in issue.entries] == [t.doc_number for t in small_issue[1]]
    # Each entry names the printed page its document starts on, as the folios and the contents print it.
    assert [entry.page for entry in issue.entries] == [t.page for t in small_issue[1]] != [None] * 4
    assert issue.source is not None and issue.source.file == small_issue[0].name
    assert any(note.startswith(f"issue {issue.id} stored with 4 document(s)") for note in report.files[0].notes)
    assert not archive.verify()


def test_issue_toml_beside_the_pages_wins_over_the_cover_and_the_command_line_over_both(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(small_issue[0], folder / "issue.pdf")
    (folder / "issue.toml").write_text(TOML, "utf-8")
    archive = tmp_path / "archive"
    assert run(["ingest", str(folder), "--json", "--archive", str(archive)]) == 0
    report = json.loads(capsys.readouterr().out)
    issue = only_issue(Archive.open(archive))
    assert (issue.name, issue.number, issue.total_number, issue.date) == ("国务院公报", 6, 1651, "2019-02-20")
    notes = [note for f in report["files"] for note in f["notes"]]
    assert "issue number: 6 from issue.toml, 5 from the cover; 6 kept" in notes
    assert "issue total: 1651 from issue.toml, 1650 from the cover; 1651 kept" in notes
    docs = list(Archive.open(archive).documents())
    assert {(d.gazette.name, d.gazette.issue) for d in docs if d.gazette} == {("国务院公报", 6)}

    again = tmp_path / "again"
    args = [
        "ingest",
        str(folder),
        "--gazette",
        "国务院公报",
        "--year",
        "2019",
        "--number",
        "7",
        "--archive",
        str(again),
    ]
    assert run(args) == 0
    assert "issue number: 7 from the command line, 6 from issue.toml; 7 kept" in capsys.readouterr().err
    assert only_issue(Archive.open(again)).number == 7


def test_an_issue_as_one_file_and_as_a_folder_of_pages_gives_one_official_gazette(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    whole, pages = Archive.create(tmp_path / "whole"), Archive.create(tmp_path / "pages")
    run_batch([small_issue[0]], whole, workers=1)
    split_pdf(small_issue[0], tmp_path / "in", "{number:04d}.pdf")
    (tmp_path / "in" / "issue.toml").write_text(
        TOML.replace("number = 6", "number = 5").replace("1651", "1650"), "utf-8"
    )
    run_batch([tmp_path / "in"], pages, workers=1, group="folder")
    one, other = only_issue(whole), only_issue(pages)
    assert in_order(whole) == in_order(pages)
    assert (one.year, one.number, one.total_number, one.date, one.entries) == (
        other.year,
        other.number,
        other.total_number,
        other.date,
        other.entries,
    )
    assert other.source is not None and len(other.source.parts) == other.source.pages


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--gazette", "国务院公报", "--year", "99999", "--number", "5"], "--year must be a year from 1800 to 2200"),
        (
            ["--gazette", "国务院公报", "--year", "1996", "--number", "0"],
            "--number must be a whole number of 1 or more",
        ),
        (["--gazette", "国务院公报", "--year", "1996", "--number", "5", "--date", "3月"], "--date '3月' is not a date"),
        (["--gazette", "国务院公报", "--year", "1996"], "--number is missing"),
        (["--total", "12"], "--gazette is missing"),
    ],
)
def test_bad_issue_options_are_one_line_before_anything_is_read(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ingest", str(tmp_path), *options, "--archive", str(tmp_path / "a")]) == ExitCode.bad_input
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[issue]\ngazette = "公报"\nyear = 1996\nnumber = 5\nvolume = 2\n', "[issue] has an unknown key 'volume'"),
        ('[issue]\ngazette = "公报"\nyear = 99999\nnumber = 5\n', "[issue] year must be a year"),
        ("[issue\n", "cannot read the issue file"),
    ],
)
def test_a_bad_issue_toml_fails_the_pages_beside_it_in_one_line(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path, toml: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(small_issue[0], folder / "issue.pdf")
    (folder / "issue.toml").write_text(toml, "utf-8")
    assert run(["ingest", str(folder), "--archive", str(tmp_path / "a")]) == ExitCode.bad_input
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and message in failed[0] and "issue.toml" in failed[0]
    assert list(Archive.open(tmp_path / "a").documents()) == []


def test_without_a_cover_the_running_heads_give_the_issue(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    source = pdfium.PdfDocument(str(small_issue[0]))
    coverless = pdfium.PdfDocument.new()
    coverless.import_pages(source, list(range(1, len(source))))
    coverless.save(str(tmp_path / "no-cover.pdf"))
    coverless.close()
    source.close()
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([tmp_path / "no-cover.pdf"], archive, workers=1)
    issue = only_issue(archive)
    assert (issue.name, issue.year, issue.number, issue.total_number, issue.date) == (GAZETTE, 2019, 5, None, "")
    assert [entry.document_id for entry in issue.entries] == in_order(archive)
    assert not [note for note in report.files[0].notes if note.startswith("issue ") and "kept" in note]


def test_an_issue_stored_from_another_source_is_kept_and_the_new_one_stored_beside_it(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    archive = Archive.create(tmp_path / "archive")
    run_batch([small_issue[0]], archive, workers=1)
    split_pdf(small_issue[0], tmp_path / "pages", "p{number}.pdf")
    report = run_batch([tmp_path / "pages"], archive, workers=1, group="stem")
    ids = sorted(issue.id for issue in archive.issues())
    assert len(ids) == 2 and ids[0] == f"{GAZETTE}-2019-5" and ids[1].startswith(f"{GAZETTE}-2019-5~")
    (note,) = [n for f in report.files for n in f.notes if n.startswith("issue ")]
    assert f"issue {GAZETTE}-2019-5 is already stored from {small_issue[0].name}: kept apart as {ids[1]}" in note
