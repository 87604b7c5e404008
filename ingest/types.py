"""Plain data passed between ingest steps: a page's lines, whether they came from a PDF text layer or OCR.

Every step after this point (layout, splitting, metadata) reads `PageText` and never
asks where the lines came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gazette.model import Box

LineOrigin = Literal["text-layer", "ocr", "text"]


@dataclass(frozen=True)
class Line:
    """One line of text with its box on the page (page units, origin top-left) and a 0–1 confidence.

    ``low_confidence`` holds the indices of characters the recogniser was unsure of;
    ``color`` is the dominant ink colour ("black", "red") where known: red headers matter.
    ``size`` is the font size (points) or line height (pixels) where known.
    """

    text: str
    box: Box
    confidence: float = 1.0
    origin: LineOrigin = "text-layer"
    low_confidence: tuple[int, ...] = ()
    color: str = "black"
    size: float = 0.0


@dataclass(frozen=True)
class PageText:
    """The lines of one page of one source file, with the page's size in the lines' units.

    ``engine`` and ``engine_version`` name the OCR engine that read the page (empty for a text layer).
    ``dropped_characters`` counts characters of its text that XML cannot hold (NUL, controls, unmapped
    glyphs), dropped where the text entered.
    """

    source_sha256: str
    number: int
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    steps: tuple[str, ...] = ()
    recovered_lines: int = 0
    engine: str = ""
    engine_version: str = ""
    dropped_characters: int = 0


@dataclass(frozen=True)
class NeedsOcr:
    """A page whose text layer is missing or unusable (``reason``): the OCR path reads it from pixels."""

    source_sha256: str
    number: int
    reason: str
