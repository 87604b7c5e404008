"""The review queue: every flagged field of the archive's documents, in the terminal or as HTML pages.

`gazette review --html DIR` writes one page per item with a crop of the original page
beside the value, so a person can compare what was read with what was printed. The crop
is found where the value is printed (searched on the page), else from the boxes of the
document's blocks, else the page's top; originals without pages (web text) show none.
"""

from __future__ import annotations

import html
import re
from string import Template
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from gazette.archive import Archive
from gazette.model import Box, Document
from ingest.batch import ReviewItem, review_items

_RENDER_SCALE = 2.0  # 144 dpi: readable crops of 16 pt text
_MARGIN = 24.0  # points around the value
_SEARCH_CHARS = 12


@dataclass(frozen=True)
class QueuedItem:
    item: ReviewItem
    document: Document


def review_queue(archive: Archive) -> list[ReviewItem]:
    return [item for doc in archive.documents() for item in review_items(doc)]


def _queued(archive: Archive) -> list[QueuedItem]:
    return [QueuedItem(item, doc) for doc in archive.documents() for item in review_items(doc)]


def locate(pdf: Path, doc: Document, field: str) -> Box | None:
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


def write_review_html(archive: Archive, out: Path) -> Path:
    """One page per review item and an index page; returns the index's path."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, queued in enumerate(_queued(archive), 1):
        item, doc = queued.item, queued.document
        image = ""
        original = archive.find_original(doc.source.sha256) if doc.source else None
        if original is not None and original.read_bytes()[:1024].find(b"%PDF-") >= 0:
            box = locate(original, doc, item.field)
            if box is not None:
                crop_png(original, box, out / f"item-{number:04d}.png")
                image = f'<img src="item-{number:04d}.png" alt="page {box.page} of the original">'
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
