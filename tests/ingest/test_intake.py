import codecs
import struct
import zlib
from pathlib import Path

import pytest

from gazette.exceptions import BadInputError
from ingest.intake import expand_paths, identify, sniff


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height``: enough to be measured, never decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_kind_comes_from_content() -> None:
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"II*\x00rest") == "tiff"
    assert sniff("索引号：1".encode("gb18030")) == "text"
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff(b'<?xml version="1.0"?><annotation/>') is None
    assert sniff(b"\x00\x01binary") is None


def test_wrong_extension_is_read_by_content_and_noted(pdf397: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "notice.txt"
    disguised.write_bytes(pdf397.read_bytes())
    found = identify(disguised)
    assert found.kind == "pdf" and "named .txt but is PDF" in found.note


def test_zero_byte_and_image_bomb_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(30000, 30000))
    with pytest.raises(BadInputError, match="0 bytes"):
        identify(empty)
    with pytest.raises(BadInputError, match="refused"):
        identify(bomb)


def test_folders_expand_recursively_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.pdf").write_bytes(b"%PDF-")
    (tmp_path / "a" / ".hidden").write_bytes(b"x")
    (tmp_path / "y.txt").write_text("y")
    assert expand_paths([tmp_path]) == [tmp_path / "a" / "b" / "x.pdf", tmp_path / "y.txt"]


def test_sniff_reads_text_in_any_encoding_and_html_by_content() -> None:
    assert sniff("\ufeff索引号：1".encode("utf-16-le")) == "text"
    assert sniff(codecs.BOM_UTF16_LE + "<html><body><p>国务院</p></body></html>".encode("utf-16-le")) == "html"
    assert sniff(b"<!-- saved from url=(0022)http://www.gov.cn/ -->\n<html><p>x</p></html>") == "html"
    assert sniff("另存为\n<html><body>国务院</body></html>".encode("gb18030")) == "html"
    assert sniff(b"<?xml version='1.0'?>\n<rss><channel/></rss>") is None
    assert sniff(bytes(range(256)) * 4) is None
