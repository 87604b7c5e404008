"""What the archive keeps of a page read by OCR: within 0.3× the original's bytes on colour,
grey and bilevel scans, browser images, the geometry that turns the original upright again,
and older archives' grey PNGs still read."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gazette.archive import Archive
from gazette.exceptions import GazetteError
from gazette.model import Box, Document
from ingest.cleanup import clean_page
from ingest.pageimage import (
    MAX_RATIO,
    Geometry,
    apply_geometry,
    geometry_from_json,
    geometry_from_steps,
    geometry_to_json,
    kept_files,
    page_kind,
    upright_from_original,
)
from ingest.raster import read_pages
from ingest.review import crop_for, write_crop
from samples.corpus import iter_corpus_documents
from samples.held import INKS, held
from samples.scans import CLEAN, DEGRADED, ScanSettings, scan_document

# Not the documents the encodings were tried on (国办函〔1996〕14号, 国办函〔2004〕36号).
DOC = "国办函〔2006〕71号"


def _doc(doc_id: str) -> Document:
    return next(doc for doc in iter_corpus_documents() if doc.id == doc_id)


def _kept(original: Path, budget: float) -> tuple[dict[str, bytes], np.ndarray, Geometry]:
    """What a worker keeps of the original's first page, the upright pixels and their geometry."""
    page = next(iter(read_pages(original)))
    clean = clean_page(page.pixels, page.dpi)
    height, width = clean.upright.shape[:2]
    geometry = geometry_from_steps(page.number, (width, height), clean.steps)
    return kept_files(clean.upright, geometry, budget), clean.upright, geometry


@pytest.fixture(scope="module")
def doc() -> Document:
    return _doc(DOC)


@pytest.mark.parametrize("setting", [DEGRADED, CLEAN], ids=lambda s: s.name)
@pytest.mark.parametrize("ink", INKS)
def test_kept_pages_are_at_most_0_3_of_the_originals(
    doc: Document, setting: ScanSettings, ink: str, tmp_path: Path
) -> None:
    originals = kept = 0
    for page in scan_document(doc, setting, seed=5):
        suffix, data = held(page.pixels, ink)
        original = tmp_path / f"{page.number}{suffix}"
        original.write_bytes(data)
        files, _, _ = _kept(original, MAX_RATIO * len(data))
        originals += len(data)
        kept += sum(len(b) for b in files.values())
        images = {name: b for name, b in files.items() if not name.endswith(".json")}
        if ink == "bilevel":
            # G4 is smaller than any browser image of the page: the geometry alone is kept.
            assert not images
        else:
            ((name, image),) = images.items()
            with Image.open(io.BytesIO(image)) as opened:  # a format browsers show
                assert (opened.format, opened.mode) in {("PNG", "1"), ("WEBP", "L"), ("WEBP", "RGB")}
                assert name.endswith(".png" if opened.format == "PNG" else ".webp")
    assert kept <= MAX_RATIO * originals


def test_a_shaded_page_is_kept_in_grey_and_a_text_page_in_one_bit(doc: Document, tmp_path: Path) -> None:
    text = scan_document(doc, CLEAN)[0].pixels
    grey_text = np.ascontiguousarray(text.min(axis=2))  # no red ink left to keep the page grey
    assert page_kind(grey_text) == "bilevel"
    yy, xx = np.mgrid[0 : text.shape[0], 0 : text.shape[1]]
    photo = text.copy()
    photo[400:2400, 200:2200] = (((np.sin(xx / 37.0) * np.cos(yy / 53.0)) * 90 + 128)[400:2400, 200:2200, None]).astype(
        np.uint8
    )
    assert page_kind(photo) == "grey"
    suffix, data = held(photo, "colour")
    (tmp_path / f"photo{suffix}").write_bytes(data)
    files, _, _ = _kept(tmp_path / f"photo{suffix}", MAX_RATIO * len(data))
    assert "0001.webp" in files


def test_a_page_longer_than_webp_allows_is_kept_in_one_bit() -> None:
    scroll = np.full((17000, 300, 3), 255, np.uint8)
    scroll[::50, 20:280] = (200, 20, 20)  # red ink, which would keep a page grey
    scroll[25::50, 20:280] = 0
    files = kept_files(scroll, Geometry(1, 300, 17000), budget=10**9)
    assert sorted(files) == ["0001.json", "0001.png"]


def test_the_geometry_turns_the_original_upright_again(doc: Document, tmp_path: Path) -> None:
    page = scan_document(doc, DEGRADED, seed=2)[0]  # skewed by up to 3°
    sideways = np.ascontiguousarray(np.rot90(page.pixels))  # and scanned on its side
    suffix, data = held(sideways, "colour")
    original = tmp_path / f"page{suffix}"
    original.write_bytes(data)
    files, upright, geometry = _kept(original, MAX_RATIO * len(data))
    assert geometry.steps[0][0] == "turn" and "rotate" in dict(geometry.steps)
    assert geometry_from_json(files["0001.json"]) == geometry
    again = upright_from_original(original, geometry)
    assert again.shape == upright.shape == (geometry.height, geometry.width, 3)
    # The angle is recorded to 0.01°: the pixels agree to well under a grey level on average.
    assert float(np.abs(again.astype(np.int16) - upright.astype(np.int16)).mean()) < 1.0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"[]",
        b'{"page": 1}',
        b'{"page": 1, "size": [1, 2], "steps": [["shear", 3]]}',
        b'{"page": 1, "size": [1, 2], "steps": [["turn", Infinity]]}',
        b'{"page": 1, "size": [1, 2], "steps": [["rotate", NaN]]}',
        b'{"page": 1, "size": [1, 2], "steps": [["turn", 1.5]]}',
        b"\xff\xfe",
    ],
)
def test_a_damaged_geometry_record_is_an_error_not_a_crash(data: bytes) -> None:
    with pytest.raises(GazetteError, match="geometry"):
        geometry_from_json(data)


def test_geometry_of_steps_reads_turns_and_deskew_in_order() -> None:
    steps = ("drop-red", "crop-borders(2)", "flatten", "rotate-90", "deskew(-2.37°)", "ocr:x", "rotate-180")
    geometry = geometry_from_steps(3, (20, 10), steps)
    assert geometry.steps == (("turn", 1), ("rotate", -2.37), ("turn", 2))
    assert geometry_from_json(geometry_to_json(geometry)) == geometry
    pixels = np.arange(200, dtype=np.uint8).reshape(10, 20)
    assert apply_geometry(pixels, Geometry(1, 10, 20, (("turn", 1),))).shape == (20, 10)


def _scanned_archive(tmp_path: Path, doc: Document) -> tuple[Archive, Document, np.ndarray]:
    """An archive holding one generated colour page and a document read from it, as OCR leaves
    them: the original, the page's geometry and its reading copy, and a box for the 文号."""
    page = scan_document(doc, CLEAN)[0]
    suffix, data = held(page.pixels, "colour")
    scan = tmp_path / f"scan{suffix}"
    scan.write_bytes(data)
    archive = Archive.create(tmp_path / "archive")
    source, _ = archive.store_original(scan)
    files, upright, _ = _kept(scan, MAX_RATIO * len(data))
    staged = archive.staged_page_images(source.sha256)
    staged.mkdir(parents=True)
    for name, content in files.items():
        (staged / name).write_bytes(content)
    archive.keep_page_images(staged, source.sha256)
    drawn = next(line for line in page.lines if line.text.startswith(doc.doc_number_printed[:3]))
    x0, y0, x1, y1 = (v * 72 / 300 for v in drawn.box)
    stored = replace(doc, source=source, pages=(1,), field_origins={"doc_number": (Box(1, x0, y0, x1, y1),)})
    return archive, stored, upright


def test_kept_files_go_into_the_bag_and_are_found_by_suffix(doc: Document, tmp_path: Path) -> None:
    archive, stored, _ = _scanned_archive(tmp_path, doc)
    assert stored.source is not None
    sha = stored.source.sha256
    assert archive.page_geometry_path(sha, 1).exists()
    image = archive.page_image_path(sha, 1)
    assert image.exists() and image.suffix in (".png", ".webp")
    assert not archive.verify()  # every kept file is in the manifest


def test_review_crops_come_from_the_original_in_colour_and_old_grey_pngs_still_read(
    doc: Document, tmp_path: Path
) -> None:
    archive, stored, upright = _scanned_archive(tmp_path, doc)
    assert stored.source is not None
    crop = crop_for(archive, stored, "doc_number")
    assert crop is not None and crop.source == "page image"
    write_crop(archive, stored, crop, tmp_path / "new.png")
    with Image.open(tmp_path / "new.png") as new:
        assert new.mode == "RGB"  # the original's colour, not the reading copy's one bit
        expected = Image.fromarray(upright).crop(crop.box)
        if expected.width > 1400:
            expected = expected.resize((expected.width // 2, expected.height // 2))
        assert new.size == expected.size
    # An archive written before geometry was kept: a grey PNG and no record.
    old = tmp_path / "old"
    shutil.copytree(archive.root, old)
    old_archive = Archive.open_existing(old)
    sha = stored.source.sha256
    for path in old_archive.page_geometry_path(sha, 1).parent.iterdir():
        path.unlink()
    Image.fromarray(upright).convert("L").save(old_archive.page_geometry_path(sha, 1).with_suffix(".png"))
    old_crop = crop_for(old_archive, stored, "doc_number")
    assert old_crop == crop
    write_crop(old_archive, stored, old_crop, tmp_path / "old.png")
    with Image.open(tmp_path / "old.png") as read:
        assert read.mode == "L" and read.size == expected.size


@pytest.mark.slow
@pytest.mark.parametrize("ink", INKS)
def test_ocr_of_the_doc_number_crop_still_reads_it(doc: Document, ink: str, tmp_path: Path) -> None:
    """The 文号 is read again by OCR from a crop of what the archive keeps: the original turned
    upright by the kept geometry (what review shows) and the reading copy (what the web shows)."""
    from gazette.docnumber import find_doc_numbers
    from ingest.ocr import cached_engine
    from ingest.recognise import OcrSettings, ocr_page

    page = scan_document(doc, DEGRADED, seed=7)[0]
    suffix, data = held(page.pixels, ink)
    original = tmp_path / f"page{suffix}"
    original.write_bytes(data)
    (read,) = read_pages(original)
    done = ocr_page(read, "0" * 64, OcrSettings())
    height, width = done.image.shape[:2]
    geometry = geometry_from_steps(1, (width, height), done.text.steps)
    files = kept_files(done.image, geometry, MAX_RATIO * len(data))
    line = next(
        line
        for line in done.text.lines
        if any(m.number.canonical == doc.doc_number for m in find_doc_numbers(line.text))
    )
    scale = read.dpi / 72
    pad = 20
    box = (
        max(0, int(line.box.x0 * scale) - pad),
        max(0, int(line.box.y0 * scale) - pad),
        int(line.box.x1 * scale) + pad,
        int(line.box.y1 * scale) + pad,
    )
    crops = [np.asarray(Image.fromarray(upright_from_original(original, geometry)).convert("L").crop(box))]
    for name, image in files.items():
        if not name.endswith(".json"):
            with Image.open(io.BytesIO(image)) as copy:
                crops.append(np.asarray(copy.convert("L").crop(box)))
    assert len(crops) == (1 if ink == "bilevel" else 2)
    engine = cached_engine(OcrSettings().engine, OcrSettings().options)
    for crop in crops:
        text = "".join(found.text for found in engine.recognise(crop))
        assert [m.number.canonical for m in find_doc_numbers(text)] == [doc.doc_number], text


@pytest.mark.slow
def test_a_g4_scan_ingested_keeps_geometry_only_and_its_review_crop_reads(doc: Document, tmp_path: Path) -> None:
    from gazette.docnumber import find_doc_numbers
    from ingest.batch import run_batch
    from ingest.ocr import cached_engine
    from ingest.recognise import OcrSettings

    pages = [Image.open(io.BytesIO(held(page.pixels, "bilevel")[1])) for page in scan_document(doc, DEGRADED)]
    scan = tmp_path / "scan.tif"
    pages[0].save(scan, save_all=True, append_images=pages[1:], compression="group4", dpi=(300, 300))
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([scan], archive)
    assert report.files[0].status == "ingested", report.files[0].reason
    stored = archive.get_document(doc.id)
    assert stored.source is not None
    kept = sorted(archive.page_geometry_path(stored.source.sha256, 1).parent.iterdir())
    assert [path.suffix for path in kept] == [".json"] * len(pages)
    assert sum(path.stat().st_size for path in kept) <= MAX_RATIO * scan.stat().st_size
    assert not archive.verify()
    crop = crop_for(archive, stored, "doc_number")
    assert crop is not None
    write_crop(archive, stored, crop, tmp_path / "crop.png")
    engine = cached_engine(OcrSettings().engine, OcrSettings().options)
    with Image.open(tmp_path / "crop.png") as piece:
        text = "".join(line.text for line in engine.recognise(np.asarray(piece.convert("L"))))
    assert [m.number.canonical for m in find_doc_numbers(text)] == [doc.doc_number], text
    # The web pages make its reading copy from the G4 original: a 1-bit PNG of the upright page.
    from gazette.web import urls
    from gazette.web.site import build_site

    build_site(archive, tmp_path / "site")
    first = stored.pages[0]
    geometry = geometry_from_json(archive.page_geometry_path(stored.source.sha256, first).read_bytes())
    with Image.open(tmp_path / "site" / urls.page_image(stored.source.sha256, first)) as copy:
        assert (copy.format, copy.mode, copy.size) == ("PNG", "1", (geometry.width, geometry.height))
