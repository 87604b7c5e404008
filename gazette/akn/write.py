"""Write `Document` and `Issue` as Akoma Ntoso 3.0; every file written is validated first.

Output is deterministic: it depends only on the data (no clock, no random ids), so the
same document always gives the same bytes and archive fixity checks stay meaningful.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from lxml import etree

from gazette.akn import vocab as v
from gazette.akn.schema import assert_valid
from gazette.akn.vocab import A, G
from gazette.doctypes import akn_doc_name
from gazette.exceptions import BadInputError
from gazette.model import Block, Box, Change, Document, Issue, Source

Element = etree._Element


def document_to_xml(doc: Document) -> bytes:
    """The document as an AKN ``<doc>``; raises `InvalidDocumentError` if the result would not validate."""
    return _write(lambda: _doc(doc), f"document {doc.id}")


def issue_to_xml(issue: Issue) -> bytes:
    """The issue as an AKN ``<officialGazette>`` whose components reference its documents by id."""
    return _write(lambda: _official_gazette(issue), f"issue {issue.id}")


def _write(build: Callable[[], Element], where: str) -> bytes:
    try:
        root = A.akomaNtoso(build())
    except ValueError as err:  # lxml refuses control characters that XML 1.0 cannot hold
        raise BadInputError(f"cannot be written as XML: {err}", path=where) from None
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    assert_valid(xml, path=where)
    return xml


def _attrs(**values: object) -> dict[str, str]:
    """Attributes from keyword values; None means absent, so the reader can give None back."""
    return {name: str(value) for name, value in values.items() if value is not None}


def _float(value: float) -> str:
    return repr(float(value))  # repr round-trips a float exactly


# --- documents ---------------------------------------------------------------------------


def _doc(doc: Document) -> Element:
    orgs = _organization_ids([*doc.issuer, *doc.signature])
    block_ids = [f"{_block_tag(block)}_{n}" for n, block in enumerate(doc.body, 1)]
    parts = [
        _doc_meta(doc, orgs, block_ids),
        _preface(doc, orgs),
        A.mainBody(*_main_body(list(zip(doc.body, map(_block_element, doc.body, block_ids), strict=True)))),
    ]
    conclusions = _conclusions(doc, orgs)
    if len(conclusions):
        parts.append(conclusions)
    return A.doc({"name": akn_doc_name(doc.doc_type)}, *parts)


def _organization_ids(names: Sequence[str]) -> dict[str, str]:
    """eIds ``org_1``, ``org_2``… in order of first mention: issuers, then signers."""
    return {name: f"org_{n}" for n, name in enumerate(dict.fromkeys(names), 1)}


def _work_date(doc: Document) -> tuple[str, str]:
    """The date of the work URI and its FRBRdate name; a placeholder when the document has none."""
    if doc.date_written:
        return doc.date_written, v.DATE_WRITTEN
    if doc.date_published:
        return doc.date_published, v.DATE_PUBLISHED
    if doc.gazette and doc.gazette.year:
        return f"{doc.gazette.year:04d}-01-01", v.DATE_GAZETTE_YEAR
    return v.PLACEHOLDER_DATE, v.DATE_UNKNOWN


def _manifestation_date(doc: Document, fallback: str) -> str:
    """When the file was made: provenance's date, else the work date (never today: output must be stable)."""
    created = doc.provenance.created[:10] if doc.provenance else ""
    try:
        return date.fromisoformat(created).isoformat()
    except ValueError:
        return fallback


def _identification(
    work: str,
    language: str,
    dates: tuple[Element, Element, Element],
    authors: list[str],
    work_extra: list[Element],
) -> Element:
    """The three FRBR levels; ``work_extra`` follows FRBRcountry in the work (subtype, number)."""
    work_date, expression_date, manifestation_date = dates
    expression = f"{work}/{language}@"

    def author_elements() -> list[Element]:
        return [A.FRBRauthor(href=href) for href in authors]

    return A.identification(
        {"source": v.ARCHIVE_SOURCE},
        A.FRBRWork(
            A.FRBRthis(value=f"{work}/!main"), A.FRBRuri(value=work), work_date, *author_elements(), *work_extra
        ),
        A.FRBRExpression(
            A.FRBRthis(value=f"{expression}/!main"),
            A.FRBRuri(value=expression),
            expression_date,
            *author_elements(),
            A.FRBRlanguage(language=language),
        ),
        A.FRBRManifestation(
            A.FRBRthis(value=f"{expression}/!main.xml"),
            A.FRBRuri(value=f"{expression}.akn"),
            manifestation_date,
            A.FRBRauthor(href=v.ARCHIVE_SOURCE),
        ),
    )


def _references(jurisdiction: str, orgs: dict[str, str], people: dict[str, str] | None = None) -> Element:
    return A.references(
        {"source": v.ARCHIVE_SOURCE},
        *[
            A.TLCOrganization(eId=eid, href=v.organization_href(jurisdiction, name), showAs=name)
            for name, eid in orgs.items()
        ],
        A.TLCOrganization(eId=v.ARCHIVE_EID, href=v.organization_href(jurisdiction, v.ARCHIVE_EID), showAs="archive"),
        *[
            A.TLCPerson(eId=eid, href=f"/ontology/person/{jurisdiction}/{eid}", showAs=name or "?")
            for name, eid in (people or {}).items()
        ],
    )


def _doc_meta(doc: Document, orgs: dict[str, str], block_ids: list[str]) -> Element:
    work_date, date_name = _work_date(doc)
    work = f"/akn/{doc.jurisdiction}/doc/{akn_doc_name(doc.doc_type)}/{work_date}/{doc.doc_number or doc.id}"
    issuer_hrefs = [f"#{orgs[name]}" for name in dict.fromkeys(doc.issuer)] or [v.ARCHIVE_SOURCE]
    work_extra = [A.FRBRcountry(value=doc.jurisdiction)]
    if doc.doc_type is not None:
        work_extra.append(A.FRBRsubtype(value=doc.doc_type))
    if doc.doc_number is not None:
        work_extra.append(A.FRBRnumber(value=doc.doc_number))
    dates = (
        A.FRBRdate(date=work_date, name=date_name),
        A.FRBRdate(date=doc.date_published or work_date, name=v.DATE_PUBLISHED if doc.date_published else date_name),
        A.FRBRdate(date=_manifestation_date(doc, work_date), name=v.TRANSFORMATION),
    )
    meta = A.meta(_identification(work, doc.language, dates, issuer_hrefs, work_extra))
    if doc.date_published is not None:
        gazette_name = doc.gazette.name if doc.gazette and doc.gazette.name else "gazette"
        issue = doc.gazette.issue if doc.gazette else None
        meta.append(
            A.publication(_attrs(date=doc.date_published, name=gazette_name, showAs=gazette_name, number=issue))
        )
    people = _people(doc.changes)
    if doc.changes:
        meta.append(_lifecycle(doc, work_date, people))
    meta.append(_references(doc.jurisdiction, orgs, people))
    meta.append(A.proprietary({"source": v.ARCHIVE_SOURCE}, *_doc_proprietary(doc, block_ids)))
    return meta


def _people(changes: Sequence[Change]) -> dict[str, str]:
    """eIds ``person_1``… of the people who changed the document, in order of first change."""
    return {name: f"{v.PERSON_EID}_{n}" for n, name in enumerate(dict.fromkeys(c.by for c in changes), 1)}


def _lifecycle(doc: Document, work_date: str, people: dict[str, str]) -> Element:
    """The document's versions as AKN events: ``evt_1`` its generation (ingest), then one
    amendment per version a person made; the changes themselves are in ``gz:change``."""
    created = doc.provenance.created if doc.provenance and doc.provenance.created else work_date
    events = [
        A.eventRef(
            eId=f"{v.EVENT_EID}_1", date=_xs_date(created, work_date), source=v.ARCHIVE_SOURCE, type="generation"
        )
    ]
    for version in sorted({c.version for c in doc.changes}):
        first = next(c for c in doc.changes if c.version == version)
        events.append(
            A.eventRef(
                eId=f"{v.EVENT_EID}_{version}",
                date=_xs_date(first.when, work_date),
                source=v.ARCHIVE_SOURCE,
                type="amendment",
                refersTo=f"#{people[first.by]}",
            )
        )
    return A.lifecycle({"source": v.ARCHIVE_SOURCE}, *events)


def _xs_date(value: str, fallback: str) -> str:
    """``value`` when it is an xs:date or xs:dateTime the schema takes, else ``fallback``."""
    try:
        if "T" in value:
            datetime.fromisoformat(value)
        else:
            date.fromisoformat(value)
    except ValueError:
        return fallback
    return value


def _source(source: Source, tag: Callable[..., Element] = G.source) -> Element:
    parts = [_source(part, G.part) for part in source.parts]
    return tag({"file": source.file, "sha256": source.sha256, "pages": str(source.pages)}, *parts)


def _box(block_id: str, box: Box, element: Callable[..., Element] = G.origin, key: str = "block") -> Element:
    # One dict, in this order: the attributes' order is part of the file's bytes.
    return element(
        {
            key: block_id,
            "page": str(box.page),
            "x0": _float(box.x0),
            "y0": _float(box.y0),
            "x1": _float(box.x1),
            "y1": _float(box.y1),
        }
    )


def _doc_proprietary(doc: Document, block_ids: list[str]) -> list[Element]:
    """Everything the model holds that AKN has no element for, under the ``gz:`` namespace."""
    items = [G.document(_attrs(id=doc.id, pages=" ".join(map(str, doc.pages)) or None))]
    printed = _attrs(docNumber=doc.doc_number_printed, dateWritten=doc.date_written_printed)
    if printed:
        items.append(G.printed(printed))
    if doc.year_derived:  # the year filters and facets use; not a 成文日期 (read back from the 文号)
        items.append(G.year(value=str(doc.year), derivedFrom="docNumber"))
    header = _attrs(mark=doc.issuer_mark, signer=doc.signer)  # the 版头's own text: AKN has no element
    if header:
        items.append(G.header(header))
    disclosure = _attrs(attribute=doc.disclosure, index=doc.index_number, category=doc.category)
    if disclosure:
        items.append(G.disclosure(disclosure))
    items += [G.subject(word) for word in doc.subject_words]
    if doc.gazette is not None:
        ref = doc.gazette
        items.append(G.gazette(_attrs(name=ref.name, year=ref.year, issue=ref.issue, total=ref.total)))
    if doc.source is not None:
        items.append(_source(doc.source))
    if doc.provenance is not None:
        prov = doc.provenance
        items.append(
            G.provenance(
                {"engine": prov.engine, "engineVersion": prov.engine_version, "created": prov.created}
                | _attrs(input=prov.input_path or None, droppedCharacters=prov.dropped_characters or None),
                *[G.step(step) for step in prov.steps],
            )
        )
    items += [G.confidence(field=name, value=_float(value)) for name, value in doc.confidence.items()]
    items += [G.review(field=flag.field, reason=flag.reason) for flag in doc.needs_review]
    for block_id, block in zip(block_ids, doc.body, strict=True):
        items += [_box(block_id, box) for box in block.origin]
        if block.rows and block.text != rows_text(block.rows):  # a table's text is derived unless it differs
            items.append(G.text({"block": block_id}, block.text))
    return items + _review_proprietary(doc)


def _review_proprietary(doc: Document) -> list[Element]:
    """What the archivist's review adds: field boxes, legal status, withdrawal, readings, changes.
    Written after the rest, and only when present, so documents without them keep their bytes."""
    items = [_box(name, box, G.fieldOrigin, "field") for name, boxes in doc.field_origins.items() for box in boxes]
    if doc.status is not None or doc.status_by is not None:
        items.append(G.status(_attrs(value=doc.status, by=doc.status_by)))
    if doc.withdrawn is not None:
        items.append(G.withdrawn(reason=doc.withdrawn))
    if doc.reading_of is not None:
        items.append(G.readingOf(document=doc.reading_of))
    items += [G.reading(document=reading) for reading in doc.readings]
    items += [G.interprets(document=policy) for policy in doc.interprets]
    for change in doc.changes:
        element = G.change(
            {
                "version": str(change.version),
                "action": change.action,
                "field": change.field,
                "by": change.by,
                "when": change.when,
                "event": f"#{v.EVENT_EID}_{change.version}",
            },
        )
        for tag, value in (("old", change.old), ("new", change.new), ("reason", change.reason or None)):
            if value is not None:
                element.append(getattr(G, tag)(value))
        items.append(element)
    return items


def _preface(doc: Document, orgs: dict[str, str]) -> Element:
    preface = A.preface()
    if doc.doc_number is not None:
        preface.append(A.p({"class": v.CLASS_DOC_NUMBER}, A.docNumber(doc.doc_number)))
    preface.append(A.p({"class": v.CLASS_TITLE}, A.docTitle(doc.title)))
    for name in doc.issuer:
        preface.append(A.p({"class": v.CLASS_ISSUER}, A.docProponent({"refersTo": f"#{orgs[name]}"}, name)))
    if doc.recipients is not None:
        preface.append(A.p({"class": v.CLASS_RECIPIENTS}, doc.recipients))
    return preface


def _conclusions(doc: Document, orgs: dict[str, str]) -> Element:
    conclusions = A.conclusions(
        *[
            A.p({"class": v.CLASS_SIGNATURE}, A.signature(A.organization({"refersTo": f"#{orgs[name]}"}, name)))
            for name in doc.signature
        ]
    )
    if doc.date_written is not None:
        printed = doc.date_written_printed or doc.date_written
        conclusions.append(A.p({"class": v.CLASS_DATE}, A.date({"date": doc.date_written}, printed)))
    return conclusions


# --- body --------------------------------------------------------------------------------


def rows_text(rows: Sequence[Sequence[str]]) -> str:
    """A table's text as the model defines it: cells joined by tabs, rows by newlines."""
    return "\n".join("\t".join(row) for row in rows)


def _block_tag(block: Block) -> str:
    if block.kind == "heading":
        return "hcontainer"
    return "table" if block.rows else "p"


def _block_classes(block: Block) -> str | None:
    """The kind when the element does not imply it, and a non-heading's level, as class tokens."""
    implied = v.IMPLIED_KIND[_block_tag(block)]
    tokens: list[str] = [block.kind] if block.kind != implied else []
    if block.level and block.kind != "heading":
        tokens.append(f"{v.LEVEL_TOKEN}{block.level}")
    return " ".join(tokens) or None


def _block_element(block: Block, block_id: str) -> Element:
    attrs = _attrs(eId=block_id, **{"class": _block_classes(block)})
    if block.kind == "heading":
        return A.hcontainer({"name": f"{v.HEADING_NAME}{block.level}", **attrs}, A.heading(block.text))
    if block.rows:
        return A.table(attrs, *map(_row, block.rows))
    return A.p(attrs, block.text)


def _row(cells: Sequence[str]) -> Element:
    if not cells:  # the schema wants a cell in every row
        return A.tr({"class": v.CLASS_PLACEHOLDER}, A.td(A.p()))
    return A.tr(*[A.td(A.p(cell)) for cell in cells])


def _main_body(items: list[tuple[Block, Element]]) -> list[Element]:
    """Nest blocks under their headings: a heading holds what follows it up to the next heading
    of the same or a higher level, or up to an attachment (附件 notes do not belong to a section)."""
    out: list[Element] = []
    i = 0
    while i < len(items):
        block, element = items[i]
        if block.kind != "heading":
            out.append(element)
            i += 1
            continue
        end = next((k for k in range(i + 1, len(items)) if _ends_section(items[k][0], block.level)), len(items))
        out.append(_section(element, items[i + 1 : end]))
        i = end
    return out or [A.p({"class": v.CLASS_PLACEHOLDER})]


def _ends_section(block: Block, level: int) -> bool:
    return block.kind == "attachment" or (block.kind == "heading" and block.level <= level)


def _section(container: Element, inner: list[tuple[Block, Element]]) -> Element:
    """Blocks before the first sub-heading go in ``<content>`` (or ``<intro>`` when sub-headings follow)."""
    split = next((k for k, (block, _) in enumerate(inner) if block.kind == "heading"), len(inner))
    blocks = [element for _, element in inner[:split]]
    children = _main_body(inner[split:]) if split < len(inner) else []
    if children:
        if blocks:
            container.append(A.intro(*blocks))
        container.extend(children)
    elif blocks:
        container.append(A.content(*blocks))
    return container


# --- issues ------------------------------------------------------------------------------


def _official_gazette(issue: Issue) -> Element:
    orgs = _organization_ids([issue.publisher] if issue.publisher else [])
    # An issue whose date nothing says (scans without a cover) is named by its year; AKN's dates
    # need a day, so they hold 1 January and gz:issue says the date is unknown.
    date = issue.date or f"{issue.year:04d}-01-01"
    work = f"/akn/{issue.jurisdiction}/officialGazette/{issue.date or issue.year}/{issue.number}"
    dates = (
        A.FRBRdate(date=date, name=v.PUBLICATION),
        A.FRBRdate(date=date, name=v.PUBLICATION),
        A.FRBRdate(date=date, name=v.TRANSFORMATION),
    )
    authors = [f"#{eid}" for eid in orgs.values()] or [v.ARCHIVE_SOURCE]
    work_extra = [A.FRBRcountry(value=issue.jurisdiction), A.FRBRnumber(value=str(issue.number))]
    unknown = "true" if not issue.date else None
    proprietary = [G.issue(_attrs(id=issue.id, year=issue.year, total=issue.total_number, dateUnknown=unknown))]
    if issue.source is not None:
        proprietary.append(_source(issue.source))
    components = []
    for n, entry in enumerate(issue.entries, 1):
        eid = f"cmp_{n}"
        components.append(A.component({"eId": eid}, A.documentRef(href=entry.document_id, showAs=entry.title)))
        proprietary.append(
            G.entry(_attrs(component=eid, docNumber=entry.doc_number, page=entry.page, section=entry.section))
        )
    if not components:  # the schema wants at least one component
        components.append(A.component({"class": v.CLASS_PLACEHOLDER}, A.documentRef(href="", showAs="")))
    meta = A.meta(
        _identification(work, v.ISSUE_LANGUAGE, dates, authors, work_extra),
        A.publication(date=date, name=issue.name, showAs=issue.name, number=str(issue.number)),
        _references(issue.jurisdiction, orgs),
        A.proprietary({"source": v.ARCHIVE_SOURCE}, *proprietary),
    )
    return A.officialGazette({"name": "gazette"}, meta, A.collectionBody(*components))
