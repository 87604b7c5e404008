"""The web pages link each page's reading copy, whichever the archive keeps: a 1-bit or an
older archive's grey PNG, a grey WebP; and for a page kept as geometry alone (its original a
G4 TIFF) a 1-bit PNG the site writes and the portal serves, made from the original."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from starlette.testclient import TestClient

from gazette.archive import Archive
from gazette.model import Source
from gazette.web import urls
from gazette.web.derived import DerivedImage, derive, geometry_problem
from gazette.web.edition import media_type
from gazette.web.pages import UnavailableImage, site_data
from gazette.web.portal import create_app
from gazette.web.rendercache import IMAGE_CACHE
from gazette.web.site import build_site, derived_images
from ingest.cleanup import clean_page
from ingest.pageimage import MAX_RATIO, Geometry, geometry_from_steps, kept_files
from ingest.raster import read_pages
from tests.gazette.conftest import make_document

SHA = "b" * 64


def test_png_and_webp_reading_copies_are_linked_and_a_page_with_geometry_only_without_its_original_is_not(
    tmp_path: Path,
) -> None:
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


# -- pages kept as geometry alone: the web makes their 1-bit PNG from the G4 original --------

HIDDEN_ON_PAGE_2 = "测密函〔2021〕9号"


def _g4_page(seed: int) -> np.ndarray:
    """A bilevel page of text-like lines (150 dpi A5: small and fast), skewed a little."""
    rng = np.random.default_rng(seed)
    page = np.full((1240, 874), 255, np.uint8)
    for top in range(120, 1100, 44):
        left = 90 + int(rng.integers(0, 60))
        for x in range(left, 780, 26):
            if rng.random() < 0.85:
                page[top : top + 22, x : x + 20] = 0
    return cv2.warpAffine(
        page, cv2.getRotationMatrix2D((437, 620), 1.5 * (seed - 1.5), 1.0), (874, 1240), borderValue=255
    )


def _g4_archive(root: Path) -> tuple[Archive, str, dict[int, Geometry]]:
    """An archive holding a two-page G4 TIFF as OCR leaves it (the original and each page's geometry,
    no reading copy), a public document on page 1 and a 不予公开 one on page 2."""
    pages = [Image.fromarray(_g4_page(seed)).convert("1") for seed in (1, 2)]
    scan = root.parent / f"{root.name}-scan.tif"
    pages[0].save(scan, save_all=True, append_images=pages[1:], compression="group4", dpi=(150, 150))
    archive = Archive.create(root)
    source, _ = archive.store_original(scan)
    staged = archive.staged_page_images(source.sha256)
    staged.mkdir(parents=True)
    geometries = {}
    for page in read_pages(scan):
        clean = clean_page(page.pixels, page.dpi)
        height, width = clean.upright.shape[:2]
        geometries[page.number] = geometry_from_steps(page.number, (width, height), clean.steps)
        budget = MAX_RATIO * scan.stat().st_size / 2
        for name, data in kept_files(clean.upright, geometries[page.number], budget).items():
            (staged / name).write_bytes(data)
    assert sorted(path.name for path in staged.iterdir()) == ["0001.json", "0002.json"]  # G4: geometry alone
    archive.keep_page_images(staged, source.sha256)
    kept = Source(file="scan.tif", sha256=source.sha256, pages=2)
    archive.put_document(make_document(pages=(1,), source=kept))
    hidden = make_document(
        id=HIDDEN_ON_PAGE_2, doc_number=HIDDEN_ON_PAGE_2, disclosure="不予公开", pages=(2,), source=kept
    )
    archive.put_document(hidden)
    archive.flush()
    return archive, source.sha256, geometries


@pytest.fixture(scope="module")
def g4(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, str, dict[int, Geometry]]:
    return _g4_archive(tmp_path_factory.mktemp("g4") / "archive")


def test_the_site_writes_a_one_bit_png_made_from_the_g4_original(
    g4: tuple[Archive, str, dict[int, Geometry]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, sha, geometries = g4
    doc = make_document()
    out = tmp_path / "site"
    first = build_site(archive, out)
    image = out / urls.page_image(sha, 1)
    assert urls.page_image(sha, 1) in first.written
    with Image.open(image) as opened:
        assert (opened.format, opened.mode) == ("PNG", "1")
        assert opened.size == (geometries[1].width, geometries[1].height)
    assert not (out / urls.page_image(sha, 2)).exists()  # the 不予公开 document's page
    html = (out / urls.document_page(doc.id)).read_text("utf-8")
    assert f"由原件（SHA-256 <code>{sha}</code>）第1页生成" in html
    assert 'src="../../originals/' in html or urls.page_image(sha, 1) in html
    twin = json.loads((out / urls.twin(urls.document_page(doc.id))).read_text("utf-8"))
    (shown,) = twin["files"]["page_images"]
    assert shown["derived_from"] == {"sha256": sha, "page": 1} and "sha256" not in shown
    assert str(archive.root) not in html + json.dumps(twin, ensure_ascii=False)
    # Built again from the same original and geometry: not made again, not rewritten.
    before = image.stat().st_mtime_ns

    def not_again(*args: object) -> None:
        raise AssertionError("a derived page image was made again")

    monkeypatch.setattr("gazette.web.site.derive", not_again)
    again = build_site(archive, out)
    assert urls.page_image(sha, 1) not in again.written and not again.removed
    assert image.stat().st_mtime_ns == before
    # Without the record, made again: the same bytes, so the file is left as it is.
    monkeypatch.undo()
    (out / IMAGE_CACHE).unlink()
    assert urls.page_image(sha, 1) not in build_site(archive, out).written
    assert (out / IMAGE_CACHE).exists() and image.stat().st_mtime_ns == before
    assert not archive.verify()  # the site wrote nothing into the archive


def test_the_portal_serves_it_and_not_the_hidden_page(g4: tuple[Archive, str, dict[int, Geometry]]) -> None:
    archive, sha, geometries = g4
    before = _listing(archive.root)
    client = TestClient(create_app(archive.root))
    response = client.get("/" + urls.page_image(sha, 1))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as opened:
        assert opened.mode == "1" and opened.size == (geometries[1].width, geometries[1].height)
    etag = response.headers["etag"]
    assert client.get("/" + urls.page_image(sha, 1), headers={"if-none-match": etag}).status_code == 304
    for hidden in (urls.page_image(sha, 2), urls.page_image(sha, 2, ".webp"), urls.page_image(sha, 3)):
        assert client.get("/" + hidden).status_code == 404
    page = client.get("/" + urls.document_page(make_document().id))
    assert urls.page_image(sha, 1).split("/", 1)[1] in page.text and "由原件" in page.text
    assert _listing(archive.root) == before  # nothing written into the archive


UNAVAILABLE = "原件第1页的页面图像暂不可用，文字见正文。"


def _damaged_copy(archive: Archive, sha: str, root: Path, record: bytes | None) -> Archive:
    """A copy of ``archive`` whose geometry of page 1 of source ``sha`` is ``record`` (None: removed)."""
    shutil.copytree(archive.root, root)
    copy = Archive.open_existing(root)
    geometry = copy.page_geometry_path(sha, 1)
    if record is None:
        geometry.unlink()
    else:
        geometry.write_bytes(record)
    return copy


@pytest.mark.parametrize(
    "record",
    [
        b'{"page": 1, "size": [10, 10], "steps": [["shear", 2]]}',  # not a step OCR takes
        b'{"page": 1, "size": [10, 10], "steps": []}',  # a record, but not the one the manifest records
        b"\x89PNG\r\n\x1a\n\x00\x00",  # another file's bytes
        b'{"page": 1, "size": [',  # cut short
        None,  # gone
    ],
    ids=["bad-step", "changed", "binary", "truncated", "missing"],
)
def test_a_damaged_geometry_is_found_when_the_page_data_are_made_and_its_image_is_not_linked(
    g4: tuple[Archive, str, dict[int, Geometry]],
    record: bytes | None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive, sha, _ = g4
    damaged = _damaged_copy(archive, sha, tmp_path / "archive", record)
    doc = make_document()

    def rendered(*args: object) -> None:
        raise AssertionError("a page image was rendered to make the page data")

    # Cheap: the page data read the small record, never the original's pixels.
    monkeypatch.setattr("ingest.pageimage.upright_from_original", rendered)
    with caplog.at_level(logging.WARNING, logger="gazette.web.derived"):
        data = site_data(damaged.documents(), [], damaged.manifest(), damaged.root)
    ((page, image),) = data.page_images[doc.id]
    assert page == 1 and isinstance(image, UnavailableImage) and not derived_images(data)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "gazette.web.derived"]
    assert urls.page_image(sha, 1) in line and "\n" not in line
    monkeypatch.undo()

    # The static site: no image written nor linked; the text and the page's slot say what there is.
    report = build_site(damaged, tmp_path / "site")
    assert report.documents == 1
    assert not (tmp_path / "site" / urls.page_image(sha, 1)).exists()
    html = (tmp_path / "site" / urls.document_page(doc.id)).read_text("utf-8")
    assert "pages/0001.png" not in html and UNAVAILABLE in html and doc.body[0].text in html
    twin = json.loads((tmp_path / "site" / urls.twin(urls.document_page(doc.id))).read_text("utf-8"))
    assert twin["files"]["page_images"] == [{"page": 1, "url": None, "unavailable": True}]
    assert str(damaged.root) not in html + json.dumps(twin, ensure_ascii=False)
    # The portal: the same page, and the image's URL is no page image.
    client = TestClient(create_app(damaged.root))
    page_html = client.get("/" + urls.document_page(doc.id))
    assert page_html.status_code == 200 and UNAVAILABLE in page_html.text and "pages/0001.png" not in page_html.text
    assert client.get("/" + urls.page_image(sha, 1)).status_code == 404


def test_a_geometry_that_does_not_fit_its_original_gives_no_image_and_no_crash(
    g4: tuple[Archive, str, dict[int, Geometry]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, sha, _ = g4
    ((_, image),) = site_data(archive.documents(), [], archive.manifest(), archive.root).page_images[make_document().id]
    assert isinstance(image, DerivedImage) and geometry_problem(image) is None
    copy = tmp_path / "geometry.json"
    # A record the manifest names (so the page data link it) that names another size or page, or none.
    for record in (b'{"page": 1, "size": [10, 10], "steps": []}', b'{"page": 2, "size": [10, 10], "steps": []}'):
        copy.write_bytes(record)
        recorded = replace(image, geometry=copy, geometry_sha256=hashlib.sha256(record).hexdigest())
        assert derive(recorded) is None
    copy.unlink()
    assert derive(replace(image, geometry=copy)) is None
    # Where the site cannot make an image it linked, the page says it is unavailable and links none.
    monkeypatch.setattr("gazette.web.site.derive", lambda image: None)
    build_site(archive, tmp_path / "site")
    html = (tmp_path / "site" / urls.document_page(make_document().id)).read_text("utf-8")
    assert UNAVAILABLE in html and "pages/0001.png" not in html
    assert not (tmp_path / "site" / urls.page_image(sha, 1)).exists()


def test_a_page_of_a_grouped_source_is_made_from_the_file_holding_it(tmp_path: Path) -> None:
    parts = (Source("p1.tif", "1" * 64, 1), Source("p2.tif", "2" * 64, 1))
    doc = make_document(pages=(2,), source=Source("p1.tif … p2.tif", SHA, 2, parts))
    record = b'{"page": 1, "size": [874, 1240], "steps": []}'  # page 1 of the second file
    geometry = tmp_path / f"data/pages/{SHA}/0002.json"
    geometry.parent.mkdir(parents=True)
    geometry.write_bytes(record)
    manifest = {
        f"data/originals/22/{'2' * 64}.tif": "2" * 64,
        f"data/pages/{SHA}/0002.json": hashlib.sha256(record).hexdigest(),
    }
    data = site_data([doc], [], manifest, tmp_path)
    ((page, image),) = data.page_images[doc.id]
    assert isinstance(image, DerivedImage)
    assert (page, image.path, image.original_page) == (2, urls.page_image(SHA, 2), 1)
    assert image.original == tmp_path / f"data/originals/22/{'2' * 64}.tif"


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(root).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }
