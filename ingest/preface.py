"""Where a document's preface and closing sit among its paragraphs: red header, 文号, title, signature, date.

Both the splitter (a 文号 with a title beside it starts a document) and the metadata step
(which reads the fields) need these positions; they are found from text and geometry
only, so OCR lines and saved web pages work the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gazette.dates import is_date_shaped, parse_date
from gazette.docnumber import DocNumber, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.issuers import is_organisation
from gazette.numerals import normalise_width
from gazette.structure import heading_level, is_attachment_note
from ingest.layout import Paragraph

# A 文号 printed on its own line is short; a longer line that parses is running text.
_MAX_NUMBER_CHARS = 40
# How far into a document its 文号 and title are looked for.
PREFACE_REACH = 12
# Titles are set larger than the body (2号 over 3号); 15% tells them apart from noise.
TITLE_SIZE_RATIO = 1.15
_MAX_TITLE_CHARS = 100
# A signature line is short and does not end a sentence; at most this many stand above the date.
MAX_SIGNATURE_CHARS = 30
_MAX_SIGNATURE_LINES = 4
_MAX_DATE_CHARS = 24
_SENTENCE_PUNCT = "。；：！？，"
# Decrees and announcements print their number under the heading that names them:
# 广东省人民政府令 / 第227号, 国家药监局关于…的公告 / 2020年第46号 (sometimes bracketed).
_BARE_SEQUENCE = re.compile(r"^[（(]?\s*((?:\d{4}\s*年\s*)?第\s*\d{1,6}\s*号)\s*[）)]?$")
_NUMBERED_KINDS = ("令", "公告")
_RECIPIENTS_MAX_CHARS = 300
# The 版头 (issuer mark): …文件 or …公报, centred, set well above the title's size.
_HEADER_ENDS = ("文件", "公报")
HEADER_SIZE_RATIO = 1.5


@dataclass(frozen=True)
class Preface:
    """Indices (into the paragraphs) of the red header, the 文号, the title lines, and the first index after them."""

    header: tuple[int, ...]
    number: int | None
    title: tuple[int, ...]
    end: int
    doc_number: DocNumber | None = None

    @property
    def start(self) -> int:
        return min((*self.header, *self.title, *((self.number,) if self.number is not None else ())), default=self.end)


@dataclass(frozen=True)
class Closing:
    """Indices of the signature lines and of the 成文日期 line."""

    signature: tuple[int, ...]
    date: int


def body_size(paras: Sequence[Paragraph]) -> float:
    """The size most text is set in (0 when the source has no geometry)."""
    sizes: Counter[float] = Counter()
    for para in paras:
        sizes[round(para.size)] += len(para.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def number_of(para: Paragraph) -> DocNumber | None:
    """The 文号 a paragraph is, when it is nothing else."""
    return parse_doc_number(para.text) if len(para.text) <= _MAX_NUMBER_CHARS else None


def compose_number(heading: str, sequence: str) -> DocNumber | None:
    """The decree or announcement number of a bare ``第227号`` / ``2020年第46号`` printed under
    ``heading`` (…令, …公告): the body the heading names, before any 关于, gives the issuer."""
    bare = _BARE_SEQUENCE.match(normalise_width(sequence).strip())
    kind = next((k for k in _NUMBERED_KINDS if heading.endswith(k)), None)
    if bare is None or kind is None:
        return None
    issuer = heading.split("关于")[0] if "关于" in heading else heading.removesuffix(kind)
    number = parse_doc_number(issuer + kind + bare[1])
    return number if number is not None and number.kind != "standard" else None


def number_at(paras: Sequence[Paragraph], i: int, start: int = 0) -> DocNumber | None:
    """The 文号 paragraph ``i`` is: on its own, or as a bare sequence under a decree's or announcement's heading."""
    if number := number_of(paras[i]):
        return number
    return compose_number(_heading_above(paras, i, start), paras[i].text) if i > start else None


def _heading_above(paras: Sequence[Paragraph], i: int, start: int) -> str:
    """The heading line above ``i``, with the lines above it in its style when they begin with
    the issuer (a long …关于…的公告 wraps); a lone …令 line stands by itself."""
    lines = [paras[i - 1].text]
    j = i - 1
    while (
        "关于" not in "".join(lines)
        and j > start
        and len("".join(lines)) < _MAX_TITLE_CHARS
        and _same_style(paras[j - 1], paras[j])
    ):
        j -= 1
        lines.insert(0, paras[j].text)
    return "".join(lines) if "关于" in "".join(lines) else lines[-1]


def is_header_mark(para: Paragraph, size: float) -> bool:
    """The 版头 told by layout and shape rather than colour (grey and bilevel scans): an
    issuer mark ending 文件/公报, centred, far larger than the body."""
    return (
        para.text.endswith(_HEADER_ENDS)
        and para.align == "center"
        and bool(para.size and size)
        and para.size >= HEADER_SIZE_RATIO * size
    )


def is_title_like(para: Paragraph, size: float) -> bool:
    text = para.text
    if len(text) > _MAX_TITLE_CHARS or text.endswith(("：", ":", "。")) or para.color == "red":
        return False
    if is_header_mark(para, size):
        return False
    if para.size and size:
        larger = para.size > size * TITLE_SIZE_RATIO
        return larger or (para.align == "center" and doc_type_from_title(text) is not None)
    return doc_type_from_title(text) is not None and not heading_level(text)


def find_preface(paras: Sequence[Paragraph], start: int = 0, size: float | None = None) -> Preface:
    """The preface of the document whose paragraphs begin at ``start``."""
    size = body_size(paras) if size is None else size
    reach = range(start, min(len(paras), start + PREFACE_REACH))
    number = next((i for i in reach if number_at(paras, i, start)), None)
    if number is None:
        seed = next((i for i in reach if is_title_like(paras[i], size)), None)
        title = title_block(paras, seed, size, step=1) if seed is not None else ()
    else:
        after = title_block(paras, number + 1, size, step=1)
        before = title_block(paras, number - 1, size, step=-1) if number > start else ()
        title = _choose_title(paras, before, after)
    first = min((*title, *((number,) if number is not None else ())), default=start)
    header = _header(paras, start, first, size)
    end = max((*title, *((number,) if number is not None else ()), start - 1)) + 1
    doc_number = number_at(paras, number, start) if number is not None else None
    return Preface(header, number, title, end, doc_number)


_SHORT_LINE = 3


def title_block(paras: Sequence[Paragraph], seed: int, size: float, step: int = 1) -> tuple[int, ...]:
    """The title lines from ``seed`` on (forward or backward): same size and alignment as the seed."""
    if not 0 <= seed < len(paras) or not is_title_like(paras[seed], size):
        return ()
    first = paras[seed]
    block = [seed]
    i = seed + step
    while 0 <= i < len(paras) and first.size and _same_style(first, paras[i]) and not number_of(paras[i]):
        block.append(i)
        i += step
    if step == 1 and i < len(paras) and _ends_title(first, "".join(paras[j].text for j in block), paras[i]):
        block.append(i)
    if step == -1 and block == [seed] and i >= 0 and paras[i].size and _ends_title(paras[i], paras[i].text, first):
        # Seeded at a last line measured too large (from the 文号 below): the lines above are the title.
        return (*title_block(paras, i, size, step=-1), seed)
    return tuple(sorted(block))


def _ends_title(first: Paragraph, title: str, para: Paragraph) -> bool:
    """A title's last line that OCR measured too large for `_same_style` (its box is padded
    more than its text: 情况的函 measured 23.9 pt under lines of 22.6) still joins when it gives
    a title without a type its type: centred, shorter than the first line, in its colour,
    neither smaller nor half again larger, and not a 文号."""
    return (
        para.align == "center"
        and para.color == first.color
        and len(para.text) < len(first.text)
        and 0.95 * first.size <= para.size <= 1.5 * first.size
        and not number_of(para)
        and doc_type_from_title(title) is None
        and doc_type_from_title(title + para.text) is not None
    )


def _same_style(a: Paragraph, b: Paragraph) -> bool:
    """Same colour and size. A line of one to three characters read by OCR is measured from
    its box, which the detector pads more, relative to its text, than a long line's (a lone
    知 ending a title measured 32 pt under the title's 22.6 pt): it may measure up to half again larger."""
    if a.color != b.color:
        return False
    return abs(a.size - b.size) <= 0.05 * a.size or (len(b.text) <= _SHORT_LINE and a.size < b.size <= 1.5 * a.size)


def _choose_title(paras: Sequence[Paragraph], before: tuple[int, ...], after: tuple[int, ...]) -> tuple[int, ...]:
    """Gazettes print the title above the 文号, red-header documents below it: the larger, typed one wins."""
    if not before or not after:
        return before or after

    def strength(block: tuple[int, ...]) -> tuple[float, bool]:
        text = "".join(paras[i].text for i in block)
        return paras[block[0]].size, doc_type_from_title(text) is not None

    return before if strength(before) > strength(after) else after


def _header(paras: Sequence[Paragraph], start: int, first: int, size: float) -> tuple[int, ...]:
    """Red-header lines right above the 文号/title, or a 版头 told by its layout (grey and
    bilevel scans); without geometry (web text), every line there."""
    indices: list[int] = []
    i = first - 1
    while i >= start and (paras[i].color == "red" or not paras[i].size or is_header_mark(paras[i], size)):
        indices.insert(0, i)
        i -= 1
    return tuple(indices)


def find_closing(paras: Sequence[Paragraph], start: int) -> Closing | None:
    """The first date line after ``start`` that closes the document: signature lines above it, or set right.
    A line set as a date that spells none (a digit lost under a seal) still closes it: the
    metadata step sends it to review rather than letting it run into the body."""
    for i in range(start, len(paras)):
        para = paras[i]
        if len(para.text) > _MAX_DATE_CHARS or (parse_date(para.text) is None and not is_date_shaped(para.text)):
            continue
        signature: list[int] = []
        j = i - 1
        while j >= start and len(signature) < _MAX_SIGNATURE_LINES and is_signature_line(paras[j].text):
            signature.insert(0, j)
            j -= 1
        if signature or para.align == "right":
            return Closing(tuple(signature), i)
    return None


def is_signature_line(text: str) -> bool:
    return (
        0 < len(text) <= MAX_SIGNATURE_CHARS
        and _not_a_table_row(text)
        and text[-1] not in _SENTENCE_PUNCT
        and not heading_level(text)
        and not is_attachment_note(text)
        and parse_date(text) is None
        and not is_date_shaped(text)
    )


def _not_a_table_row(text: str) -> bool:
    """A row of cells is a table's, unless every cell is a body's name: joint issuers sign side by side."""
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    return "\t" not in text or all(is_organisation(cell) for cell in cells)


@dataclass(frozen=True)
class Parts:
    """Where each part of one document stands in its paragraphs, read once for the metadata step:
    the body's size, the preface (header, 文号, title), the 主送 line, the closing (署名 and
    成文日期), and the ranges of the body and of what follows the date (notes, attachments)."""

    size: float
    preface: Preface
    recipients: int | None
    closing: Closing | None
    body: range
    after: range


def read_parts(paras: Sequence[Paragraph], carried: int | None = None) -> Parts:
    """The parts of one document's paragraphs (in reading order). ``carried``: where a document
    the notice forwards or issues begins (`ingest.forwarding.carried_start`); the notice closes
    above it, so a date under the carried text is never the notice's (no date above it: none)."""
    size = body_size(paras)
    preface = find_preface(paras, 0, size)
    rest = preface.end
    recipients = rest if rest < len(paras) and is_recipients(paras[rest].text) else None
    if recipients is not None:
        rest += 1
    closing = find_closing(paras[:carried] if carried is not None else paras, rest)
    body_end = closing.signature[0] if closing and closing.signature else (closing.date if closing else len(paras))
    after = range(closing.date + 1, len(paras)) if closing else range(len(paras), len(paras))
    return Parts(size, preface, recipients, closing, range(rest, body_end), after)


def is_recipients(text: str) -> bool:
    """A 主送 line: it ends with a colon, is not a heading, and is not a paragraph's length."""
    return text.endswith(("：", ":")) and len(text) <= _RECIPIENTS_MAX_CHARS and not heading_level(text)
