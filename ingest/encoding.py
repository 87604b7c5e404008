"""Bytes of a saved page or text file → text, whatever encoding the site or the typist used.

The evidence is taken strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. bytes that are valid UTF-8 are UTF-8, whatever the page declares: text in another
   encoding is almost never valid UTF-8, while pages re-saved as UTF-8 often keep their
   old ``charset=gb2312``; a UTF-8 page with a few stray bytes is still UTF-8, when at
   least `MIN_GOOD_PER_BAD` of its other non-ASCII characters decode for each stray
   byte (each becomes U+FFFD and a note says so, rather than the page being refused);
3. the page's own declaration (``<meta charset>``, ``http-equiv`` or the XML
   declaration), read the way browsers read it: GB2312 and GBK as GB18030, Big5 as
   Big5-HKSCS, their supersets;
4. detection by charset-normalizer (GB18030, Big5, UTF-16 without a mark, …).

Bytes that none of these reads, or that read as text holding NUL characters, are not text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

#: Stray bytes tolerated in a page that is otherwise UTF-8 (or the encoding it declares):
#: one per this many non-ASCII characters that decode. A page in another encoding read
#: as UTF-8 fails on nearly every non-ASCII character, far below one per stray byte.
MIN_GOOD_PER_BAD = 10
# Marks longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Where a page declares its encoding: browsers look in the first KiB; comments may push it further.
_DECLARATION_BYTES = 8192
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Labels as the WHATWG Encoding Standard reads them: each Chinese label names the
# superset that sites really send, and a UTF-16 label readable as ASCII is not UTF-16.
_LABELS = {
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "cp936", "chinese", "csgb2312", "gb_2312-80", "iso-ir-58"), "gb18030"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode"), "utf-8"),
    **dict.fromkeys(("iso-8859-1", "latin1", "ascii", "us-ascii"), "cp1252"),
}


@dataclass(frozen=True)
class DecodedText:
    """Text, the codec that read it, and a note when bytes had to be replaced."""

    text: str
    encoding: str
    note: str = ""


def decode(data: bytes) -> DecodedText | None:
    """The text of ``data`` by the evidence in the module docstring, or None when it is not text."""
    for read in (_by_mark, _as_utf8, _as_declared, _detected):
        decoded = read(data)
        if decoded is not None:
            return decoded if "\x00" not in decoded.text else None
    return None


def declared_encoding(data: bytes) -> str | None:
    """The codec a page declares, as browsers read the label; None when it declares none Python knows."""
    found = _DECLARED.search(data[:_DECLARATION_BYTES])
    if not found:
        return None
    label = (found[1] or found[2]).decode("ascii").lower()
    name = _LABELS.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _by_mark(data: bytes) -> DecodedText | None:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return _leniently(data[len(mark) :], encoding, tolerate_all=True)
    return None


def _as_utf8(data: bytes) -> DecodedText | None:
    return _leniently(data, "utf-8")


def _as_declared(data: bytes) -> DecodedText | None:
    encoding = declared_encoding(data)
    return _leniently(data, encoding) if encoding else None


def _detected(data: bytes) -> DecodedText | None:
    best = from_bytes(data).best()
    return None if best is None else DecodedText(str(best), best.encoding)


def _leniently(data: bytes, encoding: str, tolerate_all: bool = False) -> DecodedText | None:
    """``data`` in ``encoding``; stray bytes become U+FFFD with a note while they stay few
    (any number when ``tolerate_all``: a byte-order mark settles the encoding)."""
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    if not tolerate_all and good < MIN_GOOD_PER_BAD * bad:
        return None
    return DecodedText(text, encoding, f"{bad} byte sequence(s) not valid {encoding} replaced by U+FFFD")
