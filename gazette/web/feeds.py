"""Atom 1.0 feeds (feedgen): the whole archive, each gazette and each issuer, newest first.

Each entry links the document's page and, where one was published, its standard-text PDF.
Dates are the documents' own (发布日期, else 成文日期, at midnight China time), and a
feed's ``updated`` is its newest entry's: the same archive gives the same bytes. A
document with no date at all is in no feed. With a base URL, ids and links are absolute
URLs; without one, links are relative to the feed's own place and ids are ``urn:`` names.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedgen.feed import FeedGenerator
from lxml import etree

from gazette.model import Document
from gazette.web import urls
from gazette.web.pages import SiteData, document_date

FEED_ENTRIES = 50
_TIME = "T00:00:00+08:00"
_ATOM = "http://www.w3.org/2005/Atom"


def _link(data: SiteData, here: str, there: str) -> str:
    return data.url(there) if data.base_url else urls.href(here, there)


def _id(data: SiteData, path: str) -> str:
    return data.url(path) if data.base_url else f"urn:gazette:site:{urls.url_path(path)}"


def feed_bytes(path: str, title: str, page: str, docs: Iterable[Document], data: SiteData) -> bytes:
    """The Atom feed at site path ``path`` of ``docs`` (any order), its HTML page ``page``."""
    dated = sorted((d for d in docs if document_date(d)), key=lambda d: (document_date(d), d.id), reverse=True)
    entries = dated[:FEED_ENTRIES]
    feed = FeedGenerator()
    feed.id(_id(data, path))
    feed.title(title)
    feed.author({"name": data.site_name})
    feed.link(href=_link(data, path, path), rel="self", type="application/atom+xml")
    feed.link(href=_link(data, path, page), rel="alternate", type="text/html")
    feed.language("zh-CN")
    feed.generator("gazette")
    feed.updated(f"{document_date(entries[0])}{_TIME}" if entries else f"1970-01-01{_TIME}")
    entry_links: list[list[dict[str, str]]] = []
    for doc in entries:
        entry = feed.add_entry(order="append")
        entry.id(_id(data, urls.document_page(doc.id)))
        entry.title(doc.title)
        when = f"{document_date(doc)}{_TIME}"
        entry.updated(when)
        entry.published(when)
        for issuer in doc.issuer:
            entry.author({"name": issuer})
        links = [{"href": _link(data, path, urls.document_page(doc.id)), "rel": "alternate", "type": "text/html"}]
        links += [
            {
                "href": _link(data, path, published.file.path),
                "rel": "enclosure",
                "type": "application/pdf",
                "title": "标准文本（PDF）",
            }
            for published in data.document_pdfs.get(doc.id, ())[:1]
        ]
        for link in links:
            entry.link(**link)
        entry_links.append(links)
        if doc.doc_type:
            entry.category(term=doc.doc_type)
        facts = [doc.doc_number or "", "、".join(doc.issuer), doc.date_written or ""]
        entry.summary(" · ".join(fact for fact in facts if fact) or doc.title)
    return _with_link_attributes(feed.atom_str(pretty=True), entry_links)


def _with_link_attributes(atom: bytes, entry_links: list[list[dict[str, str]]]) -> bytes:
    """feedgen 1.0 writes an entry's links with their ``href`` alone (its entry.py reads ``rel``,
    ``type`` and ``title`` back from the element it has just made): set them again, in order."""
    root = etree.fromstring(atom)
    for entry, links in zip(root.iterfind(f"{{{_ATOM}}}entry"), entry_links, strict=True):
        for element, link in zip(entry.iterfind(f"{{{_ATOM}}}link"), links, strict=True):
            for name in ("rel", "type", "title"):
                if name in link:
                    element.set(name, link[name])
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def feed_files(data: SiteData) -> dict[str, bytes]:
    """Every feed: site path → bytes."""
    docs = list(data.documents.values())
    files = {urls.FEED_ALL: feed_bytes(urls.FEED_ALL, f"{data.site_name}：全部文件", urls.HOME, docs, data)}
    by_gazette: dict[str, list[Document]] = {}
    by_issuer: dict[str, list[Document]] = {}
    for doc in docs:
        issue = data.issue_of.get(doc.id)
        name = issue.name if issue else (doc.gazette.name if doc.gazette else "")
        if name:
            by_gazette.setdefault(name, []).append(doc)
        for issuer in dict.fromkeys(doc.issuer):
            by_issuer.setdefault(issuer, []).append(doc)
    for name in data.gazettes():
        path = urls.feed_gazette(name)
        files[path] = feed_bytes(path, f"{name}", urls.gazette_page(name), by_gazette.get(name, []), data)
    for issuer, issued in sorted(by_issuer.items()):
        path = urls.feed_issuer(issuer)
        files[path] = feed_bytes(path, f"{issuer}发布的文件", urls.catalogue_issuer(issuer), issued, data)
    return files
