from pathlib import Path

import bagit
import pikepdf
import pytest

from gazette.archive import Archive
from gazette.chars import shown_path
from gazette.cli import run
from gazette.fsutil import sha256_file
from ingest.batch import run_batch
from ingest.review import crop_for, field_box
from samples.corpus import load_records
from tests.ingest.issue_pdf import build_issue
from tests.ingest.test_intake import png_header


def test_bad_inputs_fail_one_line_each_and_the_batch_goes_on(pdf397: Path, guangdong: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    run_batch([pdf397], archive)
    before = {path: sha for path, sha in archive.manifest().items()}

    bad = tmp_path / "in"
    bad.mkdir()
    with pikepdf.open(pdf397) as pdf:
        pdf.save(bad / "1-locked.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    (bad / "2-cut.pdf").write_bytes(pdf397.read_bytes()[:30000])
    (bad / "3-empty.pdf").write_bytes(b"")
    (bad / "4-bomb.png").write_bytes(png_header(30000, 30000))
    (bad / "5-page.pdf").write_bytes(guangdong.read_bytes())  # a text page named .pdf
    report = run_batch([bad], archive)

    failed = {Path(f.file).name: f.reason for f in report.failed}
    assert set(failed) == {"1-locked.pdf", "2-cut.pdf", "3-empty.pdf", "4-bomb.png"}
    assert all("\n" not in reason and name in reason for name, reason in failed.items())
    page = next(f for f in report.files if f.file.endswith("5-page.pdf"))
    assert page.status == "ingested" and any("named .pdf but is TEXT" in note for note in page.notes)
    after = archive.manifest()
    assert all(after[path] == sha for path, sha in before.items())
    assert not [p for p in archive.verify() if p.kind != "unexpected" or "reports" not in p.path]
    assert report.summary()["documents"] == 1


def test_a_file_already_ingested_is_skipped(pdf397: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    assert run_batch([pdf397], archive).summary()["documents"] == 1
    again = run_batch([pdf397], archive)
    assert again.summary()["skipped"] == 1 and again.summary()["documents"] == 0
    bagit.Bag(str(archive.root)).validate()  # any BagIt tool accepts the bag after ingest


def test_cli_ingest_and_review(pdf397: Path, guangdong: Path, tmp_path: Path, capsys) -> None:
    archive = str(tmp_path / "archive")
    assert run(["ingest", str(pdf397), str(guangdong), "--archive", archive]) == 0
    assert run(["list", "--archive", archive, "--json"]) == 0
    assert "发改办财金规〔2019〕860号" in capsys.readouterr().out
    assert run(["review", "--archive", archive]) == 0
    assert "0 fields need review" in capsys.readouterr().out
    assert run(["ingest", str(tmp_path / "missing.pdf"), "--archive", archive]) != 0


def test_two_originals_with_one_doc_number_both_stay(guangdong: Path, tmp_path: Path) -> None:
    # A second printing of the same 文号 (here: the saved page with one more line) must not replace the
    # first: its text agrees, so it is kept as a second reading of the document, linked both ways.
    reprint = tmp_path / "reprint.txt"
    reprint.write_text(guangdong.read_text("utf-8") + "\n（此件公开发布）\n", "utf-8")
    archive = Archive.create(tmp_path / "archive")
    (first,) = run_batch([guangdong], archive).files[0].documents
    (second,) = run_batch([reprint], archive).files[0].documents
    assert first == "粤办函〔2016〕629号" and second.startswith("粤办函〔2016〕629号~")
    assert archive.get_document(first).source.file == guangdong.name
    kept = archive.get_document(second)
    assert kept.doc_number == "粤办函〔2016〕629号" and kept.reading_of == first
    assert archive.get_document(first).readings == (second,)
    assert run_batch([reprint], archive).summary()["skipped"] == 1
    assert not archive.verify()


def test_one_doc_number_on_two_different_texts_is_a_conflict_for_review(guangdong: Path, tmp_path: Path) -> None:
    # A misread 文号 that matches another document's: both stay documents, each flagged, never merged.
    text = guangdong.read_text("utf-8")
    other = tmp_path / "other.txt"
    head, _, _ = text.partition("为贯彻落实")
    other.write_text(
        head + "为做好防汛抗旱工作，保障人民群众生命财产安全，现就加强汛期值班和信息报送工作通知如下。"
        "各地要严格执行二十四小时值班制度，遇有重大汛情险情要及时报告。\n\n广东省人民政府办公厅\n"
        "2016年12月12日\n",
        "utf-8",
    )
    archive = Archive.create(tmp_path / "archive")
    (first,) = run_batch([guangdong], archive).files[0].documents
    (second,) = run_batch([other], archive).files[0].documents
    assert second.startswith(first + "~")
    a, b = archive.get_document(first), archive.get_document(second)
    assert a.reading_of is None and b.reading_of is None and not a.readings
    assert any(f.field == "doc_number" and f.reason.startswith("冲突") and second in f.reason for f in a.needs_review)
    assert any(f.field == "doc_number" and f.reason.startswith("冲突") and first in f.reason for f in b.needs_review)
    assert not archive.verify()


def test_control_characters_in_one_document_lose_nothing(tmp_path: Path) -> None:
    """NUL, other C0 controls, U+FFFE and a Ctrl-Z in one document of a multi-document PDF:
    dropped where the text enters and counted; every document stored and indexed."""
    from samples.corpus import load_records
    from tests.ingest.issue_pdf import build_issue

    records = [dict(record) for record in (load_records()[i] for i in (8, 9, 10))]
    body = records[1]["body"].split("\n")
    body[0] = body[0][:6] + "\x00\x01" + body[0][6:12] + "\x1f\ufffe" + body[0][12:] + "\x1a"
    records[1]["body"] = "\n".join(body)
    issue = tmp_path / "issue.pdf"
    build_issue(records, issue)
    archive = Archive.create(tmp_path / "archive")
    indexed: list[str] = []
    report = run_batch([issue], archive, on_documents=lambda docs: indexed.extend(d.id for d in docs))
    ingested = report.files[0]
    assert ingested.status == "ingested" and len(ingested.documents) == 3
    assert sorted(indexed) == sorted(ingested.documents)
    dirty = archive.get_document(records[1]["doc_number"])
    assert dirty.provenance is not None and dirty.provenance.dropped_characters == 5
    assert not any(ch in dirty.text for ch in "\x00\x01\x1f\ufffe\x1a")
    clean = archive.get_document(records[0]["doc_number"])
    assert clean.provenance is not None and clean.provenance.dropped_characters == 0
    assert archive.verify() == []


def test_a_document_that_cannot_be_stored_is_kept_for_review_and_its_neighbours_are_stored(
    small_issue: tuple[Path, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gazette import akn
    from gazette.exceptions import InvalidDocumentError
    from ingest.review import review_queue

    path, truths = small_issue
    victim = truths[1].doc_number
    real = akn.document_to_xml

    def failing(doc):  # type: ignore[no-untyped-def]
        if doc.doc_number == victim:
            raise InvalidDocumentError("does not validate (a fault the schema finds)", path=doc.id)
        return real(doc)

    monkeypatch.setattr("gazette.archive.akn.document_to_xml", failing)
    archive = Archive.create(tmp_path / "archive")
    indexed: list[str] = []
    report = run_batch([path], archive, on_documents=lambda docs: indexed.extend(d.id for d in docs))
    outcome = report.files[0]
    assert outcome.status == "ingested" and len(outcome.documents) == len(truths) - 1
    assert victim not in outcome.documents and sorted(indexed) == sorted(outcome.documents)
    assert any(victim in note and "kept for review" in note for note in outcome.notes)
    [kept] = archive.unstored()
    assert kept["doc_number"] == victim and kept["text"]
    assert any(item.document == victim and item.field == "document" for item in review_queue(archive))
    assert archive.verify() == []


@pytest.mark.parametrize(
    "name",
    ["scan.pdf\nx", "scan.p\u2028df", "scan.\udcffpdf", "scan.pdf;rm -rf", "no-extension", ".pdf", "a b.PDF "],
)
def test_odd_input_names_never_reach_the_manifest(pdf397: Path, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = folder / name
    odd.write_bytes(pdf397.read_bytes())
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([odd], archive)
    assert report.files[0].status == "ingested", report.files[0].reason
    [original] = [path for path in archive.manifest() if path.startswith("data/originals/")]
    assert original.endswith(".pdf") and Path(original).stem == sha256_file(pdf397)
    assert archive.verify() == []
    doc = archive.get_document(report.files[0].documents[0])
    assert doc.provenance is not None and doc.provenance.input_path == shown_path(odd)
    assert str(folder) in doc.provenance.input_path and "\n" not in doc.provenance.input_path
    assert doc.source is not None and "/" not in doc.source.file
    # The archive stays usable: a second input goes in, verify stays clean.
    assert run_batch([pdf397.with_name("397.pdf")], archive).files[0].status == "skipped"
    assert archive.verify() == []


def test_an_issue_whose_contents_do_not_match_its_documents_goes_to_review(tmp_path: Path) -> None:
    # Regression: a document flagged by the split (its body under review) killed the batch with
    # "TypeError: sequence item 0: expected str instance, Block found" in review_items.
    records = load_records()
    unlisted = {**records[10], "contents": None}
    wrong = {**records[16], "contents": "国务院办公厅关于煤矿安全的通报（国办发〔2004〕8号）"}
    path = tmp_path / "issue.pdf"
    build_issue([records[8], unlisted, wrong], path)
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([path], archive)
    assert not report.failed and report.summary()["documents"] == 3
    body = [item for item in report.review if item.field == "body"]
    assert {item.document for item in body} == {"国办函〔2005〕69号", "国办发〔2004〕7号"}
    assert all(item.value.startswith("pages ") for item in body)
    assert run(["review", "--archive", str(archive.root), "--json"]) == 0
    # Its crop shows where the document starts: its title.
    doc = archive.get_document("国办函〔2005〕69号")
    crop = crop_for(archive, doc, "body")
    assert crop is not None and crop.stored == field_box(doc, "title")
    assert run(["review", "--archive", str(archive.root), "--html", str(tmp_path / "pages")]) == 0
    html = "".join(page.read_text("utf-8") for page in (tmp_path / "pages").glob("doc-*.html"))
    assert "not in the issue&#39;s contents" in html and "review accept" in html  # a body item: accept only
    assert len(list((tmp_path / "pages").glob("doc-*.png"))) >= len(body)
