"""One document's paragraphs → a `Document` whose every field carries a confidence from evidence.

Each field is read from where official documents print it (preface, closing, disclosure
header, issue contents) and scored by how it was found and whether independent sources
agree. A field under the review threshold goes to ``needs_review`` with the reason. A
field every document carries (文号, title, issuer, type, 成文日期) that is not found is None
with a flag, never a guess; optional ones (recipients, 索引号…) are simply None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from gazette.dates import ParsedDate, date_in_year_lacking_zeros, parse_date
from gazette.docnumber import DocNumber, issuer_for_code, jurisdiction_for_code, parse_doc_number
from gazette.doctypes import doc_type_from_title
from gazette.issuers import is_organisation, split_issuers, title_issuers
from gazette.model import Block, Box, Document, GazetteRef, Provenance, ReviewFlag, Source, make_document_id
from gazette.structure import (
    PARAGRAPH_END,
    block_from_line,
    heading_level,
    is_attachment_label,
    is_attachment_note,
    is_bracketed_note,
    table_block,
)
from ingest.contents import title_agreement
from ingest.forwarding import carried_start
from ingest.layout import Paragraph
from ingest.preface import TITLE_SIZE_RATIO, is_title_like, read_parts
from ingest.webpage import Disclosure

DEFAULT_REVIEW_THRESHOLD = 0.8
_INDEX_NUMBER = re.compile(r"^[0-9A-Z]{9}/\d{4}-\d{5}$")
_SUBJECT_SEPARATORS = re.compile(r"[\s、，,]+")
# Without geometry (web text) an attachment's title is a short line that ends no sentence.
_MAX_ATTACHMENT_TITLE_CHARS = 60


@dataclass(frozen=True)
class Evidence:
    """What is known about a document besides its own paragraphs."""

    source: Source
    disclosure: Disclosure | None = None
    gazette: GazetteRef | None = None
    issue_date: str | None = None
    contents_title: str | None = None
    contents_number: str | None = None  # the 文号 the issue's contents list for this document (canonical)
    provenance: Provenance | None = None
    threshold: float = DEFAULT_REVIEW_THRESHOLD
    split_problems: tuple[str, ...] = ()  # where the issue's split disagrees with its contents about this document


T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Field(Generic[T_co]):
    """A value with its confidence and, below the threshold, why."""

    value: T_co
    confidence: float
    reason: str = ""


def build_document(paras: Sequence[Paragraph], evidence: Evidence) -> Document:
    """The `Document` printed in ``paras`` (one document's paragraphs, in reading order)."""
    parts = read_parts(paras, carried_start(paras))
    size, preface, closing = parts.size, parts.preface, parts.closing
    title_text = "".join(paras[i].text for i in preface.title)
    recipients_at = () if parts.recipients is None else (parts.recipients,)
    recipients = paras[parts.recipients].text.rstrip("：:") if parts.recipients is not None else None
    # Names side by side are cells of one row: each is a signature of its own.
    signed = (cell.strip() for i in (closing.signature if closing else ()) for cell in paras[i].text.split("\t"))
    signature = tuple(cell for cell in signed if cell)
    after = [paras[i] for i in parts.after]
    body = blocks([paras[i] for i in parts.body]) + blocks(after, after_closing=True, size=size)

    disclosure = evidence.disclosure or Disclosure()
    number = _doc_number(preface.doc_number, bool(preface.title), disclosure, evidence.contents_number)
    title = _title(title_text, disclosure, evidence.contents_title)
    header = [paras[i].text for i in preface.header]
    issuer = _issuer(disclosure, signature, title.value, number.value, header)
    date_written = _date_written(
        paras[closing.date].text if closing else None,
        bool(signature),
        disclosure,
        number.value.year if number.value else None,
    )
    doc_type = _doc_type(title)
    published = _date_published(disclosure, evidence.issue_date)
    fields: dict[str, Field[object]] = {
        "doc_number": number,
        "title": title,
        "issuer": issuer,
        "doc_type": doc_type,
        "date_written": date_written,
        "date_published": published,
        "recipients": Field(recipients, 0.9) if recipients else Field(None, 1.0),
        "index_number": _index_number(disclosure.index_number),
        "category": Field(disclosure.category, 0.95) if disclosure.category else Field(None, 1.0),
    }
    canonical = number.value.canonical if number.value else None
    written = date_written.value.iso if date_written.value else None
    return Document(
        id=make_document_id(canonical, written, title.value or ""),
        title=title.value or "",
        doc_number=canonical,
        doc_number_printed=number.value.printed if number.value else None,
        issuer=issuer.value,
        doc_type=doc_type.value,
        date_written=written,
        date_written_printed=date_written.value.printed if date_written.value else None,
        date_published=published.value,
        index_number=disclosure.index_number,
        category=disclosure.category,
        subject_words=tuple(w for w in _SUBJECT_SEPARATORS.split(disclosure.subject_words or "") if w),
        recipients=recipients,
        disclosure=disclosure.disclosure,
        jurisdiction=(number.value and jurisdiction_for_code(number.value.code)) or "cn",
        gazette=evidence.gazette,
        pages=tuple(sorted({p.page for p in paras})),
        source=evidence.source,
        body=body,
        signature=signature,
        confidence={name: round(f.confidence, 3) for name, f in fields.items() if f.value},
        needs_review=tuple(
            ReviewFlag(name, f.reason or f"confidence {f.confidence:.2f}")
            for name, f in fields.items()
            if f.confidence < evidence.threshold
        )
        + tuple(ReviewFlag("body", problem) for problem in evidence.split_problems),
        provenance=evidence.provenance,
        field_origins=_field_origins(
            paras,
            {
                "doc_number": (preface.number,) if preface.number is not None and number.value else (),
                "title": preface.title if title_text else (),
                "issuer": (closing.signature if closing and closing.signature else preface.header)
                if issuer.value
                else (),
                "recipients": recipients_at,
                # A date not read is shown with the signature above it, which a seal often covers too.
                "date_written": (
                    ((closing.date,) if date_written.value else (*closing.signature, closing.date))
                    if closing
                    else _end_of(paras)
                ),
            },
        ),
    )


_END_LINES = 3


def _end_of(paras: Sequence[Paragraph]) -> tuple[int, ...]:
    """The last lines of the document's last page: where its signature, seal and date stand
    when no date line was read there (the reviewer's crop shows them)."""
    if not paras:
        return ()
    last = paras[-1].page
    return tuple(i for i in range(max(0, len(paras) - _END_LINES), len(paras)) if paras[i].page == last)


def _field_origins(paras: Sequence[Paragraph], where: dict[str, tuple[int, ...]]) -> dict[str, tuple[Box, ...]]:
    """The boxes of the lines each field was read from (review crops show them); none without geometry."""
    origins = {name: tuple(box for i in indices for box in paras[i].boxes) for name, indices in where.items()}
    return {name: boxes for name, boxes in origins.items() if boxes}


def blocks(paras: Sequence[Paragraph], after_closing: bool = False, size: float = 0.0) -> tuple[Block, ...]:
    """Body blocks with their boxes: tab-separated rows form tables. After the date, short
    bracketed lines are notes (（此件公开发布）) and attachments' titles are attachment blocks."""
    out: list[Block] = []
    rows: list[Paragraph] = []
    title: Paragraph | None = None  # the first line of the attachment title just read
    for para in [*paras, None]:
        if para is not None and "\t" in para.text:
            rows.append(para)
            continue
        if rows:
            out.append(table_block((r.text.split("\t") for r in rows), tuple(b for r in rows for b in r.boxes)))
            rows, title = [], None
        if para is None:
            break
        if after_closing and is_bracketed_note(para.text):
            out.append(Block("note", para.text, origin=para.boxes))
        elif after_closing and title is not None and _continues_title(title, para, size):
            out[-1] = replace(out[-1], text=out[-1].text + para.text, origin=out[-1].origin + para.boxes)
            continue  # a long attachment title wraps over several centred lines
        elif after_closing and (_opens_attachment(out) or _set_larger(para, size)) and _is_attachment_title(para, size):
            out.append(Block("attachment", para.text, origin=para.boxes))
            title = para
            continue
        else:
            out.append(block_from_line(para.text, para.boxes))
        title = None
    return tuple(out)


def _opens_attachment(before: Sequence[Block]) -> bool:
    """Whether the next block may be an attachment's title: first after the date and its notes, or after a lone 附件 label."""
    last = next((block for block in reversed(before) if block.kind != "note"), None)
    return last is None or (last.kind == "attachment" and is_attachment_label(last.text))


def _set_larger(para: Paragraph, size: float) -> bool:
    """Set larger than the body: a title wherever it stands after the date (a notice that
    prints two documents opens the second on its own page under its title)."""
    return bool(para.size and size) and para.size > size * TITLE_SIZE_RATIO


def _is_attachment_title(para: Paragraph, size: float) -> bool:
    if is_attachment_note(para.text) or heading_level(para.text) or "\t" in para.text:
        return False
    if para.size and size:
        return is_title_like(para, size) or para.align == "center"
    return len(para.text) <= _MAX_ATTACHMENT_TITLE_CHARS and not para.text.endswith(tuple(PARAGRAPH_END))


def _continues_title(first: Paragraph, para: Paragraph, size: float) -> bool:
    """A line in the title's own size and colour that could be a title (a full line is not centred)."""
    same = bool(first.size) and abs(para.size - first.size) <= 0.05 * first.size and para.color == first.color
    return same and is_title_like(para, size)


def _doc_number(
    number: DocNumber | None, beside_title: bool, disclosure: Disclosure, contents: str | None = None
) -> Field[DocNumber | None]:
    listed = parse_doc_number(disclosure.doc_number) if disclosure.doc_number else None
    if number is not None and contents is not None and contents != number.canonical:
        return Field(
            number,
            0.5,
            f"文号 differs from the contents: the page prints {number.printed}, the contents list {contents}",
        )
    if number is None:
        if listed is not None:
            return Field(listed, 0.85, "文号 only in the page's disclosure header")
        listed_only = f"; the contents list {contents}" if contents else ""
        return Field(None, 0.0, f"no 文号 printed on its own line near the title{listed_only}")
    if listed is not None:
        if listed.canonical == number.canonical:
            return Field(number, 0.99)
        return Field(number, 0.5, f"文号 printed {number.printed!r} but header says {listed.printed!r}")
    if not beside_title:
        return Field(number, 0.7, "文号 found but no title beside it")
    return Field(number, 0.99 if contents else 0.95)  # the contents list the same 文号: confirmed


def _title(text: str, disclosure: Disclosure, contents: str | None) -> Field[str | None]:
    if not text:
        if disclosure.title:
            return Field(disclosure.title, 0.85, "title only in the page's disclosure header")
        return Field(None, 0.0, "no title found (no large or centred line beside the 文号)")
    others = [t for t in (disclosure.title, contents) if t]
    if disclosure.title and _squash(disclosure.title) != _squash(text):
        return Field(text, 0.5, "title differs from the header")
    # The contents may abbreviate (……) or cut a title: that agrees; any other difference is for a person.
    if contents and title_agreement(contents, text) < 1.0:
        return Field(
            text, 0.5, f"title differs from the contents: the page prints {text}, the contents list {contents}"
        )
    if doc_type_from_title(text) is None:
        return Field(text, 0.7, "title does not end with a document type")
    return Field(text, 0.99 if others else 0.95)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _doc_type(title: Field[str | None]) -> Field[str | None]:
    doc_type = doc_type_from_title(title.value) if title.value else None
    if doc_type is None:
        return Field(None, 0.0, "no document type at the end of the title")
    return Field(doc_type, min(title.confidence, 0.95), title.reason)


def _issuer(
    disclosure: Disclosure, signature: Sequence[str], title: str | None, number: DocNumber | None, header: list[str]
) -> Field[tuple[str, ...]]:
    """Issuers from every place that names them; the most explicit source wins, agreement raises confidence."""
    sources: list[tuple[str, list[str]]] = []
    if disclosure.issuer:
        sources.append(("header", list(split_issuers(disclosure.issuer))))
    # Joint issuers sign side by side or one above the other: every name counts, the lead first.
    signed = [name for line in signature for name in split_issuers(line)]
    if signed and all(is_organisation(name) for name in signed):
        sources.append(("signature", signed))
    if named := title_issuers(title or ""):
        sources.append(("title", list(named)))
    if number is not None and (row := issuer_for_code(number.code)):
        sources.append(("文号", [row.issuer]))
    elif number is not None and number.kind != "standard":
        sources.append(("文号", [number.code.removesuffix("令").removesuffix("公告")]))  # the body the decree names
    marks = (split_issuers(line.strip().removesuffix("文件")) for line in header)
    red = [name.removesuffix("文件") for names in marks for name in names if name != "文件"]
    if red:
        sources.append(("red header", [name for name in red if name]))
    if not sources:
        return Field((), 0.0, "no issuer in header, signature, title or 文号")
    agreeing = [
        sum(1 for j, (_, names) in enumerate(sources) if j != i and any(_same_body(a, b) for a in mine for b in names))
        for i, (_, mine) in enumerate(sources)
    ]
    # The most explicit source, unless the others agree on another reading (a signature
    # misread where a seal covered it: 周务院办公厅 against title, 文号 and header).
    best = max(range(len(sources)), key=lambda i: (agreeing[i], -i))
    chosen = sources[best][1]
    if best:
        reason = f"the {sources[0][0]} reads {'、'.join(sources[0][1])}; {agreeing[best]} other sources agree"
        return Field(tuple(chosen), 0.7, reason)  # a disagreement: a person checks it
    # Joint issuers: where only the lead signs, the title (or header) that names every one gives the list.
    fuller = [names for _, names in sources[1:] if len(names) > len(chosen) and _names_all(names, chosen)]
    chosen = fuller[0] if fuller else chosen
    confidence = min(0.99, 0.75 + 0.12 * agreeing[0])
    reason = "" if agreeing[0] else f"issuer only from the {sources[0][0]}"
    return Field(tuple(chosen), confidence, reason)


def _names_all(names: Sequence[str], chosen: Sequence[str]) -> bool:
    """Whether ``names`` begins with the bodies of ``chosen``, in their order (the lead issuer first),
    or spells them out (a signature whose names ran together, bodies the tables do not know)."""
    spelled = "".join(names) == "".join(chosen)
    return spelled or all(_same_body(a, b) for a, b in zip(names, chosen, strict=False))


def _same_body(a: str, b: str) -> bool:
    """Names of one body: equal, or one the short form of the other (发展改革委办公厅 / 国家发展改革委办公厅)."""
    return a == b or a.endswith(b) or b.endswith(a)


def _date_written(
    printed: str | None, signed: bool, disclosure: Disclosure, number_year: int | None
) -> Field[ParsedDate | None]:
    """The 成文日期 as printed, checked against the calendar, the disclosure header and the
    文号's year. A date line that spells no date (a digit lost under a seal) is never
    completed by a guess: only a year that is the 文号's with 〇s lost (二〇四年 under
    〔2004〕: the only year near the 文号's that prints so) is read as the 文号's, and goes to review naming both
    readings; any other goes to review without a value."""
    listed = parse_date(disclosure.date_written) if disclosure.date_written else None
    date = parse_date(printed) if printed else None
    if date is None:
        if listed is not None:
            return Field(listed, 0.85, "成文日期 only in the page's disclosure header")
        if printed and number_year is not None and (lost := date_in_year_lacking_zeros(printed, number_year)):
            return Field(
                lost,
                0.4,
                f"成文日期 printed {printed!r} lacks a 〇 of the 文号's year {number_year}: read as {lost.iso}",
            )
        if printed:
            return Field(None, 0.0, f"成文日期 printed {printed!r} is not a date on the calendar")
        return Field(None, 0.0, "no date line closing the document")
    if listed is not None and listed.iso != date.iso:
        return Field(date, 0.5, f"成文日期 printed {date.iso} but header says {listed.iso}")
    if listed is not None:
        return Field(date, 0.99)
    year = int(date.iso[:4])
    # A document is numbered in the year it is issued: the year it was written, or the next.
    if number_year is not None and year != number_year:
        late = year == number_year - 1
        confidence = 0.7 if late else 0.3
        return Field(date, confidence, f"成文日期 {date.iso} is not in the 文号's year {number_year}")
    return Field(date, 0.95 if signed else 0.8, "" if signed else "date line without a signature above it")


def _date_published(disclosure: Disclosure, issue_date: str | None) -> Field[str | None]:
    if disclosure.date_published:
        date = parse_date(disclosure.date_published)
        return Field(date.iso, 0.95) if date else Field(None, 0.3, f"发布日期 {disclosure.date_published!r} unreadable")
    if issue_date:
        return Field(issue_date, 0.9)  # printed in a gazette issue: published on the issue's date
    return Field(None, 1.0)


def _index_number(value: str | None) -> Field[str | None]:
    if not value:
        return Field(None, 1.0)
    if _INDEX_NUMBER.match(value):
        return Field(value, 0.95)
    return Field(value, 0.6, f"索引号 {value!r} does not have the form XXXXXXXXX/YYYY-NNNNN")
