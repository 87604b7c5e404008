"""The archivist's changes to stored documents: edit, accept, fix, revert, merge, withdraw, restore.

Every change goes through `record`: under the archive's lock the document is read, the
new one is built from it with a `Change` per field (who, when, old and new value, why),
the stored XML is kept as ``data/versions/<id>/<N>.xml`` and the new version written over
it (`Archive.put_new_version`: atomic, journaled), then the manifest is flushed and every
search index the archive has is brought up to date. The original never changes, and
nothing is deleted: a withdrawn document keeps its files as a tombstone.

A field a person set or accepted leaves the review queue and gets confidence 1.0.
Values are given as `gazette edit --set FIELD=VALUE` takes them (`parse_value`):
``issuer`` and ``subject_words`` comma-separated, dates in any form `parse_date` reads,
an empty value clears an optional field.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gazette import akn
from gazette.archive import Archive
from gazette.dates import parse_date
from gazette.docnumber import parse_doc_number
from gazette.doctypes import DOC_TYPES
from gazette.exceptions import BadInputError, NotFoundError
from gazette.model import DISCLOSURE_VALUES, REVIEWABLE_FIELDS, STATUS_VALUES, Change, Document
from gazette.readings import CONFLICT

#: Fields `edit` sets, with what each takes. The id never changes: it names the files.
EDITABLE_FIELDS = (
    "doc_number",
    "doc_number_printed",
    "title",
    "issuer",
    "doc_type",
    "date_written",
    "date_written_printed",
    "date_published",
    "recipients",
    "index_number",
    "category",
    "subject_words",
    "disclosure",
    "status",
    "status_by",
    "interprets",
)
#: What an editable field holds: text, a list of texts (`_LISTS`), or nothing.
FieldValue = str | tuple[str, ...] | None
#: Fields whose values are lists (comma-separated on the command line).
_LISTS = ("issuer", "subject_words", "interprets")
_LIST_SEPARATORS = (",", "，", "、")
#: The review flag a field clears (a printed form is checked with its field).
_FLAG_OF = {"doc_number_printed": "doc_number", "date_written_printed": "date_written"}
#: The archivists' names of the fields (review pages, `gazette history`).
LABELS = {
    "doc_number": "文号",
    "doc_number_printed": "文号（印刷形式）",
    "title": "标题",
    "issuer": "发文机关",
    "doc_type": "文种",
    "date_written": "成文日期",
    "date_written_printed": "成文日期（印刷形式）",
    "date_published": "发布日期",
    "recipients": "主送机关",
    "index_number": "索引号",
    "category": "分类",
    "subject_words": "主题词",
    "disclosure": "公开属性",
    "status": "效力状态",
    "status_by": "效力变更依据",
    "interprets": "所解读的文件",
    "body": "正文",
    "document": "整个文件",
}


def default_user() -> str:
    """Who makes a change when no ``--by`` names them: the login name, else ``$USER``, else ``unknown``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


def shown(doc: Document, name: str) -> str | None:
    """A field's value as `edit` takes it (lists comma-separated), None when it has none."""
    value: object = getattr(doc, name)
    if isinstance(value, tuple):
        return ",".join(value) if value else None
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"Document.{name} is not a text field")


def parse_value(name: str, value: str) -> dict[str, FieldValue]:
    """The model fields that ``--set name=value`` sets; BadInputError naming the field when it does not fit."""
    if name not in EDITABLE_FIELDS:
        raise BadInputError(f"cannot set {name!r}; the fields are {', '.join(EDITABLE_FIELDS)}")
    value = value.strip()
    if name in _LISTS:
        for separator in _LIST_SEPARATORS[1:]:
            value = value.replace(separator, ",")
        return {name: tuple(part.strip() for part in value.split(",") if part.strip())}
    if not value:
        if name == "title":
            raise BadInputError("the title cannot be empty")
        return {name: None}
    if name == "doc_number":
        parsed = parse_doc_number(value)
        if parsed is None:
            raise BadInputError(f"{value!r} is not a 文号 (机关代字〔年份〕序号号)")
        return {"doc_number": parsed.canonical, "doc_number_printed": value}
    if name in ("date_written", "date_published"):
        date = parse_date(value)
        if date is None:
            raise BadInputError(f"{name}: {value!r} is not a date (2006-07-14, 2006年7月14日, 二〇〇六年七月十四日)")
        if name == "date_published":
            return {name: date.iso}
        # A date typed as ISO has no printed form of its own: the printed one stays when it says the same.
        written: dict[str, FieldValue] = {name: date.iso}
        return written if date.printed == date.iso else written | {"date_written_printed": date.printed}
    if name == "doc_type" and value not in DOC_TYPES:
        raise BadInputError(f"doc_type {value!r} is not a document type; the types are {'、'.join(DOC_TYPES)}")
    if name == "disclosure" and value not in DISCLOSURE_VALUES:
        raise BadInputError(f"disclosure is one of {'、'.join(DISCLOSURE_VALUES)}, not {value!r}")
    if name == "status" and value not in STATUS_VALUES:
        raise BadInputError(f"status is one of {'、'.join(STATUS_VALUES)}, not {value!r}")
    return {name: value}


def parse_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """``["title=…", "issuer=A,B"]`` as ``{field: value}``, in order; a later one for a field wins."""
    values: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise BadInputError(f"--set takes FIELD=VALUE, not {assignment!r}")
        values[name.strip()] = value
    if not values:
        raise BadInputError("nothing to change: give --set FIELD=VALUE")
    return values


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# -- the one way a document changes -------------------------------------------------------


Build = Callable[[Document, int, str], tuple[Document, Sequence[Change]]]


def record(archive: Archive, ref: str, build: Build, *, refresh: bool = True) -> Document:
    """Read the document ``ref`` names, let ``build(doc, version, when)`` make the new one and its
    changes, and store it as the next version; all under the lock. Returns the stored document."""
    with archive.locked():
        doc = archive.get_document(ref)
        version = doc.version + 1
        new, changes = build(doc, version, now())
        if not changes:
            return doc
        new = replace(new, changes=(*doc.changes, *changes))
        akn.document_to_xml(new)  # refuse what would not validate before anything is written
        archive.put_new_version(new)
    if refresh:
        finish(archive)
    return new


def finish(archive: Archive) -> None:
    """Fold the journal into the manifest and bring every existing search index up to date."""
    archive.flush()
    from gazette.search.service import existing_backends, update_index

    for backend in existing_backends(archive):
        update_index(archive, backend, on_damaged=lambda path, error: None)


def _with_fields(doc: Document, values: Mapping[str, FieldValue]) -> Document:
    """``doc`` with the fields `parse_value` made; it checked the names and the values' types,
    which mypy cannot do for field names that are data."""
    fields: dict[str, Any] = dict(values)
    return replace(doc, **fields)


def checked(doc: Document, fields: Iterable[str]) -> Document:
    """``doc`` with ``fields`` out of the review queue and at confidence 1.0 (a person checked them)."""
    flags = {_FLAG_OF.get(name, name) for name in fields}
    confidence = dict(doc.confidence)
    for name in flags & set(confidence) | flags & set(REVIEWABLE_FIELDS):
        confidence[name] = 1.0
    return replace(doc, needs_review=tuple(f for f in doc.needs_review if f.field not in flags), confidence=confidence)


def edit(
    archive: Archive,
    ref: str,
    values: Mapping[str, str],
    *,
    by: str,
    reason: str = "",
    action: str = "edit",
    refresh: bool = True,
) -> Document:
    """Set fields (``{field: value as typed}``); each field that changes is one recorded `Change`."""
    parsed: dict[str, FieldValue] = {}
    for name, value in values.items():
        parsed |= parse_value(name, value)

    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        new = _with_fields(doc, parsed)
        if "date_written" in parsed and "date_written_printed" not in parsed and doc.date_written_printed:
            # A date typed as ISO: the printed form stays only when it says the same date.
            printed = parse_date(doc.date_written_printed)
            if printed is None or printed.iso != new.date_written:
                new = replace(new, date_written_printed=None)
        changes = [
            Change(version, action, name, shown(doc, name), shown(new, name), by, when, reason)
            for name in dict.fromkeys([*parsed, "date_written_printed"])
            if shown(doc, name) != shown(new, name)
        ]
        flagged = {flag.field for flag in doc.needs_review}
        if not changes:  # the value is right already: settling its review flag, or confirming
            # what a machine read (confidence below 1.0), is the change
            changes = [
                Change(version, action, name, shown(doc, name), shown(doc, name), by, when, reason)
                for name in parsed
                if _FLAG_OF.get(name, name) in flagged or doc.confidence.get(_FLAG_OF.get(name, name), 1.0) < 1.0
            ]
        if not changes:
            raise BadInputError(f"nothing to change: {doc.id} already has those values")
        return checked(new, parsed), changes

    return record(archive, ref, build, refresh=refresh)


def accept(archive: Archive, ref: str, field: str, *, by: str, reason: str = "", refresh: bool = True) -> Document:
    """The machine's reading of ``field`` is right: the flag goes, recorded as an unchanged value."""
    if field not in REVIEWABLE_FIELDS:
        raise BadInputError(f"{field!r} is not a field under review; the fields are {', '.join(REVIEWABLE_FIELDS)}")

    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        flagged = [flag for flag in doc.needs_review if flag.field == field]
        if not flagged:
            raise NotFoundError(f"{doc.id}: {field} is not in the review queue (`gazette review` lists it)")
        why = reason or "；".join(flag.reason for flag in flagged)
        value = shown(doc, field) if field != "body" else None
        return checked(doc, [field]), [Change(version, "accept", field, value, value, by, when, why)]

    return record(archive, ref, build, refresh=refresh)


def accept_many(archive: Archive, refs: Sequence[str], field: str, *, by: str, reason: str = "") -> list[Document]:
    """`accept` for each document in turn (each recorded on its own); one index update at the end."""
    done = []
    try:
        for ref in refs:
            doc = archive.get_document(ref)
            if any(flag.field == field for flag in doc.needs_review):
                done.append(accept(archive, ref, field, by=by, reason=reason, refresh=False))
    finally:
        finish(archive)
    return done


def fix(archive: Archive, ref: str, field: str, value: str, *, by: str, reason: str = "") -> Document:
    """The machine read ``field`` wrong: set it to ``value`` (recorded as a fix, the flag cleared)."""
    if field not in EDITABLE_FIELDS:
        raise BadInputError(f"cannot fix {field!r}; the fields are {', '.join(EDITABLE_FIELDS)}")
    return edit(archive, ref, {field: value}, by=by, reason=reason, action="fix")


# -- withdraw, restore ----------------------------------------------------------------------


def withdraw(archive: Archive, ref: str, *, reason: str, by: str, refresh: bool = True) -> Document:
    """Take a document out of the index, pages, feeds and exports; its files stay, as a tombstone."""
    return record(archive, ref, withdrawal(reason, by), refresh=refresh)


def withdrawal(reason: str, by: str) -> Build:
    """The `Build` of a withdrawal (`withdraw`, and `gazette.splitjoin.join` for the document joined away)."""
    if not reason.strip():
        raise BadInputError("say why: --reason 'not a gazette document' (it is kept in the record)")

    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        if doc.withdrawn is not None:
            raise BadInputError(f"{doc.id} is withdrawn already ({doc.withdrawn}); `gazette restore` undoes it")
        return replace(doc, withdrawn=reason), [Change(version, "withdraw", "", None, reason, by, when, reason)]

    return build


def restore(archive: Archive, ref: str, *, by: str, reason: str = "") -> Document:
    """Undo `withdraw`."""

    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        if doc.withdrawn is None:
            raise BadInputError(f"{doc.id} is not withdrawn")
        return replace(doc, withdrawn=None), [Change(version, "restore", "", doc.withdrawn, None, by, when, reason)]

    return record(archive, ref, build)


# -- history, revert ------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One version of a document: 1 as read by ingest, then one per recorded change."""

    number: int
    when: str
    by: str
    changes: tuple[Change, ...]
    current: bool


def history(archive: Archive, ref: str) -> tuple[Document, list[Version]]:
    doc = archive.get_document(ref)
    kept = archive.versions(doc.id).get(1)
    first = archive.read_document(kept) if kept is not None else doc  # as read (a merge may have changed the content)
    created = first.provenance.created if first.provenance else ""
    engine = first.provenance.engine if first.provenance else ""
    versions = [Version(1, created, engine or "ingest", (), doc.version == 1)]
    for number in sorted({change.version for change in doc.changes}):
        changes = tuple(change for change in doc.changes if change.version == number)
        versions.append(Version(number, changes[0].when, changes[0].by, changes, number == doc.version))
    return doc, versions


#: What `revert` takes back from an earlier version: the content and review state, not the links or withdrawal.
_KEPT_BY_REVERT = ("id", "changes", "readings", "reading_of", "withdrawn")


def revert(archive: Archive, ref: str, to: int, *, by: str, reason: str = "") -> Document:
    """A new version whose fields are those of version ``to`` (kept in ``data/versions``); the
    versions in between stay, and the revert is recorded like any change."""

    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        if to == doc.version:
            raise BadInputError(f"{doc.id} is at version {to} already")
        path = archive.versions(doc.id).get(to)
        if path is None:
            raise NotFoundError(f"{doc.id} has no version {to}; `gazette history {doc.id}` lists them")
        old = archive.read_document(path)
        new = replace(old, **{name: getattr(doc, name) for name in _KEPT_BY_REVERT})
        changes = [
            Change(
                version, "revert", name, shown(doc, name), shown(new, name), by, when, reason or f"back to version {to}"
            )
            for name in EDITABLE_FIELDS
            if shown(doc, name) != shown(new, name)
        ] or [Change(version, "revert", "", str(doc.version), str(to), by, when, reason or f"back to version {to}")]
        return new, changes

    return record(archive, ref, build)


# -- merge ------------------------------------------------------------------------------------


_NOT_CONTENT = ("id", "changes", "readings", "reading_of")


def merge(archive: Archive, first: str, second: str, *, keep: str, by: str, reason: str = "") -> Document:
    """Make two documents (or a document and its reading) one document with two readings:
    ``keep`` is the document, the other a reading of it. When the kept one is stored as
    ``ID~…`` and the other as ``ID``, their contents change places, so the document stays
    where its 文号 finds it. Both files get a new version, recorded; conflict flags go."""
    with archive.locked():
        a, b = archive.get_document(first), archive.get_document(second)
        if a.id == b.id:
            raise BadInputError(f"{first} and {second} are one document")
        kept_doc = archive.get_document(keep)
        if kept_doc.id not in (a.id, b.id):
            raise BadInputError(f"--keep names {keep}, which is neither {a.id} nor {b.id}")
        other = b if kept_doc.id == a.id else a
        if other.reading_of == kept_doc.id and kept_doc.reading_of is None:
            raise BadInputError(f"{other.id} is a reading of {kept_doc.id} already")
        swap = "~" in kept_doc.id and other.id == kept_doc.id.split("~")[0]
        head_id, reading_id = (other.id, kept_doc.id) if swap else (kept_doc.id, other.id)
        head_content, reading_content = kept_doc, other
        family = [r for r in (*a.readings, *b.readings) if r not in (a.id, b.id)]
        why = reason or f"{kept_doc.id} is the document, {other.id} a reading of it"

        def content(
            target: Document, source: Document, **links: object
        ) -> Callable[..., tuple[Document, list[Change]]]:
            def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
                new = replace(source, **({name: getattr(doc, name) for name in _NOT_CONTENT} | links))
                new = replace(new, needs_review=tuple(f for f in new.needs_review if not f.reason.startswith(CONFLICT)))
                note = f"{_source_file(doc)} → {_source_file(new)}" if source.id != target.id else None
                return new, [
                    Change(
                        version,
                        "merge",
                        "",
                        shown(doc, "reading_of"),
                        shown(new, "reading_of"),
                        by,
                        when,
                        why + (f"（内容 {note}）" if note else ""),
                    )
                ]

            return build

        head = record(
            archive,
            head_id,
            content(
                archive.get_document(head_id),
                head_content,
                reading_of=None,
                readings=tuple(dict.fromkeys((reading_id, *family))),
            ),
            refresh=False,
        )
        record(
            archive,
            reading_id,
            content(archive.get_document(reading_id), reading_content, reading_of=head_id, readings=()),
            refresh=False,
        )
        for reading in family:
            record(archive, reading, _relink(head_id, by, why), refresh=False)
    finish(archive)
    return head


def _relink(head_id: str, by: str, why: str) -> Build:
    def build(doc: Document, version: int, when: str) -> tuple[Document, list[Change]]:
        if doc.reading_of == head_id:
            return doc, []
        return replace(doc, reading_of=head_id), [Change(version, "merge", "", doc.reading_of, head_id, by, when, why)]

    return build


def _source_file(doc: Document) -> str:
    return doc.source.file if doc.source else "?"
