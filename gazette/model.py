"""The data model: one `Document` type travels from ingest through the archive to publish.

Every class is a frozen dataclass; derive changed copies with `dataclasses.replace`.
Dates are ISO strings (``YYYY-MM-DD``) with the printed form kept beside them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from gazette.docnumber import parse_doc_number

#: Field names that carry a confidence and can be flagged for review.
REVIEWABLE_FIELDS = (
    "doc_number",
    "title",
    "issuer",
    "doc_type",
    "date_written",
    "date_published",
    "recipients",
    "index_number",
    "category",
    "body",
)

#: 公开属性 values; 不予公开 must never reach a public index, page, feed or export.
DISCLOSURE_VALUES = ("主动公开", "依申请公开", "不予公开")
NOT_PUBLIC = "不予公开"

#: 法律效力 (legal status) values: in force, amended, repealed (`Document.status`, set with `gazette edit`).
STATUS_VALUES = ("有效", "已修改", "已废止")

BlockKind = Literal["paragraph", "heading", "list_item", "table", "attachment", "note"]


@dataclass(frozen=True)
class Box:
    """Where something sits on a source page: 1-based page number and a box in that page's units."""

    page: int
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0


@dataclass(frozen=True)
class Block:
    """One piece of a document body.

    ``kind`` is paragraph, heading (with ``level`` 1–4: 一、 （一） 1. （1）), list_item,
    table (``rows`` of cells; ``text`` is the rows joined by tabs and newlines),
    attachment (an 附件 note or an attachment's own title) or note.
    """

    kind: BlockKind
    text: str
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    origin: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Source:
    """The original file a document came from, stored untouched in the archive.

    A source of one file per page (a folder of page images) names its files in ``parts``,
    in page order, each stored untouched; its ``sha256`` is then the group's identity
    (`ingest.grouping.group_identity`), not a file's, and ``pages`` counts them all.
    """

    file: str = ""
    sha256: str = ""
    pages: int = 0
    parts: tuple[Source, ...] = ()

    def part_of_page(self, page: int) -> tuple[Source, int]:
        """The file holding page ``page`` of the source and its page number there (the source
        itself for a single file)."""
        first = 1
        for part in self.parts:
            if page < first + part.pages:
                return part, page - first + 1
            first += part.pages
        return self, page


@dataclass(frozen=True)
class GazetteRef:
    """The gazette issue a document was printed in: 《name》 year 第issue期 (总第total期)."""

    name: str = ""
    year: int | None = None
    issue: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class Provenance:
    """How a document was made: engine, clean-up steps, when, from which input.

    ``input_path`` is the input file's path as it was given (folder and name, shown
    by `gazette.chars.shown_path`); it is archive-internal and never shown in public
    outputs, which name the source by file name and SHA-256. ``dropped_characters``
    counts the characters of its text that XML cannot hold (NUL, controls) and were dropped.
    """

    engine: str = ""
    engine_version: str = ""
    steps: tuple[str, ...] = ()
    created: str = ""
    input_path: str = ""
    dropped_characters: int = 0


@dataclass(frozen=True)
class ReviewFlag:
    """A field a person should check, and why."""

    field: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One recorded change of a stored document, made through the library (`gazette.edits`).

    ``version`` is the version of the document's XML the change made (version 1 is the
    document as ingest read it; every command that changes it writes the next one).
    ``action`` is edit, accept, fix, revert, merge, withdraw or restore; ``field`` the
    field changed ("" for a whole-document action); ``old`` and ``new`` the values as
    `gazette edit --set` takes them; ``by`` the person, ``when`` an ISO UTC timestamp.
    """

    version: int
    action: str
    field: str = ""
    old: str | None = None
    new: str | None = None
    by: str = ""
    when: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Document:
    """One official document (公文) with its metadata, body and provenance.

    ``doc_number`` is the canonical 文号 (``粤办函〔2016〕629号``) and ``doc_number_printed``
    the form found in the source. ``issuer`` lists every issuing body (joint documents
    have several). ``confidence`` maps field names to 0–1.

    ``field_origins`` maps a preface or closing field (doc_number, title, issuer,
    date_written, recipients) to the boxes of the lines it was read from. ``status`` is the
    legal status (`STATUS_VALUES`) and ``status_by`` the document that changed it.
    ``withdrawn`` is the reason a person withdrew the document (None while it is not):
    its files stay, as a tombstone, but it reaches no index, page, feed or export.
    ``reading_of`` names the document this one is another reading of (the same 文号 and
    text read from another original); that document lists it in ``readings``.
    ``changes`` is the document's recorded history, oldest first.
    """

    id: str
    title: str
    doc_number: str | None = None
    doc_number_printed: str | None = None
    issuer: tuple[str, ...] = ()
    doc_type: str | None = None
    date_written: str | None = None
    date_written_printed: str | None = None
    date_published: str | None = None
    index_number: str | None = None
    category: str | None = None
    subject_words: tuple[str, ...] = ()
    recipients: str | None = None
    disclosure: str | None = None
    jurisdiction: str = "cn"
    language: str = "zho"
    gazette: GazetteRef | None = None
    pages: tuple[int, ...] = ()
    source: Source | None = None
    body: tuple[Block, ...] = ()
    signature: tuple[str, ...] = ()
    confidence: dict[str, float] = field(default_factory=dict)
    needs_review: tuple[ReviewFlag, ...] = ()
    provenance: Provenance | None = None
    field_origins: dict[str, tuple[Box, ...]] = field(default_factory=dict)
    status: str | None = None
    status_by: str | None = None
    withdrawn: str | None = None
    reading_of: str | None = None
    readings: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()
    interprets: tuple[str, ...] = ()  # ids of the documents this one is the 政策解读 of
    signer: str | None = None  # 签发人 of an 上行文, printed in the 版头 beside the 文号
    issuer_mark: str | None = None  # the 发文机关标志 as printed, when not the issuer's name + 文件

    @property
    def is_public(self) -> bool:
        """Whether the document may reach a public index, page, feed, export or API: not
        不予公开, not withdrawn, and not a second reading of another document (that one is shown)."""
        return self.disclosure != NOT_PUBLIC and self.withdrawn is None and self.reading_of is None

    @property
    def version(self) -> int:
        """The version of the document's XML: 1 as read, one more for each recorded change."""
        return max((change.version for change in self.changes), default=1)

    @property
    def year(self) -> int | None:
        """The year the document is filtered, counted and grouped by: its 成文日期's, else the
        year its 文号 carries (`year_derived`), else None. Never written as 成文日期."""
        if self.date_written:
            return int(self.date_written[:4])
        return self._doc_number_year

    @property
    def year_derived(self) -> bool:
        """Whether `year` comes from the 文号 because the 成文日期 is unknown."""
        return not self.date_written and self._doc_number_year is not None

    @property
    def _doc_number_year(self) -> int | None:
        parsed = parse_doc_number(self.doc_number) if self.doc_number else None
        return parsed.year if parsed else None

    @property
    def text(self) -> str:
        """The body as plain text, one block per line."""
        return "\n".join(block.text for block in self.body)


@dataclass(frozen=True)
class IssueEntry:
    """One line of an issue's contents: which document, and on which page it starts."""

    document_id: str
    title: str
    doc_number: str | None = None
    page: int | None = None
    section: str | None = None


@dataclass(frozen=True)
class Issue:
    """One gazette issue (一期公报): cover data and its contents in order. ``date`` is "" when
    nothing says it (scanned pages without a cover or given date)."""

    id: str
    name: str
    year: int
    number: int
    date: str
    total_number: int | None = None
    jurisdiction: str = "cn"
    publisher: str = ""
    entries: tuple[IssueEntry, ...] = ()
    source: Source | None = None


def make_document_id(doc_number: str | None, date: str | None, title: str) -> str:
    """A stable, readable id: the canonical 文号 when there is one, else date plus a title hash."""
    if doc_number:
        return doc_number
    digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:10]
    return f"{date or 'undated'}-{digest}"


def keep_apart(doc: Document, stored: Document | None) -> Document:
    """``doc``, or a copy under its own id when a document from another original or other
    pages is already stored under its id (two issues reprint one 文号, or a misread 文号
    matches another's): neither replaces the other, and the new one goes to review."""
    if stored is None or doc.source is None:
        return doc
    if stored.source is not None and (stored.source.sha256, stored.pages) == (doc.source.sha256, doc.pages):
        return doc  # the same document read again: it replaces its earlier reading
    place = hashlib.sha256(f"{doc.source.sha256}:{','.join(map(str, doc.pages))}".encode()).hexdigest()[:8]
    origin = f" (from {stored.source.file})" if stored.source else ""
    flag = ReviewFlag("doc_number", f"文号 also on stored document {stored.id}{origin}")
    return replace(doc, id=f"{doc.id}~{place}", needs_review=(*doc.needs_review, flag))


def source_to_json(source: Source) -> dict[str, Any]:
    """``file``, ``sha256``, ``pages``, and ``parts`` (the page files of a grouped source, else empty)."""
    parts = [source_to_json(part) for part in source.parts]
    return {"file": source.file, "sha256": source.sha256, "pages": source.pages, "parts": parts}


def document_to_json(doc: Document) -> dict[str, Any]:
    """The document as the command line's ``--json`` object (keys fixed by DESIGN.md)."""
    gazette = doc.gazette
    source = doc.source
    return {
        "id": doc.id,
        "doc_number": doc.doc_number,
        "doc_number_printed": doc.doc_number_printed,
        "title": doc.title,
        "issuer": list(doc.issuer),
        "doc_type": doc.doc_type,
        "date_written": doc.date_written,
        "date_published": doc.date_published,
        "index_number": doc.index_number,
        "category": doc.category,
        "subject_words": list(doc.subject_words),
        "recipients": doc.recipients,
        "disclosure": doc.disclosure,
        "gazette": None
        if gazette is None
        else {"name": gazette.name, "year": gazette.year, "issue": gazette.issue, "total": gazette.total},
        "pages": list(doc.pages),
        "source": None if source is None else source_to_json(source),
        "confidence": dict(doc.confidence),
        "needs_review": [flag.field for flag in doc.needs_review],
        # Added by the archivist's review (docs/archivists.md); the keys above are DESIGN.md's contract.
        "status": doc.status,
        "status_by": doc.status_by,
        "withdrawn": doc.withdrawn,
        "reading_of": doc.reading_of,
        "readings": list(doc.readings),
        "version": doc.version,
        # The year filters and facets use: the 成文日期's, else the 文号's (then year_derived is true).
        "year": doc.year,
        "year_derived": doc.year_derived,
    }
