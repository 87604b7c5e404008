"""PDF text layer → `PageText`: characters grouped into line fragments with box, size and colour.

A fragment is a run of characters on one baseline with no gap wider than a character:
a red header's issuer and the ``文件`` beside it stay apart, and the layout step (which
also reads OCR lines) decides what belongs together. Pages whose text layer cannot be
trusted come back as `NeedsOcr` so that the OCR path can read them from pixels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from gazette.chars import HAN_CHARACTER, is_unmapped
from gazette.exceptions import BadInputError
from gazette.model import Box
from ingest.types import Line, NeedsOcr, PageText

Char = Mapping[str, Any]

# Characters of one line share a baseline within this fraction of their size.
_SAME_LINE = 0.35
# A horizontal gap wider than this many characters ends a fragment (columns, table cells, 文件).
_FRAGMENT_GAP = 1.0
# A gap wider than this many characters inside a fragment is a space (Latin words, padded digits).
_SPACE_GAP = 0.3
# Bold simulated by printing a glyph twice, shifted by a fraction of a point.
_OVERPRINT = 0.3
# A page is unreadable when this share of its characters are unmapped glyphs.
_MAX_UNMAPPED = 0.05
# A page with no Han characters but pictures over this share of its area is a scan.
_SCAN_AREA = 0.3
# Fonts map the hyphen glyph to the soft hyphen; printed, it is a hyphen (2014­2020).
_SOFT_HYPHEN = str.maketrans({"\u00ad": "-"})


def page_count(path: Path) -> int:
    with _open(path) as pdf:
        return len(pdf.pages)


def read_pdf(path: Path, source_sha256: str, numbers: Sequence[int] | None = None) -> list[PageText | NeedsOcr]:
    """Pages of a PDF (1-based ``numbers``, default all) as lines, or as `NeedsOcr` with the reason."""
    results: list[PageText | NeedsOcr] = []
    with _open(path) as pdf:
        wanted = numbers or range(1, len(pdf.pages) + 1)
        for number in wanted:
            try:
                page = pdf.pages[number - 1]
                chars = page.chars
                image_area = sum(_area(image) for image in page.images)
            except Exception as error:  # noqa: BLE001  (pdfminer raises many kinds on damaged content streams)
                raise BadInputError(f"page {number} is damaged ({_describe(error)})", path=str(path)) from None
            problem = text_layer_problem(chars, float(page.width * page.height), image_area)
            if problem:
                results.append(NeedsOcr(source_sha256, number, problem))
                continue
            lines = lines_from_chars(chars)
            unmapped = sum(1 for char in chars if is_unmapped(str(char["text"])))
            results.append(
                PageText(
                    source_sha256,
                    number,
                    float(page.width),
                    float(page.height),
                    lines,
                    steps=("text-layer",),
                    dropped_characters=unmapped,
                )
            )
    return results


def _open(path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path)
    except Exception as error:  # noqa: BLE001  (pdfminer raises many kinds on a damaged file)
        cause = error.__cause__ or error.__context__ or error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(error).lower():
            raise encrypted_pdf(path) from None
        raise damaged_pdf(path, error) from None


def encrypted_pdf(path: Path) -> BadInputError:
    return BadInputError("PDF is encrypted; decrypt it first (qpdf --decrypt IN OUT)", path=str(path))


def damaged_pdf(path: Path, error: BaseException) -> BadInputError:
    cause = _describe(error).replace(f"{path}: ", "")  # qpdf names the file again
    return BadInputError(f"PDF is damaged or truncated ({cause}); re-download or repair it", path=str(path))


def _describe(error: BaseException) -> str:
    cause = error.__cause__ or error.__context__
    text = str(error) or (str(cause) if cause else "") or type(error).__name__
    return text.splitlines()[0][:120]


def _area(obj: Char) -> float:
    return max(0.0, float(obj["x1"]) - float(obj["x0"])) * max(0.0, float(obj["bottom"]) - float(obj["top"]))


def text_layer_problem(chars: Sequence[Char], page_area: float, image_area: float) -> str | None:
    """Why a page's text layer cannot be used, or None when it can."""
    visible = [char for char in chars if str(char["text"]).strip()]
    if not visible:
        return "no text layer (scanned page)" if image_area > _SCAN_AREA * page_area else None
    unmapped = sum(1 for char in visible if is_unmapped(str(char["text"])))
    if unmapped > _MAX_UNMAPPED * len(visible):
        return f"text layer has {unmapped} unmapped glyphs ((cid:…), U+FFFD or control characters)"
    if not any(HAN_CHARACTER.search(char["text"]) for char in visible) and image_area > _SCAN_AREA * page_area:
        return "text layer has no Chinese characters on a page of pictures (scanned page)"
    return None


def lines_from_chars(chars: Iterable[Char]) -> tuple[Line, ...]:
    """Characters → line fragments, top to bottom and left to right on each baseline.

    Glyphs with no Unicode mapping are left out: they are no text (a page with many of
    them is not read from its text layer at all, `text_layer_problem`)."""
    rows: list[list[Char]] = []
    readable = (
        c for c in chars if c.get("upright", True) and str(c["text"]).strip() and not is_unmapped(str(c["text"]))
    )
    for char in sorted(readable, key=_centre):
        size = _size(char)
        # Compare with recent rows only: a baseline is near the end of the sorted order.
        for row in reversed(rows[-4:]):
            if abs(_centre(row[0]) - _centre(char)) < _SAME_LINE * max(size, _size(row[0])):
                row.append(char)
                break
        else:
            rows.append([char])
    fragments: list[Line] = []
    for row in rows:
        fragments.extend(_fragments(sorted(row, key=lambda c: float(c["x0"]))))
    return tuple(sorted(fragments, key=lambda line: (line.box.y0, line.box.x0)))


def _fragments(row: list[Char]) -> list[Line]:
    out: list[Line] = []
    current: list[Char] = [row[0]]
    for char in row[1:]:
        previous = current[-1]
        size = max(_size(char), _size(previous))
        gap = float(char["x0"]) - float(previous["x1"])
        if char["text"] == previous["text"] and abs(float(char["x0"]) - float(previous["x0"])) < _OVERPRINT * size:
            continue
        if gap > _FRAGMENT_GAP * size:
            out.append(_line(current))
            current = []
        current.append(char)
    out.append(_line(current))
    return out


def _line(chars: list[Char]) -> Line:
    parts: list[str] = []
    for previous, char in zip([None, *chars], chars, strict=False):
        if previous is not None and float(char["x0"]) - float(previous["x1"]) > _SPACE_GAP * _size(char):
            parts.append(" ")
        parts.append(str(char["text"]))
    box = Box(
        int(chars[0]["page_number"]),
        min(float(c["x0"]) for c in chars),
        min(float(c["top"]) for c in chars),
        max(float(c["x1"]) for c in chars),
        max(float(c["bottom"]) for c in chars),
    )
    sizes = sorted(_size(c) for c in chars)
    reds = sum(1 for c in chars if is_red(c.get("non_stroking_color")))
    return Line(
        text="".join(parts).translate(_SOFT_HYPHEN),
        box=box,
        origin="text-layer",
        color="red" if reds * 2 > len(chars) else "black",
        size=round(sizes[len(sizes) // 2], 1),
    )


def is_red(color: Any) -> bool:
    """Whether a pdfplumber colour (gray, RGB or CMYK tuple) is the red of a red header."""
    if not isinstance(color, (tuple, list)):
        return False
    if len(color) == 3:
        r, g, b = (float(v) for v in color)
        return r > 0.6 and g < 0.4 and b < 0.4
    if len(color) == 4:
        c, m, y, k = (float(v) for v in color)
        return m > 0.6 and y > 0.5 and c < 0.3 and k < 0.4
    return False


def _size(char: Char) -> float:
    return float(char.get("size") or (float(char["bottom"]) - float(char["top"])) or 1.0)


def _centre(char: Char) -> float:
    return (float(char["top"]) + float(char["bottom"])) / 2
