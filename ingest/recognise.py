"""One scanned page → `PageText`: clean-up, recognition, red ink, recovered gaps, repaired text.

The OCR path's page step. It reads black ink from the cleaned page, turns the page
half round only on page-level evidence (the mean confidence of the whole page, never a
per-line classifier), reads red ink (the header's issuer) apart, then looks for ink
that no recognised line covers and reads it again: the count goes in
`PageText.recovered_lines`. Pale lines among red ink (what is left of a seal's
characters) are dropped. A date line under a seal found by shape (a page without colour)
is read again from other images of it and kept as the readings agree
(`reread_sealed_dates`). Detection runs once per page: red lines, uncovered ink and
stretched re-reads are boxes that already hold one line each, so they go to the
engine's recognition only (`OcrEngine.read_crops`), in one batch per step. Boxes are converted to points (1/72 inch), the unit of
PDF text layers, so the layout step reads OCR and text-layer pages alike.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from gazette.model import Box
from ingest.cleanup import CleanPage, CleanupSettings, clean_page, luminance, turned_half
from ingest.datereadings import agreed_date_reading
from ingest.ocr import DEFAULT_ENGINE, EngineOptions, OcrEngine, OcrLine, cached_engine
from ingest.ocr.textfix import fix_line
from ingest.raster import PageImage
from ingest.types import Line, PageText

# Upright pages of print read with mean confidence above 0.9; a page below this is
# also read turned half round, and the better reading wins.
_DOUBT_ORIENTATION = 0.8
_MIN_LINES_FOR_ORIENTATION = 3
# Ink left uncovered must be at least this share of a text line's height to be read again,
# or at least this tall in points: half the em of 4号 (14 pt) page numbers, the smallest
# type GB/T 9704 sets. On a last page of a few large signature lines the share alone
# asked more than a page number's digits are tall, and the page number was lost.
_GAP_MIN_HEIGHT = 0.35
_GAP_MIN_POINTS = 7.0
_GAP_MIN_WIDTH = 0.15
_BOX_MARGIN = 0.15  # of the line height, around recognised boxes when masking them out
# A line whose box is this many character cells wider than its text holds characters the
# recogniser merged or skipped (CTC reads 二〇〇四 as 二〇四): it is read again, stretched.
_MISSING_CELLS = 0.7
_STRETCH = 1.6
_PITCH_MIN_CELLS = 4  # lines that give the page's character pitch
# A line among red ink whose darkest pixels (this percentile) are lighter than this holds
# no black ink: it is what the colour split left of a seal's own characters.
_GHOST_PERCENTILE = 2
_DARK = 128
# A line under a seal found by shape this short may be its date: read again from other images.
_SEALED_LINE_CHARS = 14
_SEALED_STRETCHES = (1.0, 1.3)


@dataclass(frozen=True)
class OcrSettings:
    """Every setting that changes what a page reads as: the checkpoint's key (the code and the
    engine that read it are checked in the record: `ingest.readerversion`)."""

    engine: str = DEFAULT_ENGINE
    options: EngineOptions = field(default_factory=EngineOptions)
    cleanup: CleanupSettings = field(default_factory=CleanupSettings)
    read_red: bool = True
    recover_gaps: bool = True

    def key(self) -> str:
        """A short stable digest of the settings: pages read with other settings are other work."""
        settings = asdict(self)
        settings["options"].pop("threads")  # how fast, not what is read
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True, eq=False)
class OcrPage:
    """The page's text and the upright image its boxes point into (stored as the derived page)."""

    text: PageText
    image: np.ndarray


def _mean_confidence(lines: list[OcrLine]) -> float:
    weights = [max(len(line.text), 1) for line in lines]
    return sum(line.confidence * w for line, w in zip(lines, weights, strict=True)) / max(sum(weights), 1)


def _read_oriented(clean: CleanPage, engine: OcrEngine, check: bool) -> tuple[CleanPage, list[OcrLine]]:
    lines = engine.recognise(clean.grey)
    if not check or not lines or _mean_confidence(lines) >= _DOUBT_ORIENTATION:
        return clean, lines
    turned = turned_half(clean)
    turned_lines = engine.recognise(turned.grey)
    if len(turned_lines) >= _MIN_LINES_FOR_ORIENTATION and _mean_confidence(turned_lines) > _mean_confidence(lines):
        return turned, turned_lines
    return clean, lines


def _regions(ink: np.ndarray, line_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes of ink blobs joined along a line (about a character apart), as (x0, y0, x1, y1)."""
    reach = max(3, int(line_height))
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((max(3, reach // 4), reach), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:count]]


def _read_regions(
    image: np.ndarray, regions: list[tuple[int, int, int, int]], engine: OcrEngine, pad: int
) -> list[OcrLine]:
    """Each region read as one line, recognition only (no second detection), in one batch."""
    h, w = image.shape[:2]
    boxes = [(max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)) for x0, y0, x1, y1 in regions]
    boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
    read = engine.read_crops([image[top:bottom, left:right] for left, top, right, bottom in boxes])
    return [
        OcrLine(line.text, (float(left), float(top), float(right), float(bottom)), line.confidence, line.low_confidence)
        for line, (left, top, right, bottom) in zip(read, boxes, strict=True)
        if line.text.strip()
    ]


def _typical_height(lines: list[OcrLine], dpi: float) -> float:
    heights = sorted(line.box[3] - line.box[1] for line in lines)
    return heights[len(heights) // 2] if heights else dpi * 16 / 72


def read_red(clean: CleanPage, engine: OcrEngine, line_height: float) -> list[OcrLine]:
    """Red text such as the header's issuers; seals and rules are skipped."""
    if clean.red is None:
        return []
    ink = (clean.red < 160).astype(np.uint8)
    wanted = []
    for x0, y0, x1, y1 in _regions(ink, line_height):
        width, height = x1 - x0, y1 - y0
        # A line of red text is at least two characters wide; a seal's ring and its
        # arc of single characters never are, and a rule is too thin.
        if _GAP_MIN_HEIGHT * line_height <= height <= 4 * line_height and width >= 2 * height:
            wanted.append((x0, y0, x1, y1))
    return _read_regions(clean.red, wanted, engine, int(line_height / 2))


def drop_seal_ghosts(clean: CleanPage, lines: list[OcrLine], line_height: float) -> list[OcrLine]:
    """Lines without black ink, read where red ink is. Dropping red leaves a seal's
    characters as pale strokes with darker rims that detection still finds (院办 read off
    a 国务院办公厅 seal); black text printed over the seal stays dark and stays."""
    if clean.red is None:
        return lines
    reach = max(3, int(line_height / 2))
    near_red = cv2.dilate((clean.red < 255).astype(np.uint8), np.ones((reach, reach), np.uint8))
    return [line for line in lines if not _ghost(clean.grey, near_red, line.box)]


def _ghost(grey: np.ndarray, near_red: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    if x1 <= x0 or y1 <= y0 or near_red[y0:y1, x0:x1].mean() <= 0.5:
        return False
    return float(np.percentile(grey[y0:y1, x0:x1], _GHOST_PERCENTILE)) > _DARK


def recover_gaps(
    grey: np.ndarray, lines: list[OcrLine], engine: OcrEngine, line_height: float, dpi: float
) -> list[OcrLine]:
    """Lines read from ink that no recognised line covers (what detection skipped)."""
    ink = (grey < 128).astype(np.uint8)
    margin = int(_BOX_MARGIN * line_height)
    for line in lines:
        x0, y0, x1, y1 = (int(v) for v in line.box)
        ink[max(0, y0 - margin) : y1 + margin, max(0, x0 - margin) : x1 + margin] = 0
    # Specks of noise and dust are not text: open with a stroke-sized kernel first.
    specks_gone = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    min_height = min(_GAP_MIN_HEIGHT * line_height, _GAP_MIN_POINTS * dpi / 72)
    regions = [
        (x0, y0, x1, y1)
        for x0, y0, x1, y1 in _regions(specks_gone, line_height)
        # As tall as a character; as narrow as a lone digit 1 (a page number) may be.
        if y1 - y0 >= min_height and x1 - x0 >= _GAP_MIN_WIDTH * line_height
    ]
    found = _read_regions(grey, regions, engine, int(line_height / 4))
    return [line for line in found if not any(_covered(line.box, other.box) for other in lines)]


def _covered(box: tuple[float, float, float, float], by: tuple[float, float, float, float]) -> bool:
    """More than half of ``box`` lies inside ``by``: the same line read twice."""
    width = min(box[2], by[2]) - max(box[0], by[0])
    height = min(box[3], by[3]) - max(box[1], by[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    return width > 0 and height > 0 and width * height > 0.5 * area


def _cells(text: str) -> float:
    """Character cells of a line: ASCII letters, digits and marks take half a cell, the rest (Han, 〇 or ○) one."""
    return sum(0.5 if ord(char) < 0x80 else 1.0 for char in text if not char.isspace())


def _pitch(lines: list[OcrLine]) -> float:
    """The page's character pitch: the lower median width per cell of its longer lines (0.0 when none);
    lower, because a line that lost characters reads wide."""
    pitches = sorted(
        (line.box[2] - line.box[0]) / _cells(line.text) for line in lines if _cells(line.text) >= _PITCH_MIN_CELLS
    )
    return pitches[(len(pitches) - 1) // 2] if pitches else 0.0


def reread_short_lines(clean: CleanPage, lines: list[OcrLine], engine: OcrEngine) -> list[OcrLine]:
    """Lines whose box implies more characters than were read, read again stretched along their length.

    Stretching gives each character more frames, so a repeated character is no longer
    merged. The crop comes from the upright page's plain red channel: there a red seal is
    light while black ink printed over it stays whole, whereas dropping red where it blurs
    into black strokes (`cleanup.black_ink`) can break a thin 〇 under a seal. The new
    reading is kept only when it has more characters and no worse a score.
    """
    pitch = _pitch(lines)
    if not pitch:
        return lines
    grey = clean.upright[:, :, 0] if clean.upright.ndim == 3 else clean.upright
    if clean.seals:  # a seal found by shape (no colour) is only gone from the cleaned page
        grey = clean.grey
    short = [
        i for i, line in enumerate(lines) if (line.box[2] - line.box[0]) / pitch - _cells(line.text) >= _MISSING_CELLS
    ]
    pad = int(pitch / 4)
    crops: dict[int, np.ndarray] = {}
    for i in short:
        x0, y0, x1, y1 = (int(v) for v in lines[i].box)
        crop = grey[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
        if crop.size:
            crops[i] = cv2.resize(crop, None, fx=_STRETCH, fy=1.0, interpolation=cv2.INTER_CUBIC)
    out = list(lines)
    for i, again in zip(crops, engine.read_crops(list(crops.values())), strict=True):
        line = lines[i]
        # Kept only with more characters and no worse a score.
        if len(again.text) > len(line.text) and again.confidence >= line.confidence - 0.05:
            out[i] = OcrLine(again.text, line.box, again.confidence, again.low_confidence)
    return out


def reread_sealed_dates(clean: CleanPage, lines: list[OcrLine], engine: OcrEngine) -> list[OcrLine]:
    """A date line under a seal found by shape, read again from the page with the seal taken out
    and from the page as scanned (its ring kept), each as printed and stretched: the line
    becomes what the readings agree on field by field (`datereadings.agreed_date_reading`),
    or stays as first read when they do not agree.
    """
    if not clean.seals:
        return lines
    scanned = luminance(clean.upright) if clean.upright.ndim == 3 else clean.upright
    wanted = [i for i, line in enumerate(lines) if _maybe_sealed_date(line, clean)]
    crops: list[np.ndarray] = []
    for i in wanted:
        x0, y0, x1, y1 = (int(v) for v in lines[i].box)
        pad = max(2, (y1 - y0) // 4)
        for image in (clean.grey, scanned):
            crop = image[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
            crops.extend(
                cv2.resize(crop, None, fx=fx, fy=1.0, interpolation=cv2.INTER_CUBIC) for fx in _SEALED_STRETCHES
            )
    if not crops:
        return lines
    read = engine.read_crops(crops)
    per_line = 2 * len(_SEALED_STRETCHES)  # the cleaned and the scanned page, each stretch
    out = list(lines)
    for n, i in enumerate(wanted):
        readings = [lines[i], *read[n * per_line : (n + 1) * per_line]]
        if (agreed := agreed_date_reading(readings)) is not None:
            out[i] = agreed
    return out


def _maybe_sealed_date(line: OcrLine, clean: CleanPage) -> bool:
    """A short line with a year mark whose box meets a seal's disc (seals are found before deskew:
    a line height of slack)."""
    if len(line.text) > _SEALED_LINE_CHARS or "年" not in line.text:
        return False
    x0, y0, x1, y1 = line.box
    slack = y1 - y0
    for seal in clean.seals:
        nearest_x, nearest_y = min(max(seal.x, x0), x1), min(max(seal.y, y0), y1)
        if np.hypot(nearest_x - seal.x, nearest_y - seal.y) <= seal.radius + seal.half_width + slack:
            return True
    return False


def _char_size(text: str, box: tuple[float, float, float, float]) -> float:
    """The character size of a line: its width over its characters (Latin and digits count half)."""
    cells = _cells(text)
    height = box[3] - box[1]
    if not cells:
        return height
    # Detection boxes hug the ink, so height varies with the glyphs (、 and 一 are short);
    # the pitch along the line is steadier. Clamped for lines of one or two characters.
    return min(max((box[2] - box[0]) / cells, 0.7 * height), 1.5 * height)


def _to_line(line: OcrLine, page: int, scale: float, color: str) -> Line:
    text, marks = fix_line(line.text, line.low_confidence)
    x0, y0, x1, y1 = (v * scale for v in line.box)
    return Line(
        text=text,
        box=Box(page, x0, y0, x1, y1),
        confidence=round(line.confidence, 4),
        origin="ocr",
        low_confidence=marks,
        color=color,
        size=round(_char_size(text, (x0, y0, x1, y1)), 2),
    )


def ocr_page(page: PageImage, source_sha256: str, settings: OcrSettings = OcrSettings()) -> OcrPage:
    """Read one page image into lines in points; steps and recovered lines recorded."""
    engine = cached_engine(settings.engine, settings.options)
    clean = clean_page(page.pixels, page.dpi, settings.cleanup)
    clean, lines = _read_oriented(clean, engine, settings.cleanup.orientation)
    lines = reread_short_lines(clean, lines, engine)
    lines = reread_sealed_dates(clean, lines, engine)
    line_height = _typical_height(lines, page.dpi)
    lines = drop_seal_ghosts(clean, lines, line_height)
    recovered = recover_gaps(clean.grey, lines, engine, line_height, page.dpi) if settings.recover_gaps else []
    red = read_red(clean, engine, line_height) if settings.read_red else []
    scale = 72 / page.dpi
    ordered = sorted(
        [(line, "black") for line in lines + recovered] + [(line, "red") for line in red],
        key=lambda item: (round(item[0].box[1] / max(line_height, 1)), item[0].box[0]),
    )
    out = tuple(_to_line(line, page.number, scale, color) for line, color in ordered if line.text.strip())
    h, w = clean.grey.shape
    steps = (*clean.steps, f"ocr:{settings.engine}") + (("recover-gaps",) if settings.recover_gaps else ())
    text = PageText(
        source_sha256, page.number, w * scale, h * scale, out, steps, len(recovered), settings.engine, engine.version()
    )
    return OcrPage(text, clean.upright)
