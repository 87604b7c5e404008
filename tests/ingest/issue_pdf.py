"""A small, independent typesetter of gazette issues for the ingest tests (not `publish/`).

It lays `documents.jsonl` records out the way a printed gazette is: a cover (name, year,
第N期, 总第M期, date), a contents page (section, title with 文号, dot leaders, page),
running heads and page numbers (``— N —``, odd pages right, even pages left), title in
22 pt centred, 文号 centred, body in 16 pt with a two-character indent, signature and
date set right, tables as rows of cells; documents follow one another and so often
start in the middle of a page. Ground truth comes from the records themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from gazette.dates import parse_date
from gazette.docnumber import parse_doc_number

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, TOP, TEXT_W, TEXT_H = 28 * MM, 37 * MM, 156 * MM, 225 * MM
BODY, TITLE, PAGE_NO, TABLE = 16.0, 22.0, 14.0, 11.0
PITCH = TEXT_H / 22  # 22 lines a page
GAZETTE = "中华人民共和国国务院公报"

Draw = Callable[[Canvas], None]


@dataclass(frozen=True)
class Truth:
    """What ingest must recover for one record."""

    doc_number: str
    title: str
    issuer: str
    date_written: str
    body: str  # the body text without title, 文号, recipients, signature and date


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, size: float, first_indent: float = 0.0, line_width: float = TEXT_W) -> list[str]:
    """Greedy wrapping by glyph widths (Chinese breaks between any two characters)."""
    lines, current, room = [], "", line_width - first_indent
    for char in text:
        if current and width(current + char, size) > room:
            lines.append(current)
            current, room = "", line_width
        current += char
    return [*lines, current] if current else lines


def truth(record: dict[str, Any]) -> Truth:
    lines = [line.strip() for line in record["body"].split("\n") if line.strip()]
    number_at = next(i for i, line in enumerate(lines) if parse_doc_number(line))
    rest = lines[number_at + 1 :]
    if rest and rest[0].endswith("："):
        rest = rest[1:]
    date_at = next(i for i, line in enumerate(rest) if len(line) <= 24 and parse_date(line) and i > 0)
    body = rest[: date_at - 1] + rest[date_at + 1 :]  # one signature line in these records
    # The date printed on the page is the truth: one record's metadata says 17 where it prints 二十七.
    printed = parse_date(rest[date_at])
    assert printed is not None
    return Truth(record["doc_number"], record["title"], record["issuer"], printed.iso, "\n".join(body))


class Pages:
    """Pages as lists of drawing operations; a cursor flows text down the text block."""

    def __init__(self) -> None:
        self.pages: list[list[Draw]] = []
        self.y = TOP + TEXT_H  # force a new page on the first line

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP

    def room(self, lines: int) -> None:
        if self.y + lines * PITCH > TOP + TEXT_H + 0.1:
            self.new_page()

    def line(self, text: str, x: float, size: float = BODY, color: tuple[float, float, float] = (0, 0, 0)) -> None:
        self.room(1)
        baseline = self.y + PITCH * 0.75
        page_h = PAGE_H

        def draw(canvas: Canvas, text=text, x=x, size=size, baseline=baseline) -> None:
            canvas.setFillColorRGB(*color)
            canvas.setFont(FONT, size)
            canvas.drawString(x, page_h - baseline, text)

        self.pages[-1].append(draw)
        self.y += PITCH

    def skip(self, lines: float) -> None:
        self.y += lines * PITCH


def lay_out_document(pages: Pages, record: dict[str, Any]) -> int:
    """Append one record; returns the index of the page it starts on."""
    lines = [line.strip() for line in record["body"].split("\n") if line.strip()]
    number_at = next(i for i, line in enumerate(lines) if parse_doc_number(line))
    pages.room(number_at + 4)  # the title block never sits alone at the foot of a page
    start = len(pages.pages) - 1
    for title_line in lines[:number_at]:
        pages.line(title_line, LEFT + (TEXT_W - width(title_line, TITLE)) / 2, TITLE)
    pages.line(lines[number_at], LEFT + (TEXT_W - width(lines[number_at], BODY)) / 2)
    rest = lines[number_at + 1 :]
    date_at = next(i for i, line in enumerate(rest) if len(line) <= 24 and parse_date(line) and i > 0)
    for i, text in enumerate(rest):
        if i == 0 and text.endswith("："):
            for part in wrap(text, BODY):
                pages.line(part, LEFT)
        elif i in (date_at - 1, date_at):
            right = LEFT + TEXT_W - 4 * BODY
            pages.line(text, right - width(text, BODY))
        elif "\t" in text:
            cells = text.split("\t")
            column = TEXT_W / len(cells)
            pages.room(1)
            y = pages.y
            for c, cell in enumerate(cells):
                pages.y = y
                pages.line(cell, LEFT + c * column, TABLE)
        else:
            for k, part in enumerate(wrap(text, BODY, 2 * BODY)):
                pages.line(part, LEFT + (2 * BODY if k == 0 else 0))
    pages.skip(1.5)
    return start


def build_issue(records: Sequence[dict[str, Any]], path: Path, issue: int = 5, total: int = 1650) -> list[Truth]:
    """Write an issue PDF of ``records`` to ``path``; returns the ground truth, in order."""
    register_font()
    body = Pages()
    starts = [lay_out_document(body, record) for record in records]
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    # Cover.
    canvas.setFillColorRGB(0.85, 0, 0)
    canvas.setFont(FONT, 30)
    canvas.drawCentredString(PAGE_W / 2, PAGE_H - 150, GAZETTE)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, BODY)
    for k, text in enumerate((f"2019年第{issue}期", f"总第{total}期", "2019年2月20日")):
        canvas.drawCentredString(PAGE_W / 2, PAGE_H - 220 - k * 30, text)
    canvas.showPage()
    # Contents: documents start on printed page 1 (the third sheet).
    contents = Pages()
    contents.new_page()
    contents.line("目　　录", LEFT + (TEXT_W - width("目　　录", TITLE)) / 2, TITLE)
    contents.line("【国务院文件】", LEFT)
    for record, start in zip(records, starts):
        page_label = str(start + 1)
        entry = f"{record['title']}（{record['doc_number']}）"
        parts = wrap(entry, BODY, 0, TEXT_W - 3 * BODY)
        for part in parts[:-1]:
            contents.line(part, LEFT)
        last = parts[-1]
        leader_w = TEXT_W - width(last, BODY) - width(page_label, BODY) - 4
        leader = "…" * max(2, int(leader_w / width("…", BODY)))
        contents.line(last + leader, LEFT)
        contents.pages[-1].append(_text_at(LEFT + TEXT_W - width(page_label, BODY), contents.y - PITCH * 0.25, page_label))
    for ops in contents.pages:
        _render(canvas, ops)
    for number, ops in enumerate(body.pages, 1):
        head = f"{GAZETTE}　2019年第{issue}期"
        ops = [*ops, _text_at(LEFT + (TEXT_W - width(head, 10.5)) / 2, TOP - 28, head, 10.5)]
        label = f"— {number} —"
        x = LEFT + TEXT_W - BODY - width(label, PAGE_NO) if number % 2 else LEFT + BODY
        ops.append(_text_at(x, TOP + TEXT_H + 7 * MM + PAGE_NO, label, PAGE_NO))
        _render(canvas, ops)
    canvas.save()
    return [truth(record) for record in records]


def _text_at(x: float, baseline: float, text: str, size: float = BODY) -> Draw:
    def draw(canvas: Canvas) -> None:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(FONT, size)
        canvas.drawString(x, PAGE_H - baseline, text)

    return draw


def _render(canvas: Canvas, ops: list[Draw]) -> None:
    for op in ops:
        op(canvas)
    canvas.showPage()
