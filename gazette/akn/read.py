"""Read Akoma Ntoso 3.0 written by `gazette.akn.write` back into `Document` and `Issue`.

Every reader goes through `parse_xml` (no DTDs, no entities) and validates against the
schema before looking at the content. Values AKN carries are read from AKN elements; the
rest comes from ``<proprietary>``'s ``gz:`` elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard, get_args

from lxml import etree

from gazette.akn import vocab as v
from gazette.akn.schema import assert_valid, parse_xml
from gazette.akn.vocab import akn, gz
from gazette.akn.write import rows_text
from gazette.exceptions import BadInputError
from gazette.model import (
    Block,
    BlockKind,
    Box,
    Change,
    Document,
    GazetteRef,
    Issue,
    IssueEntry,
    Provenance,
    ReviewFlag,
    Source,
    make_document_id,
)

Element = etree._Element
_KINDS: tuple[str, ...] = get_args(BlockKind)
#: What valid AKN that our writer did not make (a missing preface, a foreign hcontainer name…) raises:
#: the helpers below raise ValueError naming the element or attribute that is missing.
_NOT_OURS = (ValueError, TypeError, AttributeError, KeyError)


def document_from_xml(data: bytes, *, path: str | None = None) -> Document:
    """The `Document` in an AKN ``<doc>`` file; raises `BadInputError` / `InvalidDocumentError`."""
    doc = _root_child(data, "doc", path)
    try:
        return _document(doc)
    except _NOT_OURS as err:
        raise BadInputError(f"not a gazette Akoma Ntoso document: {err}", path=path) from None


def issue_from_xml(data: bytes, *, path: str | None = None) -> Issue:
    """The `Issue` in an AKN ``<officialGazette>`` file."""
    gazette = _root_child(data, "officialGazette", path)
    try:
        return _issue(gazette)
    except _NOT_OURS as err:
        raise BadInputError(f"not a gazette Akoma Ntoso issue: {err}", path=path) from None


def _root_child(data: bytes, tag: str, path: str | None) -> Element:
    root = parse_xml(v.with_current_namespace(data), path=path)
    assert_valid(root, path=path)
    child = root.find(akn(tag))
    if child is None:
        raise BadInputError(f"expected an Akoma Ntoso <{tag}>, found <{etree.QName(root[0]).localname}>", path=path)
    return child


def _text(element: Element | None) -> str:
    # lxml-stubs types itertext as str | bytes; lxml yields str on Python 3.
    return "".join(element.itertext()) if element is not None else ""  # type: ignore[arg-type]


def _optional_text(element: Element | None) -> str | None:
    return None if element is None else _text(element)


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _proprietary(meta: Element, tag: str) -> list[Element]:
    return meta.findall(f"{akn('proprietary')}/{gz(tag)}")


def _first(meta: Element, tag: str) -> Element | None:
    found = _proprietary(meta, tag)
    return found[0] if found else None


def _required(meta: Element, tag: str) -> Element:
    element = _first(meta, tag)
    if element is None:
        raise ValueError(f"<proprietary> has no gz:{tag}")
    return element


def _name(element: Element) -> str:
    qname = etree.QName(element)
    return f"gz:{qname.localname}" if qname.namespace == v.GZ_NS else qname.localname


def _child(parent: Element, tag: str) -> Element:
    """``parent``'s AKN child ``tag``, one the schema (validated before reading) or our writer requires."""
    element = parent.find(akn(tag))
    if element is None:
        raise ValueError(f"<{_name(parent)}> has no <{tag}>")
    return element


def _descendant(parent: Element, tag: str) -> Element:
    """The first AKN ``tag`` under ``parent``, one the schema or our writer requires."""
    element = parent.find(f".//{akn(tag)}")
    if element is None:
        raise ValueError(f"<{_name(parent)}> has no <{tag}>")
    return element


def _attr(element: Element, name: str) -> str:
    """An attribute the schema or our writer requires."""
    value = element.get(name)
    if value is None:
        raise ValueError(f"<{_name(element)}> has no {name} attribute")
    return value


def _is_kind(token: str) -> TypeGuard[BlockKind]:
    return token in _KINDS


def _source(element: Element | None) -> Source | None:
    if element is None:
        return None
    parts = tuple(part for found in element.iterfind(gz("part")) if (part := _source(found)) is not None)
    return Source(
        file=element.get("file", ""),
        sha256=element.get("sha256", ""),
        pages=int(element.get("pages", "0")),
        parts=parts,
    )


def _preface_p(preface: Element, cls: str) -> Element | None:
    return next((p for p in preface.iterfind(akn("p")) if p.get("class") == cls), None)


# --- documents ---------------------------------------------------------------------------


def _document(doc: Element) -> Document:
    meta = _child(doc, "meta")
    preface = _child(doc, "preface")
    conclusions = doc.find(akn("conclusions"))
    record = _first(meta, "document")
    printed = _first(meta, "printed")
    header = _first(meta, "header")
    disclosure = _first(meta, "disclosure")
    ref = _first(meta, "gazette")
    prov = _first(meta, "provenance")
    subtype = meta.find(f".//{akn('FRBRsubtype')}")
    publication = meta.find(akn("publication"))
    date = conclusions.find(f".//{akn('date')}") if conclusions is not None else None
    title = _text(preface.find(f".//{akn('docTitle')}"))
    doc_number = _optional_text(preface.find(f".//{akn('docNumber')}"))
    date_written = date.get("date") if date is not None else None
    return Document(
        # Files from elsewhere have no gz:document; give them the id the archive would.
        id=_attr(record, "id") if record is not None else make_document_id(doc_number, date_written, title),
        title=title,
        doc_number=doc_number,
        doc_number_printed=printed.get("docNumber") if printed is not None else None,
        issuer=tuple(_text(e) for e in preface.iter(akn("docProponent"))),
        doc_type=subtype.get("value") if subtype is not None else None,
        date_written=date_written,
        date_written_printed=printed.get("dateWritten") if printed is not None else None,
        date_published=publication.get("date") if publication is not None else None,
        index_number=disclosure.get("index") if disclosure is not None else None,
        category=disclosure.get("category") if disclosure is not None else None,
        subject_words=tuple(_text(e) for e in _proprietary(meta, "subject")),
        recipients=_optional_text(_preface_p(preface, v.CLASS_RECIPIENTS)),
        disclosure=disclosure.get("attribute") if disclosure is not None else None,
        jurisdiction=_attr(_descendant(meta, "FRBRcountry"), "value"),
        language=_attr(_descendant(meta, "FRBRlanguage"), "language"),
        gazette=None
        if ref is None
        else GazetteRef(
            name=ref.get("name", ""),
            year=_int(ref.get("year")),
            issue=_int(ref.get("issue")),
            total=_int(ref.get("total")),
        ),
        pages=tuple(int(page) for page in (record.get("pages", "") if record is not None else "").split()),
        source=_source(_first(meta, "source")),
        body=tuple(_blocks(_child(doc, "mainBody"), _origins(meta), _block_texts(meta))),
        signature=tuple(_text(e) for e in conclusions.iter(akn("organization"))) if conclusions is not None else (),
        confidence={_attr(e, "field"): float(_attr(e, "value")) for e in _proprietary(meta, "confidence")},
        needs_review=tuple(ReviewFlag(_attr(e, "field"), _attr(e, "reason")) for e in _proprietary(meta, "review")),
        provenance=None
        if prov is None
        else Provenance(
            engine=prov.get("engine", ""),
            engine_version=prov.get("engineVersion", ""),
            steps=tuple(_text(step) for step in prov.iterfind(gz("step"))),
            created=prov.get("created", ""),
            input_path=prov.get("input", ""),
            dropped_characters=int(prov.get("droppedCharacters", "0")),
        ),
        signer=header.get("signer") if header is not None else None,
        issuer_mark=header.get("mark") if header is not None else None,
        field_origins={name: tuple(boxes) for name, boxes in _boxes(meta, "fieldOrigin", "field").items()},
        status=status.get("value") if (status := _first(meta, "status")) is not None else None,
        status_by=status.get("by") if status is not None else None,
        withdrawn=withdrawn.get("reason") if (withdrawn := _first(meta, "withdrawn")) is not None else None,
        reading_of=reading_of.get("document") if (reading_of := _first(meta, "readingOf")) is not None else None,
        readings=tuple(_attr(e, "document") for e in _proprietary(meta, "reading")),
        interprets=tuple(_attr(e, "document") for e in _proprietary(meta, "interprets")),
        changes=tuple(_change(e) for e in _proprietary(meta, "change")),
    )


def _change(element: Element) -> Change:
    def child(tag: str) -> str | None:
        found = element.find(gz(tag))
        return None if found is None else _text(found)

    return Change(
        version=int(_attr(element, "version")),
        action=_attr(element, "action"),
        field=element.get("field", ""),
        old=child("old"),
        new=child("new"),
        by=element.get("by", ""),
        when=element.get("when", ""),
        reason=child("reason") or "",
    )


def _origins(meta: Element) -> dict[str, list[Box]]:
    return _boxes(meta, "origin", "block")


def _boxes(meta: Element, tag: str, key: str) -> dict[str, list[Box]]:
    """``{block or field: its boxes}`` from ``gz:origin`` / ``gz:fieldOrigin`` elements."""
    origins: dict[str, list[Box]] = {}
    for e in _proprietary(meta, tag):
        box = Box(int(_attr(e, "page")), *(float(_attr(e, name)) for name in ("x0", "y0", "x1", "y1")))
        origins.setdefault(_attr(e, key), []).append(box)
    return origins


def _block_texts(meta: Element) -> dict[str, str]:
    return {_attr(e, "block"): _text(e) for e in _proprietary(meta, "text")}


def _blocks(parent: Element, origins: dict[str, list[Box]], texts: dict[str, str]) -> Iterator[Block]:
    """The body's blocks in document order, flattening hcontainer/intro/content nesting."""
    for element in parent.iterchildren(akn("p"), akn("table"), akn("hcontainer"), akn("intro"), akn("content")):
        tag = etree.QName(element).localname
        if tag in ("intro", "content"):
            yield from _blocks(element, origins, texts)
            continue
        classes = (element.get("class") or "").split()
        if v.CLASS_PLACEHOLDER in classes:
            continue
        block_id = element.get("eId", "")
        kind = next((c for c in classes if _is_kind(c)), v.IMPLIED_KIND[tag])
        level = next((int(c.removeprefix(v.LEVEL_TOKEN)) for c in classes if c.startswith(v.LEVEL_TOKEN)), 0)
        origin = tuple(origins.get(block_id, ()))
        if tag == "hcontainer":
            level = int(_attr(element, "name").removeprefix(v.HEADING_NAME))
            yield Block("heading", _text(element.find(akn("heading"))), level=level, origin=origin)
            yield from _blocks(element, origins, texts)
        elif tag == "table":
            rows = tuple(_row(tr) for tr in element.iterfind(akn("tr")))
            yield Block(kind, texts.get(block_id, rows_text(rows)), level=level, rows=rows, origin=origin)
        else:
            yield Block(kind, _text(element), level=level, origin=origin)


def _row(tr: Element) -> tuple[str, ...]:
    if v.CLASS_PLACEHOLDER in (tr.get("class") or "").split():
        return ()
    # Read the cells' <p>s, not the <td>: pretty-printing puts whitespace around them.
    return tuple("\n".join(_text(p) for p in td.iterfind(akn("p"))) for td in tr.iterfind(akn("td")))


# --- issues ------------------------------------------------------------------------------


def _issue(gazette: Element) -> Issue:
    meta = _child(gazette, "meta")
    record = _required(meta, "issue")
    publication = _child(meta, "publication")
    entries = {_attr(e, "component"): e for e in _proprietary(meta, "entry")}
    author = _attr(_child(_child(_child(meta, "identification"), "FRBRWork"), "FRBRauthor"), "href")
    publisher = next(
        (
            _attr(org, "showAs")
            for org in meta.iter(akn("TLCOrganization"))
            if f"#{org.get('eId')}" == author and author != v.ARCHIVE_SOURCE
        ),
        "",
    )
    return Issue(
        id=_attr(record, "id"),
        name=_attr(publication, "name"),
        year=int(_attr(record, "year")),
        number=int(_attr(_descendant(meta, "FRBRnumber"), "value")),
        date="" if record.get("dateUnknown") == "true" else _attr(publication, "date"),
        total_number=_int(record.get("total")),
        jurisdiction=_attr(_descendant(meta, "FRBRcountry"), "value"),
        publisher=publisher,
        entries=tuple(_entries(gazette, entries)),
        source=_source(_first(meta, "source")),
    )


def _entries(gazette: Element, entries: dict[str, Element]) -> Iterator[IssueEntry]:
    for component in gazette.iterfind(f"{akn('collectionBody')}/{akn('component')}"):
        if component.get("class") == v.CLASS_PLACEHOLDER:
            continue
        ref = _child(component, "documentRef")
        info = entries[_attr(component, "eId")]
        yield IssueEntry(
            document_id=_attr(ref, "href"),
            title=_attr(ref, "showAs"),
            doc_number=info.get("docNumber"),
            page=_int(info.get("page")),
            section=info.get("section"),
        )
