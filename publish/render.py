"""Pages of placed items (`publish.typeset`) drawn with reportlab: the only module that draws.

Each page starts in the body font (``initialFontName``), so no page refers to an
unembedded Helvetica; reportlab runs ``invariant`` (no clock, no random id): the same
pages give the same bytes. `publish.pdfa` then makes the file PDF/A-2b.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from publish import geometry as g
from publish.typeset import Anchor, Item, Link, Picture, Stroke, Text

H = g.PAGE_HEIGHT


def render(pages: Sequence[Sequence[Item]], initial_font: str, title: str = "") -> bytes:
    """A PDF of ``pages`` (A4), bookmarks and links included."""
    out = io.BytesIO()
    canvas = Canvas(
        out,
        pagesize=(g.PAGE_WIDTH, g.PAGE_HEIGHT),
        initialFontName=initial_font,
        initialFontSize=g.SIZE_3,
        invariant=1,
        pageCompression=1,
    )
    canvas.setTitle(title)
    images: dict[bytes, ImageReader] = {}
    for items in pages:
        for item in items:
            draw(canvas, item, images)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def draw(canvas: Canvas, item: Item, images: dict[bytes, ImageReader]) -> None:
    if isinstance(item, Text):
        draw_text(canvas, item)
    elif isinstance(item, Stroke):
        canvas.setStrokeColorRGB(*item.color)
        canvas.setLineWidth(item.width)
        canvas.line(item.x0, H - item.y0, item.x1, H - item.y1)
    elif isinstance(item, Picture):
        if item.png not in images:
            images[item.png] = ImageReader(_with_alpha(item.png))
        canvas.drawImage(images[item.png], item.x, H - item.y - item.height, item.width, item.height, mask="auto")
    elif isinstance(item, Anchor):
        canvas.bookmarkHorizontal(item.key, 0, H - item.y)
        canvas.addOutlineEntry(item.title, item.key, item.level, closed=False)
    elif isinstance(item, Link):
        canvas.linkRect("", item.key, (item.x0, H - item.y1, item.x1, H - item.y0), relative=0, thickness=0)


def draw_text(canvas: Canvas, item: Text) -> None:
    """A line of runs. Each piece set in one font subset (reportlab embeds TrueType fonts in
    subsets of 256 glyphs) starts at its own computed position: PDF readers add the
    character spacing after every glyph, pdfminer only between the glyphs of one string,
    and both then agree on where every character is."""
    text = canvas.beginText()
    text.setCharSpace(item.char_space)
    x = item.x
    for run in item.runs:
        font = pdfmetrics.getFont(run.font)
        text.setFont(run.font, run.size)
        text.setFillColorRGB(*run.color)
        for piece in _by_subset(font, run.text, canvas):
            text.setTextOrigin(x, H - item.y)
            text.textOut(piece)
            x += pdfmetrics.stringWidth(piece, run.font, run.size) + len(piece) * item.char_space
    canvas.drawText(text)


def _by_subset(font: object, text: str, canvas: Canvas) -> list[str]:
    """``text`` cut where its characters change font subset (one code byte per character)."""
    split = getattr(font, "splitString", None)
    if split is None:
        return [text]
    pieces, at = [], 0
    for _, codes in split(text, canvas._doc):
        pieces.append(text[at : at + len(codes)])
        at += len(codes)
    return pieces


def _with_alpha(png: bytes) -> Image.Image:
    """The seal with its paper made transparent: a scan's white background would hide the text under it."""
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        if image.mode == "RGBA":
            return image.copy()
        rgb = image.convert("RGB")
    grey = rgb.convert("L")
    alpha = grey.point(lambda value: 0 if value > 235 else 255 - value)
    rgba = rgb.copy()
    rgba.putalpha(alpha)
    return rgba
