"""Bytes → text: byte-order marks, UTF-8 (stray bytes tolerated), declarations, detection."""

from __future__ import annotations

import codecs

import pytest

from ingest.encoding import MIN_GOOD_PER_BAD, declared_encoding, decode

TEXT = "广东省人民政府办公厅关于推进阳光政务建设工作的通知。各地级以上市人民政府，省政府各部门、各直属机构："


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("utf-8"), "utf-8"),
        ((TEXT * 20).encode("gbk"), "gb18030"),  # no mark, no declaration: detected
        ((TEXT * 20).encode("utf-16-le"), "utf_16_le"),  # UTF-16 without a mark: detected
    ],
)
def test_marks_utf8_and_detection(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded is not None and decoded.encoding == encoding and decoded.note == ""
    assert TEXT in decoded.text


def test_a_declaration_is_read_as_browsers_read_it() -> None:
    assert declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">') == "gb18030"
    assert declared_encoding(b"<meta charset='big5'>") == "big5hkscs"
    assert declared_encoding(b'<?xml version="1.0" encoding="GBK"?><html>') == "gb18030"
    assert declared_encoding(b"<meta charset=utf-16>") == "utf-8"  # readable as ASCII, so not UTF-16
    assert declared_encoding(b"<meta charset=x-no-such-thing>") is None
    page = b"<html><head><meta charset=gbk></head><body>" + "国务院".encode("gbk") + b"</body></html>"
    decoded = decode(page)
    assert decoded is not None and decoded.encoding == "gb18030" and "国务院" in decoded.text


def test_valid_utf8_wins_over_a_stale_declaration() -> None:
    page = b"<html><head><meta charset=gb2312></head><body>" + TEXT.encode("utf-8") + b"</body></html>"
    decoded = decode(page)
    assert decoded is not None and decoded.encoding == "utf-8" and TEXT in decoded.text


def test_a_stray_byte_in_utf8_is_replaced_and_noted() -> None:
    data = TEXT.encode("utf-8") + b"\xff" + TEXT.encode("utf-8")
    decoded = decode(data)
    assert decoded is not None and decoded.encoding == "utf-8"
    assert decoded.text == f"{TEXT}\ufffd{TEXT}"
    assert decoded.note == "1 byte sequence(s) not valid utf-8 replaced by U+FFFD"
    # Too many stray bytes for the text around them: not UTF-8 (then detected as something else, or not text).
    damaged = decode(b"\xff".join(char.encode("utf-8") for char in TEXT[: MIN_GOOD_PER_BAD * 2]))
    assert damaged is None or damaged.encoding != "utf-8"


def test_binary_data_is_not_text() -> None:
    assert decode(bytes(range(256)) * 8) is None
    assert decode(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200)) is None
