"""Word files (.docx) as offices write them, read into a `Document` by content and style.

A 公文 in Word runs, top to bottom: 版头 (发文机关标志 in red, 文号, 签发人), title,
主送机关 (ending ``：``), the body with headings (``一、`` ``（一）`` ``1.`` ``（1）`` typed, or
made by Word's numbering on heading styles), tables, 附件说明 (``附件：…``), 署名, 成文日期,
附注 (``（此件公开发布）``), attachments (``附件1`` then the attachment's title), and the
版记 (``抄送：…``, ``… 印发``). Each part is found by what it says first and by its style
(``Title``/``标题``, ``Heading N``/``标题 N``, alignment, red text), so a file typed
without styles reads as well as one built from a template. A file with no title or no
成文日期 is refused with a one-line error naming the part.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazette.dates import parse_date
from gazette.docnumber import jurisdiction_for_code, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.exceptions import BadInputError
from gazette.model import Block, Document, Source, make_document_id
from gazette.structure import block_from_line, heading_level, table_block

_SIGNER = re.compile(r"签\s*发\s*人[：:]\s*(?P<name>\S.*)$")
_ATTACHMENT_LABEL = re.compile(r"^附件[0-9０-９]*[：:]?$")
_NOTE = re.compile(r"^[（(].{1,30}[）)]$")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(?P<level>[1-4])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题", "公文标题", "文件标题"}
_MARK_STYLES = {"发文机关标志", "版头", "issuer mark"}
_CN_DIGITS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Para:
    """One paragraph (or a table, as rows) with what its style and format say."""

    text: str
    style: str = ""
    centred: bool = False
    right: bool = False
    red: bool = False
    size: float = 0.0
    level: int = 0  # a heading style's or Word numbering's level, 1–4
    numbered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()


def read_docx(path: Path) -> Document:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree
    except ImportError:  # pragma: no cover
        from gazette.exceptions import MissingDependencyError

        raise MissingDependencyError("reading Word files needs python-docx (pip install python-docx)") from None
    try:
        data = path.read_bytes()
        word = docx.Document(str(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError, etree.XMLSyntaxError) as error:
        raise BadInputError(f"cannot read this Word file: {error}", path=str(path)) from None
    paras = list(_paragraphs(word))
    source = Source(path.name, hashlib.sha256(data).hexdigest(), 0)
    return document_from_paras(paras, source, str(path))


def _paragraphs(word) -> Iterator[Para]:
    """Paragraphs and tables in reading order, with Word's numbering turned into typed labels."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    counters = [0, 0, 0, 0]
    for child in word.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            table = Table(child, word)
            rows = tuple(tuple(cell.text.strip() for cell in row.cells) for row in table.rows)
            yield Para("\n".join("\t".join(row) for row in rows), rows=rows)
        elif tag == "p":
            para = _para(Paragraph(child, word))
            if para.numbered and para.level:
                counters[para.level - 1] += 1
                counters[para.level :] = [0] * (4 - para.level)
                if not heading_level(para.text):
                    para = Para(
                        _label(para.level, counters[para.level - 1]) + para.text,
                        para.style,
                        para.centred,
                        para.right,
                        para.red,
                        para.size,
                        para.level,
                        True,
                    )
            if para.text:
                yield para


def _para(paragraph) -> Para:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    style = paragraph.style.name if paragraph.style is not None else ""
    align = paragraph.alignment
    if align is None and paragraph.style is not None:
        align = paragraph.style.paragraph_format.alignment
    red = any(_is_red(run) for run in paragraph.runs if run.text.strip())
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    if not sizes and paragraph.style is not None and paragraph.style.font.size is not None:
        sizes = [paragraph.style.font.size.pt]
    match = _HEADING_STYLE.match(style.strip())
    num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    level = int(match.group("level")) if match else 0
    if num is not None and num.ilvl is not None and not level:
        level = min(4, int(num.ilvl.val) + 1)
    return Para(
        text=paragraph.text.strip(),
        style=style,
        centred=align == WD_ALIGN_PARAGRAPH.CENTER,
        right=align == WD_ALIGN_PARAGRAPH.RIGHT,
        red=red,
        size=max(sizes, default=0.0),
        level=level,
        numbered=num is not None,
    )


def _is_red(run) -> bool:
    color = run.font.color
    rgb = color.rgb if color is not None and color.type is not None else None
    return rgb is not None and rgb[0] > 0xB0 and rgb[1] < 0x60 and rgb[2] < 0x60


def _label(level: int, n: int) -> str:
    """The label Word's 公文 numbering shows: 一、 （一） 1. （1）."""
    if level == 1:
        return _chinese(n) + "、"
    if level == 2:
        return f"（{_chinese(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def _chinese(n: int) -> str:
    if n <= 10:
        return _CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (_CN_DIGITS[ones - 1] if ones else "")


def document_from_paras(paras: list[Para], source: Source, where: str) -> Document:
    """The parts of a 公文, in order, from its paragraphs."""
    k = 0
    mark = number = signer = None
    # 版头: red or styled issuer mark, the 文号 (with 签发人 on its line for 上行文).
    while k < len(paras) and not _is_title(paras[k]):
        para = paras[k]
        signed = _SIGNER.search(para.text)
        if signed:
            signer = signed.group("name").strip()
        found = parse_doc_number(para.text.split("签")[0].strip()) if para.text else None
        if found is not None and number is None:
            number = para.text.split("签")[0].strip()
        elif para.red or para.style.lower() in _MARK_STYLES:
            mark = (mark or "") + para.text
        elif not signed:
            break
        k += 1
    if k >= len(paras) or not _could_be_title(paras[k]):
        raise BadInputError("no title (the first line after the 版头, or a paragraph in the Title style)", path=where)
    title_parts = [paras[k].text]
    k += 1
    while k < len(paras) and _is_title(paras[k]) and paras[k].centred and not paras[k].text.endswith("："):
        title_parts.append(paras[k].text)  # a title typed over two centred lines
        k += 1
    title = "".join(title_parts)
    recipients = None
    if k < len(paras) and paras[k].text.endswith(("：", ":")) and len(paras[k].text) < 200 and not paras[k].rows:
        recipients = paras[k].text[:-1]
        k += 1
    date_at = next((i for i in range(k, len(paras)) if _is_date(paras[i])), None)
    if date_at is None:
        raise BadInputError(f"no 成文日期 in {title!r} (a line such as 2026年6月30日 after the body)", path=where)
    signature: list[str] = []
    end = date_at
    while end > k and _is_signature(paras[end - 1]) and len(signature) < 4:
        signature.insert(0, paras[end - 1].text)
        end -= 1
    body: list[Block] = []
    for para in paras[k:end]:
        block = _block(para)
        if body and body[-1].kind == "attachment" and re.match(r"^[0-9０-９]+[.．]", para.text):
            block = Block("attachment", para.text)  # the next item of a 附件说明 (2. 名称)
        body.append(block)
    after = _after_date(paras[date_at + 1 :])
    date = parse_date(paras[date_at].text)
    canonical = parse_doc_number(number) if number else None
    issuers = _issuers(mark, signature)
    doc_number = canonical.canonical if canonical else None
    return Document(
        id=make_document_id(doc_number, date.iso if date else None, title),
        title=title,
        doc_number=doc_number,
        doc_number_printed=number,
        issuer=issuers,
        doc_type=doc_type_from_title(title),
        date_written=date.iso if date else None,
        date_written_printed=paras[date_at].text,
        recipients=recipients,
        disclosure="主动公开",
        jurisdiction=(canonical and jurisdiction_for_code(canonical.code)) or "cn",
        source=source,
        body=tuple(body) + tuple(after),
        signature=tuple(signature),
        confidence={name: 1.0 for name in ("doc_number", "title", "issuer", "date_written")},
        signer=signer,
        issuer_mark=mark.strip() if mark else None,
    )


def _could_be_title(para: Para) -> bool:
    """A title is short, ends no sentence and is not the 主送 line, a date or a table."""
    text = para.text
    if para.rows or (parse_date(text) and len(text) <= 24) or heading_level(text):
        return False
    return _is_title(para) or (len(text) <= 80 and not text.endswith(("：", ":", "。", "；")))


def _is_title(para: Para) -> bool:
    if para.style.strip().lower() in _TITLE_STYLES:
        return True
    return para.centred and para.size >= 18 and not para.red and parse_doc_number(para.text) is None


def _is_date(para: Para) -> bool:
    return (
        not para.rows
        and len(para.text) <= 24
        and parse_date(para.text) is not None
        and bool(re.fullmatch(r"[\d〇○零一二三四五六七八九十年月日\s]+", para.text))
    )


def _is_signature(para: Para) -> bool:
    text = para.text
    return (
        not para.rows
        and len(text) <= 30
        and not text.endswith(("。", "：", ":"))
        and not text.startswith("附件")
        and not heading_level(text)
    )


def _block(para: Para) -> Block:
    if para.rows:
        return table_block(para.rows)
    if para.level and (_HEADING_STYLE.match(para.style.strip()) or para.numbered) and len(para.text) <= 60:
        return Block("heading", para.text, level=heading_level(para.text) or para.level)
    return block_from_line(para.text)


def _after_date(paras: list[Para]) -> list[Block]:
    """附注, attachments (label, title, content) and the 版记 notes, as `publish.parts` reads them."""
    out: list[Block] = []
    expect_title = False
    for para in paras:
        text = para.text
        if para.rows:
            out.append(table_block(para.rows))
        elif text.startswith(("抄送：", "抄送:")) or re.search(r"印发$", text) and len(text) <= 40:
            out.append(Block("note", re.sub(r"\s+", "　", text)))
        elif _ATTACHMENT_LABEL.match(text):
            out.append(Block("attachment", text))
            expect_title = True
            continue
        elif expect_title:
            out.append(Block("attachment", text))
        elif _NOTE.match(text) and not any(block.kind == "attachment" for block in out):
            out.append(Block("note", text))
        else:
            out.append(_block(para))
        expect_title = False
    return out


def _issuers(mark: str | None, signature: list[str]) -> tuple[str, ...]:
    if mark:
        name = re.sub(r"文件$", "", mark.strip())
        if name:
            return (name,)
    return tuple(signature)
