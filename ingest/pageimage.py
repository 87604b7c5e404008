"""The archive's derived page images: small, browser-ready, chosen per page by content.

OCR reads each page turned upright (quarter turns, deskew). What the archive keeps of that
page, under ``data/pages/<sha256>/``:

- ``NNNN.json``, always: the geometry that made the upright page from the original's page
  (the quarter turns and the deskew angle, in order, and the page's size). Applied to the
  original again (`upright_from_original`) it gives the very pixels OCR read, in colour and
  at full resolution: review crops are cut from it.
- a reading copy for the browser, when one fits the budget (`MAX_RATIO` × the original's
  bytes per page): ``NNNN.png``, 1-bit, for text on paper; ``NNNN.webp``, lossy grey, where
  shading matters (photographs, halftones, midtones over a large part of the page) or where
  coloured ink would merge with the black text it covers in one bit (a red seal over the
  date). The background is flattened first (`ingest.cleanup.flatten_background`), so
  yellowed paper and uneven light cost no bytes. A page whose original is already smaller
  than any browser image of it (a bilevel G4 TIFF) keeps the geometry alone: the web pages
  make its 1-bit copy from the original when asked (`derived_reading_copy`).

Archives written before this kept a lossless grey ``NNNN.png`` with no geometry; those
pages are read as they are (`gazette.archive.Archive.page_image_path`).
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from gazette.exceptions import GazetteError
from ingest.cleanup import flatten_background, luminance, red_ink, rotate, turn
from ingest.raster import read_pages

#: The kept reading copy is at most this fraction of the original's bytes per page.
MAX_RATIO = 0.3
#: Lossy grey quality: strokes of 3号 text at 300 dpi stay sharp, paper noise is dropped.
WEBP_QUALITY = 50
#: Names how reading copies are encoded; change it when `encode_reading_copy` makes other bytes
#: (the static site then makes its derived copies again: `gazette.web.derived`).
READING_COPY_FORMAT = "reading-copy/1"
_WEBP_METHOD = 2  # encoder effort 0–6: 4 and up are twice as slow for 2–3% fewer bytes
_WEBP_MAX_SIDE = 16383  # the format's limit: a longer page (a scroll, a map) is kept 1-bit
_INK = 128  # flattened grey below this is ink in the 1-bit copy
_MIDTONE = (60, 200)
#: Text on paper puts at most a few per cent of the page in midtones (stroke edges); a
#: photograph or halftone puts tens of per cent.
_SHADED = 0.10


@dataclass(frozen=True)
class Geometry:
    """How the upright page was made from page ``page`` of the original: ``steps`` in order,
    ``("turn", quarter turns clockwise)`` or ``("rotate", degrees counter-clockwise)``."""

    page: int
    width: int
    height: int
    steps: tuple[tuple[str, float], ...] = ()


_DESKEW = re.compile(r"deskew\(([+-]?\d+(?:\.\d+)?)°\)")
_TURNS = {"rotate-90": 1, "rotate-180": 2}


def geometry_from_steps(page: int, size: tuple[int, int], steps: tuple[str, ...]) -> Geometry:
    """The geometry named by the clean-up steps of `ingest.cleanup` (``rotate-90``,
    ``deskew(+1.23°)``, ``rotate-180``); ``size`` is the upright page's (width, height)."""
    found: list[tuple[str, float]] = []
    for step in steps:
        if step in _TURNS:
            found.append(("turn", _TURNS[step]))
        elif match := _DESKEW.fullmatch(step):
            found.append(("rotate", float(match.group(1))))
    return Geometry(page, size[0], size[1], tuple(found))


def geometry_to_json(geometry: Geometry) -> bytes:
    record = {
        "page": geometry.page,
        "size": [geometry.width, geometry.height],
        "steps": [list(step) for step in geometry.steps],
    }
    return json.dumps(record).encode("utf-8")


def geometry_from_json(data: bytes) -> Geometry:
    try:
        record: dict[str, Any] = json.loads(data)
        width, height = (int(v) for v in record["size"])
        steps = tuple((str(name), float(value)) for name, value in record["steps"])
        if any(name not in ("turn", "rotate") for name, _ in steps):
            raise ValueError("unknown step")
        if not all(math.isfinite(value) and (name == "rotate" or value.is_integer()) for name, value in steps):
            raise ValueError("a turn or angle that is not a number of quarter turns or degrees")
        return Geometry(int(record["page"]), width, height, steps)
    except (ValueError, TypeError, KeyError) as error:
        raise GazetteError(f"not a page geometry record ({error})") from None


def apply_geometry(pixels: np.ndarray, geometry: Geometry) -> np.ndarray:
    """The original page's pixels turned upright as OCR turned them (the same functions)."""
    for name, value in geometry.steps:
        pixels = turn(pixels, int(value)) if name == "turn" else rotate(pixels, value)
    return pixels


def upright_from_original(original: Path, geometry: Geometry) -> np.ndarray:
    """Page ``geometry.page`` of the kept original, decoded and turned upright again."""
    page = next(iter(read_pages(original, [geometry.page])), None)
    if page is None:
        raise GazetteError(f"the original has no page {geometry.page}", path=str(original))
    return apply_geometry(page.pixels, geometry)


@dataclass(frozen=True)
class ReadingCopy:
    suffix: str  # ".png" or ".webp"
    data: bytes


def page_kind(pixels: np.ndarray) -> str:
    """``"grey"`` where shading or coloured ink matters, else ``"bilevel"``."""
    if red_ink(pixels) is not None:  # a seal or red header the OCR reads apart from the black ink
        return "grey"
    flat = flatten_background(luminance(pixels))[::4, ::4]
    midtones = cv2.countNonZero(((flat > _MIDTONE[0]) & (flat < _MIDTONE[1])).view(np.uint8))
    return "grey" if midtones > _SHADED * flat.size else "bilevel"


def encode_reading_copy(pixels: np.ndarray, kind: str) -> ReadingCopy:
    """The upright page as a browser image of ``kind`` (`page_kind`)."""
    flat = flatten_background(luminance(pixels))
    out = io.BytesIO()
    if kind == "bilevel":
        Image.fromarray(flat >= _INK).save(out, format="PNG", optimize=False)
        return ReadingCopy(".png", out.getvalue())
    Image.fromarray(flat).save(out, format="WEBP", quality=WEBP_QUALITY, method=_WEBP_METHOD)
    return ReadingCopy(".webp", out.getvalue())


def derived_reading_copy(original: Path, geometry: Geometry) -> bytes:
    """The 1-bit PNG reading copy of a page kept as geometry alone, made again from the original
    (for the web pages, which keep no copy of their own: `gazette.web.derived`). A geometry that
    does not fit the original's page raises `GazetteError`."""
    pixels = upright_from_original(original, geometry)
    if pixels.shape[:2] != (geometry.height, geometry.width):
        raise GazetteError(
            f"the geometry says {geometry.width}×{geometry.height} but page {geometry.page} of the original "
            f"turns upright to {pixels.shape[1]}×{pixels.shape[0]}"
        )
    return encode_reading_copy(pixels, "bilevel").data


def kept_files(pixels: np.ndarray, geometry: Geometry, budget: float) -> dict[str, bytes]:
    """File name → bytes of what the archive keeps of one upright page: the geometry, and the
    reading copy of the page's kind (else 1-bit) when one is at most ``budget`` bytes."""
    stem = f"{geometry.page:04d}"
    files = {f"{stem}.json": geometry_to_json(geometry)}
    kind = page_kind(pixels) if max(pixels.shape[:2]) <= _WEBP_MAX_SIDE else "bilevel"
    for candidate in dict.fromkeys((kind, "bilevel")):
        copy = encode_reading_copy(pixels, candidate)
        if len(copy.data) <= budget:
            files[stem + copy.suffix] = copy.data
            break
    return files
