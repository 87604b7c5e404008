"""Measurements of published PDFs with pdfplumber, as a reader with a ruler would take them."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class MeasuredLine:
    page: int
    baseline: float  # from the page's top, pt
    x0: float
    x1: float
    text: str
    size: float


def lines(path: Path | str, *, include_margins: bool = False) -> list[MeasuredLine]:
    """Every text line of the PDF: characters grouped by baseline, in reading order."""
    out: list[MeasuredLine] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rows: dict[float, list[dict]] = defaultdict(list)
            for char in page.chars:
                base = round(page.height - char["matrix"][5], 1)
                rows[base].append(char)
            for base in sorted(rows):
                chars = sorted(rows[base], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                inside = 37 * MM - 5 < base < (37 + 225) * MM + 5
                if inside or include_margins:
                    out.append(
                        MeasuredLine(
                            number, base, chars[0]["x0"], chars[-1]["x1"], text, round(max(c["size"] for c in chars), 2)
                        )
                    )
    return out


def page_numbers(path: Path | str) -> list[tuple[int, str, float, float]]:
    """(page, label, x0, x1) of each ``— N —`` below the text block."""
    found = []
    for line in lines(path, include_margins=True):
        if line.baseline > (37 + 225) * MM and re.fullmatch(r"— \d+ —", line.text):
            found.append((line.page, line.text, line.x0, line.x1))
    return found


def is_han_line(text: str) -> bool:
    return bool(text) and all(HAN.match(char) for char in text)
