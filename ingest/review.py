"""The review queue: every flagged field of the archive's documents, in the terminal, as JSON, or as HTML.

`gazette review --html DIR` writes one page per document with every doubtful field: its
crop of the original page, the machine's reading, the text printed around it, the reason
(待核原因) and the exact commands that accept or fix it; the index groups the queue by
batch (the ingest report that stored the document) and document, with counts.

Where a crop comes from: the stored box of the lines the field was read from
(``gz:fieldOrigin``; for the body, which the split flags, the title's box: where the
document starts). A page read by OCR is cut from
the upright page it read: the original's page turned again by its recorded geometry
(``data/pages/<sha256>/NNNN.json``, `ingest.pageimage`), in colour and at full resolution,
or in an archive written before geometry was kept, its stored grey ``NNNN.png``; the boxes
point into those pixels at the page's resolution (boxes are in points:
``pixels = points × dpi / 72``), so a page scanned upside down or sideways shows its field upright. A page with a text
layer is rendered from the PDF holding it (for a source of one PDF per page, its page file:
`Source.part_of_page`), where the boxes are PDF points from the top left. A
document stored before boxes were kept falls back to a search for the value in the PDF,
or to the band of the page where the field is printed by convention. Originals without
pages (web text) show none.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import jinja2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from gazette.archive import Archive, OnDamaged
from gazette.edits import LABELS
from gazette.exceptions import GazetteError
from gazette.model import Box, Document
from gazette.splitjoin import block_number
from ingest.batch import ReviewItem, review_items
from ingest.pageimage import Geometry, geometry_from_json, upright_from_original
from ingest.raster import DPI
from ingest.split import title_named_by

_RENDER_SCALE = 2.0  # 144 dpi: readable crops of 16 pt text
_MARGIN = 24.0  # points around the value
_MIN_WIDTH = 200.0  # points: a crop of a short value still shows some of its line
_SEARCH_CHARS = 12
_A4_LONG_SIDE_INCHES = 297 / 25.4  # as `ingest.raster` reads an image that states no resolution
#: Shares of a page's height where a field is printed by convention (for documents stored without boxes).
_BANDS = {"date_written": (0.5, 1.0), "body": (0.0, 1.0), "title": (0.0, 1 / 3)}
_UNBATCHED = "未记入批次（载入的样本或早先的归档）"


@dataclass(frozen=True)
class QueuedItem:
    """An item with its document; None for a document that could not be stored as XML."""

    item: ReviewItem
    document: Document | None


def review_queue(archive: Archive, on_damaged: OnDamaged | None = None) -> list[ReviewItem]:
    """Every flagged field of the archive's documents, then every document kept unstored."""
    return [queued.item for queued in _queued(archive, on_damaged)]


def _queued(archive: Archive, on_damaged: OnDamaged | None) -> list[QueuedItem]:
    flagged = [QueuedItem(item, doc) for doc in archive.documents(on_damaged) for item in review_items(doc)]
    unstored = [
        QueuedItem(ReviewItem(record["id"], "document", record["title"], record["reason"]), None)
        for record in archive.unstored()
    ]
    return flagged + unstored


# -- where a field is printed -----------------------------------------------------------------


@dataclass(frozen=True)
class Crop:
    """The part of a page that shows a field: ``box`` in the pixels of the page image it is cut from
    (the stored upright page, or the PDF page rendered at ``scale`` pixels per point);
    ``stored`` the field's own box in points, when the document keeps one."""

    page: int
    box: tuple[int, int, int, int]
    scale: float
    source: str  # "page image" or "pdf"
    stored: Box | None = None


def field_box(doc: Document, field: str) -> Box | None:
    """The stored box of the lines ``field`` was read from (all of them on its first page), if any."""
    boxes = doc.field_origins.get(field, ())
    if not boxes and field == "body":
        # The body is flagged where the split and its contents disagree: show where the document starts.
        boxes = doc.field_origins.get("title") or next((block.origin for block in doc.body if block.origin), ())
    if not boxes and field == "doc_number_printed":
        boxes = doc.field_origins.get("doc_number", ())
    if not boxes:
        return None
    page = boxes[0].page
    on_page = [box for box in boxes if box.page == page]
    return Box(
        page,
        min(b.x0 for b in on_page),
        min(b.y0 for b in on_page),
        max(b.x1 for b in on_page),
        max(b.y1 for b in on_page),
    )


def _original(archive: Archive, doc: Document | None, page: int) -> tuple[Path, bool, int] | None:
    """The stored file holding ``page`` of the document's source (one of a grouped source's page
    files), whether it is a PDF, and the page's number in it."""
    if doc is None or doc.source is None:
        return None
    part, number = doc.source.part_of_page(page)
    if (original := archive.find_original(part.sha256)) is None:
        return None
    with original.open("rb") as head:
        return original, b"%PDF-" in head.read(1024), number


def _dpi(original: Path, is_pdf: bool, page: int) -> float:
    """The resolution OCR read a page at: PDFs are rasterised at `DPI`; an image states its own."""
    if is_pdf:
        return float(DPI)
    with Image.open(original) as image:
        if page > 1:
            image.seek(page - 1)
        stated = image.info.get("dpi")
        if stated and float(stated[0]) >= 72:
            return float(stated[0])
        return max(image.size) / _A4_LONG_SIDE_INCHES


def _geometry(archive: Archive, doc: Document, page: int) -> Geometry | None:
    """How OCR turned the page upright, where the archive recorded it (not in older archives)."""
    if doc.source is None:
        return None
    path = archive.page_geometry_path(doc.source.sha256, page)
    try:
        return geometry_from_json(path.read_bytes())
    except (OSError, GazetteError):
        return None


def _upright_size(archive: Archive, doc: Document, page: int) -> tuple[int, int] | None:
    """(width, height) of the upright page OCR read, or None when the page was not read by OCR."""
    geometry = _geometry(archive, doc, page)
    if geometry is not None:
        return geometry.width, geometry.height
    image = archive.page_image_path(doc.source.sha256, page) if doc.source else None
    if image is None or not image.exists():
        return None
    with Image.open(image) as opened:
        return opened.size


@functools.lru_cache(maxsize=2)
def _turned_upright(original: Path, geometry: Geometry) -> np.ndarray:
    """Kept for the next crop: a document's fields are mostly on one or two pages (read only)."""
    pixels = upright_from_original(original, geometry)
    pixels.flags.writeable = False
    return pixels


def _upright_page(archive: Archive, doc: Document, page: int) -> Image.Image:
    """The upright page OCR read: turned again from the original by its recorded geometry (colour,
    full resolution), else the stored page image of an older archive."""
    geometry = _geometry(archive, doc, page)
    found = _original(archive, doc, page)  # (the page file holding it, for a grouped source)
    original = found[0] if found else None
    if geometry is not None and original is not None:
        return Image.fromarray(_turned_upright(original, geometry))
    if doc.source is None:  # crop_for cuts from a page image only for a document with a source
        raise ValueError(f"{doc.id}: a page-image crop for a document without a source")
    return Image.open(archive.page_image_path(doc.source.sha256, page))


def _padded(box: Box, width: float, height: float) -> tuple[float, float, float, float]:
    left = max(0.0, box.x0 - _MARGIN)
    right = min(width, max(box.x1 + _MARGIN, left + _MIN_WIDTH))
    return left, max(0.0, box.y0 - _MARGIN), right, min(height, box.y1 + _MARGIN)


def _pdf_page(archive: Archive, doc: Document, page: int) -> tuple[Path, int] | None:
    """The PDF holding ``page`` of the document's source (one of a grouped source's page files) and
    the page's number in it; None when that file is no PDF or is not kept."""
    found = _original(archive, doc, page)
    return (found[0], found[2]) if found is not None and found[1] else None


#: A source's page → the PDF holding it and its page there (`_pdf_page`).
PdfPageOf = Callable[[int], tuple[Path, int] | None]


def locate(doc: Document, field: str, pdf_page: PdfPageOf) -> Box | None:
    """Where a field's value is printed on the source's pages with a text layer (``pdf_page`` finds
    each page's PDF): its stored box, else a search for the value, else the band of the page where
    such a field is printed; None when that page is in no PDF. The box's page is the source's."""
    stored = field_box(doc, field)
    if stored is not None:
        return stored
    printed = {
        "doc_number": doc.doc_number_printed,
        "date_written": doc.date_written_printed,
        "issuer": doc.issuer[0] if doc.issuer else None,
        "title": doc.title,
        "recipients": doc.recipients,
    }.get(field)
    pages = doc.pages or (1,)
    with contextlib.ExitStack() as stack:
        opened: dict[Path, pdfplumber.PDF] = {}

        def page_of(number: int) -> pdfplumber.page.Page | None:
            found = pdf_page(number)
            if found is None:
                return None
            path, there = found
            if path not in opened:
                opened[path] = stack.enter_context(pdfplumber.open(path))
            return opened[path].pages[there - 1]

        if printed:
            needle = printed[:_SEARCH_CHARS]
            for number in pages if field != "date_written" else reversed(pages):
                page = page_of(number)
                hits = page.search(needle, regex=False) if page is not None else []
                if hits:
                    hit = hits[0]
                    return Box(number, hit["x0"], hit["top"], hit["x1"], hit["bottom"])
        number = pages[-1] if field == "date_written" else pages[0]
        page = page_of(number)
        if page is None:
            return None
        top, bottom = _BANDS.get(field, _BANDS["title"])
        return Box(number, 0.0, float(page.height) * top, float(page.width), float(page.height) * bottom)


def crop_for(archive: Archive, doc: Document | None, field: str) -> Crop | None:
    """Where the crop showing ``field`` is cut from; None when the original has no page to show."""
    if doc is None:
        return None
    stored = field_box(doc, field)
    pages = doc.pages or (1,)
    number = stored.page if stored else (pages[-1] if field == "date_written" else pages[0])
    found = _original(archive, doc, number)
    if found is None:
        return None
    original, is_pdf, number_there = found
    size = _upright_size(archive, doc, number)
    if size is not None:  # read by OCR: cut from the upright page it read
        scale = _dpi(original, is_pdf, number_there) / 72
        width, height = size
        if stored is None:
            top, bottom = _BANDS.get(field, _BANDS["title"])
            return Crop(number, (0, int(top * height), width, int(bottom * height)), scale, "page image")
        left, top, right, bottom = _padded(stored, width / scale, height / scale)
        box = (int(left * scale), int(top * scale), round(right * scale), round(bottom * scale))
        return Crop(number, box, scale, "page image", stored)
    pdf_page = functools.partial(_pdf_page, archive, doc)
    located = locate(doc, field, pdf_page) if is_pdf else None
    holder = pdf_page(located.page) if located is not None else None
    if located is None or holder is None:
        return None
    with pdfplumber.open(holder[0]) as opened:
        page = opened.pages[holder[1] - 1]
        page_width, page_height = float(page.width), float(page.height)
    left, top, right, bottom = _padded(located, page_width, page_height)
    s = _RENDER_SCALE
    return Crop(located.page, (int(left * s), int(top * s), int(right * s), int(bottom * s)), s, "pdf", stored)


def write_crop(archive: Archive, doc: Document, crop: Crop, target: Path) -> None:
    """The crop's pixels into ``target``: cut from the upright page, or from the page rendered from
    the PDF that holds it (a grouped source's page file: `Source.part_of_page`)."""
    if crop.source == "page image":
        with _upright_page(archive, doc, crop.page) as page:
            piece = page.crop(crop.box)
            if piece.width > 1400:  # a 300 dpi band across the page, shown at 150
                piece = piece.resize((piece.width // 2, piece.height // 2))
            piece.save(target)
        return
    holder = _pdf_page(archive, doc, crop.page)
    if holder is None:
        raise GazetteError(f"{doc.id}: page {crop.page} of its source is in no kept PDF")
    original, number = holder
    document = pdfium.PdfDocument(str(original))
    try:
        image = document[number - 1].render(scale=crop.scale).to_pil()
        image.crop(crop.box).save(target)
    finally:
        document.close()


# -- the text around a field ------------------------------------------------------------------


def _reading_order(doc: Document) -> list[tuple[str, str]]:
    """The document as printed, as (field, text) in order: 文号, title, recipients, body, signature, date."""
    parts = [
        ("doc_number", doc.doc_number_printed or doc.doc_number or ""),
        ("title", doc.title),
        ("recipients", doc.recipients or ""),
    ]
    parts += [("body", block.text) for block in doc.body]
    parts += [("issuer", "、".join(doc.signature or doc.issuer)), ("date_written", doc.date_written_printed or "")]
    return [(name, text) for name, text in parts if text]


def neighbours(doc: Document, field: str, chars: int = 60) -> tuple[str, str]:
    """The text printed just before and just after ``field`` (shortened to ``chars``)."""
    order = _reading_order(doc)
    at = next((i for i, (name, _) in enumerate(order) if name == field), None)
    if at is None:
        return "", ""
    before = order[at - 1][1] if at > 0 else ""
    end = at
    while end + 1 < len(order) and order[end + 1][0] == field:
        end += 1
    after = order[end + 1][1] if end + 1 < len(order) else ""
    return (("…" + before[-chars:]) if len(before) > chars else before), (
        after[:chars] + ("…" if len(after) > chars else "")
    )


# -- the queue as data, JSON and HTML ---------------------------------------------------------


def batches(archive: Archive) -> dict[str, str]:
    """``{document id: batch}``: the first ingest report (``data/reports/<time>-ingest.json``) that stored it."""
    found: dict[str, str] = {}
    for path in sorted((archive.data / "reports").glob("*-ingest.json")):
        try:
            report = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        for outcome in report.get("files", []):
            for doc_id in outcome.get("documents", []):
                found.setdefault(doc_id, path.stem)
    return found


def commands(archive: Archive, item: ReviewItem, doc: Document | None = None) -> dict[str, str]:
    """The exact commands that accept the machine's reading of an item, or fix it (value to edit);
    for a split item whose reason names a title that opens one of ``doc``'s blocks, the split there."""
    where = ["--archive", str(archive.root)]
    if item.field == "document":
        return {}
    accept = shlex.join(["gazette", "review", "accept", *where, item.document, item.field])
    if item.field == "body":
        at = _split_point(doc, item.why) if doc is not None else None
        split = {"split": shlex.join(["gazette", "split", *where, item.document, "--at", str(at)])} if at else {}
        return {"accept": accept} | split
    value = item.value.replace("、", ",") if item.field == "issuer" else item.value
    return {"accept": accept, "fix": shlex.join(["gazette", "review", "fix", *where, item.document, item.field, value])}


def _split_point(doc: Document, why: str) -> int | None:
    """The number of the block of ``doc`` that the title a split item names opens, if one does."""
    title = title_named_by(why)
    try:
        return block_number(doc, title) if title else None
    except GazetteError:
        return None


def queue_json(archive: Archive, on_damaged: OnDamaged | None = None) -> list[dict[str, object]]:
    """The queue as `gazette review --json` prints it: one object per flagged field."""
    batch_of = batches(archive)
    return [
        {
            "document": q.item.document,
            "field": q.item.field,
            "label": LABELS.get(q.item.field, q.item.field),
            "value": q.item.value,
            "why": q.item.why,
            "batch": batch_of.get(q.item.document),
            "commands": commands(archive, q.item, q.document),
        }
        for q in _queued(archive, on_damaged)
    ]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ingest", "templates"),
        autoescape=True,  # every value escaped: titles and reasons are data, never markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _by_document(queued: list[QueuedItem]) -> Iterator[tuple[str, Document | None, list[ReviewItem]]]:
    order: dict[str, tuple[Document | None, list[ReviewItem]]] = {}
    for q in queued:
        order.setdefault(q.item.document, (q.document, []))[1].append(q.item)
    for doc_id, (doc, items) in order.items():
        yield doc_id, doc, items


class _IndexRow(TypedDict):
    """A document's row in the review index."""

    id: str
    title: str
    page: str
    fields: list[str]


def write_review_html(archive: Archive, out: Path, on_damaged: OnDamaged | None = None) -> Path:
    """One page per document under review, with a crop per field, and an index; returns the index's path."""
    out.mkdir(parents=True, exist_ok=True)
    env = _environment()
    batch_of = batches(archive)
    groups: dict[str, list[_IndexRow]] = {}
    for number, (doc_id, doc, items) in enumerate(_by_document(_queued(archive, on_damaged)), 1):
        page = f"doc-{number:04d}.html"
        fields = []
        for n, item in enumerate(items, 1):
            crop = crop_for(archive, doc, item.field)
            image = None
            if crop is not None and doc is not None:
                image = f"doc-{number:04d}-{n}.png"
                write_crop(archive, doc, crop, out / image)
            before, after = neighbours(doc, item.field) if doc is not None else ("", "")
            fields.append(
                {
                    "field": item.field,
                    "label": LABELS.get(item.field, item.field),
                    "value": item.value,
                    "why": item.why,
                    "image": image,
                    "page": crop.page if crop else None,
                    "before": before,
                    "after": after,
                    "commands": commands(archive, item, doc),
                }
            )
        (out / page).write_text(
            env.get_template("review_document.html").render(
                doc_id=doc_id,
                doc=doc,
                fields=fields,
                labels=LABELS,
                batch=batch_of.get(doc_id, _UNBATCHED),
            ),
            encoding="utf-8",
        )
        groups.setdefault(batch_of.get(doc_id, _UNBATCHED), []).append(
            {
                "id": doc_id,
                "title": doc.title if doc else items[0].value,
                "page": page,
                "fields": [LABELS.get(item.field, item.field) for item in items],
            }
        )
    index = out / "index.html"
    total = sum(len(doc["fields"]) for docs in groups.values() for doc in docs)
    index.write_text(
        env.get_template("review_index.html").render(
            groups=sorted(groups.items()),
            total=total,
            documents=sum(map(len, groups.values())),
            archive=str(archive.root),
        ),
        encoding="utf-8",
    )
    return index
