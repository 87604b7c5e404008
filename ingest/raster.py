"""Page images from scans: PDF pages rasterised at 300 dpi, TIFF (multi-page, bilevel G4), JPEG, PNG.

Images are checked against a pixel limit from their header before a byte of pixel data
is decoded, turned upright by their EXIF orientation, and yielded one page at a time so
a thousand-page TIFF never sits in memory whole. Pixels are ``uint8`` RGB (``H×W×3``) or
grey (``H×W``) for bilevel and grey scans. Plain 8-bit RGB and grey PNGs without EXIF
are decoded by OpenCV (Pillow still reads the header: size, DPI), which is faster;
everything else goes through Pillow.

A damaged TIFF strip does not stop libtiff: it writes an error to stderr for each bad
row (hundreds for a few flipped bytes of a G4 page) and returns rows of garbage. Its
errors are therefore kept from stderr while a frame decodes (`_libtiff_errors`), and a
frame that had any is a damaged page, reported once.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from gazette.exceptions import BadInputError
from ingest.intake import MAX_IMAGE_PIXELS

DPI = 300
#: The intake's limit: anything larger is refused before decoding (image bombs).
MAX_PIXELS = MAX_IMAGE_PIXELS
IMAGE_SUFFIXES = (".tif", ".tiff", ".jpg", ".jpeg", ".png")
_A4_LONG_SIDE_INCHES = 297 / 25.4
_IMAGE_SIGNATURES = (b"II*\x00", b"MM\x00*", b"\xff\xd8\xff", b"\x89PNG")
_BOMB = f"image is over the limit of {MAX_PIXELS:,} pixels; refused before decoding"
_MIN_SIDE = 32  # smaller than one line of 5-point text at 300 dpi
# Share of neighbouring samples a quarter of the grey range apart above which a page is
# noise (garbage decoded from damaged data), not ink on paper: scans of text, clean or
# degraded, measure under 0.1; random pixels about 0.5.
_NOISE = 0.3
_MESSAGE_BYTES = 512


@dataclass(frozen=True, eq=False)
class PageImage:
    """One page of a source file: 1-based ``number``, pixels and their resolution."""

    number: int
    pixels: np.ndarray
    dpi: float

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def check_size(width: int, height: int, path: Path) -> None:
    if width * height > MAX_PIXELS:
        raise BadInputError(
            f"image of {width}×{height} pixels is over the limit of {MAX_PIXELS:,} pixels; refused before decoding",
            path=str(path),
        )


def _dpi_of(image: Image.Image) -> float:
    """The stated resolution, else the one that makes the long side an A4 page (scans of gazettes)."""
    stated = image.info.get("dpi")
    if stated and float(stated[0]) >= 72:
        return float(stated[0])
    return max(image.size) / _A4_LONG_SIDE_INCHES


def _pixels(frame: Image.Image) -> np.ndarray:
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("1", "L", "I;16", "I", "F"):
        return np.asarray(frame.convert("L"))
    return np.asarray(frame.convert("RGB"))


def _unreadable(path: Path) -> BadInputError:
    """Pillow knows no format for it: a damaged image if its first bytes say image, else no image."""
    with path.open("rb") as head:
        signed = head.read(8).startswith(_IMAGE_SIGNATURES)
    if signed:
        return BadInputError("damaged image: its header names an image format but cannot be read", path=str(path))
    return BadInputError(f"is not an image that can be read (suffix {path.suffix})", path=str(path))


def _fast_png(image: Image.Image, path: Path) -> np.ndarray | None:
    """Pixels of a plain 8-bit RGB or grey PNG decoded by OpenCV, or None for anything Pillow must read.

    A PNG with an eXIf chunk (an orientation to honour) is left to Pillow; the chunk
    name is looked for in the raw bytes, so a false hit only costs the slower path.
    """
    if image.format != "PNG" or image.mode not in ("RGB", "L"):
        return None
    raw = path.read_bytes()
    if b"eXIf" in raw:
        return None
    data = np.frombuffer(raw, np.uint8)
    flags = cv2.IMREAD_GRAYSCALE if image.mode == "L" else cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION
    pixels = cv2.imdecode(data, flags)
    if pixels is None or pixels.shape[1::-1] != image.size:
        return None
    return pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB)


@contextlib.contextmanager
def _pillow_errors(path: Path) -> Iterator[None]:
    """Pillow's ways of saying an image is a bomb, of no known format, or damaged, as one-line errors."""
    try:
        yield
    except Image.DecompressionBombError:
        # Pillow's own header check, when it fires before ours: the same refusal.
        raise BadInputError(_BOMB, path=str(path)) from None
    except UnidentifiedImageError:
        raise _unreadable(path) from None
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow reports truncated and corrupted data as OSError/SyntaxError from deep in a decoder.
        raise BadInputError(f"damaged image: {error}", path=str(path)) from None


class _DecoderErrors(threading.local):
    """The libtiff errors of the frame this thread decodes; None while it decodes none."""

    messages: list[str] | None = None


_TIFF_ERRORS = _DecoderErrors()
_TiffHandler = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)


@functools.cache
def _route_libtiff_errors() -> Callable[..., None] | None:
    """Install a libtiff error handler that keeps the messages of a frame being decoded
    (`_TIFF_ERRORS`) and passes any other to the handler it replaces; None where Pillow's
    libtiff cannot be reached (its errors then go to stderr as before).

    The handler is looked up through Pillow's own module, so it is the libtiff Pillow
    decodes with, bundled or the system's; it is installed once per process.
    """
    try:
        set_handler = ctypes.CDLL(Image.core.__file__).TIFFSetErrorHandler
        vsnprintf = ctypes.CDLL(None).vsnprintf
    except (OSError, AttributeError, TypeError):
        return None
    vsnprintf.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p)
    set_handler.argtypes = (_TiffHandler,)
    set_handler.restype = ctypes.c_void_p
    replaced: list[Callable[..., None]] = []  # libtiff's own handler (stderr), or none: it then says nothing

    def keep(module: bytes | None, fmt: bytes, args: int | None) -> None:
        messages = _TIFF_ERRORS.messages
        if messages is None:
            for forward in replaced:
                forward(module, fmt, args)
            return
        text = ctypes.create_string_buffer(_MESSAGE_BYTES)
        vsnprintf(text, _MESSAGE_BYTES, fmt, args)
        messages.append(f"{(module or b'').decode(errors='replace')}: {text.value.decode(errors='replace')}")

    handler = _TiffHandler(keep)  # returned, so the cache keeps it alive as long as libtiff may call it
    previous = set_handler(handler)
    replaced.extend([_TiffHandler(previous)] if previous else [])
    return handler


@contextlib.contextmanager
def _libtiff_errors(number: int, path: Path) -> Iterator[None]:
    """Decode a frame inside: libtiff's errors are kept from stderr, and any makes the page damaged."""
    _route_libtiff_errors()
    messages: list[str] = []
    _TIFF_ERRORS.messages = messages
    try:
        yield
    except OSError:
        if not messages:  # else libtiff's first message says more than Pillow's "decoder error -2"
            raise
    finally:
        _TIFF_ERRORS.messages = None
    if messages:
        raise BadInputError(
            f"damaged image data on page {number} ({len(messages)} decoder error(s), the first: {messages[0]})",
            path=str(path),
        )


def _image_pages(path: Path, wanted: set[int] | None) -> Iterator[PageImage]:
    with _pillow_errors(path), Image.open(path) as image:
        if getattr(image, "n_frames", 1) == 1:
            check_size(*image.size, path)
            fast = _fast_png(image, path)
            if fast is not None:
                if wanted is None or 1 in wanted:
                    yield PageImage(1, fast, _dpi_of(image))
                return
        for index, frame in enumerate(ImageSequence.Iterator(image), 1):
            check_size(*frame.size, path)
            if wanted is None or index in wanted:
                with _libtiff_errors(index, path):
                    pixels = _pixels(frame)
                yield PageImage(index, pixels, _dpi_of(frame))


def _pdf_pages(path: Path, wanted: set[int] | None, dpi: int) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise BadInputError(f"cannot open the PDF: {error}", path=str(path)) from None
    try:
        for index in range(len(pdf)):
            if wanted is not None and index + 1 not in wanted:
                continue
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            scale = dpi / 72
            check_size(round(width_pt * scale), round(height_pt * scale), path)
            bitmap = page.render(scale=scale, grayscale=False)
            yield PageImage(index + 1, np.asarray(bitmap.to_pil().convert("RGB")), float(dpi))
            page.close()
    finally:
        pdf.close()


def read_pages(path: Path, pages: Iterable[int] | None = None, dpi: int = DPI) -> Iterator[PageImage]:
    """The pages of a scan or PDF (all, or the 1-based ``pages``), one at a time."""
    wanted = None if pages is None else set(pages)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_pages(path, wanted, dpi)
    if suffix in IMAGE_SUFFIXES:
        return _image_pages(path, wanted)
    raise BadInputError(
        f"suffix {suffix or '(none)'} is not a scan; expected .pdf or one of {IMAGE_SUFFIXES}", path=str(path)
    )


def count_pages(path: Path, up_to: int | None = None) -> int:
    """Pages in a scan or PDF, from headers only; image frames counted up to ``up_to`` + 1 when given."""
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        try:
            with pdfium.PdfDocument(str(path)) as pdf:
                return len(pdf)
        except pdfium.PdfiumError as error:
            raise BadInputError(f"cannot open the PDF: {error}", path=str(path)) from None
    with _pillow_errors(path), Image.open(path) as image:
        check_size(*image.size, path)
        if up_to is None:
            return int(getattr(image, "n_frames", 1))
        # Frame by frame: a file of a million tiny frames is not read to its end.
        for index in range(up_to + 1):
            try:
                image.seek(index)
            except EOFError:
                return index
        return up_to + 1


def page_problem(page: PageImage) -> str | None:
    """Why a page holds no text to read (reported, never an error), or None."""
    if min(page.width, page.height) < _MIN_SIDE:
        return f"page {page.number} is {page.width}×{page.height} pixels, too small to hold text"
    grey = page.pixels if page.pixels.ndim == 2 else page.pixels.min(axis=2)
    small = grey[:: max(1, page.height // 512), :: max(1, page.width // 512)]
    dark = float((small < 128).mean())
    if dark > 0.95:
        return f"page {page.number} is all black"
    if dark < 0.0005 or int(small.max()) - int(small.min()) < 40:
        return f"page {page.number} is blank"
    jumps = np.abs(np.diff(small.astype(np.int16), axis=1)) > 64
    if float(jumps.mean()) > _NOISE:
        return f"page {page.number} is noise, not ink on paper (garbage decoded from damaged data?)"
    return None
