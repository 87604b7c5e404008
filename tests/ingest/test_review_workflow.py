"""The archivist's review on real ingested inputs: a two-page scan of 国办函〔1996〕14号 (its
seal and date in the upper half of page 2, which is scanned upside down) and an issue PDF
of the same document. Two pages of OCR, done once for the module."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gazette import akn
from gazette.archive import Archive
from gazette.cli import run
from gazette.fsutil import sha256_file
from ingest.batch import run_batch
from ingest.review import crop_for, field_box, queue_json, write_review_html
from samples.corpus import iter_corpus_documents, load_records
from samples.scans import CLEAN, ScanPage, scan_document, write_pages
from tests.ingest.issue_pdf import build_issue

DOC = "国办函〔1996〕14号"
BY = ["--by", "档案员甲"]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Path, tuple[ScanPage, ...]]:
    """The scan ingested into an archive of its own; page 2 is turned upside down before scanning."""
    folder = tmp_path_factory.mktemp("scan")
    truth = next(doc for doc in iter_corpus_documents() if doc.id == DOC)
    pages = scan_document(truth, CLEAN)
    turned = (pages[0], ScanPage(2, np.ascontiguousarray(pages[1].pixels[::-1, ::-1]), pages[1].lines))
    (scan,) = write_pages(turned, folder / "scan.tif")
    archive = Archive.create(folder / "archive")
    report = run_batch([scan], archive)
    assert report.files[0].status == "ingested", report.files[0].reason
    return archive, scan, tuple(pages)


@pytest.fixture
def archive(scanned: tuple[Archive, Path, tuple[ScanPage, ...]], tmp_path: Path) -> Archive:
    """A copy of the scanned archive, for a test to change."""
    shutil.copytree(scanned[0].root, tmp_path / "archive")
    return Archive.open_existing(tmp_path / "archive")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = run(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_correcting_a_scan_keeps_fixity_history_search_and_review_in_step(
    archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--archive", str(archive.root)]
    original = archive.find_original(archive.get_document(DOC).source.sha256)
    before = sha256_file(original)
    _out(capsys, "index", *where)
    old_title = archive.get_document(DOC).title
    assert _out(capsys, "search", f'"{old_title}"', *where, "--json").count('"id"') == 1
    # Flag the three fields, as a doubtful reading would, then correct them.
    _out(capsys, "edit", DOC, "--set", "title=旧标题占位", *where, *BY)  # a first version to come back from
    _out(
        capsys,
        "edit",
        DOC,
        "--set",
        "title=国务院办公厅关于粤港澳合建自动气象站网的复函",
        "--set",
        "date_written=1996-02-07",
        "--set",
        "issuer=国务院办公厅,中央军委办公厅",
        "--reason",
        "核对原件",
        *where,
        *BY,
    )

    assert _out(capsys, "verify", *where).startswith(str(archive.root))
    shown = json.loads(_out(capsys, "show", DOC, "--json", *where))
    assert shown["title"] == "国务院办公厅关于粤港澳合建自动气象站网的复函"
    assert shown["date_written"] == "1996-02-07" and shown["issuer"] == ["国务院办公厅", "中央军委办公厅"]
    assert shown["version"] == 3
    xml = _out(capsys, "show", DOC, "--xml", *where).encode("utf-8")
    akn.assert_valid(xml)
    assert b"<lifecycle" in xml and b'type="amendment"' in xml and "核对原件".encode() in xml
    assert "档案员甲".encode() in xml and old_title.encode() in xml  # who, and the old value
    hits = json.loads(_out(capsys, "search", "粤港澳合建自动气象站网", *where, "--json"))
    assert [hit["id"] for hit in hits["hits"]] == [DOC]
    assert json.loads(_out(capsys, "search", '"旧标题占位"', *where, "--json"))["total"] == 0
    assert json.loads(_out(capsys, "search", f'"{old_title}"', *where, "--json"))["total"] == 0
    queue = json.loads(_out(capsys, "review", "--json", *where))
    assert not [item for item in queue if item["field"] in ("title", "date_written", "issuer")]
    assert sha256_file(original) == before
    history = _out(capsys, "history", DOC, *where)
    assert "version 3" in history and "1996-02-06 → 1996-02-07" in history
    _out(capsys, "revert", DOC, "--to", "1", *where, *BY)
    assert json.loads(_out(capsys, "show", DOC, "--json", *where))["title"] == old_title
    assert sorted(archive.versions(DOC)) == [1, 2, 3] and not archive.verify()


def test_review_accept_and_fix_settle_a_flagged_field(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import replace

    from gazette.model import ReviewFlag

    doc = archive.get_document(DOC)
    flags = (ReviewFlag("title", "confidence 0.70"), ReviewFlag("date_written", "under the seal"))
    archive.put_document(replace(doc, needs_review=flags))
    archive.flush()
    where = ["--archive", str(archive.root)]
    _out(capsys, "review", "accept", DOC, "title", *where, *BY)
    _out(capsys, "review", "fix", DOC, "date_written", "一九九六年二月七日", *where, *BY)
    assert json.loads(_out(capsys, "review", "--json", *where)) == []
    doc = archive.get_document(DOC)
    assert [(c.action, c.field) for c in doc.changes] == [
        ("accept", "title"),
        ("fix", "date_written"),
        ("fix", "date_written_printed"),
    ]
    assert doc.date_written == "1996-02-07" and doc.date_written_printed == "一九九六年二月七日"
    assert doc.confidence["title"] == 1.0 and doc.version == 3
    assert not archive.verify()


def _contains(outer: tuple[int, int, int, int], inner: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


@pytest.mark.parametrize("field", ["doc_number", "title", "date_written", "issuer"])
def test_review_crops_show_the_stored_box_of_the_field_on_the_upright_page(
    scanned: tuple[Archive, Path, tuple[ScanPage, ...]], field: str
) -> None:
    archive, _, pages = scanned
    doc = archive.get_document(DOC)
    stored = field_box(doc, field)
    assert stored is not None
    crop = crop_for(archive, doc, field)
    assert crop is not None and crop.source == "page image" and crop.page == stored.page
    line = tuple(v * crop.scale for v in (stored.x0, stored.y0, stored.x1, stored.y1))
    assert _contains(crop.box, line)  # the crop holds the line the field was read from
    # …on the upright page: where the generator drew that line, though page 2 was scanned upside down.
    needle = {
        "doc_number": doc.doc_number_printed[:6],
        "title": doc.title[6:12],
        "date_written": doc.date_written_printed[:6],
        "issuer": (doc.signature or doc.issuer)[0][:6],
    }[field]
    drawn = next(line for line in pages[stored.page - 1].lines if needle in line.text)
    assert abs(drawn.box[1] - line[1]) < 40 and abs(drawn.box[0] - line[0]) < 60
    if field == "date_written":
        assert stored.page == 2 and line[1] < 0.5 * pages[1].pixels.shape[0]  # in the upper half


def test_review_html_is_one_chinese_page_per_document_with_crops_and_commands(archive: Archive, tmp_path: Path) -> None:
    from dataclasses import replace

    from gazette.model import ReviewFlag

    doc = archive.get_document(DOC)
    flags = (ReviewFlag("title", "<b>置信度</b> 0.70"), ReviewFlag("date_written", "印章压字"))
    archive.put_document(replace(doc, needs_review=flags))
    archive.flush()
    index = write_review_html(archive, tmp_path / "review")
    (page,) = sorted((tmp_path / "review").glob("doc-*.html"))
    html = page.read_text("utf-8")
    for words in (
        "文号",
        "标题",
        "发文机关",
        "成文日期",
        "待核原因",
        "机器读取",
        "gazette review accept",
        "gazette review fix",
        "&lt;b&gt;置信度&lt;/b&gt;",
    ):
        assert words in html
    assert "<b>置信度" not in html
    crops = sorted((tmp_path / "review").glob("doc-*.png"))
    assert len(crops) == 2
    with Image.open(crops[1]) as crop:  # the date's crop: a band around one line, not half a page
        assert crop.height < 400
    text = index.read_text("utf-8")
    assert "2 项" in text and DOC in text and "批次" in text
    assert queue_json(archive)[0]["batch"].endswith("-ingest")


def test_a_pdf_and_a_scan_of_one_document_are_one_document_with_two_readings(
    archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = next(r for r in load_records() if r["doc_number"] == DOC)
    pdf = tmp_path / "issue.pdf"
    build_issue([record], pdf)
    where = ["--archive", str(archive.root)]
    assert run(["ingest", str(pdf), *where]) == 0
    capsys.readouterr()
    docs = {doc.id: doc for doc in archive.documents()}
    (reading,) = [i for i in docs if i != DOC]
    assert docs[DOC].readings == (reading,) and docs[reading].reading_of == DOC
    first = docs[DOC].source.file
    hits = json.loads(_out(capsys, "search", "自动气象站网", *where, "--json"))
    assert [hit["id"] for hit in hits["hits"]] == [DOC]
    listed = _out(capsys, "list", *where)  # one row, marked with its other reading
    assert "1 documents" in listed and "+1 读本" in listed and reading.split("~")[1] in listed
    assert len(json.loads(_out(capsys, "list", "--all", "--json", *where))) == 2
    # merge switches which reading is the document; its id stays the 文号.
    _out(capsys, "merge", DOC, reading, "--keep", reading, *where, *BY)
    docs = {doc.id: doc for doc in archive.documents()}
    assert docs[DOC].source.file != first and docs[reading].source.file == first
    assert docs[DOC].readings == (reading,) and docs[reading].reading_of == DOC
    hits = json.loads(_out(capsys, "search", "自动气象站网", *where, "--json"))
    assert [hit["id"] for hit in hits["hits"]] == [DOC]
    # withdraw and restore round-trip; withdrawn, it is in no search and no export.
    _out(capsys, "withdraw", DOC, "--reason", "重复收录", *where, *BY)
    assert json.loads(_out(capsys, "search", "自动气象站网", *where, "--json"))["total"] == 0
    assert DOC not in _out(capsys, "export", "--format", "jsonl", *where)
    assert "已撤回" in _out(capsys, "list", *where)
    _out(capsys, "restore", DOC, *where, *BY)
    assert json.loads(_out(capsys, "search", "自动气象站网", *where, "--json"))["total"] == 1
    exported = [json.loads(line) for line in _out(capsys, "export", "--format", "jsonl", *where).splitlines()]
    assert [doc["id"] for doc in exported] == [DOC]
    assert archive.document_path(DOC).exists() and not archive.verify()
