"""Metadata for machines on a document page: Dublin Core ``<meta>`` and schema.org JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from gazette.model import Document
from gazette.web import urls
from gazette.web.pages import SiteData, issue_label
from gazette.web.public import LEGAL_FORCE, legal_status

LANGUAGE = "zh-CN"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"


def dublin_core(doc: Document, data: SiteData) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta name content>``: DC elements and DCTERMS dates."""
    meta = [("DC.title", doc.title)]
    if doc.doc_number:
        meta.append(("DC.identifier", doc.doc_number))
    meta += [("DC.creator", issuer) for issuer in doc.issuer]
    if doc.date_written:
        meta += [("DC.date", doc.date_written), ("DCTERMS.created", doc.date_written)]
    if doc.date_published:
        meta.append(("DCTERMS.issued", doc.date_published))
    if doc.doc_type:
        meta.append(("DC.type", doc.doc_type))
    meta += [("DC.subject", word) for word in doc.subject_words]
    issue = data.issue_of.get(doc.id)
    if issue is not None:
        meta += [("DC.publisher", issue.publisher or issue.name), ("DC.source", f"{issue.name} {issue_label(issue)}")]
    meta += [("DC.language", LANGUAGE), ("DC.format", "text/html")]
    return meta


def legislation(doc: Document, data: SiteData) -> dict[str, Any]:
    """The schema.org ``Legislation`` of a document page."""
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": data.url(urls.document_page(doc.id)),
        "url": data.url(urls.document_page(doc.id)),
        "name": doc.title,
        "inLanguage": LANGUAGE,
    }
    if doc.doc_number:
        item["legislationIdentifier"] = doc.doc_number
    if doc.date_written:
        item["legislationDate"] = doc.date_written
    if doc.date_published:
        item["datePublished"] = doc.date_published
    if doc.issuer:
        item["legislationPassedBy"] = [{"@type": "GovernmentOrganization", "name": name} for name in doc.issuer]
    if doc.doc_type:
        item["legislationType"] = doc.doc_type
    if doc.jurisdiction:
        item["legislationJurisdiction"] = doc.jurisdiction
    if doc.subject_words:
        item["keywords"] = list(doc.subject_words)
    status = legal_status(doc)
    if status:
        item["legislationLegalForce"] = f"https://schema.org/{LEGAL_FORCE[status]}"
    issue = data.issue_of.get(doc.id)
    if issue is not None:
        item["isPartOf"] = {
            "@type": "PublicationIssue",
            "@id": data.url(urls.issue_page(issue.id)),
            "name": f"{issue.name} {issue_label(issue)}",
            "issueNumber": str(issue.number),
            "datePublished": issue.date or None,  # (unknown for scans without a cover or given date)
            "isPartOf": {"@type": "Periodical", "name": issue.name},
        }
    published = data.document_pdfs.get(doc.id, ())
    if published:
        item["encoding"] = [
            {
                "@type": "MediaObject",
                "encodingFormat": "application/pdf",
                "contentUrl": data.url(p.file.path),
                "sha256": p.file.sha256,
            }
            for p in published
        ]
    item["workExample"] = {
        "@type": "MediaObject",
        "encodingFormat": "application/akn+xml",
        "contentUrl": data.url(urls.document_akn(doc.id)),
    }
    interprets = data.interpretations.interprets.get(doc.id, ())
    if interprets:
        item["about"] = [{"@id": data.url(urls.document_page(i))} for i in interprets]
    return item


def script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no text ends the element."""
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
