"""Generated scan pages as archives hold them: colour or grey JPEG, or bilevel CCITT G4 TIFF.

The page-image benchmark and tests measure what the archive keeps of a page against these
files, so they stand for what scanners write: 300 dpi, JPEG at quality 85, G4 for fax and
microfilm archives (every pixel black or white at mid-grey).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from samples.scans import DPI

INKS = ("colour", "grey", "bilevel")
JPEG_QUALITY = 85


def held(pixels: np.ndarray, ink: str) -> tuple[str, bytes]:
    """(suffix, bytes) of an RGB page scanned as ``ink`` (one of `INKS`)."""
    image = Image.fromarray(pixels)
    out = io.BytesIO()
    if ink == "colour":
        image.save(out, format="JPEG", quality=JPEG_QUALITY, dpi=(DPI, DPI))
        return ".jpg", out.getvalue()
    grey = image.convert("L")
    if ink == "grey":
        grey.save(out, format="JPEG", quality=JPEG_QUALITY, dpi=(DPI, DPI))
        return ".jpg", out.getvalue()
    if ink == "bilevel":
        grey.point(lambda v: 255 if v >= 128 else 0, mode="1").save(
            out, format="TIFF", compression="group4", dpi=(DPI, DPI)
        )
        return ".tif", out.getvalue()
    raise ValueError(f"unknown ink {ink!r}; one of {', '.join(INKS)}")
