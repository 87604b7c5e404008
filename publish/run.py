"""`gazette publish`: an ISSUE.toml into ``issue.pdf``, ``documents/<id>.pdf`` and ``SHA256SUMS``.

Steps (each a function of data, files only at the ends):

1. read the manifest; resolve each entry to a `Document` (the archive, a ``.docx``, an
   Akoma Ntoso ``.xml``); refuse 不予公开 documents and entries that name nothing;
2. choose the fonts (the manifest's ``[fonts]``, the archive's ``publish.font_*``
   settings, fontconfig, Debian's fallbacks);
3. lay out and render every document's standard text and the issue; PDF/A-2b;
   sign when asked;
4. write the outputs and ``SHA256SUMS``; store new documents, the issue and the PDFs
   in the archive (``data/published/<issue-id>/``), and index the new documents.

Dates in the PDFs are the issue's date (midnight, UTC+8), so the same inputs give the
same bytes; signing adds the signing time (now, or ``signing_time``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from gazette import akn
from gazette.archive import Archive, file_name_for_id
from gazette.exceptions import BadInputError, NotFoundError
from gazette.fsutil import atomic_write
from gazette.model import Document, GazetteRef, Issue, Provenance
from gazette.settings import setting
from publish.document_pdf import document_pdf
from publish.fonts import ROLES, load_fonts
from publish.issue_pdf import IssueData, issue_layout
from publish.manifest import Manifest, read_manifest
from publish.pdfa import Metadata, make_pdfa
from publish.render import render
from publish.standard import STANDARD
from publish.typeset import Setter

CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class SignOptions:
    p12: Path
    password: bytes | None = None
    signing_time: dt.datetime | None = None


@dataclass(frozen=True)
class Published:
    """What a run wrote: the issue, its files (relative to the output folder) and their SHA-256."""

    issue: Issue
    out_dir: Path
    files: dict[str, str] = field(default_factory=dict)
    new_documents: tuple[str, ...] = ()
    font_note: str = ""


def resolve_entry(entry: str, manifest: Manifest, archive: Archive | None) -> tuple[Document, bool]:
    """The document an entry names, and whether it is new to the archive (from Word or XML)."""
    lower = entry.lower()
    if lower.endswith((".docx", ".xml")):
        path = manifest.folder / entry
        if not path.is_file():
            raise NotFoundError(f"entry {entry!r} names no file ({path})", path=str(manifest.path))
        if lower.endswith(".docx"):
            from publish.docx_intake import read_docx

            return read_docx(path), True
        return akn.document_from_xml(path.read_bytes(), path=str(path)), True
    if archive is None:
        raise NotFoundError(
            f"entry {entry!r} names no file and there is no archive to find it in", path=str(manifest.path)
        )
    try:
        return archive.get_document(entry), False
    except NotFoundError:
        raise NotFoundError(
            f"entry {entry!r} names no document in the archive {archive.root} and no file", path=str(manifest.path)
        ) from None


def documents_of(manifest: Manifest, archive: Archive | None) -> list[tuple[str, list[tuple[Document, bool]]]]:
    ref = GazetteRef(manifest.gazette, manifest.year, manifest.number, manifest.total)
    sections = []
    seen: set[str] = set()
    for section in manifest.sections:
        docs = []
        for entry in section.entries:
            doc, new = resolve_entry(entry, manifest, archive)
            if not doc.is_public:
                raise BadInputError(
                    f"entry {entry!r} ({doc.id}) is 不予公开 and is never published", path=str(manifest.path)
                )
            if doc.id in seen:
                raise BadInputError(f"entry {entry!r} ({doc.id}) is listed twice", path=str(manifest.path))
            seen.add(doc.id)
            doc = replace(doc, gazette=ref, date_published=doc.date_published or manifest.date)
            if new and doc.provenance is None:
                doc = replace(doc, provenance=Provenance(engine="publish", created=f"{manifest.date}T00:00:00+08:00"))
            docs.append((doc, new))
        sections.append((section.title, docs))
    return sections


def font_config(manifest: Manifest, archive: Archive | None) -> dict[str, str]:
    configured: dict[str, str] = {role: "" for role in ROLES}
    if archive is not None:
        for role in ROLES:
            key = {
                "fangsong": "publish.font_fangsong",
                "song": "publish.font_song",
                "hei": "publish.font_hei",
                "kai": "publish.font_kai",
            }[role]
            configured[role] = str(setting(archive.root, key))
    configured.update({role: file for role, file in manifest.fonts.items() if file})
    return configured


def publish_issue(
    manifest_path: Path,
    out_dir: Path,
    archive: Archive | None,
    *,
    sign: SignOptions | None = None,
    seal: bytes | None = None,
    progress: Callable[[str], None] | None = None,
) -> Published:
    manifest = read_manifest(manifest_path)
    sections = documents_of(manifest, archive)
    fonts = load_fonts(font_config(manifest, archive))
    created = dt.datetime.fromisoformat(manifest.date).replace(tzinfo=CHINA)
    note = fonts.fallback_note()
    signer = None
    if sign is not None:
        from publish.signing import load_signer

        signer = load_signer(sign.p12, sign.password)

    def finish(data: bytes, meta: Metadata) -> bytes:
        pdf = make_pdfa(data, meta)
        if signer is not None:
            from publish.signing import sign_pdf

            pdf = sign_pdf(pdf, signer, sign.signing_time if sign else None)
        return pdf

    outputs: dict[str, bytes] = {}
    setting_ = replace(STANDARD, seal=seal) if seal else STANDARD
    for _, docs in sections:
        for doc, _new in docs:
            if progress:
                progress(doc.id)
            meta = Metadata(
                title=doc.title,
                author="、".join(doc.issuer),
                subject=doc.doc_number or "",
                keywords=note,
                creator="gazette publish",
                created=created,
            )
            outputs[f"documents/{file_name_for_id(doc.id)}.pdf"] = finish(document_pdf(doc, fonts, setting_), meta)
    data = IssueData(
        manifest.gazette,
        manifest.year,
        manifest.number,
        manifest.date,
        manifest.publisher,
        manifest.total,
        tuple((title, tuple(doc for doc, _ in docs)) for title, docs in sections),
    )
    if progress:
        progress("issue.pdf")
    pages, issue = issue_layout(data, Setter(fonts))
    title = f"{manifest.gazette} {data.label}" + (f"（总第{manifest.total}期）" if manifest.total else "")
    meta = Metadata(
        title=title, author=manifest.publisher, subject=title, keywords=note, creator="gazette publish", created=created
    )
    outputs["issue.pdf"] = finish(render(pages, fonts.name("fangsong"), title), meta)
    files = write_outputs(out_dir, outputs)
    new = tuple(doc.id for _, docs in sections for doc, is_new in docs if is_new)
    if archive is not None:
        store(archive, issue, [doc for _, docs in sections for doc, is_new in docs if is_new], outputs)
    return Published(issue, out_dir, files, new, note)


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> dict[str, str]:
    """Write every file and ``SHA256SUMS`` (``sha256sum -c`` reads it); returns path → SHA-256."""
    sums = {}
    for relative, data in sorted(outputs.items()):
        atomic_write(out_dir / relative, data)
        sums[relative] = hashlib.sha256(data).hexdigest()
    lines = "".join(f"{sha}  {relative}\n" for relative, sha in sorted(sums.items()))
    atomic_write(out_dir / "SHA256SUMS", lines.encode("utf-8"))
    return sums


def store(archive: Archive, issue: Issue, new_docs: list[Document], outputs: dict[str, bytes]) -> None:
    """New documents, the issue and its PDFs into the archive; the new documents indexed."""
    stored = [archive.add_document(doc) for doc in new_docs]
    archive.put_issue(issue)
    folder = f"published/{file_name_for_id(issue.id)}"
    for relative, data in sorted(outputs.items()):
        archive.put_file(f"{folder}/{relative}", data)
    archive.flush()
    if stored:
        from gazette.search import index_documents

        index_documents(archive, stored)
