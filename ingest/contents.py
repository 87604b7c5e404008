"""An issue's contents page → its entries, and how well an entry names a title printed on the pages.

Contents are read line by line, as printed: an entry ends at a line that ends with its
page number (after a leader of dots, or a gap), and a title wraps over the lines before
it. Some gazettes print the page number on an entry's first line and wrap the rest of
the title and its 文号 below it; the lines are grouped both ways, and the grouping whose
entries end as entries do (with a 文号, or a title with its document type) is read.

Contents shorten what they list: a long title is abbreviated with an ellipsis
(``国务院办公厅关于印发……两个规定的通知``) or cut short, and a scanned contents page has OCR
errors. `title_agreement` scores a listed title against a printed one so that the
splitter can pair them, and tells an agreement explained by those habits (every listed
character where the title prints it) from one that only resembles it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from gazette.docnumber import DocNumber, find_doc_numbers, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.numerals import normalise_width
from ingest.layout import Paragraph
from ingest.preface import body_size, compose_number, is_title_like, number_at

_CONTENTS_HEADING = re.compile(r"^目\s*录$")
# How far into a file the contents heading is looked for.
_CONTENTS_REACH = 40
# A leader of dots (OCR reads them as dots, 。, dashes or underscores), or a gap (a tab between
# cells, spaces), then the page an entry starts on.
_DOTS = r"…\.·⋯．。•\-－—_"
# Two dots before a gap are the title's own ellipsis (……, cut where it wraps), not a leader.
_PAGE_AT_END = re.compile(rf"(?:[{_DOTS}]{{3,}}|[{_DOTS}]{{2}}(?=\d)|\t|\s{{2,}})[\s{_DOTS}]*(?P<page>\d{{1,4}})\s*$")
# A section heading (【国务院文件】); 〔2018〕 opening a line is a wrapped 文号's year, not one.
_SECTION = re.compile(r"^[【\[〔](?P<section>[^】\]〕\d]{1,20})[】\]〕]")
# A contents entry ends with its number in brackets: …通知（国发〔2019〕3号）, 广东省人民政府令（第227号）.
_BRACKETED_NUMBER = re.compile(r"[（(](?P<number>[^（）()]{2,40}号)[）)]$")
# An abbreviation inside a listed title: 国务院办公厅关于印发……的通知.
_ELLIPSIS = re.compile(r"(?:…|⋯|\.{3,}|．{3,}|·{3,})+")
# What a listed title and a printed one may differ in without differing: spaces, quote and bracket shapes.
_IGNORED = re.compile(r"[\s“”\"'‘’《》〈〉<>「」『』]")
# A cut title keeps at least this many characters (fewer could begin any title of its issuer).
_MIN_CUT = 8
# Similarity (difflib's ratio) from which a listed title is taken to name a printed one (OCR errors),
# for titles of at least `_MIN_RESEMBLING` characters: in shorter ones a character or two is the difference.
RESEMBLES = 0.8
_MIN_RESEMBLING = 12


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    doc_number: str | None
    page: int
    section: str | None = None


def read_contents(paras: Sequence[Paragraph]) -> tuple[tuple[ContentsEntry, ...], int]:
    """The contents entries and the index after the contents; ((), 0) when there is no contents."""
    reach = paras[:_CONTENTS_REACH]
    start = next((i for i, p in enumerate(reach) if _CONTENTS_HEADING.match(p.text.replace("\u3000", ""))), None)
    if start is None:
        return (), 0
    end = _contents_end(paras, start)
    lines = [line for p in paras[start + 1 : end] for line in (p.lines or (p.text,)) if line.strip()]
    return _entries(lines), end


def _contents_end(paras: Sequence[Paragraph], start: int) -> int:
    """The index of the first paragraph after the contents: the first document's title (set large)
    or 文号, met where an entry has ended (in a narrow column an entry's 文号 may wrap onto a line
    of its own), or on a page where no entry has ended yet (a scanned contents page that lost its
    dots and page numbers must not swallow the issue)."""
    size = body_size(paras)
    ended_on_page = True  # the heading's page: its entries follow the heading
    for end in range(start + 1, len(paras)):
        if paras[end].page != paras[end - 1].page:
            ended_on_page = False
        opens = is_title_like(paras[end], size) or _number_opens(paras, end, start + 1)
        if opens and (end == start + 1 or _ends_entry(paras[end - 1])):
            return end
        # A page no entry has ended on yet: a narrow column's 文号 wraps flush left, a document's is centred.
        if opens and not ended_on_page and (paras[end].align == "center" or is_title_like(paras[end], size)):
            return end
        ended_on_page = ended_on_page or _ends_entry(paras[end])
    return len(paras)


def _number_opens(paras: Sequence[Paragraph], at: int, start: int) -> bool:
    """A 文号 on its own line, not one in brackets: an entry wrapped below its page number prints
    its number so (（国办发〔2018〕109号）); a document's heading sets it bare, or its title comes first."""
    return not paras[at].text.strip().startswith(("（", "(")) and number_at(paras, at, start) is not None


def _ends_entry(para: Paragraph) -> bool:
    return _PAGE_AT_END.search(normalise_width(para.text)) is not None


Row = tuple[str, int | None, str | None]  # a printed line: its text, the page it prints (if any), its section


def _entries(lines: Sequence[str]) -> tuple[ContentsEntry, ...]:
    """Entries from the contents' printed lines, in the layout (page number on an entry's last
    or first line) whose entries end as entries do: with a 文号 or a document type."""
    section: str | None = None
    rows: list[Row] = []
    for line in lines:
        text = normalise_width(line).strip()
        if heading := _SECTION.match(text):
            section = heading["section"]
            text = text[heading.end() :].strip()
            if not text:
                continue
        found = _PAGE_AT_END.search(text)
        if found:
            rows.append((text[: found.start()].rstrip(), int(found["page"]), section))
        else:
            rows.append((text, None, section))
    last, first = _read(_last_line_groups(rows)), _read(_first_line_groups(rows))
    return first if _well_ended(first) > _well_ended(last) else last


def _read(groups: Sequence[tuple[str, int, str | None]]) -> tuple[ContentsEntry, ...]:
    entries = []
    for text, page, section in groups:
        title, number = _title_and_number(text)
        entries.append(ContentsEntry(title, number.canonical if number else None, page, section))
    return tuple(entries)


def _well_ended(entries: Sequence[ContentsEntry]) -> int:
    """How many entries end as an entry does: with its 文号, or a title with its document type."""
    return sum(1 for e in entries if e.doc_number or doc_type_from_title(e.title.rstrip("…⋯.")) is not None)


def _last_line_groups(rows: Sequence[Row]) -> list[tuple[str, int, str | None]]:
    groups, text, section = [], "", None
    for line, page, in_section in rows:
        section = section if text else in_section
        text += line
        if page is not None:
            groups.append((text, page, section))
            text = ""
    return groups


def _first_line_groups(rows: Sequence[Row]) -> list[tuple[str, int, str | None]]:
    groups: list[tuple[str, int, str | None]] = []
    for line, page, section in rows:
        if page is not None:
            groups.append((line, page, section))
        elif groups:
            text, at, first = groups[-1]
            groups[-1] = (text + line, at, first)
    return groups


def _title_and_number(text: str) -> tuple[str, DocNumber | None]:
    """A contents entry's title and 文号: a bracketed number at its end (a decree's bare 第N号
    completed by the title), else the last 文号 in it, else a title printed without one."""
    if bracketed := _BRACKETED_NUMBER.search(text):
        title = text[: bracketed.start()].strip()
        number = parse_doc_number(bracketed["number"]) or compose_number(title, bracketed["number"])
        if number is not None:
            return title, number
    numbers = find_doc_numbers(text)
    if not numbers:
        return text, None
    found = numbers[-1]
    return text[: found.start].rstrip("（([〔 "), found.number


# -- a listed title against a printed one --------------------------------------------------


def comparable(text: str) -> str:
    """A title as titles are compared: half-width digits, no spaces, one shape of quotes and brackets."""
    return _IGNORED.sub("", normalise_width(text)).replace("(", "（").replace(")", "）")


def title_agreement(listed: str, printed: str) -> float:
    """How well a contents title names a printed title, 0–1. 1.0: every listed character is
    printed where the entry puts it (equal, abbreviated with an ellipsis, or cut after at
    least `_MIN_CUT` characters); otherwise the similarity of the two (≥ `RESEMBLES`: the same
    title read with errors)."""
    a, b = comparable(listed), comparable(printed)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    parts = [part for part in _ELLIPSIS.split(a) if part]
    if _ELLIPSIS.search(a) and parts:
        return _abbreviation(parts, b, a.startswith(parts[0]), a.endswith(parts[-1]))
    if len(a) >= _MIN_CUT and len(a) < len(b):
        if b.startswith(a):
            return 1.0
        return max(_ratio(a, b[: len(a)]), _ratio(a, b))
    return _ratio(a, b)


def _abbreviation(parts: Sequence[str], printed: str, anchored_head: bool, anchored_tail: bool) -> float:
    """The agreement of an abbreviated title's parts with the printed title: each in order, the first
    at its start and the last at its end (where the listed title has no ellipsis there)."""
    if sum(map(len, parts)) > len(printed):
        return _ratio("".join(parts), printed)
    windows, at = [], 0
    for k, part in enumerate(parts):
        if k == 0 and anchored_head:
            begin = 0
        elif k == len(parts) - 1 and anchored_tail:
            begin = max(at, len(printed) - len(part))
        else:
            found = printed.find(part, at)
            begin = found if found >= 0 else at
        windows.append(printed[begin : begin + len(part)])
        at = begin + len(windows[-1])
    if list(parts) == windows and sum(map(len, parts)) >= _MIN_CUT:
        return 1.0
    return _ratio("".join(parts), "".join(windows))


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0–1, compared as `comparable` forms (difflib's ratio)."""
    return SequenceMatcher(None, comparable(a), comparable(b), autojunk=False).ratio()


def _ratio(a: str, b: str) -> float:
    """The similarity of two texts; 0 below `RESEMBLES` or when either is too short to tell by it."""
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return ratio if ratio >= RESEMBLES and min(len(a), len(b)) >= _MIN_RESEMBLING else 0.0
