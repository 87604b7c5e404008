"""Correcting where an issue's split put a document's start: `join` two stored documents, `split` one.

The splitter (`ingest.split`) trusts the pages and sends every disagreement with the
issue's contents to review as a ``body`` flag. A person who sees that two stored documents
are one (a start found where none is) joins them; one who sees that a document holds two
(a start missed) splits it.

- `join`: the second document's printed text (its 版头 mark, 文号, title, 主送, body blocks,
  signature and date, as blocks with their boxes) follows the first's body, whose pages
  become those of both; the second is withdrawn (`gazette.edits.withdrawal`) with a reason
  naming the first, so it stays in the archive and `gazette restore` brings it back.
- `split`: the blocks from number N on (as `gazette show ID --numbered` numbers them) are
  read as a document of their own by ingest's metadata step (`ingest.reread`), under the id
  ingest's rule gives it (`make_document_id`; `keep_apart` when that id is taken), its
  doubtful fields in the review queue; it keeps the 公开属性 of the document it was part of.
  The first gets a new version without those blocks, and every issue listing it lists the
  new one after it. `gazette revert` of the first and `gazette withdraw` of the new one undo it.

Both run under the archive's lock through `gazette.edits.record`: every version kept, each
change recorded (who, when, why, what), the search indexes brought up to date once at the
end. The ``body`` flags of the documents touched are settled (a person decided where the
document starts); a closing field of the first read below where a split-off document
starts goes to review. A join or split stopped after its first write leaves both texts
stored, and running the same command again finishes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from gazette.archive import Archive
from gazette.edits import Build, checked, finish, now, record, withdrawal
from gazette.exceptions import BadInputError
from gazette.model import Block, BlockKind, Change, Document, Issue, IssueEntry, ReviewFlag, keep_apart
from gazette.textview import printed_closing, printed_head

_SPACES = re.compile(r"\s+")
#: Closing fields that may have been read from the part a split takes away.
_CLOSING_FIELDS = ("issuer", "date_written")


# -- join -------------------------------------------------------------------------------------


def join(archive: Archive, first: str, second: str, *, by: str, reason: str = "") -> tuple[Document, Document]:
    """Append ``second``'s text to ``first`` (a new version) and withdraw ``second``, naming
    ``first``; returns both as stored."""
    with archive.locked():
        a, b = archive.get_document(first), archive.get_document(second)
        _check_joinable(a, b)
        printed = printed_blocks(b, after_closing=bool(a.date_written_printed or a.date_written or a.signature))
        # Already ending with that text: a join stopped after its first write, which this one finishes.
        done = [block.text for block in a.body[len(a.body) - len(printed) :]] == [block.text for block in printed]
        head = a if done and printed else record(archive, a.id, _appended(b, printed, by, reason), refresh=False)
        why = f"joined into {head.id} (version {head.version})" + (f": {reason}" if reason else "")
        gone = record(archive, b.id, _settled(withdrawal(why, by)), refresh=False)
    finish(archive)
    return head, gone


def _check_joinable(a: Document, b: Document) -> None:
    if a.id == b.id:
        raise BadInputError(f"{a.id} is one document: join takes two")
    for doc in (a, b):
        if doc.withdrawn is not None:
            raise BadInputError(f"{doc.id} is withdrawn ({doc.withdrawn}); `gazette restore {doc.id}` first")
        if doc.reading_of is not None:
            raise BadInputError(f"{doc.id} is a reading of {doc.reading_of}: join documents, not their readings")
    if b.readings:
        raise BadInputError(
            f"{b.id} has readings from other originals ({'、'.join(b.readings)}): "
            "settle them first (`gazette merge`, `gazette withdraw`)"
        )
    if unsourced := next((doc for doc in (a, b) if doc.source is None), None):
        raise BadInputError(f"{unsourced.id} names no source file: only documents read from one source can be joined")
    if a.source and b.source and a.source.sha256 != b.source.sha256:
        raise BadInputError(
            f"{a.id} is from {a.source.file} and {b.id} from {b.source.file}: only documents read from one source"
            " can be joined (`gazette merge` makes two readings of one document)"
        )
    if a.gazette != b.gazette:
        raise BadInputError(f"{a.id} is in {_issue(a)} and {b.id} in {_issue(b)}: they are not one document")
    if a.pages and b.pages and b.pages[0] < a.pages[0]:
        raise BadInputError(
            f"{b.id} starts on page {b.pages[0]}, before {a.id} (page {a.pages[0]}): "
            f"name them in the order they are printed (`gazette join {b.id} {a.id}`)"
        )


def printed_blocks(doc: Document, *, after_closing: bool) -> tuple[Block, ...]:
    """The document as printed, as body blocks: 版头 mark, 文号, title (an attachment's title
    when it follows a closed document), 主送, body, signature and date, with their boxes."""

    def line(field: str, text: str) -> Block:
        kind: BlockKind = "attachment" if field == "title" and after_closing else "paragraph"
        return Block(kind, text, origin=doc.field_origins.get(field, ()))

    head = [line(field, text) for field, text in printed_head(doc) if text]
    closing = [line(field, text) for field, text in printed_closing(doc)]
    return (*([line("", doc.issuer_mark)] if doc.issuer_mark else []), *head, *doc.body, *closing)


def _appended(b: Document, printed: Sequence[Block], by: str, reason: str) -> Build:
    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        provenance = doc.provenance
        if provenance is not None and b.provenance is not None:
            dropped = provenance.dropped_characters + b.provenance.dropped_characters
            provenance = replace(provenance, dropped_characters=dropped)
        joined = replace(
            doc, body=(*doc.body, *printed), pages=tuple(sorted({*doc.pages, *b.pages})), provenance=provenance
        )
        joined = checked(joined, ["body"])
        why = f"{b.id} joined into it" + (f": {reason}" if reason else "")
        return joined, [
            Change(version, "join", "", None, b.id, by, when, why),
            Change(version, "join", "body", _extent(doc), _extent(joined), by, when, reason),
        ]

    return build


def _settled(build: Build) -> Build:
    """``build``, with the document's ``body`` flags settled: a person decided where it starts."""

    def settled(doc: Document, version: int, when: str) -> tuple[Document, Sequence[Change]]:
        new, changes = build(doc, version, when)
        return checked(new, ["body"]), changes

    return settled


# -- split ------------------------------------------------------------------------------------


def block_number(doc: Document, at: str) -> int:
    """The 1-based number of the block ``at`` names, where a second document starts: a number
    (as `gazette show ID --numbered` prints them), or the start of that block's text."""
    if len(doc.body) < 2:
        raise BadInputError(f"{doc.id} has {len(doc.body)} body block(s): nothing to split off")
    wanted = at.strip()
    if wanted.isdigit():
        number = int(wanted)
    elif not wanted:
        raise BadInputError("--at takes the number of a block, or the start of its text; not nothing")
    else:
        start = _SPACES.sub("", wanted)
        found = [k for k, block in enumerate(doc.body, 1) if _SPACES.sub("", block.text).startswith(start)]
        if not found:
            raise BadInputError(
                f"--at {at!r}: no block of {doc.id} starts so; `gazette show {doc.id} --numbered` numbers them"
            )
        if len(found) > 1:
            raise BadInputError(
                f"--at {at!r}: blocks {', '.join(map(str, found))} of {doc.id} start so; give more of the text,"
                " or the number"
            )
        number = found[0]
    if not 2 <= number <= len(doc.body):
        raise BadInputError(
            f"--at {number}: out of range; the second document starts at a block from 2 to {len(doc.body)}"
            f" of {doc.id} (`gazette show {doc.id} --numbered`)"
        )
    return number


def split(archive: Archive, ref: str, at: str, *, by: str, reason: str = "") -> tuple[Document, Document]:
    """Make the blocks of ``ref`` from the one ``at`` names on a document of their own; returns
    the first (a new version) and the new document, as stored."""
    with archive.locked():
        doc = archive.get_document(ref)
        if doc.withdrawn is not None:
            raise BadInputError(f"{doc.id} is withdrawn ({doc.withdrawn}); `gazette restore {doc.id}` first")
        if doc.reading_of is not None:
            raise BadInputError(f"{doc.id} is a reading of {doc.reading_of}: split the document, not a reading")
        number = block_number(doc, at)
        head, tail = doc.body[: number - 1], doc.body[number - 1 :]
        why = f"blocks {number}–{len(doc.body)} of {doc.id} are a document of their own" + (
            f": {reason}" if reason else ""
        )
        new, stored = _split_off(archive, doc, head, tail, by, why)
        issues = _listing(archive, doc.id, new)  # read before anything is written: a damaged issue stops here
        if not stored:
            archive.put_document(new)
        cut = record(archive, doc.id, _cut(new.id, head, tail, by, why, reason), refresh=False)
        for issue in issues:
            archive.put_issue(issue)
    finish(archive)
    return cut, new


def _split_off(
    archive: Archive, doc: Document, head: Sequence[Block], tail: Sequence[Block], by: str, why: str
) -> tuple[Document, bool]:
    """The document ``tail`` prints, under a free id; and whether it is stored already (by a
    split of ``doc`` that stopped after its first write)."""
    from ingest.reread import document_from_blocks

    when = now()
    provenance = (
        replace(doc.provenance, steps=(*doc.provenance.steps, "split"), created=when) if doc.provenance else None
    )
    pages = [box.page for block in head for box in block.origin] or list(doc.pages[:1]) or [1]
    read = replace(document_from_blocks(tail, doc, provenance, pages[-1]), disclosure=doc.disclosure)
    taken = archive.stored_document(read.id)
    for placed in (read, keep_apart(read, taken)):
        stored = archive.stored_document(placed.id)
        if stored is None:
            # Version 1 is the document as read from the blocks, version 2 the person's split that made it.
            return replace(placed, changes=(Change(2, "split", "", doc.id, placed.id, by, when, why),)), False
        if (
            stored.withdrawn is None
            and stored.text == read.text
            and any(change.action == "split" and change.old == doc.id for change in stored.changes)
        ):
            return stored, True
    raise BadInputError(
        f"the new document's id {read.id} is taken, and so is {keep_apart(read, taken).id}"
        " (`gazette show` them): withdraw the one an earlier split made, or join it back"
    )


def _cut(new_id: str, head: Sequence[Block], tail: Sequence[Block], by: str, why: str, reason: str) -> Build:
    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        cut = checked(replace(doc, body=tuple(head), pages=_pages_of(doc, head)), ["body"])
        cut = replace(cut, needs_review=(*cut.needs_review, *_read_below(doc, tail, new_id)))
        return cut, [
            Change(version, "split", "", None, new_id, by, when, why),
            Change(version, "split", "body", _extent(doc), _extent(cut), by, when, reason),
        ]

    return build


def _pages_of(doc: Document, head: Sequence[Block]) -> tuple[int, ...]:
    """The pages the first document keeps: those its blocks and fields were read on, when every
    block knows its page; else all it had (a page shared with the new document stays in both)."""
    if not head or not all(block.origin for block in head):
        return doc.pages
    read_on = {box.page for block in head for box in block.origin}
    read_on |= {box.page for boxes in doc.field_origins.values() for box in boxes}
    return tuple(sorted(read_on))


def _read_below(doc: Document, tail: Sequence[Block], new_id: str) -> list[ReviewFlag]:
    """Review flags for the first document's closing fields read from lines at or below where
    the split-off document starts: they may be that document's."""
    start = next((block.origin[0] for block in tail if block.origin), None)
    if start is None:
        return []
    return [
        ReviewFlag(field, f"read below where {new_id} starts, which was split off: check it is this document's")
        for field in _CLOSING_FIELDS
        if (boxes := doc.field_origins.get(field)) and (boxes[0].page, boxes[0].y0) >= (start.page, start.y0)
    ]


def _listing(archive: Archive, doc_id: str, new: Document) -> list[Issue]:
    """The issues that list ``doc_id``, listing ``new`` after it (those that do not list it yet)."""
    changed = []
    for issue in archive.issues():
        ids = [entry.document_id for entry in issue.entries]
        if doc_id in ids and new.id not in ids:
            entries = list(issue.entries)
            entries.insert(ids.index(doc_id) + 1, IssueEntry(new.id, new.title, new.doc_number))
            changed.append(replace(issue, entries=tuple(entries)))
    return changed


# -- shared -----------------------------------------------------------------------------------


def _extent(doc: Document) -> str:
    pages = f"{doc.pages[0]}–{doc.pages[-1]}" if len(doc.pages) > 1 else "".join(map(str, doc.pages)) or "?"
    return f"{len(doc.body)} blocks, pages {pages}"


def _issue(doc: Document) -> str:
    ref = doc.gazette
    return f"{ref.name} {ref.year}年第{ref.issue}期" if ref else "no issue"
