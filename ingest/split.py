"""An issue's paragraphs → cover data, contents, and one slice of paragraphs per document.

A gazette issue prints a cover (name, year, 第N期, 总第M期, date), often a contents page
(title, 文号, page), then the documents one after another, new ones starting mid-page.
A document starts at its title block (or red header) beside a 文号 printed on its own
line; the split is checked against the contents by title and printed page number.
A file with one document (or none found) is one slice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazette.dates import parse_date
from gazette.docnumber import find_doc_numbers
from ingest.layout import Flow, Paragraph
from ingest.preface import body_size, find_preface, is_title_like, number_of

_GAZETTE_NAME = re.compile(r"([\u4e00-\u9fff]{2,24}公报)")
_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,3})\s*[期号]")
_TOTAL = re.compile(r"总\s*第\s*(?P<total>\d{1,5})\s*[期号]")
_CONTENTS_HEADING = re.compile(r"^目\s*录$")
# A contents entry: its text, a leader of dots, and the printed page it starts on.
_ENTRY = re.compile(r"(?P<text>[^…\.·⋯]+?)\s*[…\.·⋯．]{2,}\s*(?P<page>\d{1,4})(?!\d)")
_SECTION = re.compile(r"^[【\[〔](?P<section>[^】\]〕]{1,20})[】\]〕]")
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


def read_contents(paras: Sequence[Paragraph]) -> tuple[tuple[ContentsEntry, ...], int]:
    """The contents entries and the index after the contents; ((), 0) when there is no contents."""
    start = next((i for i, p in enumerate(paras[:40]) if _CONTENTS_HEADING.match(p.text.replace("\u3000", ""))), None)
    if start is None:
        return (), 0
    size = body_size(paras)
    end = start + 1
    # The contents run until the first document's title (set large) or 文号.
    while end < len(paras) and not is_title_like(paras[end], size) and number_of(paras[end]) is None:
        end += 1
    text = "".join(p.text for p in paras[start + 1 : end])
    entries = []
    section = None
    for match in _ENTRY.finditer(text):
        entry_text = match["text"].strip()
        if heading := _SECTION.match(entry_text):
            section = heading["section"]
            entry_text = entry_text[heading.end() :].strip()
        numbers = find_doc_numbers(entry_text)
        title = entry_text
        number = None
        if numbers:
            found = numbers[-1]
            number = found.number.canonical
            title = entry_text[: found.start].rstrip("（([〔 ")
        entries.append(ContentsEntry(title, number, int(match["page"]), section))
    return tuple(entries), end


def split_issue(flow: Flow) -> SplitIssue:
    """Cover, contents and documents of a file's paragraphs."""
    paras = flow.paragraphs
    cover = read_cover(paras)
    contents, after_contents = read_contents(paras)
    size = body_size(paras)
    starts = _document_starts(paras, after_contents, size)
    if len(starts) <= 1:
        begin = starts[0] if starts and cover else 0
        entry = contents[0] if len(contents) == 1 else None
        return SplitIssue(cover, contents, (DocumentSlice(paras[begin:], entry),))
    slices = []
    for start, end in zip(starts, [*starts[1:], len(paras)]):
        slices.append(DocumentSlice(paras[start:end]))
    checked, problems = _check_against_contents(slices, contents, flow.page_labels)
    return SplitIssue(cover, contents, checked, problems)


def _document_starts(paras: Sequence[Paragraph], begin: int, size: float) -> list[int]:
    """Where documents start: at each 文号 line that has a title beside it, at the title or red header."""
    starts: list[int] = []
    for i in range(begin, len(paras)):
        if number_of(paras[i]) is None:
            continue
        window = max(begin, starts[-1] + 1 if starts else begin, i - 6)
        preface = find_preface(paras, window, size)
        if preface.number == i and preface.title:
            starts.append(preface.start)
    return starts


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
        number = number_of(piece.paragraphs[preface.number]) if preface.number is not None else None
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
    missing = tuple(f"{e.title}: listed in the contents (page {e.page}) but not found" for e in unused)
    return tuple(out), tuple(p for piece in out for p in piece.problems) + missing


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
