"""Page clean-up before recognition: each step a function from pixels to pixels, each switchable.

`clean_page` runs the steps that `CleanupSettings` switch on and names every step it
applied (with what it measured) so the names can go into `PageText.steps` and the
document's provenance. Geometry first (quarter turns, deskew) on the colour page, so
boxes read later match the stored page image; then the colour split: black ink is
read from the red channel, where red seals and headers vanish and the black text they
cover stays whole (a 成文日期 under a 印章), while red ink gets its own image for the
header's issuer; then borders and punch holes are whitened, seals on pages without
colour found by shape and taken out (`ingest.furniture`), and the background
flattened, so yellowed paper and uneven lighting become white.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ingest.furniture import Seal, find_seals, suppress_seals


@dataclass(frozen=True)
class CleanupSettings:
    orientation: bool = True
    deskew: bool = True
    drop_red: bool = True
    crop_borders: bool = True
    flatten: bool = True
    drop_seals: bool = True  # by shape, on pages without colour


@dataclass(frozen=True, eq=False)
class CleanPage:
    """``upright``: the page turned and deskewed (colour; stored in the archive as grey, where boxes point);
    ``grey``: black ink on white, for recognition; ``red``: red ink alone, dark on white (or None)."""

    upright: np.ndarray
    grey: np.ndarray
    red: np.ndarray | None
    steps: tuple[str, ...]
    seals: tuple[Seal, ...] = ()  # found by shape (pages without colour), in page pixels before deskew


_ANALYSIS_SIDE = 800  # skew and orientation are measured on the page shrunk to this size
_MAX_SKEW = 5.0
_INK_LEVEL = 140


def black_ink(pixels: np.ndarray) -> np.ndarray:
    """Black ink dark; red ink and yellow paper white. Black printed over red stays dark.

    The red channel already makes red light; adding twice the redness (red over the
    stronger of green and blue) lifts red strokes to white even where a seal's ink is thin.
    """
    if pixels.ndim == 2:
        return pixels
    red, redness = _redness(pixels)
    # Saturating uint8 sums: min(255, red + 2 × redness) without a wider copy of the page.
    return cv2.add(cv2.add(red, redness), redness)


def _redness(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The red channel, and how much redder than green and blue each pixel is (0 where it is not)."""
    red, green, blue = cv2.split(pixels)
    return red, cv2.subtract(red, cv2.max(green, blue))


def luminance(pixels: np.ndarray) -> np.ndarray:
    return pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def _small_ink(grey: np.ndarray) -> np.ndarray:
    """The page shrunk for analysis, ink 1.0 and paper 0.0 (Otsu threshold)."""
    scale = _ANALYSIS_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    otsu, _ = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Otsu alone splits a nearly empty page at its lighting gradient; ink is darker than that.
    return (small < min(otsu, _INK_LEVEL)).astype(np.float32)


def rotate(pixels: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate about the centre on the same canvas, filling with the page's own paper colour."""
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    fill = np.median(pixels[h // 2 - 50 : h // 2 + 50, :: max(1, w // 50)].reshape(-1, *pixels.shape[2:]), axis=0)
    border = tuple(float(v) for v in np.atleast_1d(fill))
    return cv2.warpAffine(pixels, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def _long_blobs(ink: np.ndarray, reach: int) -> int:
    """Ink smeared along rows: how many blobs come out at least three times longer than high."""
    smeared = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, reach), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    return int(sum(1 for _, _, w, h, _ in stats[1:count] if w >= 3 * h and w >= 2 * reach))


def is_sideways(grey: np.ndarray) -> bool:
    """Lines of text run top to bottom: smearing along columns makes more lines than along rows.

    Chinese print sits on a grid, so row and column profiles both show structure; a line
    of text, though, is a run of characters about one character apart along one axis only.
    """
    ink = _small_ink(grey)
    reach = max(3, round(max(ink.shape) / 60))  # about one character of body text on a page
    return _long_blobs(ink.T, reach) > 2 * max(_long_blobs(ink, reach), 1)


def turn(pixels: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Quarter turns clockwise (1 = 90°, 2 = 180°)."""
    return np.ascontiguousarray(np.rot90(pixels, -quarter_turns))


def skew_angle(grey: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise positive as OpenCV) that makes the text rows level.

    Each line of text, smeared along its row into one blob, gives the slope of a line
    fitted through its pixels; the median over lines, weighted by length, is robust to
    seals, rules and a page that holds only a date. Pages without lines are left alone.
    """
    ink = _small_ink(grey).astype(np.uint8)
    reach = max(3, round(max(ink.shape) / 60))
    smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, reach), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    slopes: list[tuple[float, int]] = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < 3 * h or w < 4 * reach:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == label)
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        slopes.append((float(np.degrees(np.arctan(slope))), int(w)))
    if not slopes:
        return 0.0
    slopes.sort()
    half, total = sum(w for _, w in slopes) / 2, 0
    for angle, weight in slopes:
        total += weight
        if total >= half:
            return float(np.clip(angle, -_MAX_SKEW, _MAX_SKEW))
    return 0.0


def red_ink(pixels: np.ndarray) -> np.ndarray | None:
    """Red ink alone as dark on white, or None when the page has none worth reading."""
    if pixels.ndim == 2:
        return None
    _, redness = _redness(pixels)
    mask = redness > 60
    if cv2.countNonZero(mask.view(np.uint8)) < 0.0005 * mask.size:
        return None
    return np.where(mask, 255 - cv2.add(redness, redness), 255).astype(np.uint8)


_EDGE_SHRINK = 4  # borders and punch holes are found on the page shrunk this many times


def whiten_edges_and_holes(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """Dark scanner borders touching the edge and punch holes in the margins become paper.

    Both are millimetres across, so they are found on the page shrunk four times (text
    strokes there are grey, not dark, and make few components to look at); the found
    blob, grown by a millimetre, is whitened on the full page.
    """
    h, w = grey.shape
    k = _EDGE_SHRINK
    small = cv2.resize(grey, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    fy, fx = h / sh, w / sw
    dark = (small < 90).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    mm = dpi / 25.4 / k
    margin = 25 * mm
    out = grey
    removed = 0
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        touches_edge = x == 0 or y == 0 or x + bw == sw or y + bh == sh
        # A border: touches the edge and is long and thick beyond any glyph.
        border = touches_edge and max(bw, bh) > 20 * mm
        # A punch hole: a filled disc 4–10 mm across within 25 mm of an edge.
        near_edge = x < margin or y < margin or x + bw > sw - margin or y + bh > sh - margin
        disc = 4 * mm < bw < 10 * mm and 0.8 < bw / max(bh, 1) < 1.25 and area > 0.65 * bw * bh
        if border or (near_edge and disc):
            if out is grey:
                out = grey.copy()
            pad = max(1, int(np.ceil(mm)))
            top, left = max(0, y - pad), max(0, x - pad)
            region = labels[top : y + bh + pad, left : x + bw + pad]
            grown = cv2.dilate((region == label).astype(np.uint8), np.ones((2 * pad + 1, 2 * pad + 1), np.uint8))
            # Back to full-page pixels: the shrunk region's corners scaled.
            y0, x0 = round(top * fy), round(left * fx)
            y1, x1 = min(h, round((top + grown.shape[0]) * fy)), min(w, round((left + grown.shape[1]) * fx))
            big = cv2.resize(grown, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
            out[y0:y1, x0:x1][big > 0] = 255
            removed += 1
    return out, removed


def flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide by the paper's own brightness (ink removed by a max filter), then stretch to white.

    The paper is estimated on the page shrunk eight times; the division and the stretch
    run on whole-page ``uint8`` (a saturating divide, then a 256-entry lookup table).
    """
    small = cv2.resize(grey, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((7, 7), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), 4)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    # The darkest ink goes to black; a page with hardly any ink has paper at that
    # percentile, so the stretch never starts above a mid grey.
    low = min(float(np.percentile(flat[::8, ::8], 0.5)), 100.0)
    table = np.clip((np.arange(256, dtype=np.float32) - low) * (255 / max(250 - low, 1)), 0, 255)
    return cv2.LUT(flat, np.round(table).astype(np.uint8))


def clean_page(pixels: np.ndarray, dpi: float, settings: CleanupSettings = CleanupSettings()) -> CleanPage:
    """The steps switched on, in order, each named in ``steps`` with what it measured."""
    steps: list[str] = []
    upright = pixels
    grey = black_ink(pixels) if settings.drop_red else luminance(pixels)
    if settings.drop_red and pixels.ndim == 3:
        steps.append("drop-red")
    if settings.crop_borders:
        # Before geometry: a dark scanner edge would look like a line of text to both.
        grey, removed = whiten_edges_and_holes(grey, dpi)
        steps.append(f"crop-borders({removed})")
    seals: tuple[Seal, ...] = ()
    if settings.drop_seals and (pixels.ndim == 2 or red_ink(pixels) is None):
        # Before flattening, which darkens a grey seal to the text's black; a ring needs no deskew.
        seals = tuple(find_seals(grey, dpi))
        if seals:
            grey = suppress_seals(grey, seals)
            steps.append(f"drop-seals({len(seals)})")
    if settings.flatten:
        grey = flatten_background(grey)
        steps.append("flatten")
    if settings.orientation and is_sideways(grey):
        upright, grey = turn(upright, 1), turn(grey, 1)
        steps.append("rotate-90")
    if settings.deskew:
        angle = skew_angle(grey)
        if abs(angle) >= 0.1:
            upright, grey = rotate(upright, angle), rotate(grey, angle)
            steps.append(f"deskew({angle:+.2f}°)")
    red = red_ink(upright) if settings.drop_red else None
    return CleanPage(upright, grey, red, tuple(steps), seals)


def turned_half(page: CleanPage) -> CleanPage:
    """The same clean page turned 180°: the page-level orientation check's other candidate."""
    return CleanPage(
        turn(page.upright, 2),
        turn(page.grey, 2),
        None if page.red is None else turn(page.red, 2),
        (*page.steps, "rotate-180"),
        page.seals,
    )
