"""The site's data and each page's data, from the archive's documents and issues.

`site_data` gathers what every page needs (public documents only, the issues, which PDFs,
originals and page images may be linked) once; the page functions turn it into `Page`s:
a site path, a template, the template's context and the page's JSON twin, all plain data.
The portal renders the same pages from the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazette.archive import file_name_for_id
from gazette.model import Document, Issue, document_to_json
from gazette.web import urls
from gazette.web.body import block_json
from gazette.web.derived import DerivedImage, geometry_problem
from gazette.web.interpretations import Interpretations, find_interpretations
from gazette.web.public import is_public_document, legal_status, unreviewed_fields

LATEST_ISSUES = 10
LATEST_DOCUMENTS = 20
_ORIGINAL = re.compile(r"data/originals/[0-9a-f]{2}/([0-9a-f]{64})[^/]*")


@dataclass(frozen=True)
class LinkedFile:
    """A file of the archive the site links to (hard-linked into it, never rendered or re-encoded)."""

    path: str  # the site path
    source: Path  # the archive's file
    sha256: str


@dataclass(frozen=True)
class UnavailableImage:
    """A page whose reading copy cannot be made (its geometry record is damaged: `derived.geometry_problem`):
    the page says its image is unavailable and links none. ``reason`` is for the log, never shown."""

    reason: str


#: A page's reading copy: the archive's file, or one made from the original (`gazette.web.derived`),
#: or none that can be shown.
PageImage = LinkedFile | DerivedImage | UnavailableImage


@dataclass(frozen=True)
class Published:
    """A document's standard text as published in an issue."""

    issue: Issue
    file: LinkedFile


@dataclass(frozen=True)
class SiteData:
    """What the pages are made of. ``documents`` holds public documents only, newest first."""

    documents: Mapping[str, Document]
    issues: tuple[Issue, ...]  # newest first
    issue_of: Mapping[str, Issue]
    issue_pdfs: Mapping[str, LinkedFile]
    document_pdfs: Mapping[str, tuple[Published, ...]]
    originals: Mapping[str, LinkedFile]
    page_images: Mapping[str, tuple[tuple[int, PageImage], ...]]
    interpretations: Interpretations
    base_url: str | None = None
    site_name: str = "政府公报"
    entries_public: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return urls.absolute_url(path, self.base_url)

    def gazettes(self) -> dict[str, dict[int, list[Issue]]]:
        """Gazette name → year → its issues, oldest first."""
        found: dict[str, dict[int, list[Issue]]] = {}
        for issue in sorted(self.issues, key=_issue_order):
            found.setdefault(issue.name, {}).setdefault(issue.year, []).append(issue)
        for doc in self.documents.values():
            ref = doc.gazette
            if ref and ref.name and ref.year and doc.id not in self.issue_of:
                found.setdefault(ref.name, {}).setdefault(ref.year, [])
        return {name: dict(sorted(years.items())) for name, years in sorted(found.items())}

    def loose_documents(self, gazette: str, year: int) -> list[Document]:
        """Documents that say they were printed in ``gazette`` in ``year`` but in no stored issue."""
        return [
            doc
            for doc in self.documents.values()
            if doc.id not in self.issue_of and doc.gazette and doc.gazette.name == gazette and doc.gazette.year == year
        ]


@dataclass(frozen=True)
class Page:
    """One HTML page: where it lives, the template, the template's data and the JSON twin's."""

    path: str
    template: str
    context: Mapping[str, Any]
    twin: Mapping[str, Any] | None


def _issue_order(issue: Issue) -> tuple[str, int, int, str]:
    return (issue.date, issue.year, issue.number, issue.id)


def document_date(doc: Document) -> str:
    """The date a document is listed by: 发布日期, else 成文日期, else empty."""
    return doc.date_published or doc.date_written or ""


def document_year(doc: Document) -> str:
    """The year of a catalogue or data file a document belongs to: its date's, else the year of
    its 文号 (`Document.year`), else `urls.UNDATED`."""
    return document_date(doc)[:4] or (str(doc.year) if doc.year else urls.UNDATED)


def newest_first(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (document_date(d), d.id), reverse=True)


def site_data(
    docs: Iterable[Document],
    issues: Iterable[Issue],
    manifest: Mapping[str, str],
    root: Path,
    *,
    base_url: str | None = None,
) -> SiteData:
    """The site's data from every document (public or not: the rule is applied here), every issue,
    and the archive's manifest (payload path → SHA-256) rooted at ``root``."""
    everything = list(docs)
    public = {doc.id: doc for doc in newest_first(d for d in everything if is_public_document(d))}
    hidden = {doc.id for doc in everything if doc.id not in public}
    issue_list = sorted(issues, key=_issue_order, reverse=True)

    def linked(site_path: str, payload: str) -> LinkedFile | None:
        sha = manifest.get(payload)
        return None if sha is None else LinkedFile(site_path, root / payload, sha)

    issue_of: dict[str, Issue] = {}
    issue_pdfs: dict[str, LinkedFile] = {}
    document_pdfs: dict[str, list[Published]] = {}
    entries_public: dict[str, tuple[Any, ...]] = {}
    for issue in sorted(issue_list, key=_issue_order):
        folder = f"data/published/{file_name_for_id(issue.id)}"
        entries_public[issue.id] = tuple(e for e in issue.entries if e.document_id not in hidden)
        for entry in entries_public[issue.id]:
            if entry.document_id in public:
                issue_of.setdefault(entry.document_id, issue)
                pdf = linked(
                    urls.document_pdf(issue.id, entry.document_id),
                    f"{folder}/documents/{file_name_for_id(entry.document_id)}.pdf",
                )
                if pdf:
                    document_pdfs.setdefault(entry.document_id, []).append(Published(issue, pdf))
        if len(entries_public[issue.id]) == len(issue.entries):  # the whole issue is public
            pdf = linked(urls.issue_pdf(issue.id), f"{folder}/issue.pdf")
            if pdf:
                issue_pdfs[issue.id] = pdf
    by_ref: dict[tuple[str, int | None, int | None], Issue] = {(i.name, i.year, i.number): i for i in issue_list}
    for doc in public.values():
        ref = doc.gazette
        if doc.id not in issue_of and ref is not None and (ref.name, ref.year, ref.issue) in by_ref:
            issue_of[doc.id] = by_ref[(ref.name, ref.year, ref.issue)]
    originals, images = _originals(everything, public, manifest, root)
    return SiteData(
        documents=public,
        issues=tuple(issue_list),
        issue_of=issue_of,
        issue_pdfs=issue_pdfs,
        document_pdfs={k: tuple(reversed(v)) for k, v in document_pdfs.items()},
        originals=originals,
        page_images=images,
        interpretations=find_interpretations(public.values()),
        base_url=base_url,
        entries_public=entries_public,
    )


def _originals(
    everything: list[Document], public: Mapping[str, Document], manifest: Mapping[str, str], root: Path
) -> tuple[dict[str, LinkedFile], dict[str, tuple[tuple[int, PageImage], ...]]]:
    """The original each public document may link (only when every document read from it is
    public) and its own page images (only pages no other, non-public document is on)."""
    kept = {m.group(1): rel for rel in manifest if (m := _ORIGINAL.fullmatch(rel))}
    by_source: dict[str, list[Document]] = {}
    for doc in everything:
        if doc.source and doc.source.sha256:
            by_source.setdefault(doc.source.sha256, []).append(doc)
    originals: dict[str, LinkedFile] = {}
    images: dict[str, tuple[tuple[int, PageImage], ...]] = {}
    for sha, docs in by_source.items():
        hidden = [doc for doc in docs if doc.id not in public]
        hidden_pages = {page for doc in hidden for page in doc.pages}
        for doc in docs:
            if doc.id not in public:
                continue
            if not hidden and sha in kept:
                name = doc.source.file if doc.source and doc.source.file else Path(kept[sha]).name
                originals[doc.id] = LinkedFile(urls.original_file(sha, name), root / kept[sha], manifest[kept[sha]])
            if any(not other.pages for other in hidden):
                continue  # a hidden document on pages unknown: no page of this source is shown
            own = [
                (page, image)
                for page in doc.pages
                if page not in hidden_pages and (image := _page_image(doc, page, kept, manifest, root)) is not None
            ]
            if own:
                images[doc.id] = tuple(own)
    return originals, images


def _page_image(
    doc: Document, page: int, kept: Mapping[str, str], manifest: Mapping[str, str], root: Path
) -> PageImage | None:
    """A page's reading copy: the stored 1-bit PNG or grey WebP (`ingest.pageimage`), else, for a
    page kept as geometry alone (its original, a bilevel G4, is smaller than any browser image
    of it), a 1-bit PNG made from the file holding the page (`Source.part_of_page`), or none
    (`UnavailableImage`) when its geometry record cannot be used."""
    assert doc.source is not None
    sha = doc.source.sha256
    for suffix in (".png", ".webp"):
        payload = f"data/pages/{sha}/{page:04d}{suffix}"
        if payload in manifest:
            return LinkedFile(urls.page_image(sha, page, suffix), root / payload, manifest[payload])
    geometry = f"data/pages/{sha}/{page:04d}.json"
    part, number = doc.source.part_of_page(page)
    original = kept.get(part.sha256)
    if geometry not in manifest or original is None:
        return None
    image = DerivedImage(
        urls.page_image(sha, page, ".png"),
        root / original,
        manifest[original],
        number,
        root / geometry,
        manifest[geometry],
    )
    problem = geometry_problem(image)
    return image if problem is None else UnavailableImage(problem)


# -- JSON of the things pages show --------------------------------------------------------


def issue_label(issue: Issue) -> str:
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    return f"{issue.year}年第{issue.number}期{total}"


def document_json(doc: Document, data: SiteData) -> dict[str, Any]:
    """The JSON contract's document object, with the page's URL and the links the site adds."""
    record = document_to_json(doc)
    issue = data.issue_of.get(doc.id)
    published = data.document_pdfs.get(doc.id, ())
    record["url"] = data.url(urls.document_page(doc.id))
    record["legal_status"] = legal_status(doc)
    record["unreviewed"] = list(unreviewed_fields(doc))
    record["issue"] = None if issue is None else {"id": issue.id, "url": data.url(urls.issue_page(issue.id))}
    record["files"] = {
        "akn": data.url(urls.document_akn(doc.id)),
        "pdf": [{"issue": p.issue.id, "url": data.url(p.file.path), "sha256": p.file.sha256} for p in published],
        "original": _file_json(data.originals.get(doc.id), data),
        "page_images": [_page_image_json(page, image, data) for page, image in data.page_images.get(doc.id, ())],
    }
    record["interprets"] = list(data.interpretations.interprets.get(doc.id, ()))
    record["interpreted_by"] = list(data.interpretations.interpreted_by.get(doc.id, ()))
    return record


def _page_image_json(page: int, image: PageImage, data: SiteData) -> dict[str, Any]:
    """A stored copy's SHA-256 is its own; a derived copy names the original it is made from; a page
    without an image that can be shown says so."""
    if isinstance(image, UnavailableImage):
        return {"page": page, "url": None, "unavailable": True}
    if isinstance(image, DerivedImage):
        return {
            "page": page,
            "url": data.url(image.path),
            "derived_from": {"sha256": image.original_sha256, "page": image.original_page},
        }
    return {"page": page, **(_file_json(image, data) or {})}


def _file_json(file: LinkedFile | None, data: SiteData) -> dict[str, str] | None:
    return None if file is None else {"url": data.url(file.path), "sha256": file.sha256}


def issue_json(issue: Issue, data: SiteData) -> dict[str, Any]:
    pdf = data.issue_pdfs.get(issue.id)
    return {
        "id": issue.id,
        "gazette": issue.name,
        "year": issue.year,
        "number": issue.number,
        "total": issue.total_number,
        "date": issue.date,
        "publisher": issue.publisher,
        "url": data.url(urls.issue_page(issue.id)),
        "pdf": _file_json(pdf, data),
    }


def sections(issue: Issue, data: SiteData) -> list[tuple[str | None, list[Any]]]:
    """The issue's public contents by section, in the gazette's order."""
    grouped: list[tuple[str | None, list[Any]]] = []
    for entry in data.entries_public.get(issue.id, ()):
        if not grouped or grouped[-1][0] != entry.section:
            grouped.append((entry.section, []))
        grouped[-1][1].append(entry)
    return grouped


# -- the pages ---------------------------------------------------------------------------


def home_page(data: SiteData) -> Page:
    gazettes = data.gazettes()
    issues = list(data.issues[:LATEST_ISSUES])
    docs = list(data.documents.values())[:LATEST_DOCUMENTS]
    twin = {
        "gazettes": [{"name": name, "url": data.url(urls.gazette_page(name))} for name in gazettes],
        "latest_issues": [issue_json(issue, data) for issue in issues],
        "latest_documents": [document_json(doc, data) for doc in docs],
        "documents": len(data.documents),
    }
    context = {"gazettes": gazettes, "issues": issues, "documents": docs}
    return Page(urls.HOME, "home.html", context, twin)


def gazette_pages(data: SiteData) -> list[Page]:
    pages = []
    for name, years in data.gazettes().items():
        twin: dict[str, object] = {
            "gazette": name,
            "years": [
                {"year": year, "issues": len(issues), "url": data.url(urls.year_page(name, year))}
                for year, issues in sorted(years.items(), reverse=True)
            ],
            "feed": data.url(urls.feed_gazette(name)),
        }
        context: dict[str, object] = {"name": name, "years": dict(sorted(years.items(), reverse=True))}
        pages.append(Page(urls.gazette_page(name), "gazette.html", context, twin))
        for year, issues in years.items():
            loose = data.loose_documents(name, year)
            twin = {
                "gazette": name,
                "year": year,
                "issues": [issue_json(issue, data) for issue in issues],
                "other_documents": [document_json(doc, data) for doc in loose],
            }
            context = {"name": name, "year": year, "issues": issues, "loose": loose}
            pages.append(Page(urls.year_page(name, year), "year.html", context, twin))
    return pages


def issue_pages(data: SiteData) -> list[Page]:
    pages = []
    for issue in data.issues:
        parts = sections(issue, data)
        twin = issue_json(issue, data) | {
            "sections": [
                {
                    "title": title,
                    "documents": [
                        {
                            "id": e.document_id,
                            "doc_number": e.doc_number,
                            "page": e.page,
                            "title": data.documents[e.document_id].title
                            if e.document_id in data.documents
                            else e.title,
                            "url": data.url(urls.document_page(e.document_id))
                            if e.document_id in data.documents
                            else None,
                        }
                        for e in entries
                    ],
                }
                for title, entries in parts
            ],
        }
        context = {"issue": issue, "sections": parts, "pdf": data.issue_pdfs.get(issue.id)}
        pages.append(Page(urls.issue_page(issue.id), "issue.html", context, twin))
    return pages


def document_page(doc: Document, data: SiteData) -> Page:
    links = data.interpretations
    context = {
        "doc": doc,
        "issue": data.issue_of.get(doc.id),
        "status": legal_status(doc),
        "published": data.document_pdfs.get(doc.id, ()),
        "original": data.originals.get(doc.id),
        "images": data.page_images.get(doc.id, ()),
        "unreviewed": unreviewed_fields(doc),
        "interprets": [data.documents[i] for i in links.interprets.get(doc.id, ())],
        "interpreted_by": [data.documents[i] for i in links.interpreted_by.get(doc.id, ())],
    }
    twin = document_json(doc, data) | {
        "body": [block_json(block) for block in doc.body],
        "signature": list(doc.signature),
        "date_written_printed": doc.date_written_printed,
    }
    return Page(urls.document_page(doc.id), "document.html", context, twin)


def document_pages(data: SiteData) -> list[Page]:
    return [document_page(doc, data) for doc in data.documents.values()]
