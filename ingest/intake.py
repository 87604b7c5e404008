"""Inputs: expand paths, tell each file's kind from its content, refuse what cannot be read.

The kind comes from the first bytes, never the extension: a PDF named ``.txt`` is read
as a PDF, and the mismatch is reported. Images are measured from their header before
any pixel is decoded, so a decompression bomb is refused cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image

from gazette.exceptions import BadInputError
from ingest import encoding
from ingest.webpage import looks_like_html

FileKind = Literal["pdf", "tiff", "jpeg", "png", "html", "text"]

#: Extensions each kind is expected to carry; anything else is reported as a mismatch.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "tiff": (".tif", ".tiff"),
    "jpeg": (".jpg", ".jpeg", ".jpe"),
    "png": (".png",),
    "html": (".html", ".htm", ".shtml", ".txt", ".md"),
    "text": (".txt", ".md", ".text", ".html", ".htm"),
}
#: The largest image accepted: an A3 page at 600 dpi is about 70 million pixels.
MAX_IMAGE_PIXELS = 150_000_000
# Enough for a saved page whose <html> follows a long comment; read once per file.
_SNIFF_BYTES = 65536
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


@dataclass(frozen=True)
class InputFile:
    """A file to ingest: where it is, what its content is, and a note when the name says otherwise."""

    path: Path
    kind: FileKind
    note: str = ""


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named and files inside folders named (recursively, hidden ones skipped), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def sniff(head: bytes) -> FileKind | None:
    """The kind of a file from its first bytes, or None when it is none this library reads."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:1024]:
        return "pdf"
    text = _decode_prefix(head)
    if text is None:
        return None
    if looks_like_html(text):
        return "html"
    # Other markup (XML annotations, feeds, SVG) is not a document; plain text and markdown may be.
    return None if text.lstrip("\ufeff \r\n\t").startswith("<") else "text"


def _decode_prefix(head: bytes) -> str | None:
    for cut in range(4):  # the prefix may end inside a multi-byte character
        decoded = encoding.decode(head[: len(head) - cut])
        if decoded is not None:
            return decoded.text
    return None


def identify(path: Path) -> InputFile:
    """What ``path`` holds; BadInputError with a one-line reason when it cannot be ingested."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise BadInputError("no such file", path=str(path)) from None
    except OSError as error:
        raise BadInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    if size == 0:
        raise BadInputError("empty file (0 bytes)", path=str(path))
    kind = sniff(head)
    if kind is None:
        raise BadInputError("not a PDF, TIFF, JPEG, PNG, web page or text file", path=str(path))
    if kind in ("tiff", "jpeg", "png"):
        check_image_size(path)
    note = ""
    if path.suffix.lower() not in EXTENSIONS[kind]:
        note = f"named {path.suffix or '(no extension)'} but is {kind.upper()}; read as {kind.upper()}"
    return InputFile(path, kind, note)


def check_image_size(path: Path) -> tuple[int, int]:
    """Width and height from the image header; refuse a decompression bomb before decoding it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        raise BadInputError(f"image is larger than {MAX_IMAGE_PIXELS:,} pixels; refused", path=str(path)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise BadInputError(f"damaged image ({error})", path=str(path)) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise BadInputError(
            f"image is {width}×{height} pixels, over the limit of {MAX_IMAGE_PIXELS:,}; refused before decoding",
            path=str(path),
        )
    return width, height
