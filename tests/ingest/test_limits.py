"""Decompression and page-count bombs: refused with one line, in bounded memory, before anything is stored."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from gazette.exceptions import BadInputError
from ingest.limits import Limits, check_pdf, decoded_size
from ingest.pipeline import page_count

ROOT = Path(__file__).resolve().parents[2]
_MIB = 1 << 20


def zeros_deflated(mib: int) -> bytes:
    """zlib data of ``mib`` MiB of zeros, made in milliseconds: one compressed MiB repeated
    (a full flush makes each copy stand alone), then the end block and the checksum."""
    block = bytes(_MIB)
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()[:-4]
    adler32 = ((mib * _MIB) % 65521) << 16 | 1  # of zeros: the byte sum stays 1, the running sum grows by it
    return first + again * (mib - 1) + end + adler32.to_bytes(4, "big")


def flate_bomb(path: Path, mib: int) -> Path:
    """A one-page PDF whose content stream inflates to ``mib`` MiB."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        contents = pikepdf.Stream(pdf, b"")
        contents.write(zeros_deflated(mib), filter=pikepdf.Name.FlateDecode)
        pdf.pages[0].obj.Contents = pdf.make_indirect(contents)
        pdf.save(path)
    return path


def handmade_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the catalog first) with its cross-reference table,
    written by hand: pikepdf would repair what these tests need broken."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_zeros_deflated_is_what_it_says() -> None:
    assert zlib.decompress(zeros_deflated(3)) == bytes(3 * _MIB)


_MEASURED = """
import resource, sys
from pathlib import Path
from gazette.archive import Archive
from ingest.batch import run_batch
archive = Archive.create(Path(sys.argv[2]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
(outcome,) = run_batch([Path(sys.argv[1])], archive).files
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(outcome.status, outcome.reason, grown // 1024, sep="\\n")
"""


def test_a_flate_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = flate_bomb(tmp_path / "bomb.pdf", 1024)  # 1 GiB of content stream in about 1 MB
    assert bomb.stat().st_size < 2 * _MIB
    run = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(bomb), str(tmp_path / "archive")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    status, reason, grown_mib = run.stdout.splitlines()
    assert status == "failed"
    assert reason == (
        f"{bomb}: PDF stream 4 decompresses to more than 256 MiB, the limit per stream; refused (a decompression bomb?)"
    )
    assert int(grown_mib) < 64  # the stream is inflated a MiB at a time and only counted
    assert not list((tmp_path / "archive" / "data").rglob("*.pdf"))  # refused before it was stored


def test_the_stream_limit_is_configurable(pdf397: Path, tmp_path: Path) -> None:
    assert check_pdf(pdf397, Limits()) == 5
    # Its object stream is measured first: reading any object stored in it would decode it whole.
    with pytest.raises(BadInputError, match=r"PDF stream 16 decompresses to more than 1,000 bytes, the limit"):
        check_pdf(pdf397, Limits(max_stream_bytes=1000))
    bomb = flate_bomb(tmp_path / "small.pdf", 3)
    with pikepdf.open(bomb) as pdf:
        assert decoded_size(pdf.pages[0].obj.Contents, 10 * _MIB) == 3 * _MIB
        assert decoded_size(pdf.pages[0].obj.Contents, _MIB) == 2 * _MIB  # counting stops a chunk past the limit


def test_a_page_count_bomb_is_refused_from_the_page_tree(tmp_path: Path) -> None:
    pages = 50_000  # one page object listed 50,000 times: 300 KB
    kids = b" ".join([b"3 0 R"] * pages)
    path = tmp_path / "pages.pdf"
    path.write_bytes(
        handmade_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        )
    )
    with pytest.raises(BadInputError) as refused:
        page_count(path, "pdf")
    assert str(refused.value) == f"{path}: has more than 2,000 pages, the limit per file; refused (split the file)"
    assert check_pdf(path, Limits(max_pages=pages)) == pages


def test_a_page_tree_that_loops_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.pdf"
    path.write_bytes(
        handmade_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Count 1 /Kids [2 0 R] >>",
            ]
        )
    )
    with pytest.raises(BadInputError, match="page tree loops"):
        check_pdf(path, Limits())


def test_tiff_frames_count_against_the_page_limit(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    frames = [Image.new("1", (64, 64), 1) for _ in range(5)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4")
    assert page_count(path, "tiff", Limits(max_pages=5)) == 5
    with pytest.raises(BadInputError, match="more than 4 pages"):
        page_count(path, "tiff", Limits(max_pages=4))


def test_a_pdf_image_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        image = pikepdf.Stream(pdf, b"")
        image.write(zlib.compress(bytes(100)), filter=pikepdf.Name.FlateDecode)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 20_000, 20_000, 8
        image.ColorSpace = pikepdf.Name.DeviceGray
        pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image)))
        pdf.save(path)
    with pytest.raises(BadInputError, match=r"image \(stream \d+\) of 20000×20000 pixels is over the limit"):
        check_pdf(path, Limits())


def _lzw_zeros(codes: int) -> bytes:
    """LZW data (PDF's, early change) of zeros: after the clear code, 0, then each new code,
    each one zero longer than the last; widths grow as the decoder's table does."""
    sequence = [256, 0, *range(258, 258 + codes - 1)]
    bits, width, table = "", 9, 258
    for index, code in enumerate(sequence):
        bits += format(code, f"0{width}b")
        table += index >= 2  # the clear code and the first code add no entry
        width = 9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def test_lzw_and_ascii_filters_are_measured_too(tmp_path: Path) -> None:
    with pikepdf.new() as pdf:
        stream = pikepdf.Stream(pdf, b"")
        data = _lzw_zeros(1000)  # 1 + 2 + … + 1000 zeros: 500,500 bytes from 1.4 KB
        stream.write(
            data.hex().encode() + b">", filter=pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.LZWDecode])
        )
        assert decoded_size(stream, _MIB) == 500_500
        assert decoded_size(stream, 1000) <= 2000
