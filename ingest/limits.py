"""How much one input file may make the library decode, and the PDF check that holds it to that.

A PDF's streams are compressed: a 1.2 MB file can hold a content stream that inflates
to gigabytes (a Flate bomb), and a page tree a few KB long can list a million pages.
pdfminer and PDFium decode a stream whole before reading it, so `check_pdf` runs
first, on the file's structure (pikepdf, which reads a stream only when asked): each
Flate or LZW stream is inflated a chunk at a time and only counted, the page tree's
leaves are counted up to the limit, and image XObjects are measured from their
``/Width`` and ``/Height`` against the intake's pixel limit. Peak memory stays at the
largest stream's compressed size plus one chunk. A file over a limit is refused with
one line naming the limit, before anything is stored.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder

from gazette import settings
from gazette.exceptions import BadInputError
from ingest.intake import MAX_IMAGE_PIXELS
from ingest.textlayer import damaged_pdf, encrypted_pdf

_MIB = 1 << 20
# Inflated a chunk at a time: the most a measured stream holds in memory at once.
_CHUNK = _MIB
# Page trees are a few levels deep; a deeper one loops back on itself.
_MAX_TREE_DEPTH = 64


@dataclass(frozen=True)
class Limits:
    """What one input file may make the library decode; `IngestConfig.limits` carries them.

    ``max_stream_bytes``: the largest decompressed PDF stream; ``max_pages``: pages in one
    file (PDF pages, TIFF frames). Their defaults, and why, are the settings
    ``ingest.max_stream_mib`` and ``ingest.max_pages`` (`gazette.settings`), which an
    archive may change (`for_archive`).
    """

    max_stream_bytes: int = int(settings.default("ingest.max_stream_mib")) * _MIB
    max_pages: int = int(settings.default("ingest.max_pages"))

    @classmethod
    def for_archive(cls, root: Path) -> Limits:
        """The limits an archive's settings set."""
        return cls(
            max_stream_bytes=int(settings.setting(root, "ingest.max_stream_mib")) * _MIB,
            max_pages=int(settings.setting(root, "ingest.max_pages")),
        )

    def check_pages(self, count: int, path: Path) -> None:
        if count > self.max_pages:
            raise BadInputError(
                f"has more than {self.max_pages:,} pages, the limit per file; refused (split the file)", path=str(path)
            )


def check_pdf(path: Path, limits: Limits) -> int:
    """Pages of a PDF, counted in its page tree; BadInputError when it passes a limit, is encrypted or damaged."""
    # Opened here, not by name: a path's undecodable bytes cannot cross into qpdf.
    with path.open("rb") as source:
        try:
            # Not pushing inherited attributes down to the pages: qpdf would walk (and copy) every
            # page the tree lists, a million for a page-count bomb, before the count is checked.
            pdf = pikepdf.open(source, inherit_page_attributes=False)
        except pikepdf.PasswordError:
            raise encrypted_pdf(path) from None
        except pikepdf.PdfError as error:
            raise damaged_pdf(path, error) from None
        with pdf:
            try:
                for stream in _streams(pdf):  # first: the page tree may sit in an object stream
                    _check_stream(stream, limits, path)
                pages = _count_leaves(pdf.Root.get("/Pages"), limits.max_pages, path)
            except pikepdf.PdfError as error:
                raise damaged_pdf(path, error) from None
    limits.check_pages(pages, path)
    return pages


def _count_leaves(root: pikepdf.Object | None, limit: int, path: Path) -> int:
    """Pages the tree lists (a page listed twice counts twice: readers render it twice), up to ``limit`` + 1.

    Each node's kids are taken one at a time, so a list of a million stops at the limit;
    a tree that loops, or is padded with empty nodes, is refused instead of walked forever.
    """
    count = 0
    visits = 0
    levels: list[Iterator[pikepdf.Object]] = [iter([root])] if root is not None else []
    while levels and count <= limit:
        node = next(levels[-1], None)
        if node is None:
            levels.pop()
            continue
        visits += 1
        if len(levels) > _MAX_TREE_DEPTH or visits > 4 * limit + _MAX_TREE_DEPTH:
            raise BadInputError("PDF page tree loops or is padded past any real tree; refused", path=str(path))
        kids = node.get("/Kids") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            levels.append(iter(kids))
        elif isinstance(node, pikepdf.Dictionary):
            count += 1
    return count


def _streams(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Stream]:
    """The streams a reader may decode (every one but attached files, which nothing here opens),
    object streams first: resolving an object stored in one makes qpdf decode it whole.

    A stream is never inside an object stream, so only objects the cross-reference table
    locates in the file itself are looked at.
    """
    table = pdf.get_xref_table()
    containers = {entry.obj_stream_number for entry in table.values() if entry.type == 2}
    whole = sorted((key for key, entry in table.items() if entry.type == 1), key=lambda key: key[0] not in containers)
    for key in whole:
        obj = pdf.get_object(key)
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") != pikepdf.Name.EmbeddedFile:
            yield obj


def _check_stream(stream: pikepdf.Stream, limits: Limits, path: Path) -> None:
    name = f"stream {stream.objgen[0]}"
    if stream.get("/Subtype") == pikepdf.Name.Image:
        width, height = _integer(stream.get("/Width")), _integer(stream.get("/Height"))
        if width * height > MAX_IMAGE_PIXELS:
            raise BadInputError(
                f"PDF image ({name}) of {width}×{height} pixels is over the limit of {MAX_IMAGE_PIXELS:,}; refused",
                path=str(path),
            )
    size = decoded_size(stream, limits.max_stream_bytes)
    if size > limits.max_stream_bytes:
        raise BadInputError(
            f"PDF {name} decompresses to more than {_amount(limits.max_stream_bytes)}, the limit per stream; "
            "refused (a decompression bomb?)",
            path=str(path),
        )


def decoded_size(stream: pikepdf.Stream, limit: int) -> int:
    """Bytes a stream's Flate or LZW filter gives, counted up to ``limit`` + one chunk; 0 when it has neither.

    ASCII filters in front are undone first (they shrink data, so memory stays bounded);
    filters after the first Flate or LZW (an image codec, a predictor) are not needed to
    bound the size. Damaged data is counted as far as it inflates: the reader reports it.
    """
    data = stream.read_raw_bytes()
    for name in _filters(stream):
        if name == "/ASCIIHexDecode":
            data = asciihexdecode(data)
        elif name == "/ASCII85Decode":
            data = ascii85decode(data)
        elif name == "/FlateDecode":
            return _counted(_inflated(data), limit)
        elif name == "/LZWDecode":
            return _counted(LZWDecoder(io.BytesIO(data)).run(), limit)
        else:
            break
    return 0


def _amount(size: int) -> str:
    return f"{size // _MIB:,} MiB" if size >= _MIB else f"{size:,} bytes"


def _integer(value: pikepdf.Object | None) -> int:
    """A dictionary value as the integer it should be; 0 when it is none (the reader reports that)."""
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _filters(stream: pikepdf.Stream) -> list[str]:
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        return [str(name) for name in filters]
    return [str(filters)] if filters is not None else []


def _inflated(data: bytes) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        while data and not inflater.eof:
            chunk = inflater.decompress(data, _CHUNK)
            if not chunk and len(inflater.unconsumed_tail) == len(data):
                return
            yield chunk
            data = inflater.unconsumed_tail
    except zlib.error:
        return


def _counted(chunks: Iterator[bytes], limit: int) -> int:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            break
    return size
