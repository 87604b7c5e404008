"""One document laid out by GB/T 9704-2012 (党政机关公文格式): rows of grid lines, then pages.

Two settings of the same document:

- the **standard text** (`Setting.standard`): 版头 (red 发文机关标志 35 mm below the
  block's top, 文号 two lines under it — left, with 签发人 on the right, for 上行文 —
  and a red rule 4 mm under the 文号), title two lines under the rule, and the 版记 on
  the last page's foot;
- the **gazette** setting (`Setting.gazette`): no 版头 or 版记, the title at the top of a
  page and the 文号 centred under it, as gazettes print documents.

Then in both: 主送 flush left (§7.3.2), body 3号 仿宋 with a two-character indent and
headings 黑体 / 楷体 / 仿宋 by level (§7.3.3), 附件说明 (§7.3.4), 署名 and 成文日期
by §7.3.5.1 (the date four characters in from the right, the issuer centred over it,
the seal — when given — centred over both, its top within a line of the text),
附注 (§7.3.6), attachments from a new page (§7.3.7/§8: 附件 label 黑体 on the first
line, title on the third).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

from gazette.dates import parse_date
from gazette.model import Block, Document
from gazette.structure import heading_level
from publish import geometry as g
from publish.paginate import Page, paginate
from publish.parts import Attachment, Parts, split_parts
from publish.typeset import (
    BLANK,
    BODY,
    TITLE,
    Item,
    Picture,
    Row,
    Setter,
    Stroke,
    Style,
    Text,
)

HEADING_STYLES = {1: Style("hei"), 2: Style("kai"), 3: BODY, 4: BODY}
RECORD = Style("fangsong", g.SIZE_4)
SEAL_DIAMETER = 42 * g.MM
_MARK_MAX = 21 * g.MM  # the 发文机关标志's largest character size
_RUN_IN = re.compile(r"^[^。！？]{2,40}?[。！？]")


@dataclass(frozen=True)
class Setting:
    """How a document is set: as its standard text, or as a gazette prints it."""

    header: bool = True
    record: bool = True
    seal: bytes | None = None  # PNG of the seal, drawn over 署名 and 成文日期
    signer: str | None = None  # 签发人 of an 上行文, over the document's own (`Document.signer`)
    mark: str | None = None  # the 发文机关标志, over the document's own (`Document.issuer_mark`)


STANDARD = Setting()
GAZETTE = Setting(header=False, record=False)


def check_fonts(doc: Document, setter: Setter) -> None:
    """BadInputError naming the first character a role's font lacks, before anything is drawn."""
    fonts = setter.fonts
    text = "".join(
        [
            doc.title,
            doc.doc_number or "",
            doc.recipients or "",
            *doc.signature,
            date_line(doc) or "",
            *(block.text for block in doc.body),
            "签发人：" if doc.signer else "",
        ]
    )
    where = f"document {doc.id}"
    fonts.check(text, "fangsong", where)
    fonts.check(
        doc.title + "".join(b.text for b in doc.body if b.kind == "attachment") + mark_text(doc) + "— 0123456789 —",
        "song",
        where,
    )
    fonts.check(
        "".join(b.text for b in doc.body if b.kind == "heading" and b.level == 1) + "附件0123456789", "hei", where
    )
    fonts.check(
        "".join(b.text for b in doc.body if b.kind == "heading" and b.level == 2) + (doc.signer or ""), "kai", where
    )


def date_line(doc: Document) -> str | None:
    """The 成文日期 as printed: the printed form kept, else Arabic numerals unpadded (§7.3.5)."""
    if doc.date_written_printed:
        return doc.date_written_printed.replace(" ", "")
    if doc.date_written:
        date = parse_date(doc.date_written)
        if date is not None:
            year, month, day = date.iso.split("-")
            return f"{int(year)}年{int(month)}月{int(day)}日"
    return None


def mark_text(doc: Document, setting: Setting = STANDARD) -> str:
    """The 发文机关标志: given, else the document's own, else the issuer's name (letters, 函:
    信函格式) or name + 文件."""
    if setting.mark or doc.issuer_mark:
        return setting.mark or doc.issuer_mark or ""
    issuer = doc.issuer[0] if doc.issuer else ""
    letter = doc.doc_number is not None and "函" in doc.doc_number
    return issuer if letter or not issuer else f"{issuer}文件"


def layout_document(doc: Document, setter: Setter, setting: Setting = STANDARD) -> list[Page]:
    check_fonts(doc, setter)
    parts = split_parts(doc)
    rows: list[Row] = []
    first_items: list[Item] = []
    first_line = 0
    if setting.header:
        first_items, first_line = header(doc, setter, setting)
    rows += [replace(row, keep=True) for row in setter.centred(doc.title, TITLE)]
    if not setting.header and doc.doc_number:
        rows.append(replace(setter.centred(doc.doc_number, BODY, balanced=False)[0], keep=True))
    rows.append(replace(BLANK, keep=True))
    if doc.recipients:
        recipients = doc.recipients if doc.recipients.endswith(("：", ":")) else doc.recipients + "："
        rows += setter.paragraph([(recipients, BODY)], indent=0.0, hanging=0.0)
    rows += body_rows(parts.main, setter)
    rows += attachment_note_rows(parts.attachment_notes, setter)
    rows = closing_rows(rows, doc, setter, setting)
    for note in parts.closing_notes:
        rows += setter.paragraph([(note, BODY)])
    for attachment in parts.attachments:
        rows += attachment_rows(attachment, setter)
    foot = record_rows(parts, setter) if setting.record else []
    return paginate(rows, first_line=first_line, first_items=first_items, foot=foot)


# -- 版头 ---------------------------------------------------------------------------------


def header(doc: Document, setter: Setter, setting: Setting) -> tuple[list[Item], int]:
    """The 版头's items and the grid line the title starts on."""
    mark = mark_text(doc, setting)
    items: list[Item] = []
    y = g.TOP + 35 * g.MM  # §7.2.3: the mark's top edge 35 mm below the block's
    if mark:
        style = Style("song", min(_MARK_MAX, g.BLOCK_WIDTH / len(mark)), g.RED)
        x = g.LEFT + (g.BLOCK_WIDTH - setter.width(mark, style)) / 2
        items.append(Text(x, y + g.EM_ASCENT * style.size, (setter.run(mark, style),), 0.0))
        y += style.size
    line = g.line_of(y) + 2  # §7.2.4: two blank lines under the mark
    number = doc.doc_number_printed if doc.doc_number_printed and "〔" in doc.doc_number_printed else doc.doc_number
    signer = setting.signer or doc.signer
    if number:
        if signer:  # 上行文: 文号 one character in from the left, 签发人 one in from the right
            items.append(_moved(setter.at(number, BODY, g.LEFT + g.CHAR_PITCH), line))
            label, name = "签发人：", signer
            x = g.RIGHT - g.CHAR_PITCH - setter.width(label + name, BODY)
            items.append(_moved(setter.at(label, BODY, x), line))
            items.append(_moved(setter.at(name, Style("kai"), x + setter.width(label, BODY)), line))
        else:
            items.append(_moved(setter.centred(number, BODY, balanced=False)[0], line))
        rule_y = g.line_top(line) + (g.LINE_PITCH - g.SIZE_3) / 2 + g.SIZE_3 + 4 * g.MM
    else:
        rule_y = g.line_top(line)
    items.append(Stroke(g.LEFT, rule_y, g.RIGHT, rule_y, 1.0, g.RED))  # §7.2.6: the red rule
    return items, g.line_of(rule_y) + 2  # §7.3.1: the title two lines under the rule


def _moved(row: Row, line: int) -> Item:
    item = row.items[0]
    assert isinstance(item, Text)
    return replace(item, y=item.y + g.line_top(line))


# -- body ---------------------------------------------------------------------------------


def body_rows(blocks: tuple[Block, ...], setter: Setter) -> list[Row]:
    rows: list[Row] = []
    for block in blocks:
        if block.rows:
            rows += setter.table(block.rows)
        elif block.kind == "heading":
            style = HEADING_STYLES.get(block.level, BODY)
            rows += setter.paragraph([(block.text, style)])
        else:
            rows += setter.paragraph(run_in_spans(block.text))
    return rows


def run_in_spans(text: str) -> list[tuple[str, Style]]:
    """A paragraph that opens with a numbered heading sentence (一、…。 （一）…。) sets that
    sentence in the heading's face and the rest in 仿宋."""
    level = heading_level(text)
    match = _RUN_IN.match(text) if level in (1, 2) else None
    if match is None or match.end() == len(text):
        return [(text, HEADING_STYLES[level] if level in (1, 2) and match else BODY)]
    return [(text[: match.end()], HEADING_STYLES[level]), (text[match.end() :], BODY)]


def attachment_note_rows(notes: tuple[str, ...], setter: Setter) -> list[Row]:
    """§7.3.4: a blank line, then 附件：名称 two characters in; wrapped lines and further
    items align with the first name."""
    if not notes:
        return []
    rows: list[Row] = [BLANK]
    label = re.match(r"^附件[：:]\s*", notes[0])
    label_width = setter.width(label.group(0), BODY) + g.grid_spacing() if label else 0.0
    names_x = 2 * g.CHAR_PITCH + label_width
    for n, note in enumerate(notes):
        text = note.strip()
        if n == 0:
            rows += setter.paragraph([(text, BODY)], indent=2 * g.CHAR_PITCH, hanging=names_x, justify=False)
        else:
            rows += setter.paragraph([(text, BODY)], indent=names_x, hanging=names_x, justify=False)
    return rows


# -- 署名, 成文日期, seal ------------------------------------------------------------------


def closing_rows(rows: list[Row], doc: Document, setter: Setter, setting: Setting) -> list[Row]:
    """§7.3.5.1: the date four characters in from the right; each issuer centred over it; the
    seal centred over them. The last two lines of text stay on the page with them."""
    date = date_line(doc)
    signatures = list(doc.signature)
    if date is None and not signatures:
        return rows
    kept = [replace(row, keep=True) for row in rows[-2:]] if rows else []
    out = rows[:-2] + kept if rows else []
    blanks = 2 if setting.seal else 1
    out += [replace(BLANK, keep=True)] * blanks
    date_width = setter.width(date or "", BODY)
    centre = g.RIGHT - 4 * g.CHAR_PITCH - date_width / 2
    for name in signatures:
        out.append(replace(setter.at(name, BODY, centre - setter.width(name, BODY) / 2), keep=True))
    if date is not None:
        row = setter.right(date, BODY, 4 * g.CHAR_PITCH)
        if setting.seal:
            row = replace(row, items=(_seal(setting.seal, centre), *row.items))
        out.append(row)
    return out


def _seal(png: bytes, centre: float) -> Picture:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    width = SEAL_DIAMETER
    height = width * ratio
    middle = -0.3 * g.LINE_PITCH  # the seal's centre a little above the date line's top
    return Picture(png, centre - width / 2, middle - height / 2, width, height)


# -- attachments and 版记 ------------------------------------------------------------------


def attachment_rows(attachment: Attachment, setter: Setter) -> list[Row]:
    """§7.3.7: from a new page; the label in 黑体 on the first line, the title centred on the third.
    What a notice prints or forwards has no label: its title opens the page."""
    rows: list[Row] = []
    if attachment.label is not None:
        rows.append(replace(setter.at(attachment.label.rstrip("：:"), Style("hei"), g.LEFT), new_page=True))
    if attachment.title:
        titled = setter.centred(attachment.title, TITLE)
        first = replace(titled[0], at_line=2) if rows else replace(titled[0], new_page=True)
        rows += [first, *titled[1:], BLANK]
    elif not rows:
        rows.append(replace(BLANK, new_page=True))
    return rows + body_rows(attachment.blocks, setter)


def record_rows(parts: Parts, setter: Setter) -> list[Row]:
    """§7.4 版记 on the last page's foot: 抄送 one character in from both sides, wrapped lines
    under the first name; 印发机关 one in from the left, 印发日期 one in from the right;
    thick rules first and last (0.35 mm), thin between (0.25 mm), the last on the block's bottom."""
    if not parts.copy_to and not parts.printed_by:
        return []
    thick, thin = 0.35 * g.MM, 0.25 * g.MM
    one = g.SIZE_4
    rows: list[Row] = []
    if parts.copy_to:
        label = "抄送："
        text = parts.copy_to if parts.copy_to.endswith("。") else parts.copy_to + "。"
        hang = one + setter.width(label, RECORD)
        lines = setter.paragraph(
            [(label + text, RECORD)], indent=one, hanging=hang, width=g.BLOCK_WIDTH - one, justify=False
        )
        rows += lines
    if parts.printed_by:
        office, date = _split_printed(parts.printed_by)
        items = (
            [*setter.at(office, RECORD, g.LEFT + one).items, *setter.right(date, RECORD, one).items]
            if office
            else [*setter.right(date, RECORD, one).items]
        )
        rows.append(Row(tuple(items)))
    # Rules: above the first row, between 抄送 and 印发, and on the block's bottom edge.
    height = sum(row.lines for row in rows) * g.LINE_PITCH
    first = rows[0]
    rules = [Stroke(g.LEFT, 0, g.RIGHT, 0, thick)]
    if parts.copy_to and parts.printed_by:
        between = (len(rows) - 1) * g.LINE_PITCH
        rules.append(Stroke(g.LEFT, between, g.RIGHT, between, thin))
    rules.append(Stroke(g.LEFT, height, g.RIGHT, height, thick))
    rows[0] = replace(first, items=(*first.items, *rules))
    return rows


def _split_printed(text: str) -> tuple[str, str]:
    """``广东省人民政府办公厅　2026年6月30日印发`` into office and date."""
    match = re.search(r"[0-9０-９]{4}\s*年.*印发$", text)
    if match is None:
        return "", text.strip("　 ")
    return text[: match.start()].strip("　 "), text[match.start() :].strip("　 ")
