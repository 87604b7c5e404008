from __future__ import annotations

from pathlib import Path

import pytest

from gazette.chars import is_unmapped, shown_name, shown_path, xml_safe


@pytest.mark.parametrize(
    ("text", "clean", "dropped"),
    [
        ("国务院", "国务院", 0),
        ("国\x00务院", "国务院", 1),
        ("通知\x1a", "通知", 1),  # a saved page's trailing Ctrl-Z
        ("a\x01\x08\x0b\x1fb", "ab", 4),
        ("a\ufffe\uffffb", "ab", 2),
        ("a\ud800b", "ab", 1),  # a lone surrogate from an undecodable byte
        ("一\t二\n三\r", "一\t二\n三\r", 0),  # tab and line ends are text
        ("上页\x0c下页", "上页\n下页", 0),  # a form feed is a page break
    ],
)
def test_xml_safe_drops_what_xml_cannot_hold_and_counts_it(text: str, clean: str, dropped: int) -> None:
    assert xml_safe(text) == (clean, dropped)


@pytest.mark.parametrize("glyph", ["(cid:1234)", "\ufffd", "\x00", "\x07"])
def test_unmapped_glyphs(glyph: str) -> None:
    assert is_unmapped(glyph)
    assert not is_unmapped("国") and not is_unmapped("(")


def test_shown_paths_are_one_line_and_keep_the_folder() -> None:
    assert shown_path(Path("/in/scan.pdf\nx")) == "/in/scan.pdf\\u000ax"
    assert shown_path("/in/a\u2028b") == "/in/a\\u2028b"
    assert shown_path(Path("/in/scan.\udcffpdf")) == "/in/scan.\\xffpdf"
    assert shown_name(Path("/in/扫描件.pdf")) == "扫描件.pdf"
