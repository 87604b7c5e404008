"""Synthetic scans: `Document`s rendered to page images the way real archives look.

A4 at 300 dpi laid out after GB/T 9704-2012 (37 mm top and 28 mm left margins, 22 lines
of 28 characters, a red header with a red rule, the seal in red over the date, page
numbers ``— N —``), then, in the ``degraded`` setting, what scanning old paper does:
bleed-through from the back, yellowed paper, uneven lighting, punch holes and a dark
scanner edge, skew up to ±3°, blur, noise and JPEG artefacts. ``grey`` is the degraded
scan kept as grey (microfilm, photocopies: the red header and seal turn mid-grey over
the black text), ``bilevel`` a fax-like scan thresholded to black and white (written as
CCITT G4 TIFF; header and seal come out black, told apart from text only by shape). Everything is decided by
the seed, so a test sees the same pages every run. Each page carries the lines drawn on
it (text and box) as ground truth.

``python -m samples.scans OUT [--setting degraded|clean|grey|bilevel] [--format png|tif|pdf] [--limit N]
[--document AKN.xml]`` (``--document``: scan that Akoma Ntoso document instead of the corpus;
the demo's ``samples/inputs/国办函〔1996〕14号-扫描件.tif`` is
``--document samples/documents/国办函〔1996〕14号.xml --setting bilevel``)
"""

from __future__ import annotations

import argparse
import io
import math
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gazette.model import Block, Document
from gazette.structure import is_attachment_label, is_attachment_note

DPI = 300
MM = DPI / 25.4
PAGE_W, PAGE_H = round(210 * MM), round(297 * MM)
LEFT, TOP = round(28 * MM), round(37 * MM)
TEXT_W, TEXT_H = round(156 * MM), round(225 * MM)
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
PITCH = TEXT_W / CHARS_PER_LINE  # one character cell
LEADING = TEXT_H / LINES_PER_PAGE
BODY_PX = round(16 / 72 * DPI * 0.96)  # 3号 (16 pt), a hair smaller so 28 fit the block
TITLE_PX = round(22 / 72 * DPI)
PAGE_NUMBER_PX = round(14 / 72 * DPI)
SONG = "/usr/share/fonts/truetype/arphic/uming.ttc"  # Ming/Song face: body and title
HEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # 黑体: level-1 headings
RED = (210, 30, 35)
BLACK = (20, 20, 20)
# Punctuation that may not start a line (避头): it stays on the line before, in the margin.
_NO_LINE_START = "，。、；：？！）》〕”’…"


@dataclass(frozen=True)
class ScanSettings:
    """What scanning does to a page; ``clean`` is a perfect flat-bed scan of new paper."""

    name: str
    skew_degrees: float = 0.0
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int = 0  # 0: no JPEG round trip
    lighting: float = 0.0  # depth of the light fall-off, 0–1
    yellowing: float = 0.0  # 0 white paper … 1 old newsprint
    bleed_through: float = 0.0  # darkness of the back page's ink showing through
    punch_holes: bool = False
    scanner_edge: bool = False
    # What the scanner keeps: ``colour``; ``grey`` (microfilm, photocopies: red turns mid-grey);
    # ``bilevel`` (fax, G4 archives: every pixel black or white at ``threshold``, red ink black).
    ink: str = "colour"
    threshold: int = 128


CLEAN = ScanSettings("clean")
DEGRADED = ScanSettings(
    "degraded",
    skew_degrees=3.0,
    blur_sigma=0.9,
    noise_sigma=9.0,
    jpeg_quality=55,
    lighting=0.25,
    yellowing=1.0,
    bleed_through=0.10,
    punch_holes=True,
    scanner_edge=True,
)
# The degraded page as microfilm and photocopies keep it: grey, the red seal mid-grey.
GREY = replace(DEGRADED, name="grey", ink="grey")
# A fax or bilevel archive scan: the same paper, thresholded, so the red header and the
# seal come out as black as the text they cover.
BILEVEL = ScanSettings(
    "bilevel",
    skew_degrees=2.0,
    blur_sigma=0.7,
    noise_sigma=6.0,
    lighting=0.2,
    yellowing=0.6,
    bleed_through=0.06,
    punch_holes=True,
    scanner_edge=True,
    ink="bilevel",
)
SETTINGS = {s.name: s for s in (CLEAN, DEGRADED, GREY, BILEVEL)}


@dataclass(frozen=True)
class DrawnLine:
    """A line as drawn: its text, its box in pixels before any skew, and its ink colour."""

    text: str
    box: tuple[int, int, int, int]
    color: str = "black"


@dataclass(frozen=True, eq=False)
class ScanPage:
    number: int
    pixels: np.ndarray  # uint8: RGB, or 2-D grey (0 and 255 only when bilevel)
    lines: tuple[DrawnLine, ...]


@dataclass(frozen=True)
class _Run:
    """One line of text to draw: where it starts, how it is set."""

    text: str
    x: float
    font: str
    size: int
    color: tuple[int, int, int] = BLACK
    stroke: int = 0
    centred: bool = False
    justified: bool = False  # a full line of a paragraph: spread to the full measure
    cells: tuple[tuple[str, float], ...] = ()  # a table row: each cell and its column's x


@dataclass(frozen=True)
class _Seal:
    centre: tuple[int, int]
    text: str


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return _FONTS.setdefault((path, size), ImageFont.truetype(path, size))


_FONTS: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def _advance(char: str, size: int) -> float:
    """Han and full-width characters fill a cell; Latin letters and digits take half of one."""
    return PITCH * size / BODY_PX if ord(char) > 0x2E7F or char in "—…“”‘’" else PITCH * size / BODY_PX / 2


def _wrap(text: str, width: float, size: int, indent: float = 0.0) -> list[str]:
    lines, current, used = [], "", indent
    for char in text:
        step = _advance(char, size)
        if current and used + step > width + 1 and char not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += step
    if current:
        lines.append(current)
    return lines


def _text_width(text: str, size: int) -> float:
    return sum(_advance(char, size) for char in text)


def closing_position(body: Sequence[Block]) -> int:
    """Where the signature and date stand among the body's blocks: before the notes printed after
    the date, else before the first attachment (its label, or the title of a document the
    notice forwards or issues); an 附件说明 (附件：… in the text) stands above the date."""
    for i, block in enumerate(body):
        if block.kind == "note" or (
            block.kind == "attachment" and (is_attachment_label(block.text) or not is_attachment_note(block.text))
        ):
            return i
    return len(body)


def _title_runs(doc: Document) -> Iterator[_Run]:
    """The document after its header: title and recipients, as single lines."""
    for line in _wrap(doc.title, TEXT_W - 4 * PITCH, TITLE_PX):
        yield _Run(line, 0, SONG, TITLE_PX, stroke=1, centred=True)
    yield _Run("", 0, SONG, BODY_PX)
    if doc.recipients:
        for line in _wrap(doc.recipients + "：", TEXT_W, BODY_PX):
            yield _Run(line, 0, SONG, BODY_PX)


def _body_runs(blocks: Iterable[Block]) -> Iterator[_Run]:
    """Blocks of the body as single lines (notes are set with the closing)."""
    for block in blocks:
        if block.kind == "note":
            continue
        if block.kind == "table":
            yield from _table_runs(block.rows)
            continue
        font = HEI if block.kind == "heading" and block.level == 1 else SONG
        wrapped = _wrap(block.text, TEXT_W, BODY_PX, 2 * PITCH)
        for i, line in enumerate(wrapped):
            yield _Run(line, 2 * PITCH if i == 0 else 0.0, font, BODY_PX, justified=i + 1 < len(wrapped))


def _table_runs(rows: Sequence[Sequence[str]]) -> Iterator[_Run]:
    """A table as printed: the columns of its fullest rows, each as wide as its widest cell
    there and two characters apart. A cell of a shorter row (a heading over several columns)
    may run past its column, pushing the next one along; a row that then overflows the
    measure is set as text, its cells a space apart."""
    full = max(map(len, rows))
    widths = [max(_text_width(row[c], BODY_PX) for row in rows if len(row) == full) for c in range(full)]
    starts = [sum(widths[:c]) + _CELL_GAP * c for c in range(full)]
    for row in rows:
        cells, end = [], -_CELL_GAP
        for text, start in zip(row, starts, strict=False):  # a shorter row uses the first columns
            cells.append((text, max(start, end + _CELL_GAP)))
            end = cells[-1][1] + _text_width(text, BODY_PX)
        if end <= TEXT_W:
            yield _Run("\t".join(row), 0, SONG, BODY_PX, cells=tuple(cells))
        else:
            yield from (_Run(line, 0, SONG, BODY_PX) for line in _wrap("　".join(row), TEXT_W, BODY_PX))


_CELL_GAP = 2 * PITCH


_CN_DIGITS = "〇一二三四五六七八九"


def _chinese_number(value: int) -> str:
    """1–31 as counted in dates: 十, 十二, 二十七."""
    tens, units = divmod(value, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[units] if units else "")


def printed_date(doc: Document) -> str:
    """The date as printed: the source's own form when it is this date, else the form of its time
    (Arabic numerals since 2012-07-01, Chinese numerals with 〇 before; GB/T 9704-2012)."""
    from gazette.dates import parse_date

    parsed = parse_date(doc.date_written_printed) if doc.date_written_printed else None
    if doc.date_written_printed and parsed is not None and parsed.iso == doc.date_written:
        return doc.date_written_printed
    if not doc.date_written:
        return doc.date_written_printed or ""
    year, month, day = (int(part) for part in doc.date_written.split("-"))
    if doc.date_written >= "2012-07-01":
        return f"{year}年{month}月{day}日"
    return "".join(_CN_DIGITS[int(d)] for d in str(year)) + f"年{_chinese_number(month)}月{_chinese_number(day)}日"


def _closing_runs(doc: Document) -> list[_Run]:
    """Signature centred over the date, the date ending four characters from the right."""
    date = printed_date(doc)
    date_x = TEXT_W - 4 * PITCH - _text_width(date, BODY_PX)
    runs = [_Run("", 0, SONG, BODY_PX), _Run("", 0, SONG, BODY_PX)]
    for name in doc.signature or doc.issuer:
        centre = date_x + _text_width(date, BODY_PX) / 2
        runs.append(_Run(name, centre - _text_width(name, BODY_PX) / 2, SONG, BODY_PX))
    if date:
        runs.append(_Run(date, date_x, SONG, BODY_PX))
    return runs


def _paginate(doc: Document) -> list[tuple[list[tuple[_Run, float]], list[_Seal]]]:
    """Runs placed on pages (y of each line's top); the first page starts below the red header."""
    # Notes such as （此件公开发布） follow the date, indented two characters.
    # What follows the date (attachments, a forwarded document with its own date) is set after them.
    notes = [_Run(block.text, 2 * PITCH, SONG, BODY_PX) for block in doc.body if block.kind == "note"]
    at = closing_position(doc.body)
    body = [*_title_runs(doc), *_body_runs(doc.body[:at])]
    closing = _closing_runs(doc)
    runs = body + closing + notes + list(_body_runs(doc.body[at:]))
    header_lines = 6  # header, 文号 and the red rule take about six lines of the first page
    pages: list[tuple[list[tuple[_Run, float]], list[_Seal]]] = [([], [])]
    slot = header_lines
    date_index = len(body) + len(closing) - 1
    date_page, date_top = 0, float(TOP)
    for index, run in enumerate(runs):
        # The signature, the date and the notes after it stay together on one page, under the seal.
        keep = len(closing) + len(notes) if index == len(body) else 1
        if slot + keep > LINES_PER_PAGE:
            pages.append(([], []))
            slot = 0
        top = TOP + slot * LEADING
        pages[-1][0].append((run, top))
        if index == date_index:
            date_page, date_top = len(pages) - 1, top
        slot += 1
    seal_x = LEFT + TEXT_W - 4 * PITCH - _text_width(printed_date(doc), BODY_PX) / 2
    pages[date_page][1].append(_Seal((round(seal_x), round(date_top - LEADING / 2)), (doc.issuer or ("",))[0]))
    return pages


def _draw_header(draw: ImageDraw.ImageDraw, doc: Document) -> list[DrawnLine]:
    issuer = "、".join(doc.issuer) if doc.issuer else ""
    header = f"{issuer}文件"
    size = min(round(TITLE_PX * 1.6), round(TEXT_W / max(len(header), 1)))
    top = round(25 * MM)
    width = _text_width(header, size)
    left = LEFT + (TEXT_W - width) / 2
    _draw_text(draw, header, left, top, size, SONG, RED, stroke=2)
    lines = [DrawnLine(header, (round(left), top, round(left + width), top + size), "red")]
    number = doc.doc_number_printed or doc.doc_number or ""
    y = round(top + size + 2 * LEADING)
    width = _text_width(number, BODY_PX)
    left = LEFT + (TEXT_W - width) / 2
    _draw_text(draw, number, left, y, BODY_PX, SONG, BLACK)
    lines.append(DrawnLine(number, (round(left), y, round(left + width), y + BODY_PX)))
    rule = round(y + BODY_PX + 4 * MM)
    draw.rectangle((LEFT, rule, LEFT + TEXT_W, rule + 6), fill=RED)
    return lines


def _draw_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    x: float,
    y: float,
    size: int,
    font: str,
    color: tuple[int, int, int],
    stroke: int = 0,
    width: float = 0.0,
) -> None:
    """Characters cell by cell; with ``width``, the spare space spread between them (justified)."""
    face = _font(font, size)
    spare = (width - _text_width(text, size)) / (len(text) - 1) if width and len(text) > 1 else 0.0
    for char in text:
        step = _advance(char, size)
        glyph = face.getlength(char)
        draw.text((x + (step - glyph) / 2, y), char, font=face, fill=color, stroke_width=stroke, stroke_fill=color)
        x += step + max(spare, 0.0)


def _draw_seal(page: Image.Image, seal: _Seal) -> None:
    """A round red seal multiplied onto the page: black ink under it stays black, as on paper."""
    radius = round(21 * MM)
    layer = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(layer)
    cx, cy = seal.centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=RED, width=14)
    star = [
        (
            cx + (radius * 0.3 if i % 2 == 0 else radius * 0.12) * math.sin(i * math.pi / 5),
            cy - (radius * 0.3 if i % 2 == 0 else radius * 0.12) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=RED)
    face = _font(SONG, round(radius * 0.28))
    chars = seal.text
    for i, char in enumerate(chars):
        angle = math.radians(-120 + 240 * (i + 0.5) / max(len(chars), 1))
        side = round(face.size) * 2  # made with a whole-pixel size; PIL types it float
        glyph = Image.new("L", (side, side), 0)
        ImageDraw.Draw(glyph).text((face.size // 2, face.size // 2), char, font=face, fill=255)
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        gx = cx + (radius * 0.72) * math.sin(angle) - face.size
        gy = cy - (radius * 0.72) * math.cos(angle) - face.size
        layer.paste(Image.new("RGB", glyph.size, RED), (round(gx), round(gy)), glyph)
    multiplied = np.asarray(page, dtype=np.uint16) * np.asarray(layer, dtype=np.uint16) // 255
    page.paste(Image.fromarray(multiplied.astype(np.uint8)))


def render_document(doc: Document) -> list[ScanPage]:
    """The document's pages as a perfect print, with the lines drawn on each."""
    pages = []
    placed_pages = _paginate(doc)
    for number, (runs, seals) in enumerate(placed_pages, 1):
        image = Image.new("RGB", (PAGE_W, PAGE_H), "white")
        draw = ImageDraw.Draw(image)
        drawn = _draw_header(draw, doc) if number == 1 else []
        for run, top in runs:
            for cell, offset in run.cells:
                if cell:
                    x, width = LEFT + offset, _text_width(cell, run.size)
                    _draw_text(draw, cell, x, top, run.size, run.font, run.color)
                    drawn.append(DrawnLine(cell, (round(x), round(top), round(x + width), round(top + run.size))))
            if not run.text or run.cells:
                continue
            x = LEFT + ((TEXT_W - _text_width(run.text, run.size)) / 2 if run.centred else run.x)
            width = TEXT_W - run.x if run.justified else _text_width(run.text, run.size)
            _draw_text(
                draw, run.text, x, top, run.size, run.font, run.color, run.stroke, width if run.justified else 0.0
            )
            drawn.append(DrawnLine(run.text, (round(x), round(top), round(x + width), round(top + run.size))))
        folio = f"— {number} —"
        width = _text_width(folio, PAGE_NUMBER_PX)
        x = LEFT + TEXT_W - PITCH - width if number % 2 else LEFT + PITCH
        y = round(TOP + TEXT_H + 7 * MM)
        _draw_text(draw, folio, x, y, PAGE_NUMBER_PX, SONG, BLACK)
        drawn.append(DrawnLine(folio, (round(x), y, round(x + width), y + PAGE_NUMBER_PX)))
        for seal in seals:
            _draw_seal(image, seal)
        pages.append(ScanPage(number, np.asarray(image), tuple(drawn)))
    return pages


def _paper(rng: np.random.Generator, settings: ScanSettings) -> np.ndarray:
    """The paper's colour: white turning to a warm yellow as ``yellowing`` goes to 1."""
    yellow = np.array([236.0, 224.0, 184.0]) + rng.uniform(-6, 6, 3)
    return (np.array([255.0, 255.0, 255.0]) * (1 - settings.yellowing) + yellow * settings.yellowing) / 255


def degrade(pixels: np.ndarray, back: np.ndarray | None, settings: ScanSettings, seed: int) -> np.ndarray:
    """A print made into a scan by ``settings``; ``back`` is the page printed on the other side."""
    if settings == CLEAN:
        return pixels
    rng = np.random.default_rng(seed)
    tone = pixels.astype(np.float32) / 255
    if back is not None and settings.bleed_through:
        ink = 1 - cv2.GaussianBlur(back[:, ::-1].min(axis=2).astype(np.float32) / 255, (0, 0), 3)
        tone *= 1 - settings.bleed_through * ink[:, :, None]
    tone *= _paper(rng, settings)[None, None, :]
    if settings.lighting:
        h, w = tone.shape[:2]
        yy, xx = np.mgrid[0:h:64, 0:w:64].astype(np.float32)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        fall = ((xx - cx) ** 2 + (yy - cy) ** 2) / (w**2 + h**2)
        light = cv2.resize(1 - settings.lighting * fall / fall.max(), (w, h), interpolation=cv2.INTER_LINEAR)
        tone *= light[:, :, None]
    page: np.ndarray = (tone * 255).astype(np.uint8)
    if settings.punch_holes:
        for y in (PAGE_H // 2 - round(40 * MM), PAGE_H // 2 + round(40 * MM)):
            cv2.circle(page, (round(12 * MM), y), round(3 * MM), (40, 40, 40), -1)
    if settings.skew_degrees:
        angle = rng.uniform(-settings.skew_degrees, settings.skew_degrees)
        matrix = cv2.getRotationMatrix2D((PAGE_W / 2, PAGE_H / 2), angle, 1.0)
        fill = tuple(int(c) for c in page[5, PAGE_W // 2])
        page = cv2.warpAffine(page, matrix, (PAGE_W, PAGE_H), flags=cv2.INTER_LINEAR, borderValue=fill)
    if settings.scanner_edge:
        edge = int(rng.integers(15, 45))
        page[:, :edge] = 25
    if settings.blur_sigma:
        page = cv2.GaussianBlur(page, (0, 0), settings.blur_sigma)
    if settings.noise_sigma:
        noise = rng.normal(0, settings.noise_sigma, page.shape[:2]).astype(np.float32)
        page = np.clip(page.astype(np.float32) + noise[:, :, None], 0, 255).astype(np.uint8)
    if settings.jpeg_quality:
        ok, data = cv2.imencode(".jpg", page[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, settings.jpeg_quality])
        decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
        if decoded is None:
            raise RuntimeError("OpenCV could not round-trip the page through JPEG")
        page = decoded[:, :, ::-1]
    return np.ascontiguousarray(scanner_ink(page, settings))


def scanner_ink(page: np.ndarray, settings: ScanSettings) -> np.ndarray:
    """The colour page as the scanner keeps it: colour, grey (luminance) or bilevel (thresholded)."""
    if settings.ink == "colour":
        return page
    grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    if settings.ink == "grey":
        return grey
    return np.where(grey < settings.threshold, 0, 255).astype(np.uint8)


def scan_document(doc: Document, settings: ScanSettings = DEGRADED, seed: int = 0) -> list[ScanPage]:
    """The document as scanned pages; the same document, settings and seed give the same pixels."""
    printed = render_document(doc)
    base = zlib.crc32(doc.id.encode("utf-8")) ^ seed
    scanned = []
    for i, page in enumerate(printed):
        back = printed[i + 1].pixels if i + 1 < len(printed) else None
        pixels = degrade(page.pixels, back, settings, base + page.number)
        scanned.append(ScanPage(page.number, pixels, page.lines))
    return scanned


def write_pages(pages: Iterable[ScanPage], path: Path) -> list[Path]:
    """Pages as one PNG each (``path`` is a folder), a multi-page TIFF or an image-only PDF, at 300 dpi.
    Bilevel pages are written as 1-bit images, and a TIFF of them is CCITT Group 4, as archives keep them."""
    images = [_image(page.pixels) for page in pages]
    suffix = path.suffix.lower()
    if suffix in (".tif", ".tiff"):
        path.parent.mkdir(parents=True, exist_ok=True)
        compression = "group4" if all(image.mode == "1" for image in images) else "tiff_lzw"
        images[0].save(path, save_all=True, append_images=images[1:], compression=compression, dpi=(DPI, DPI))
        return [path]
    if suffix == ".pdf":
        path.parent.mkdir(parents=True, exist_ok=True)
        images[0].save(path, save_all=True, append_images=images[1:], resolution=DPI, quality=90)
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for number, image in enumerate(images, 1):
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(DPI, DPI), compress_level=3)
        target = path / f"{number:04d}.png"
        target.write_bytes(out.getvalue())
        written.append(target)
    return written


def _image(pixels: np.ndarray) -> Image.Image:
    """A page as PIL keeps it: 1-bit when every pixel is black or white, else grey or RGB."""
    if pixels.ndim == 2 and not np.any((pixels != 0) & (pixels != 255)):
        return Image.fromarray(pixels).convert("1")
    return Image.fromarray(pixels)


def _akn_document(path: Path) -> Document:
    from gazette import akn

    return akn.document_from_xml(path.read_bytes(), path=str(path))


def write_page_files(
    pages: Iterable[ScanPage], folder: Path, name: str = "{number:04d}.png", first: int = 1
) -> list[Path]:
    """Each page as an image file of its own in ``folder``, as archives often hold scans: ``name``
    is formatted with the page's number counted from ``first`` (``scan-p{number}.jpg``,
    ``issue_{number:04d}.tif``, ``{number:04d}.png``), and its suffix picks the format (a bilevel
    page's TIFF is CCITT Group 4)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, page in enumerate(pages, first):
        target = folder / name.format(number=number)
        image = _image(page.pixels)
        suffix = target.suffix.lower()
        if suffix in (".jpg", ".jpeg"):
            image.convert("L" if image.mode == "1" else image.mode).save(
                target, format="JPEG", quality=90, dpi=(DPI, DPI)
            )
        elif suffix in (".tif", ".tiff"):
            compression = "group4" if image.mode == "1" else "tiff_lzw"
            image.save(target, format="TIFF", compression=compression, dpi=(DPI, DPI))
        else:
            image.save(target, format="PNG", dpi=(DPI, DPI), compress_level=3)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    from gazette.archive import file_name_for_id
    from samples.corpus import iter_corpus_documents

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--setting", choices=sorted(SETTINGS), default="degraded")
    parser.add_argument("--format", choices=("png", "tif", "pdf"), default="tif")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--document", type=Path, help="an Akoma Ntoso document to scan instead of the corpus")
    args = parser.parse_args(argv)
    docs = iter_corpus_documents() if args.document is None else [_akn_document(args.document)]
    for count, doc in enumerate(docs, 1):
        if args.limit and count > args.limit:
            break
        pages = scan_document(doc, SETTINGS[args.setting], args.seed)
        name = file_name_for_id(doc.id)
        target = args.out / (name if args.format == "png" else f"{name}.{args.format}")
        write_pages(pages, target)
        print(f"{target}: {len(pages)} pages")


if __name__ == "__main__":
    main()
