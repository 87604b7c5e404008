"""A source of one file per page: read as one, kept file by file, resumed as one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import ExitCode
from gazette.fsutil import sha256_file
from gazette.model import Document
from ingest.batch import run_batch
from ingest.grouping import group_identity
from ingest.review import crop_for, write_crop
from tests.ingest.issue_pdf import Truth


def split_pdf(pdf: Path, folder: Path, name: str) -> list[Path]:
    """Each page of ``pdf`` as a PDF of its own, named ``name`` formatted with its number."""
    folder.mkdir(parents=True, exist_ok=True)
    source = pdfium.PdfDocument(str(pdf))
    written = []
    try:
        for index in range(len(source)):
            page = pdfium.PdfDocument.new()
            page.import_pages(source, [index])
            target = folder / name.format(number=index + 1)
            page.save(str(target))
            page.close()
            written.append(target)
    finally:
        source.close()
    return written


def readings(archive: Archive) -> list[tuple[object, ...]]:
    docs: list[Document] = sorted(archive.documents(), key=lambda d: d.pages)
    return [(d.id, d.doc_number, d.title, d.issuer, d.date_written, d.pages, d.text) for d in docs]


@pytest.fixture(scope="module")
def whole(small_issue: tuple[Path, list[Truth]], tmp_path_factory: pytest.TempPathFactory) -> Archive:
    archive = Archive.create(tmp_path_factory.mktemp("whole") / "archive")
    run_batch([small_issue[0]], archive, workers=1)
    return archive


def test_an_issue_as_one_pdf_per_page_gives_the_same_documents(
    small_issue: tuple[Path, list[Truth]], whole: Archive, tmp_path: Path
) -> None:
    # Named so that p10 sorts after p9 only naturally; given in a shuffled order.
    files = split_pdf(small_issue[0], tmp_path / "pages", "issue-p{number}.pdf")
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([tmp_path / "pages"], archive, workers=1, group="stem")

    (outcome,) = report.files
    assert outcome.status == "ingested" and outcome.grouped_by == "stem"
    assert [Path(part).name for part in outcome.parts] == [f.name for f in files]
    assert any(f"read as one source of {len(files)} files (grouped by stem)" in note for note in outcome.notes)
    assert readings(archive) == readings(whole) and len(readings(archive)) == len(small_issue[1])
    # A document that runs over two page files is one document, with both pages' text.
    assert any(len(doc.pages) > 1 for doc in archive.documents())

    hashes = [sha256_file(f) for f in files]
    for doc in archive.documents():
        assert doc.source is not None and doc.source.sha256 == group_identity(hashes)
        assert [part.sha256 for part in doc.source.parts] == hashes
        assert doc.source.pages == len(files) and doc.source.file == f"{files[0].name} … {files[-1].name}"
    for sha in hashes:  # each page file is kept untouched
        kept = archive.find_original(sha)
        assert kept is not None and sha256_file(kept) == sha
    assert not [p for p in archive.verify() if "reports" not in p.path]

    again = run_batch([tmp_path / "pages"], archive, workers=1, group="stem")
    assert [(f.status, f.reason) for f in again.files] == [("skipped", "already in the archive")]
    assert again.files[0].parts == outcome.parts
    # Another grouping of the same files is another source: read again, it is not "done".
    apart = run_batch([tmp_path / "pages"], archive, workers=1, group="file")
    assert {f.status for f in apart.files} == {"ingested", "skipped"} and len(apart.files) == len(files)


def test_a_bad_page_file_is_reported_and_the_other_pages_are_read(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    files = split_pdf(small_issue[0], tmp_path / "pages", "{number:04d}.pdf")
    (tmp_path / "pages" / "0099.pdf").write_bytes(b"%PDF-1.4 truncated")
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([tmp_path / "pages"], archive, workers=1, group="folder")
    failed, ingested = report.failed, [f for f in report.files if f.status == "ingested"]
    assert [Path(f.file).name for f in failed] == ["0099.pdf"]
    assert "a page of" in failed[0].reason and "\n" not in failed[0].reason
    assert len(ingested) == 1 and len(ingested[0].parts) == len(files) and ingested[0].grouped_by == "folder"


def test_cli_json_report_says_how_files_were_grouped(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    split_pdf(small_issue[0], tmp_path / "pages", "scan_{number:04d}.pdf")
    archive = str(tmp_path / "archive")
    assert run(["ingest", str(tmp_path / "pages"), "--group", "stem", "--json", "--archive", archive]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["grouping"] == "stem"
    (source,) = report["files"]
    assert source["grouped_by"] == "stem" and len(source["parts"]) == source["pages"]
    assert run(["ingest", str(tmp_path / "pages"), "--group", "pages", "--archive", archive]) == ExitCode.bad_input
    assert "--group takes auto, file, stem, folder" in capsys.readouterr().err


def test_files_of_several_pages_named_like_pages_stay_sources_of_their_own(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source = pdfium.PdfDocument(str(small_issue[0]))
    try:
        for number, pages in ((1, [0, 1, 2]), (2, [3, 4])):
            part = pdfium.PdfDocument.new()
            part.import_pages(source, pages)
            part.save(str(folder / f"issue-{number}.pdf"))
            part.close()
    finally:
        source.close()
    report = run_batch([folder], Archive.create(tmp_path / "archive"), workers=1, group="stem")
    assert [(Path(f.file).name, f.grouped_by, f.parts) for f in report.files] == [
        ("issue-1.pdf", "file", ()),
        ("issue-2.pdf", "file", ()),
    ]


def test_a_grouped_source_killed_before_its_index_is_done_by_the_rerun(
    small_issue: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    split_pdf(small_issue[0], tmp_path / "pages", "p{number}.pdf")
    archive = Archive.create(tmp_path / "archive")

    def killed(docs: list[Document]) -> None:
        raise KeyboardInterrupt  # the process dies after storing, before indexing

    with pytest.raises(KeyboardInterrupt):
        run_batch([tmp_path / "pages"], archive, workers=1, group="stem", on_documents=killed)
    stored = sorted(doc.id for doc in archive.documents())
    assert len(stored) == len(small_issue[1])
    indexed: list[str] = []
    again = run_batch(
        [tmp_path / "pages"], archive, workers=1, group="stem", on_documents=lambda d: indexed.extend(x.id for x in d)
    )
    assert again.summary()["skipped"] == 0 and sorted(indexed) == stored
    assert sorted(doc.id for doc in archive.documents()) == stored  # read again: the same ids, nothing doubled
    assert len(list(archive.issues())) == 1  # the same issue from the same source, written again in place
    assert run_batch([tmp_path / "pages"], archive, workers=1, group="stem").summary()["skipped"] == 1
    assert not [p for p in archive.verify() if "reports" not in p.path]


def test_a_grouped_pdf_source_gets_its_review_crops_from_the_file_holding_each_page(
    small_issue: tuple[Path, list[Truth]], whole: Archive, tmp_path: Path
) -> None:
    split_pdf(small_issue[0], tmp_path / "pages", "issue-p{number}.pdf")
    archive = Archive.create(tmp_path / "archive")
    run_batch([tmp_path / "pages"], archive, workers=1, group="stem")
    doc = next(d for d in archive.documents() if len(d.pages) > 1)  # its date on a file after its title's
    one = whole.get(doc.id)
    # Stored boxes, and (a document stored without them) a search of the text layer of each page's file.
    for field in ("title", "date_written", "body"):
        for grouped, alone in ((doc, one), (replace(doc, field_origins={}), replace(one, field_origins={}))):
            crop, expected = crop_for(archive, grouped, field), crop_for(whole, alone, field)
            assert crop is not None and expected is not None and crop.source == "pdf"
            assert (crop.page, crop.box) == (expected.page, expected.box)
            write_crop(archive, grouped, crop, tmp_path / "grouped.png")
            write_crop(whole, alone, expected, tmp_path / "whole.png")
            with Image.open(tmp_path / "grouped.png") as got, Image.open(tmp_path / "whole.png") as want:
                assert got.size == want.size and got.width > 100
                assert np.array_equal(np.asarray(got), np.asarray(want)), field
    date = crop_for(archive, doc, "date_written")
    assert date is not None and date.page == doc.pages[-1] != doc.pages[0]
