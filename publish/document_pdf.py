"""The standard-text PDF of one document: its pages by GB/T 9704, page numbers by parity."""

from __future__ import annotations

from collections.abc import Sequence

from gazette.model import Document
from publish import geometry as g
from publish.fonts import FontSet
from publish.paginate import Page
from publish.render import render
from publish.standard import STANDARD, Setting, layout_document
from publish.typeset import Item, Setter, Style, Text

PAGE_NUMBER = Style("song", g.SIZE_4)


def page_number(setter: Setter, number: int) -> Text:
    """§7.5: ``— N —`` in 4号 宋体 7 mm under the block; odd pages right, even pages left, one character in."""
    label = f"— {number} —"
    row = setter.at(label, PAGE_NUMBER, g.page_number_x(number, setter.width(label, PAGE_NUMBER)))
    item = row.items[0]
    assert isinstance(item, Text)
    return Text(item.x, g.page_number_baseline(), item.runs, 0.0)


def numbered(pages: Sequence[Page], setter: Setter, first: int = 1) -> list[tuple[Item, ...]]:
    return [(*page.items, page_number(setter, first + n)) for n, page in enumerate(pages)]


def document_pdf(doc: Document, fonts: FontSet, setting: Setting = STANDARD) -> bytes:
    """The document's standard text as a PDF (before the PDF/A step)."""
    setter = Setter(fonts)
    pages = layout_document(doc, setter, setting)
    return render(numbered(pages, setter), fonts.name("fangsong"), doc.title)
