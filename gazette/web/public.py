"""What may be public, and the review workflow's fields as public outputs read them.

Every page, feed, catalogue row, sitemap entry and export of `gazette/web/` asks
`is_public_document` and nothing else. ``withdrawn``, ``status`` and ``interprets`` are
fields of the review workflow (withdraw/restore, legal status, `gazette edit --set
interprets=ID`); they are read with ``getattr`` so that a `Document` without them is
read as a document that was never withdrawn, whose legal status is unknown and that names
no document it interprets.
"""

from __future__ import annotations

from typing import Any

from gazette.model import Document

#: The 公开属性 of a document a government publishes of its own accord.
PROACTIVE = "主动公开"
#: Legal status (效力状态) as pages show it, from the values the review workflow may store.
LEGAL_STATUS = {
    "有效": "有效",
    "已修改": "已修改",
    "已废止": "已废止",
    "in_force": "有效",
    "amended": "已修改",
    "repealed": "已废止",
}
#: schema.org ``LegalForceStatus`` of each legal status.
LEGAL_FORCE = {"有效": "InForce", "已修改": "PartiallyInForce", "已废止": "NotInForce"}


def is_public_document(doc: Document) -> bool:
    """Whether ``doc`` may appear in a public output: not withdrawn, and marked 主动公开 or
    carrying no 公开属性 at all (what a gazette printed is public). 依申请公开 and 不予公开
    documents are never public."""
    if getattr(doc, "withdrawn", None):
        return False
    return doc.disclosure in (None, "", PROACTIVE)


def legal_status(doc: Document) -> str | None:
    """有效, 已修改 or 已废止 when the document's legal status is known, else None."""
    value: Any = getattr(doc, "status", None)
    if not isinstance(value, str):
        value = getattr(value, "value", None)  # an enum
    return LEGAL_STATUS.get(value) if isinstance(value, str) else None


def named_interpretations(doc: Document) -> tuple[str, ...]:
    """The ids of the documents ``doc`` says it interprets (`gazette edit ID --set interprets=ID`)."""
    value: Any = getattr(doc, "interprets", ())
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(item for item in value or () if isinstance(item, str) and item)


def disclosure_label(doc: Document) -> str:
    """The 公开属性 a public page shows: the recorded one, else 主动公开 (printing in a gazette is
    proactive disclosure, 《政府信息公开条例》第二十三条)."""
    return doc.disclosure or PROACTIVE
