"""Characters that text from outside may carry and the archive's XML cannot hold.

Text enters the library from PDF text layers, OCR and saved pages; each of those
entry points passes it through `xml_safe` once, so every later step (layout,
metadata, the XML writer, the index) sees only characters XML 1.0 can hold.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Han characters, as a regular-expression class body (use inside ``[…]``): CJK Unified
#: Ideographs with Extension A and the compatibility ideographs that print as ordinary ones.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: One Han character.
HAN_CHARACTER = re.compile(f"[{HAN}]")

# XML 1.0 §2.2: tab, line feed and carriage return are the only C0 controls allowed;
# surrogates (lone ones come from undecodable bytes) and U+FFFE/U+FFFF are never characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A glyph pdfminer could not map to Unicode is printed as "(cid:1234)": never text.
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
# What a path may show of itself in provenance, reports and messages: no control character
# (a line break in a name must not split a report line or a manifest line).
_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]")


def xml_safe(text: str) -> tuple[str, int]:
    """``text`` without the characters XML 1.0 cannot hold, and how many were dropped.

    A form feed (a page break in a saved page) becomes a line break; everything else
    that is not an XML character (NUL, other controls, a trailing Ctrl-Z, U+FFFE/U+FFFF,
    lone surrogates) is dropped.
    """
    text = text.replace("\x0c", "\n")
    cleaned, dropped = _NOT_XML.subn("", text)
    return cleaned, dropped


def is_unmapped(text: str) -> bool:
    """Whether a character from a text layer stands for a glyph with no Unicode mapping."""
    return "\ufffd" in text or bool(UNMAPPED_GLYPH.search(text) or _NOT_XML.search(text))


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as a person can read it on one line: undecodable bytes as ``\\xNN``,
    control characters (line breaks included) as ``\\uNNNN``."""
    raw = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", raw)


def shown_name(path: Path) -> str:
    """The file name alone, made readable like `shown_path`: what public outputs may show."""
    return shown_path(path.name)
