from pathlib import Path

from gazette.archive import Archive
from ingest.batch import run_batch
from ingest.pipeline import IngestConfig
from ingest.review import review_queue, write_review_html


def test_review_pages_show_a_crop_beside_each_flagged_value(pdf397: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    run_batch([pdf397], archive, IngestConfig(review_threshold=0.999))  # flag everything
    items = review_queue(archive)
    assert {"doc_number", "title", "date_written"} <= {item.field for item in items}
    index = write_review_html(archive, tmp_path / "review")
    pages = sorted((tmp_path / "review").glob("item-*.html"))
    assert len(pages) == len(items) and "发改办财金规〔2019〕860号" in index.read_text("utf-8")
    crops = sorted((tmp_path / "review").glob("item-*.png"))
    assert len(crops) == len(items)
    from PIL import Image

    with Image.open(crops[0]) as crop:
        assert 100 < crop.width < 1300 and crop.height < 1700
