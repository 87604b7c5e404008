from pathlib import Path

import pytest
from PIL import Image

from gazette.archive import Archive
from ingest.batch import run_batch
from ingest.pipeline import IngestConfig
from ingest.review import review_queue, write_review_html
from samples.corpus import iter_corpus_documents
from samples.scans import CLEAN, scan_document, write_pages


def test_review_pages_show_a_crop_beside_each_flagged_value(pdf397: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    run_batch([pdf397], archive, IngestConfig(review_threshold=0.999))  # flag everything
    items = review_queue(archive)
    assert {"doc_number", "title", "date_written"} <= {item.field for item in items}
    index = write_review_html(archive, tmp_path / "review")
    (_page,) = sorted((tmp_path / "review").glob("doc-*.html"))  # one page per document, every field on it
    assert "发改办财金规〔2019〕860号" in index.read_text("utf-8")
    crops = sorted((tmp_path / "review").glob("doc-*.png"))
    assert len(crops) == len(items)
    with Image.open(crops[0]) as crop:
        assert 100 < crop.width < 1300 and crop.height < 1700


@pytest.mark.slow
def test_a_scan_under_review_shows_the_page_that_ocr_read(tmp_path: Path) -> None:
    doc = next(doc for doc in iter_corpus_documents() if doc.id == "国办函〔1996〕14号")
    (scan,) = write_pages(scan_document(doc, CLEAN), tmp_path / "scan.tif")
    archive = Archive.create(tmp_path / "archive")
    run_batch([scan], archive, IngestConfig(review_threshold=0.999))  # flag everything
    items = review_queue(archive)
    assert {"doc_number", "date_written"} <= {item.field for item in items}
    write_review_html(archive, tmp_path / "review")
    (page,) = sorted((tmp_path / "review").glob("doc-*.html"))
    assert page.read_text("utf-8").count('<img src="doc-') == len(items)
    with Image.open(tmp_path / "review" / "doc-0001-1.png") as crop:
        assert 200 < crop.width <= 2480 and crop.height < 600  # the field's lines, not a band of the page
