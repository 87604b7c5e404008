"""The web pages link each page's reading copy, whichever the archive keeps: a 1-bit or an
older archive's grey PNG, a grey WebP, or none (a page whose original is a G4 TIFF)."""

from __future__ import annotations

from pathlib import Path

from gazette.model import Source
from gazette.web import urls
from gazette.web.edition import media_type
from gazette.web.pages import site_data
from tests.gazette.conftest import make_document

SHA = "b" * 64


def test_png_and_webp_reading_copies_are_linked_and_a_page_with_geometry_only_is_not(tmp_path: Path) -> None:
    doc = make_document(pages=(1, 2, 3, 4), source=Source(file="scan.tif", sha256=SHA, pages=4))
    manifest = {
        f"data/pages/{SHA}/0001.png": "1" * 64,  # an older archive's grey PNG: no geometry
        f"data/pages/{SHA}/0002.json": "2" * 64,
        f"data/pages/{SHA}/0002.png": "3" * 64,
        f"data/pages/{SHA}/0003.json": "4" * 64,
        f"data/pages/{SHA}/0003.webp": "5" * 64,
        f"data/pages/{SHA}/0004.json": "6" * 64,  # geometry only
    }
    data = site_data([doc], [], manifest, tmp_path)
    linked = [(page, file.path, file.sha256) for page, file in data.page_images[doc.id]]
    assert linked == [
        (1, urls.page_image(SHA, 1), "1" * 64),
        (2, urls.page_image(SHA, 2), "3" * 64),
        (3, urls.page_image(SHA, 3, ".webp"), "5" * 64),
    ]
    assert linked[2][1].endswith("/pages/0003.webp") and media_type(linked[2][1]) == "image/webp"
