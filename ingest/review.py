"""The review queue: every flagged field of the archive's documents, in the terminal or as HTML pages.

`gazette review --html DIR` writes one page per item with a crop of the original page
beside the value, so a person can compare what was read with what was printed. The crop
is found where the value is printed (searched on the page), else from the boxes of the
document's blocks, else the page's top. A scan (an image original) has no text to search:
its crop is cut from the page image OCR read, where the field is printed by convention
(the date in the lower half of the last page, the rest in the top third of the first).
Originals without pages (web text) show none.
"""

from __future__ import annotations

import html
import re
from string import Template
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from gazette.archive import Archive, OnDamaged
from gazette.model import Box, Document
from ingest.batch import ReviewItem, review_items

_RENDER_SCALE = 2.0  # 144 dpi: readable crops of 16 pt text
_MARGIN = 24.0  # points around the value
_SEARCH_CHARS = 12


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


def locate(pdf: Path, doc: Document, field: str) -> Box:
    """Where a field's value is printed in the original PDF, or the nearest evidence of it."""
    printed = {
        "doc_number": doc.doc_number_printed,
        "date_written": doc.date_written_printed,
        "issuer": doc.issuer[0] if doc.issuer else None,
        "title": doc.title,
        "recipients": doc.recipients,
    }.get(field)
    pages = doc.pages or (1,)
    with pdfplumber.open(pdf) as opened:
        if printed:
            needle = re.escape(printed[:_SEARCH_CHARS])
            for number in (pages if field != "date_written" else reversed(pages)):
                found = opened.pages[number - 1].search(needle, regex=True)
                if found:
                    hit = found[0]
                    return Box(number, hit["x0"], hit["top"], hit["x1"], hit["bottom"])
        first = opened.pages[pages[0] - 1]
        boxes = [box for block in doc.body for box in block.origin]
        if field == "body" and boxes:
            return boxes[0]
        return Box(pages[0], 0.0, 0.0, float(first.width), float(first.height) / 3)


def crop_png(pdf: Path, box: Box, target: Path) -> None:
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[box.page - 1]
        image = page.render(scale=_RENDER_SCALE).to_pil()
        width, height = page.get_size()
        left = max(0.0, box.x0 - _MARGIN)
        top = max(0.0, box.y0 - _MARGIN)
        right = min(width, max(box.x1 + _MARGIN, left + 200))
        bottom = min(height, box.y1 + _MARGIN)
        crop = image.crop(tuple(int(v * _RENDER_SCALE) for v in (left, top, right, bottom)))
        crop.save(target)
    finally:
        document.close()


def _crop(archive: Archive, doc: Document | None, field: str, target: Path) -> int | None:
    """Writes the crop showing ``field`` to ``target``; returns its page number, or None when
    there is no page to show."""
    if doc is None or doc.source is None or (original := archive.find_original(doc.source.sha256)) is None:
        return None
    with original.open("rb") as head:
        is_pdf = b"%PDF-" in head.read(1024)
    if is_pdf:
        box = locate(original, doc, field)
        crop_png(original, box, target)
        return box.page
    pages = doc.pages or (1,)
    number = pages[-1] if field == "date_written" else pages[0]
    scan = archive.page_image_path(doc.source.sha256, number)
    if not scan.exists():
        return None
    top, bottom = _SCAN_BANDS.get(field, _SCAN_BANDS["title"])
    with Image.open(scan) as page:
        width, height = page.size
        crop = page.crop((0, int(top * height), width, int(bottom * height)))
        crop.resize((width // 2, crop.height // 2)).save(target)  # 300 dpi scans shown at 150
    return number


# Shares of a scanned page's height where a field is printed (a scan has no text to search).
_SCAN_BANDS = {"date_written": (0.5, 1.0), "body": (0.0, 1.0), "title": (0.0, 1 / 3)}


def write_review_html(archive: Archive, out: Path, on_damaged: OnDamaged | None = None) -> Path:
    """One page per review item and an index page; returns the index's path."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, queued in enumerate(_queued(archive, on_damaged), 1):
        item, doc = queued.item, queued.document
        shown = _crop(archive, doc, item.field, out / f"item-{number:04d}.png")
        image = f'<img src="item-{number:04d}.png" alt="page {shown} of the original">' if shown else ""
        page = _PAGE.substitute(
            title=html.escape(f"{item.document} · {item.field}"),
            image=image or "<p>(no page image: the original has no pages)</p>",
            document=html.escape(item.document),
            field=html.escape(item.field),
            value=html.escape(item.value or "—"),
            why=html.escape(item.why),
        )
        (out / f"item-{number:04d}.html").write_text(page, encoding="utf-8")
        rows.append(
            f'<tr><td><a href="item-{number:04d}.html">{html.escape(item.document)}</a></td>'
            f"<td>{html.escape(item.field)}</td><td>{html.escape(item.value or '—')}</td>"
            f"<td>{html.escape(item.why)}</td></tr>"
        )
    index = out / "index.html"
    index.write_text(_INDEX.substitute(count=len(rows), rows="\n".join(rows)), encoding="utf-8")
    return index


_STYLE = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
_PAGE = Template(
    """<!doctype html><html lang="zh"><meta charset="utf-8"><title>$title</title>
<style>""" + _STYLE + """.item{display:flex;gap:2em;align-items:flex-start}img{max-width:60vw;border:1px solid #999}</style>
<p><a href="index.html">← review queue</a></p><div class="item"><div>$image</div>
<table><tr><th>document</th><td>$document</td></tr><tr><th>field</th><td>$field</td></tr>
<tr><th>value</th><td>$value</td></tr><tr><th>why</th><td>$why</td></tr></table></div></html>
"""
)
_INDEX = Template(
    """<!doctype html><html lang="zh"><meta charset="utf-8"><title>Review queue</title>
<style>""" + _STYLE + """</style><h1>Review queue: $count items</h1>
<table><tr><th>document</th><th>field</th><th>value</th><th>why</th></tr>
$rows
</table></html>
"""
)
