"""An issue's paragraphs → cover data, and one slice of paragraphs per document, checked against the contents.

A gazette issue prints a cover (name, year, 第N期, 总第M期, date), often a contents page
(`ingest.contents`), then the documents one after another, new ones starting mid-page.
The pages decide where documents start: at a title block (or red header) beside a 文号
printed on its own line (a decree's or announcement's number under its heading too), and
at a title block printed without a 文号 (批复, 通报, 人事任免) that the contents list, or that
names its issuers and follows a closed document (its date printed above) that does not
forward it (转发/印发/批转: then it is that document's attachment). The contents
only confirm: each document is paired with its entry by 文号, else by title (abbreviated,
cut or misread titles agree, `contents.title_agreement`), and every disagreement (a
document the contents do not list, an entry no document answers, another page) is a
problem of the issue and of the documents it touches, with both readings: never a silent
merge, never a drop. A file with one document (or none found) and no contents is one slice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from gazette.chars import HAN
from gazette.dates import parse_date
from gazette.docnumber import DocNumber
from gazette.doctypes import doc_type_from_title
from gazette.issuers import title_issuers
from gazette.structure import is_attachment_note
from ingest.contents import RESEMBLES, ContentsEntry, read_contents, title_agreement
from ingest.forwarding import carried_title, names_carried
from ingest.layout import Flow, Paragraph
from ingest.preface import body_size, find_closing, find_preface, number_at, title_block

_GAZETTE_NAME = re.compile(f"([{HAN}]{{2,24}}公报)")
_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,3})\s*[期号]")
_TOTAL = re.compile(r"总\s*第\s*(?P<total>\d{1,5})\s*[期号]")
_COVER_REACH = 12
# An 附件 label stands alone (附件, 附件2：); a longer line is an attachment note in the body.
_ATTACHMENT_LABEL_CHARS = 5


@dataclass(frozen=True)
class IssueCover:
    name: str | None = None
    year: int | None = None
    number: int | None = None
    total: int | None = None
    date: str | None = None


@dataclass(frozen=True)
class DocumentSlice:
    """One document's paragraphs and what the contents say about it (when listed). ``page`` is the
    printed page number it starts on (`printed_page`), None when neither its folio nor its entry says it."""

    paragraphs: tuple[Paragraph, ...]
    entry: ContentsEntry | None = None
    problems: tuple[str, ...] = ()
    page: int | None = None


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


def split_issue(flow: Flow) -> SplitIssue:
    """Cover, contents and documents of a file's paragraphs."""
    paras = flow.paragraphs
    cover = read_cover(paras)
    contents, after_contents = read_contents(paras)
    size = body_size(paras)
    starts = _document_starts(paras, after_contents, size, contents)
    if not contents and len(starts) <= 1:
        begin = starts[0] if starts and cover else 0
        alone = _second_document_check(DocumentSlice(paras[begin:]), size)
        return SplitIssue(cover, contents, (printed_page(alone, flow.page_labels),), alone.problems)
    slices = [_second_document_check(DocumentSlice(paras[s:e]), size) for s, e in pairwise([*starts, len(paras)])]
    checked, problems = _check_against_contents(slices, contents, flow.page_labels)
    lead = paras[after_contents : starts[0]] if starts else paras[after_contents:]
    if contents and lead:
        # Text after the contents that no document claims: kept as a document of its own, flagged.
        problem = f"text on page {lead[0].page} after the contents belongs to no document found"
        checked = (DocumentSlice(tuple(lead), None, (problem,)), *checked)
        problems = (problem, *problems)
    paged = tuple(printed_page(piece, flow.page_labels) for piece in checked)
    return SplitIssue(cover, contents, paged, problems)


def printed_page(piece: DocumentSlice, labels: dict[int, int]) -> DocumentSlice:
    """The slice with the printed page number it starts on: the folio of the page its preface starts
    on, else the page its contents entry lists (where the two differ, `_check_against_contents`
    has noted it); never a number neither prints."""
    start = _start_page(piece)
    folio = labels.get(start) if start is not None else None
    return replace(piece, page=folio if folio is not None else piece.entry.page if piece.entry else None)


def _start_page(piece: DocumentSlice) -> int | None:
    """The page (index in the file) the document's preface starts on; None for a slice of no text."""
    if not piece.paragraphs:
        return None
    return piece.paragraphs[find_preface(piece.paragraphs, 0).start].page


def _document_starts(
    paras: Sequence[Paragraph], begin: int, size: float, contents: Sequence[ContentsEntry] = ()
) -> list[int]:
    """Where documents start: at each 文号 line that has a title beside it (at the title or red
    header), and at each title block no such preface holds that the contents list or that
    opens a document by itself (`_opens_document`)."""
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
    listed = [entry.title for entry in contents if entry.title]
    for i, block in _title_blocks(paras, begin, size):
        if any(i in span for span in held):
            continue
        if above_preface := next((span for span in held if _runs_into(paras, block, span.start)), None):
            # The first lines of a title measured apart from the rest (OCR): the preface starts here.
            starts[starts.index(above_preface.start)] = i
            continue
        title = "".join(paras[k].text for k in block)
        above = max((start for start in starts if start < i), default=None)
        if _is_listed(title, listed) or _opens_document(paras, i, title, above):
            starts.append(i)
    return sorted(set(starts))


def _title_blocks(paras: Sequence[Paragraph], begin: int, size: float) -> list[tuple[int, tuple[int, ...]]]:
    """Each title block after ``begin``: its first line and its lines."""
    found = []
    for i in range(begin, len(paras)):
        if i > begin and i in title_block(paras, i - 1, size):
            continue  # inside a title block that began above
        if block := title_block(paras, i, size):
            found.append((i, block))
    return found


def _runs_into(paras: Sequence[Paragraph], block: tuple[int, ...], start: int) -> bool:
    """Whether a title block begins above a preface's start and reaches it, on its page, centred like it."""
    first, last = block[0], block[-1]
    touches = first < start <= last + 1
    return touches and paras[first].page == paras[start].page and paras[first].align == paras[start].align


def _is_listed(title: str, listed: Sequence[str]) -> bool:
    return any(title_agreement(entry, title) >= RESEMBLES for entry in listed)


def _opens_document(paras: Sequence[Paragraph], at: int, title: str, above: int | None) -> bool:
    """A title printed without a 文号 opens a document by itself when it names its issuers and its
    type (国务院关于…的批复), is no attachment's (after an 附件 label), and the document above it
    has closed (its date printed before this title): an attachment's title names no issuer."""
    if not title_issuers(title) or doc_type_from_title(title) is None:
        return False
    if _after_attachment_label(paras, at):
        return False
    if above is None:
        return True
    closing = find_closing(paras[:at], above)
    return closing is not None and not _carried(paras, above, title)


def _carried(paras: Sequence[Paragraph], above: int, title: str) -> bool:
    """Whether the document above forwards or issues the one titled ``title`` (国务院办公厅转发国家教委
    关于…请示的通知 prints 国家教委关于…的请示 after its date): then it is that document's attachment."""
    preface = find_preface(paras, above)
    carrier = "".join(paras[i].text for i in preface.title)
    carried = carried_title(carrier)
    return carried is not None and names_carried(carried, title)


def _after_attachment_label(paras: Sequence[Paragraph], at: int) -> bool:
    label = paras[at - 1].text if at > 0 else ""
    return is_attachment_note(label) and len(label) <= _ATTACHMENT_LABEL_CHARS


def _second_document_check(piece: DocumentSlice, size: float) -> DocumentSlice:
    """The slice, flagged when a title after its date has a signature and date of its own below it:
    a document the pages did not show clearly enough to split off (its title names no issuer,
    the contents do not list it) is kept where it is, for a person to see, never merged unseen."""
    paras = piece.paragraphs
    closing = find_closing(paras, find_preface(paras, 0, size).end)
    if closing is None:
        return piece
    for i, block in _title_blocks(paras, closing.date + 1, size):
        if _after_attachment_label(paras, i):
            continue
        later = find_closing(paras, block[-1] + 1)
        if later is not None and later.signature:
            title = "".join(paras[k].text for k in block)
            problem = (
                f"{title}: a title on page {paras[i].page} after the date, with a signature and date of its own"
                " below it; the pages do not show whether it is an attachment or a document of its own"
            )
            return replace(piece, problems=(*piece.problems, problem))
    return piece


def _check_against_contents(
    slices: list[DocumentSlice], contents: Sequence[ContentsEntry], labels: dict[int, int]
) -> tuple[tuple[DocumentSlice, ...], tuple[str, ...]]:
    """Pair each document with its contents entry (by 文号, else title) and note, with both
    readings, where the pages and the contents disagree."""
    if not contents:
        return tuple(slices), tuple(p for piece in slices for p in piece.problems)
    unused = list(contents)
    out = []
    for piece in slices:
        preface = find_preface(piece.paragraphs, 0)
        title = "".join(piece.paragraphs[i].text for i in preface.title)
        entry = _entry_for(preface.doc_number, title, unused)
        start = _start_page(piece)
        printed = labels.get(start) if start is not None else None
        problems: list[str] = []
        if entry is None:
            where = f" on page {printed}" if printed is not None else ""
            problems.append(f"{title or '(untitled)'}: not in the issue's contents; the pages show it starting{where}")
        else:
            unused.remove(entry)
            if printed is not None and printed != entry.page:
                problems.append(f"{entry.title}: contents say page {entry.page}, found on page {printed}")
        out.append(DocumentSlice(piece.paragraphs, entry, tuple(problems)))
    for entry in unused:
        # The missing document is most likely inside the one printed on its page: flag that one.
        missing = _unfound(entry)
        at = _holder(out, entry.page, labels)
        if at is not None:
            out[at] = replace(out[at], problems=(*out[at].problems, f"{_MAY_HOLD}{missing}"))
    noted = tuple(p for piece in out for p in piece.problems if not p.startswith(_MAY_HOLD))
    noted += tuple(_unfound(e) for e in unused)
    if len(slices) != len(contents):
        noted += (f"the contents list {len(contents)} documents, the split found {len(slices)}",)
    return tuple(out), noted


# A document's split problem opens with the title it is about (`TITLE: …`, or `may hold
# TITLE（文号）: …` for one the contents list that seems to be inside it); a title the
# contents list may be abbreviated (……), so only what comes before an ellipsis names it.
_MAY_HOLD = "may hold "
_NAMED_TITLE = re.compile(rf"^(?:{_MAY_HOLD})?(?P<title>[^:：（…⋯]+)")


def title_named_by(problem: str) -> str | None:
    """The title (or its unabbreviated start) a split problem of a document is about."""
    named = _NAMED_TITLE.match(problem)
    return named["title"] if named else None


def _entry_for(number: DocNumber | None, title: str, entries: Sequence[ContentsEntry]) -> ContentsEntry | None:
    """The entry that lists a document: the one with its 文号, else the first whose title agrees best."""
    if number is not None and (same := next((e for e in entries if e.doc_number == number.canonical), None)):
        return same
    scored = [(title_agreement(e.title, title), -k) for k, e in enumerate(entries) if title and e.title]
    best = max(scored, default=None)
    return entries[-best[1]] if best is not None and best[0] >= RESEMBLES else None


def _unfound(entry: ContentsEntry) -> str:
    number = f"（{entry.doc_number}）" if entry.doc_number else ""
    return f"{entry.title}{number}: listed in the contents (page {entry.page}) but not found as a document on the pages"


def _holder(slices: Sequence[DocumentSlice], page: int, labels: dict[int, int]) -> int | None:
    """The index of the last document that starts on or before printed page ``page``."""
    holder = None
    for k, piece in enumerate(slices):
        printed = labels.get(piece.paragraphs[0].page)
        if printed is not None and printed <= page:
            holder = k
    return holder
