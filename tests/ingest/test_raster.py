"""Page images from scans: formats, orientation, resolution, and every kind of bad image."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gazette.exceptions import BadInputError
from ingest.raster import PageImage, page_problem, read_pages


def _page(value: int = 255, size: tuple[int, int] = (600, 800)) -> Image.Image:
    image = Image.new("L", size, value)
    if value == 255:
        image.paste(0, (100, 100, 500, 140))  # a line of ink
    return image


def test_multipage_bilevel_g4_tiff_streams_pages_with_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    pages = [_page().convert("1") for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="group4", dpi=(300, 300))
    read = list(read_pages(path))
    assert [p.number for p in read] == [1, 2, 3]
    assert read[0].pixels.shape == (800, 600) and read[0].dpi == 300
    assert [p.number for p in read_pages(path, pages=[2])] == [2]


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.new("RGB", (400, 200), "white").save(path, exif=exif, dpi=(200, 200))
    (page,) = read_pages(path)
    assert (page.width, page.height) == (200, 400) and page.dpi == 200


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_png_pixels_and_dpi_match_pillow(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "page.png"
    rng = np.random.default_rng(0)
    image = Image.fromarray(rng.integers(0, 256, (120, 90, 3), dtype=np.uint8)).convert(mode)
    image.save(path, dpi=(200, 200))
    (page,) = read_pages(path)
    assert page.dpi == pytest.approx(200, abs=0.01)
    assert np.array_equal(page.pixels, np.asarray(image))


def test_png_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (400, 200), "white").save(path, exif=exif)
    (page,) = read_pages(path)
    assert (page.width, page.height) == (200, 400)


def test_missing_dpi_is_estimated_from_an_a4_page(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    Image.new("L", (2480, 3508), 255).save(path)
    assert round(next(read_pages(path)).dpi) == 300


def test_pdf_pages_are_rasterised_at_300_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _page().convert("RGB").save(path, resolution=100)
    (page,) = read_pages(path)
    assert abs(page.width - 1800) <= 1 and abs(page.height - 2400) <= 1 and page.pixels.ndim == 3


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims ``width``×``height``: decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)))


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    _png_header_only(path, 30_000, 30_000)
    with pytest.raises(BadInputError, match=r"30000×30000.*refused before decoding|refused before decoding"):
        list(read_pages(path))


def test_non_image_with_image_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("这不是图片", encoding="utf-8")
    with pytest.raises(BadInputError, match="notes.png: is not an image"):
        list(read_pages(path))


def test_corrupted_tiff(tmp_path: Path) -> None:
    path = tmp_path / "broken.tif"
    _page().save(path, compression="tiff_lzw")
    data = path.read_bytes()
    path.write_bytes(data[:200] + b"\xff" * 50)
    with pytest.raises(BadInputError, match="broken.tif: damaged image"):
        list(read_pages(path))


def scanned_g4(path: Path, pages: int = 1, damaged: tuple[int, ...] = ()) -> Path:
    """A bilevel G4 TIFF of lines of ink and scanner specks; in each page of ``damaged`` one
    byte of the second strip flipped, as a failing disk or transfer does."""
    rng = np.random.default_rng(0)
    frames = []
    for _ in range(pages):
        page = np.full((1600, 1200), 255, np.uint8)
        for row in range(200, 1400, 60):
            page[row : row + 30, 150 : int(rng.integers(400, 1050))] = 0
        page[rng.random(page.shape) < 0.01] = 0
        frames.append(Image.fromarray(page).convert("1"))
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4", dpi=(300, 300))
    data = bytearray(path.read_bytes())
    with Image.open(path) as image:
        for number in damaged:
            image.seek(number - 1)
            offsets, counts = image.tag_v2[273], image.tag_v2[279]
            data[offsets[1] + counts[1] // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_a_page_that_decodes_to_garbage_is_damaged_and_libtiff_stays_quiet(tmp_path: Path, capfd) -> None:
    path = scanned_g4(tmp_path / "scan.tif", pages=3, damaged=(2,))
    assert [page.number for page in read_pages(path, pages=[1, 3])] == [1, 3]
    with pytest.raises(BadInputError) as damaged:
        list(read_pages(path, pages=[2]))
    assert str(damaged.value).startswith(f"{path}: damaged image data on page 2 (")
    assert "decoder error(s), the first: Fax4Decode: " in str(damaged.value) and "\n" not in str(damaged.value)
    assert capfd.readouterr().err == ""  # libtiff wrote one line per bad row before


def test_a_scan_with_a_damaged_page_reports_it_once_and_stores_no_junk(tmp_path: Path, capfd) -> None:
    from gazette.archive import Archive
    from ingest.batch import run_batch
    from ingest.pipeline import IngestConfig

    scans = [scanned_g4(tmp_path / "one.tif", 1, damaged=(1,)), scanned_g4(tmp_path / "three.tif", 3, damaged=(2,))]
    archive = Archive.create(tmp_path / "archive")
    one, three = run_batch(scans, archive, IngestConfig(engine="null"), workers=1).files
    assert one.status == "failed" and ": damaged image data on page 1 (" in one.reason
    assert len([note for note in three.notes if "damaged image data on page 2 (" in note]) == 1
    assert not list(archive.documents())
    assert "Fax4Decode" not in capfd.readouterr().err  # nor from the OCR worker processes


@pytest.mark.parametrize(
    ("pixels", "problem"),
    [
        (np.full((800, 600), 255, np.uint8), "blank"),
        (np.zeros((800, 600), np.uint8), "all black"),
        (np.zeros((1, 1), np.uint8), "1×1 pixels, too small"),
        (np.random.default_rng(2).integers(0, 256, (800, 600), dtype=np.uint8), "is noise, not ink on paper"),
        (np.asarray(_page()), None),
    ],
)
def test_pages_without_text_are_named(pixels: np.ndarray, problem: str | None) -> None:
    found = page_problem(PageImage(1, pixels, 300.0))
    assert (found is None) if problem is None else (problem in (found or ""))
