"""An issue's paragraphs → cover data, contents, and one slice of paragraphs per document.

A gazette issue prints a cover (name, year, 第N期, 总第M期, date), often a contents page
(title, 文号, page), then the documents one after another, new ones starting mid-page.
A document starts at its title block (or red header) beside a 文号 printed on its own
line (a decree's or announcement's number under its heading too), or at a title the
contents list (documents printed without a 文号: 批复, 人事任免, 通报). The split is checked
against the contents by 文号, title and printed page number; every disagreement is a
problem of the issue and of the documents it touches, never a silent drop. A file
with one document (or none found) and no contents is one slice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from gazette.chars import HAN
from gazette.dates import parse_date
from gazette.docnumber import DocNumber, find_doc_numbers, parse_doc_number
from ingest.layout import Flow, Paragraph
from ingest.preface import body_size, compose_number, find_preface, is_title_like, number_at, title_block

_GAZETTE_NAME = re.compile(f"([{HAN}]{{2,24}}公报)")
_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,3})\s*[期号]")
_TOTAL = re.compile(r"总\s*第\s*(?P<total>\d{1,5})\s*[期号]")
_CONTENTS_HEADING = re.compile(r"^目\s*录$")
# A contents entry: its text, a leader of dots, and the printed page it starts on.
_LEADER = r"[…\.·⋯．]{2,}"
_ENTRY = re.compile(rf"(?P<text>[^…\.·⋯]+?)\s*{_LEADER}\s*(?P<page>\d{{1,4}})(?!\d)")
_ENTRY_END = re.compile(rf"{_LEADER}\s*\d{{1,4}}\s*$")
_SECTION = re.compile(r"^[【\[〔](?P<section>[^】\]〕]{1,20})[】\]〕]")
# A contents entry ends with its number in brackets: …通知（国发〔2019〕3号）, 广东省人民政府令（第227号）.
_BRACKETED_NUMBER = re.compile(r"[（(](?P<number>[^（）()]{2,40}号)[）)]$")
_COVER_REACH = 12


@dataclass(frozen=True)
class IssueCover:
    name: str | None = None
    year: int | None = None
    number: int | None = None
    total: int | None = None
    date: str | None = None


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    doc_number: str | None
    page: int
    section: str | None = None


@dataclass(frozen=True)
class DocumentSlice:
    """One document's paragraphs and what the contents say about it (when listed)."""

    paragraphs: tuple[Paragraph, ...]
    entry: ContentsEntry | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SplitIssue:
    cover: IssueCover | None
    contents: tuple[ContentsEntry, ...]
    documents: tuple[DocumentSlice, ...]
    problems: tuple[str, ...] = ()


def read_cover(paras: Sequence[Paragraph]) -> IssueCover | None:
    """Cover data from the first paragraphs, or None when they name no gazette issue."""
    text = "\n".join(p.text for p in paras[:_COVER_REACH])
    name, issue, total = _GAZETTE_NAME.search(text), _ISSUE.search(text), _TOTAL.search(text)
    if not (name and issue):
        return None
    dates = (parse_date(p.text) for p in paras[:_COVER_REACH] if len(p.text) <= 24)
    date = next((d for d in dates if d is not None), None)
    return IssueCover(
        name=name[1],
        year=int(issue["year"]),
        number=int(issue["issue"]),
        total=int(total["total"]) if total else None,
        date=date.iso if date else None,
    )


def read_running_heads(pages: Sequence[Sequence[str]]) -> IssueCover | None:
    """The gazette, year and number its running heads print (``…公报　2019年第5期``): the reading
    most pages carry on a line of their own (``pages``: each page's lines), when at least two do
    (a single line of body text that names an issue is not a running head)."""
    found: Counter[tuple[str, int, int]] = Counter()
    for lines in pages:
        heads = set()
        for text in lines:
            gazette, issue = _GAZETTE_NAME.search(text), _ISSUE.search(text)
            if gazette and issue and len(text.strip()) <= 40:
                heads.add((gazette[1], int(issue["year"]), int(issue["issue"])))
        found.update(heads)
    if not found:
        return None
    (name, year, number), pages_with_it = found.most_common(1)[0]
    return IssueCover(name=name, year=year, number=number) if pages_with_it >= 2 else None


def read_contents(paras: Sequence[Paragraph]) -> tuple[tuple[ContentsEntry, ...], int]:
    """The contents entries and the index after the contents; ((), 0) when there is no contents."""
    start = next((i for i, p in enumerate(paras[:40]) if _CONTENTS_HEADING.match(p.text.replace("\u3000", ""))), None)
    if start is None:
        return (), 0
    size = body_size(paras)
    end = start + 1
    # The contents run until the first document's title (set large) or 文号, met where an
    # entry has ended: in a narrow column an entry's 文号 may wrap onto a line of its own.
    while end < len(paras) and not (
        _between_entries(paras, start, end)
        and (is_title_like(paras[end], size) or number_at(paras, end, start + 1) is not None)
    ):
        end += 1
    text = "".join(p.text for p in paras[start + 1 : end])
    entries = []
    section = None
    for match in _ENTRY.finditer(text):
        entry_text = match["text"].strip()
        if heading := _SECTION.match(entry_text):
            section = heading["section"]
            entry_text = entry_text[heading.end() :].strip()
        title, number = _title_and_number(entry_text)
        entries.append(ContentsEntry(title, number.canonical if number else None, int(match["page"]), section))
    return tuple(entries), end


def _between_entries(paras: Sequence[Paragraph], heading: int, index: int) -> bool:
    """Whether paragraph ``index`` follows the contents heading or an entry's page number."""
    return index == heading + 1 or _ENTRY_END.search(paras[index - 1].text) is not None


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


def split_issue(flow: Flow) -> SplitIssue:
    """Cover, contents and documents of a file's paragraphs."""
    paras = flow.paragraphs
    cover = read_cover(paras)
    contents, after_contents = read_contents(paras)
    size = body_size(paras)
    starts = _document_starts(paras, after_contents, size, contents)
    if not contents and len(starts) <= 1:
        begin = starts[0] if starts and cover else 0
        return SplitIssue(cover, contents, (DocumentSlice(paras[begin:]),))
    slices = [DocumentSlice(paras[start:end]) for start, end in pairwise([*starts, len(paras)])]
    checked, problems = _check_against_contents(slices, contents, flow.page_labels)
    lead = paras[after_contents : starts[0]] if starts else paras[after_contents:]
    if contents and lead:
        # Text after the contents that no document claims: kept as a document of its own, flagged.
        problem = f"text on page {lead[0].page} after the contents belongs to no document found"
        checked = (DocumentSlice(tuple(lead), None, (problem,)), *checked)
        problems = (problem, *problems)
    return SplitIssue(cover, contents, checked, problems)


def _document_starts(
    paras: Sequence[Paragraph], begin: int, size: float, contents: Sequence[ContentsEntry] = ()
) -> list[int]:
    """Where documents start: at each 文号 line that has a title beside it (at the title or red
    header), and at each title the contents list that no such preface already holds."""
    starts: list[int] = []
    held: list[range] = []
    for i in range(begin, len(paras)):
        if number_at(paras, i, begin) is None:
            continue
        window = max(begin, starts[-1] + 1 if starts else begin, i - 6)
        preface = find_preface(paras, window, size)
        if preface.number == i and preface.title:
            starts.append(preface.start)
            held.append(range(preface.start, preface.end))
    listed = {_squash(e.title) for e in contents if e.title}
    for i in _listed_titles(paras, begin, size, listed):
        if not any(i in span for span in held):
            starts.append(i)
    return sorted(set(starts))


def _listed_titles(paras: Sequence[Paragraph], begin: int, size: float, listed: set[str]) -> list[int]:
    """First lines of title blocks whose text is a title in the contents."""
    found = []
    for i in range(begin, len(paras)):
        if i > begin and i in title_block(paras, i - 1, size):
            continue  # inside a title block that began above
        block = title_block(paras, i, size)
        if block and _squash("".join(paras[k].text for k in block)) in listed:
            found.append(i)
    return found


def _check_against_contents(
    slices: list[DocumentSlice], contents: Sequence[ContentsEntry], labels: dict[int, int]
) -> tuple[tuple[DocumentSlice, ...], tuple[str, ...]]:
    """Pair each document with its contents entry (by 文号, else title) and note where they disagree."""
    if not contents:
        return tuple(slices), ()
    unused = list(contents)
    out = []
    for piece in slices:
        preface = find_preface(piece.paragraphs, 0)
        title = "".join(piece.paragraphs[i].text for i in preface.title)
        number = preface.doc_number
        entry = next((e for e in unused if number and e.doc_number == number.canonical), None)
        entry = entry or next((e for e in unused if _squash(e.title) == _squash(title)), None)
        problems: list[str] = []
        if entry is None:
            problems.append(f"{title or '(untitled)'}: not in the issue's contents")
        else:
            unused.remove(entry)
            printed = labels.get(piece.paragraphs[preface.start].page)
            if printed is not None and printed != entry.page:
                problems.append(f"{entry.title}: contents say page {entry.page}, found on page {printed}")
        out.append(DocumentSlice(piece.paragraphs, entry, tuple(problems)))
    for entry in unused:
        # The missing document is most likely inside the one printed on its page: flag that one.
        missing = f"{entry.title}: listed in the contents (page {entry.page}) but not found"
        at = _holder(out, entry.page, labels)
        if at is not None:
            out[at] = replace(out[at], problems=(*out[at].problems, f"may hold {missing}"))
    noted = tuple(p for piece in out for p in piece.problems if not p.startswith("may hold "))
    noted += tuple(f"{e.title}: listed in the contents (page {e.page}) but not found" for e in unused)
    if len(slices) != len(contents):
        noted += (f"the contents list {len(contents)} documents, the split found {len(slices)}",)
    return tuple(out), noted


def _holder(slices: Sequence[DocumentSlice], page: int, labels: dict[int, int]) -> int | None:
    """The index of the last document that starts on or before printed page ``page``."""
    holder = None
    for k, piece in enumerate(slices):
        printed = labels.get(piece.paragraphs[0].page)
        if printed is not None and printed <= page:
            holder = k
    return holder


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
