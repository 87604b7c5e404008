"""Scanned issues: three documents as one file and as a folder of page images with an issue.toml; an
issue with a contents page and folios, page by page."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from gazette.archive import Archive
from gazette.model import Document
from ingest.batch import run_batch
from ingest.review import crop_for, write_crop
from samples.corpus import iter_corpus_documents, load_records
from samples.scans import CLEAN, scan_document, write_page_files, write_pages
from tests.ingest.issue_pdf import MM, PAGE_H, TEXT_H, TOP, build_issue

pytestmark = pytest.mark.slow  # OCR of twelve pages a test

# Short documents whose second page holds the end of the body, the issuer and the date.
IDS = ("国办函〔2004〕36号", "国办函〔1996〕14号", "国办函〔2006〕71号")
TOML = '[issue]\ngazette = "国务院公报"\nyear = 2006\nnumber = 23\ndate = 2006-08-20\n'


def fields(archive: Archive) -> list[tuple[object, ...]]:
    docs: list[Document] = sorted(archive.documents(), key=lambda d: d.pages)
    return [(d.id, d.title, d.issuer, d.date_written, d.pages, d.text, d.gazette) for d in docs]


def test_one_file_and_a_folder_of_page_images_give_the_same_documents_and_issue(tmp_path: Path) -> None:
    truth = {doc.id: doc for doc in iter_corpus_documents() if doc.id in IDS}
    pages = [page for doc_id in IDS for page in scan_document(truth[doc_id], CLEAN, seed=1)]
    write_pages(pages, tmp_path / "one" / "issue.tif")
    write_page_files(pages, tmp_path / "folder", "scan_{number:04d}.png")
    for folder in ("one", "folder"):
        (tmp_path / folder / "issue.toml").write_text(TOML, "utf-8")
    one, folder = Archive.create(tmp_path / "a1"), Archive.create(tmp_path / "a2")
    run_batch([tmp_path / "one"], one, workers=1)
    report = run_batch([tmp_path / "folder"], folder, workers=1)

    (source,) = [f for f in report.files if f.status == "ingested"]
    assert source.grouped_by == "stem" and len(source.parts) == len(pages)
    assert fields(one) == fields(folder)
    got = {doc.id: doc for doc in folder.documents()}
    assert set(got) == set(IDS)
    for doc_id in IDS:  # page 2 of each document, a file of its own, is part of it: issuer and date
        doc = got[doc_id]
        assert len(doc.pages) == 2 and (doc.title, doc.issuer, doc.date_written) == (
            truth[doc_id].title,
            truth[doc_id].issuer,
            truth[doc_id].date_written,
        )
    (a,), (b,) = list(one.issues()), list(folder.issues())
    assert (a.id, a.name, a.year, a.number, a.date, a.entries) == (b.id, b.name, b.year, b.number, b.date, b.entries)
    assert [entry.document_id for entry in b.entries] == list(IDS)
    assert b.id == "国务院公报-2006-23" and b.date == "2006-08-20"
    # What OCR kept of each page is under the source's page numbers, and a review crop of a field
    # on a page file of its own is cut from that file, turned upright as it was read.
    identity = next(iter(folder.documents())).source
    assert identity is not None
    assert all(folder.page_geometry_path(identity.sha256, n).exists() for n in range(1, len(pages) + 1))
    for doc_id in IDS:
        crops = [crop_for(archive, archive.get(doc_id), "date_written") for archive in (one, folder)]
        assert crops[0] is not None and crops[1] is not None and crops[0].box == crops[1].box
        target = tmp_path / f"{crops[1].page}.png"
        write_crop(folder, folder.get(doc_id), crops[1], target)
        with Image.open(target) as image:
            assert image.width > 100 and image.height > 20


def test_a_scanned_issue_names_the_printed_page_each_document_starts_on(tmp_path: Path) -> None:
    """An issue printed with a contents page and folios, scanned page by page: each entry of its
    <officialGazette> has the page its document starts on, as the born-digital issue has; a page
    whose folio the scan lost takes the contents' number; a contents number the folio contradicts
    goes to review, and the folio is kept."""
    records = load_records()
    chosen = [records[i] for i in (8, 9, 10, 16)]
    chosen[2] = {**chosen[2], "contents_page": 9}
    truths = build_issue(chosen, tmp_path / "issue.pdf")
    sheets = tmp_path / "scans"
    sheets.mkdir()
    dpi = 200
    lost = truths[1].page + 2  # the sheet the second document starts on (cover and contents first)
    pdf = pdfium.PdfDocument(str(tmp_path / "issue.pdf"))
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=dpi / 72).to_pil().convert("L")
            if index + 1 == lost:  # its folio torn off: blank below the text block
                band = (TOP + TEXT_H + 3 * MM) * dpi / 72
                ImageDraw.Draw(image).rectangle((0, band, image.width, PAGE_H * dpi / 72), fill=255)
            image.save(sheets / f"{index + 1:04d}.png", dpi=(dpi, dpi))
    finally:
        pdf.close()
    born_digital, scanned = Archive.create(tmp_path / "pdf"), Archive.create(tmp_path / "scan")
    run_batch([tmp_path / "issue.pdf"], born_digital, workers=1)
    report = run_batch([sheets], scanned, workers=1)

    (issue,) = scanned.issues()
    assert [entry.page for entry in issue.entries] == [t.page for t in truths]
    assert [e.page for e in issue.entries] == [e.page for e in next(iter(born_digital.issues())).entries]
    reason = f"{truths[2].title}: contents say page 9, found on page {truths[2].page}"
    assert [(item.document, item.why) for item in report.review if item.field == "body"] == [
        (truths[2].doc_number, reason)
    ]
