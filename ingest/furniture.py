"""Seals found by shape and taken out of the black ink, whatever their colour.

On colour pages `cleanup.black_ink` drops a red seal by its colour. A grey or bilevel
scan (microfilm, photocopy, fax, G4 archives) keeps no colour: there the seal is known
by its shape, a ring 30–50 mm across (GB/T 9704 puts it over the 署名 and 成文日期)
with a star or emblem inside and characters along the ring. `find_seals` finds rings
by a Hough transform on the page shrunk four times and keeps those whose circle is
mostly ink; `suppress_seals` whitens what belongs to them:

the ring itself (but not where a stroke of text crosses it), and the ring's characters:
ink on their band of radii above the date (GB/T 9704 sets the date below the centre), except
the characters of a row of upright text running in from inside the band (the 署名, printed
across the star, reaches the band with its first and last characters, beside the ring's).
The star or emblem (ink thicker than any stroke) is whitened where it is lighter than the
text: a grey star loses its own ink and keeps the text printed over it. A star as black as
the text (a bilevel page) is left: whitening it would take the characters under it too, and
the recogniser reads the line through it. Darkness decides only inside the star: around the
ring, blur and JPEG make thin strokes of the date as light as a grey seal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_SHRINK = 4
_MIN_DIAMETER_MM, _MAX_DIAMETER_MM = 30.0, 50.0
# Share of the circle's points that must be ink: a ring, not text that happens to curve.
_RING_COVER = 0.6
# Ink is darker than this share of the paper around the seal (pages are not yet flattened).
_INK_SHARE = 0.7
# Bilevel pages: the ring's characters stand on this band of radii (shares of the radius)…
_GLYPH_BAND = (0.45, 0.97)
# …above the date, which GB/T 9704 sets below the seal's centre (居印章中心偏下): from this
# share of the radius below the centre down, blobs on the band are the date's.
_DATE_BELOW = 0.2


@dataclass(frozen=True)
class Seal:
    """A seal's ring on the page, in pixels."""

    x: float
    y: float
    radius: float
    half_width: float = 0.0  # of the ring's stroke, pixels

    @property
    def box(self) -> tuple[int, int, int, int]:
        r = self.radius
        return (round(self.x - r), round(self.y - r), round(self.x + r), round(self.y + r))


def find_seals(grey: np.ndarray, dpi: float) -> list[Seal]:
    """Rings of seal size whose circle is mostly ink, on a page of dark ink on lighter paper."""
    small = cv2.resize(grey, None, fx=1 / _SHRINK, fy=1 / _SHRINK, interpolation=cv2.INTER_AREA)
    paper = float(np.percentile(small[::4, ::4], 90))
    px_per_mm = dpi / 25.4 / _SHRINK
    low, high = (round(d / 2 * px_per_mm) for d in (_MIN_DIAMETER_MM, _MAX_DIAMETER_MM))
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 1.5),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=2 * low,
        param1=120,
        param2=40,
        minRadius=low,
        maxRadius=high,
    )
    if circles is None:
        return []
    near = cv2.dilate((small < _INK_SHARE * paper).astype(np.uint8), np.ones((3, 3), np.uint8))
    seals: list[Seal] = []
    for x, y, r in circles[0]:
        if _ring_cover(near, float(x), float(y), float(r)) >= _RING_COVER:
            seal = _refined(grey, Seal(float(x) * _SHRINK, float(y) * _SHRINK, float(r) * _SHRINK), paper)
            if not any(math.dist((seal.x, seal.y), (s.x, s.y)) < s.radius for s in seals):
                seals.append(seal)
    return seals


def _ring_cover(ink: np.ndarray, x: float, y: float, r: float, points: int = 180) -> float:
    """Share of points around the circle that are ink."""
    h, w = ink.shape
    angles = np.linspace(0, 2 * np.pi, points, endpoint=False)
    xs = np.clip(np.round(x + r * np.cos(angles)).astype(int), 0, w - 1)
    ys = np.clip(np.round(y + r * np.sin(angles)).astype(int), 0, h - 1)
    return float(ink[ys, xs].mean())


def _refined(grey: np.ndarray, seal: Seal, paper: float) -> Seal:
    """The ring measured at full resolution (the Hough circle is four pixels coarse): a circle
    fitted to the ink near it (twice, each time nearer), and the radii about it where the
    circle is mostly ink (the ring's inner and outer edges)."""
    ink = grey < _INK_SHARE * paper
    x, y, r = seal.x, seal.y, seal.radius
    for reach in (3 * _SHRINK, 2 * _SHRINK):
        x0, y0 = max(0, int(x - r - reach)), max(0, int(y - r - reach))
        rows, cols = np.nonzero(ink[y0 : int(y + r + reach) + 1, x0 : int(x + r + reach) + 1])
        xs, ys = cols.astype(np.float64) + x0, rows.astype(np.float64) + y0
        near = np.abs(np.hypot(xs - x, ys - y) - r) <= reach
        if near.sum() < 50:
            break
        # Kasa's fit: x² + y² = 2ax + 2by + c, linear in a, b, c.
        xs, ys = xs[near], ys[near]
        a, b, c = np.linalg.lstsq(np.column_stack([2 * xs, 2 * ys, np.ones_like(xs)]), xs**2 + ys**2, rcond=None)[0]
        x, y, r = float(a), float(b), float(np.sqrt(c + a**2 + b**2))
    radii = np.arange(r - 2 * _SHRINK, r + 2 * _SHRINK, 0.5)
    cover = np.array([_ring_cover(ink, x, y, float(rr), 720) for rr in radii])
    on = radii[cover >= 0.5 * cover.max()]
    return Seal(x, y, float(on.min() + on.max()) / 2, float(on.max() - on.min()) / 2 + 2)


_ANGLES = 1440  # bins around the ring when looking for strokes that cross it
_CROSSING_REACH = 5  # pixels beyond the ring's stroke where a crossing stroke still has ink


def _crossings(ink: np.ndarray, seal: Seal, x0: int, y0: int, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Where a stroke of text crosses the ring: ink just inside and just outside the ring's
    stroke at that angle. The ring is kept there (a stub of it in the stroke), so a date
    character it crosses is not cut in two."""
    angles = np.linspace(-np.pi, np.pi, _ANGLES, endpoint=False)
    reach = np.arange(1, _CROSSING_REACH + 1)
    h, w = ink.shape

    def has_ink(radii: np.ndarray) -> np.ndarray:
        xs = np.clip(np.round(seal.x - x0 + np.cos(angles)[:, None] * radii).astype(int), 0, w - 1)
        ys = np.clip(np.round(seal.y - y0 + np.sin(angles)[:, None] * radii).astype(int), 0, h - 1)
        return np.asarray(ink[ys, xs].any(axis=1))

    # A stroke crosses obliquely: its ink inside and outside the ring lie some bins apart.
    spread = max(1, round((seal.half_width + _CROSSING_REACH) / seal.radius / (2 * np.pi) * _ANGLES))
    inner = has_ink(seal.radius - seal.half_width - reach)
    outer = has_ink(seal.radius + seal.half_width + reach)
    # Kept only where the stroke itself meets the ring, on either side: a stub, not a sector.
    crossing = (inner & _widened(outer, spread)) | (outer & _widened(inner, spread))
    bins = np.round((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * _ANGLES).astype(int) % _ANGLES
    return np.asarray(crossing[bins])


def _widened(around: np.ndarray, bins: int) -> np.ndarray:
    """A circular row of flags, each set flag spread ``bins`` either way (it wraps round)."""
    out = around.copy()
    for shift in range(1, bins + 1):
        out |= np.roll(around, shift) | np.roll(around, -shift)
    return out


def suppress_seals(grey: np.ndarray, seals: list[Seal] | tuple[Seal, ...]) -> np.ndarray:
    """The page with each seal's pixels made paper; the text under them kept where it can be told apart."""
    out = grey.copy()
    for seal in seals:
        _suppress(out, seal)
    return out


def _suppress(page: np.ndarray, seal: Seal) -> None:
    h, w = page.shape
    pad = round(seal.radius + 2 * seal.half_width)
    x0, y0 = max(0, round(seal.x) - pad), max(0, round(seal.y) - pad)
    x1, y1 = min(w, round(seal.x) + pad), min(h, round(seal.y) + pad)
    region = page[y0:y1, x0:x1]
    yy, xx = np.mgrid[y0:y1, x0:x1]
    dx, dy = xx - seal.x, yy - seal.y
    distance = np.hypot(dx, dy)
    ring = np.abs(distance - seal.radius) <= seal.half_width
    disc = distance <= seal.radius + seal.half_width
    paper = float(np.percentile(region, 90))
    ink = region < _INK_SHARE * paper
    remove = ring & ~_crossings(ink, seal, x0, y0, dx, dy)
    # The star or emblem: ink thicker than any stroke of text survives an opening this wide.
    side = max(3, round(0.1 * seal.radius))
    solid = cv2.morphologyEx(
        ink.astype(np.uint8), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    )
    star = (cv2.dilate(solid, np.ones((5, 5), np.uint8)) > 0) & disc
    remove |= _ring_glyphs(ink & ~remove & ~star, seal, x0, y0)
    text_over_star = _text_over(region, solid > 0, star, region[ink & ~star & disc])
    if text_over_star is None:
        text_over_star = np.zeros_like(disc)  # a star as black as the text: left in
    else:
        remove |= star & ~text_over_star
    # Grown by a pixel: a grey seal's blurred rim is lighter than ink but no paper either.
    grown = cv2.dilate(remove.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    region[grown & disc & ~text_over_star] = paper


# Text over a grey star is told from the star by darkness when the darkest ink about the seal
# (the text's) is at least this much darker than the star: inside the star only, where no thin
# stroke of a date runs.
_DARKER_BY = 25


def _text_over(
    region: np.ndarray, seal_ink: np.ndarray, within: np.ndarray, other_ink: np.ndarray
) -> np.ndarray | None:
    """The pixels within ``within`` darker than the seal's own ink (``seal_ink``, its solid
    parts) by as much as the darkest of ``other_ink`` (the text about it) is: text printed over
    a grey star. None when the star is as dark as the text (a bilevel page): there whitening the
    star would take the text under it too, the 署名's middle characters, so the star is left for
    the recogniser to read the line through."""
    if not seal_ink.any() or other_ink.size == 0:
        return None
    star_level = float(np.median(region[seal_ink]))
    text_level = float(np.percentile(other_ink, 2))
    if star_level - text_level < _DARKER_BY:
        return None
    # Smoothed first: the scanner's noise on the star alone would pass the threshold as specks.
    return within & (cv2.medianBlur(region, 3) < (star_level + text_level) / 2)


def _ring_glyphs(ink: np.ndarray, seal: Seal, x0: int, y0: int) -> np.ndarray:
    """The ring's characters: ink on their band of radii above the date, except where it stands
    in a row of upright text with what is printed inside the band (the 署名 under the seal,
    whose first and last characters reach the band, touching the ring's at times)."""
    count, labels, stats, centres = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    seeds: list[Box] = []
    band: list[int] = []
    for label in range(1, count):
        cx, cy = centres[label][0] - (seal.x - x0), centres[label][1] - (seal.y - y0)
        at = math.hypot(cx, cy) / seal.radius
        x, y, w, h = (int(v) for v in stats[label, :4])
        if _GLYPH_BAND[0] <= at <= _GLYPH_BAND[1] and cy < _DATE_BELOW * seal.radius:
            band.append(label)
        elif at < _GLYPH_BAND[0] and h >= _ROW_SEED * seal.radius:
            seeds.append((x, y, x + w, y + h))
    rows = np.zeros_like(ink)
    for left, top, right, bottom in _rows(seeds):
        left, right = _run_on(np.asarray(ink[top:bottom].any(axis=0)), left, right, _ROW_GAP * (bottom - top))
        rows[top:bottom, left:right] = True
    return np.isin(labels, band) & ~rows


Box = tuple[int, int, int, int]  # left, top, right, bottom
# A blob inside the band this tall (share of the radius) is part of a character, not a speck.
_ROW_SEED = 0.15
# A row of text runs on over ink no further than this share of its height: characters set
# solid, not the ring's, which stand apart.
_ROW_GAP = 0.5


def _rows(boxes: list[Box]) -> list[Box]:
    """Boxes that overlap in height, each group as one box (a row of text)."""
    rows: list[Box] = []
    for box in sorted(boxes, key=lambda b: b[1]):
        if rows and box[1] < rows[-1][3]:
            left, top, right, bottom = rows[-1]
            rows[-1] = (min(left, box[0]), top, max(right, box[2]), max(bottom, box[3]))
        else:
            rows.append(box)
    return rows


def _run_on(inked: np.ndarray, left: int, right: int, gap: float) -> tuple[int, int]:
    """The columns ``left:right`` widened over inked columns while the next lies within ``gap``."""
    columns = np.flatnonzero(inked)
    while (before := columns[(columns < left) & (columns >= left - gap)]).size:
        left = int(before.min())
    while (after := columns[(columns >= right) & (columns < right + gap)]).size:
        right = int(after.max()) + 1
    return left, right
