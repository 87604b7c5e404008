"""A small, independent typesetter of gazette issues for the ingest tests (not `publish/`).

It lays `documents.jsonl` records out the way a printed gazette is: a cover (name, year,
第N期, 总第M期, date), a contents page (section, title with 文号, dot leaders, page),
running heads and page numbers (``— N —``, odd pages right, even pages left), title in
22 pt centred, 文号 centred, body in 16 pt with a two-character indent, signature and
date set right, tables as rows of cells; documents follow one another and so often
start in the middle of a page. Ground truth comes from the records themselves.

Records may also be decrees and announcements (a heading ending in 令/公告 with the bare
``第227号`` / ``2020年第46号`` under it), or carry no 文号 at all (``title_lines`` says how
many lines the title takes); attachments after the date get a centred title, as printed.
``columns=2`` sets the body pages in two columns, as many provincial gazettes do, and
``contents_columns=2`` the contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from gazette.dates import parse_date
from gazette.docnumber import parse_doc_number
from samples.corpus import load_records

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

    doc_number: str | None
    title: str
    issuer: str
    date_written: str
    body: str  # the body text without title, 文号, recipients, signature and date
    page: int | None = None  # the printed page number (folio) the document starts on


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


_BARE_SEQUENCE = re.compile(r"^(?:\d{4}年)?第\d+号$")
_NOTE = re.compile(r"^（.{1,18}）$")


def number_line(lines: Sequence[str]) -> int | None:
    """The line holding the 文号: on its own, or a bare 第N号 under a …令 / …公告 heading."""
    for i, line in enumerate(lines):
        if parse_doc_number(line) or (i and _BARE_SEQUENCE.match(line) and lines[i - 1].endswith(("令", "公告"))):
            return i
    return None


def _preface_end(record: dict[str, Any], lines: Sequence[str]) -> int:
    """The index of the first line after the title and 文号."""
    at = number_line(lines)
    return record["title_lines"] if at is None else at + 1


def truth(record: dict[str, Any]) -> Truth:
    lines = [line.strip() for line in record["body"].split("\n") if line.strip()]
    rest = lines[_preface_end(record, lines) :]
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

    def __init__(self, columns: int = 1) -> None:
        self.pages: list[list[Draw]] = []
        self.columns = columns
        self.column = columns - 1
        self.width = (TEXT_W - (columns - 1) * 2 * BODY) / columns  # a two-character gutter
        self.top = TOP  # where a column starts (below a heading set across the columns)
        self.y = TOP + TEXT_H  # force a new page on the first line

    @property
    def left(self) -> float:
        return LEFT + self.column * (self.width + 2 * BODY)

    def new_page(self) -> None:
        self.pages.append([])
        self.column, self.y = 0, self.top

    def room(self, lines: int) -> None:
        if self.y + lines * PITCH > TOP + TEXT_H + 0.1:
            if self.column + 1 < self.columns:
                self.column, self.y = self.column + 1, self.top
            else:
                self.new_page()

    def line(self, text: str, x: float, size: float = BODY, color: tuple[float, float, float] = (0, 0, 0)) -> None:
        """One line at ``x`` from the current column's left edge."""
        self.room(1)
        x += self.left
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
    number_at = number_line(lines)
    title_end = record["title_lines"] if number_at is None else number_at
    if number_at is not None and number_at + 1 < len(lines) and _BARE_SEQUENCE.match(lines[number_at]):
        title_end = number_at  # a decree's heading stands above its number, like a title
    titles = [part for line in lines[:title_end] for part in wrap(line, TITLE, 0, pages.width)]
    pages.room(len(titles) + 4)  # the title block never sits alone at the foot of a page
    start = len(pages.pages) - 1
    for part in titles:
        pages.line(part, (pages.width - width(part, TITLE)) / 2, TITLE)
    if number_at is not None:
        pages.line(lines[number_at], (pages.width - width(lines[number_at], BODY)) / 2)
    rest = lines[_preface_end(record, lines) :]
    date_at = next(i for i, line in enumerate(rest) if len(line) <= 24 and parse_date(line) and i > 0)
    attachment_title = date_at + 1
    for i, text in enumerate(rest):
        if i == attachment_title and _NOTE.match(text):
            attachment_title += 1
        if i == 0 and text.endswith("："):
            for part in wrap(text, BODY, 0, pages.width):
                pages.line(part, 0)
        elif i == date_at - 1 and "\t" in text:  # joint issuers sign side by side, two characters apart
            names = text.split("\t")
            x = pages.width - 4 * BODY - sum(width(name, BODY) for name in names) - 2 * BODY * (len(names) - 1)
            y = pages.y
            for name in names:
                pages.y = y
                pages.line(name, x)
                x += width(name, BODY) + 2 * BODY
        elif i in (date_at - 1, date_at):
            pages.line(text, pages.width - 4 * BODY - width(text, BODY))
        elif i > date_at and re.fullmatch(r"附件\d*", text):
            pages.line(text, 0)
            attachment_title = i + 1
        elif i == attachment_title:
            for part in wrap(text, TITLE, 0, pages.width):
                pages.line(part, (pages.width - width(part, TITLE)) / 2, TITLE)
        elif "\t" in text:
            cells = text.split("\t")
            column = pages.width / len(cells)
            pages.room(1)
            y = pages.y
            for c, cell in enumerate(cells):
                pages.y = y
                pages.line(cell, c * column, TABLE)
        else:
            for k, part in enumerate(wrap(text, BODY, 2 * BODY, pages.width)):
                pages.line(part, 2 * BODY if k == 0 else 0)
    pages.skip(1.5)
    return start


def build_issue(
    records: Sequence[dict[str, Any]],
    path: Path,
    issue: int = 5,
    total: int = 1650,
    columns: int = 1,
    contents_columns: int = 1,
    contents: bool = True,
    page_first: bool = False,
    leaders: bool = True,
) -> list[Truth]:
    """Write an issue PDF of ``records`` to ``path``; returns the ground truth, in order.
    A record's ``contents`` replaces its contents entry (``None`` leaves it out), and its
    ``contents_page`` the page the entry lists (not the page it starts on);
    ``contents_columns=2`` sets the contents in two columns under a heading across both;
    ``contents=False`` prints no contents page; ``page_first=True`` prints an entry's page on
    its first line and wraps the rest of it below, indented; ``leaders=False`` leaves a gap
    instead of dots before the page (as OCR often reads a dotted leader)."""
    register_font()
    body = Pages(columns)
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
    listing = Pages(contents_columns)
    listing.new_page()
    listing.line("目　　录", (TEXT_W - width("目　　录", TITLE)) / 2, TITLE)
    listing.top = listing.y
    listing.line("【国务院文件】", 0)
    for record, start in zip(records, starts, strict=False):
        default = f"{record['title']}（{record['doc_number']}）" if record["doc_number"] else record["title"]
        entry = record.get("contents", default)
        if entry is not None:
            listed = record.get("contents_page", start + 1)
            _contents_entry(listing, entry, str(listed), page_first, leaders)
    for ops in listing.pages if contents else ():
        _render(canvas, ops)
    for number, ops in enumerate(body.pages, 1):
        head = f"{GAZETTE}　2019年第{issue}期"
        ops = [*ops, _text_at(LEFT + (TEXT_W - width(head, 10.5)) / 2, TOP - 28, head, 10.5)]
        label = f"— {number} —"
        x = LEFT + TEXT_W - BODY - width(label, PAGE_NO) if number % 2 else LEFT + BODY
        ops.append(_text_at(x, TOP + TEXT_H + 7 * MM + PAGE_NO, label, PAGE_NO))
        _render(canvas, ops)
    canvas.save()
    return [replace(truth(record), page=start + 1) for record, start in zip(records, starts, strict=True)]


def _contents_entry(listing: Pages, entry: str, page_label: str, page_first: bool, leaders: bool) -> None:
    """One contents entry: wrapped, its page at the right of its last line (or of its first, ``page_first``)."""
    parts = wrap(entry, BODY, 0, listing.width - 3 * BODY)
    paged = 0 if page_first else len(parts) - 1
    for k, part in enumerate(parts):
        indent = 2 * BODY if page_first and k else 0
        if k != paged:
            listing.line(part, indent)
            continue
        leader_w = listing.width - width(part, BODY) - width(page_label, BODY) - 4
        leader = "…" * max(2, int(leader_w / width("…", BODY))) if leaders else ""
        listing.line(part + leader, indent)
        right = listing.left + listing.width - width(page_label, BODY)
        listing.pages[-1].append(_text_at(right, listing.y - PITCH * 0.25, page_label))


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


# -- synthetic records from real text ---------------------------------------------------


def load_laws(*ids: str) -> dict[str, dict[str, Any]]:
    """The laws.jsonl records with these ids (the repository keeps the ones the tests use in laws-sample.jsonl)."""
    return {law["id"]: law for law in load_records("laws-sample.jsonl") if law["id"] in ids}


def decree(law: dict[str, Any], number: int = 227) -> dict[str, Any]:
    """A provincial government decree promulgating ``law`` (a laws.jsonl record): heading, bare
    number, the promulgation sentence, the governor's signature, the date, then the rules."""
    date = parse_date(law["date"])
    assert date is not None
    printed = f"{date.iso[:4]}年{int(date.iso[5:7])}月{int(date.iso[8:])}日"
    body = [
        "广东省人民政府令",
        f"第{number}号",
        f"《{law['title']}》已经{printed}广东省人民政府常务会议通过，现予公布，自公布之日起施行。",
        "省长　朱小丹",
        printed,
        law["title"],
        *law["body"].split("\n")[:8],
    ]
    return {
        "title": "广东省人民政府令",
        "doc_number": f"广东省人民政府令第{number}号",
        "issuer": "广东省人民政府",
        "body": "\n".join(body),
        "contents": f"广东省人民政府令（第{number}号）",
    }


def announcement(law: dict[str, Any]) -> dict[str, Any]:
    """A ministry's announcement publishing ``law`` as its attachment, numbered 2020年第46号 under the title."""
    title = f"国家药监局关于发布{law['title']}的公告"
    body = [
        title,
        "2020年第46号",
        f"为规范有关工作，国家药监局组织制定了《{law['title']}》，现予发布，自发布之日起施行。",
        f"附件：{law['title']}",
        "特此公告。",
        "国家药监局",
        "2020年4月9日",
        "附件",
        law["title"],
        *law["body"].split("\n")[:6],
    ]
    return {
        "title": title,
        "doc_number": "国家药监局公告2020年第46号",
        "issuer": "国家药监局",
        "body": "\n".join(body),
        "contents": f"{title}（2020年第46号）",
    }


def without_number(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` printed without its 文号 line, as gazettes print some 批复 and 通报."""
    lines = [line for line in record["body"].split("\n") if line.strip()]
    at = number_line(lines)
    assert at is not None
    return {**record, "doc_number": None, "body": "\n".join(lines[:at] + lines[at + 1 :]), "title_lines": at}


def joint(record: dict[str, Any], issuers: Sequence[str], signature: str = "side by side") -> dict[str, Any]:
    """``record`` issued jointly: its title names ``issuers`` (``A、B关于…``); they sign on one line
    ("side by side": each name printed on its own; "one string": one text with spaces between
    the names), or the lead issuer signs alone ("lead")."""
    lines = [line.strip() for line in record["body"].split("\n") if line.strip()]
    at = number_line(lines)
    assert at is not None
    title = "、".join(issuers) + record["title"].removeprefix(record["issuer"])
    rest = lines[at:]
    date_at = next(i for i, line in enumerate(rest) if len(line) <= 24 and parse_date(line) and i > 1)
    if signature != "lead":
        rest[date_at - 1] = ("\t" if signature == "side by side" else "\u3000\u3000").join(issuers)
    return {**record, "title": title, "issuer": "、".join(issuers), "body": "\n".join([title, *rest])}
