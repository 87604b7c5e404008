"""What may be public, and the review workflow's fields as public outputs read them.

Every page, feed, catalogue row, sitemap entry and export of `gazette/web/` asks
`is_public_document` and nothing else.
"""

from __future__ import annotations

from gazette.model import STATUS_VALUES, Document

#: The 公开属性 of a document a government publishes of its own accord.
PROACTIVE = "主动公开"
#: The fields a document page marks when a machine read them and no person has checked them yet.
MARKED_FIELDS = ("doc_number", "title", "issuer", "date_written", "date_published")
#: schema.org ``LegalForceStatus`` of each legal status.
LEGAL_FORCE = {"有效": "InForce", "已修改": "PartiallyInForce", "已废止": "NotInForce"}


def is_public_document(doc: Document) -> bool:
    """Whether ``doc`` may appear in a public output: `Document.is_public` (not 不予公开, not
    withdrawn, not a second reading of another document: that one is shown), and marked
    主动公开 or carrying no 公开属性 at all (what a gazette printed is public). 依申请公开
    documents are given on request, never published."""
    return doc.is_public and doc.disclosure in (None, "", PROACTIVE)


def legal_status(doc: Document) -> str | None:
    """有效, 已修改 or 已废止 when the document's legal status is known (`gazette edit --set status=…`)."""
    return doc.status if doc.status in STATUS_VALUES else None


def named_interpretations(doc: Document) -> tuple[str, ...]:
    """The ids of the documents ``doc`` says it interprets (`gazette edit ID --set interprets=ID`)."""
    return doc.interprets


def disclosure_label(doc: Document) -> str:
    """The 公开属性 a public page shows: the recorded one, else 主动公开 (printing in a gazette is
    proactive disclosure, 《政府信息公开条例》第二十三条)."""
    return doc.disclosure or PROACTIVE


def unreviewed_fields(doc: Document) -> tuple[str, ...]:
    """The `MARKED_FIELDS` with a value that were read by machine and not checked by a person:
    in the review queue, or with a confidence below 1.0 (`gazette edit` and `gazette accept`
    set a field's confidence to 1.0 and take it out of the queue; a field typed in or imported
    has no confidence at all, and no mark)."""
    flagged = {flag.field for flag in doc.needs_review}
    return tuple(
        name
        for name in MARKED_FIELDS
        if getattr(doc, name) and (name in flagged or doc.confidence.get(name, 1.0) < 1.0)
    )
