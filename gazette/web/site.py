"""`gazette site`: the static HTML edition of an archive, written incrementally.

`plan_site` turns the site's data into every output (site path → bytes, or an archive file
to link); `write_site` brings a folder to exactly that: a file is written only when its
bytes change (atomically: a temporary file renamed over it), files an earlier build wrote
and this one does not are removed, and ``DIR/.gazette-site.json`` records what the site
wrote (path → SHA-256). A file the site did not write is never replaced or removed.
Published PDFs, originals and page images are hard-linked from the archive (copied where
the file system cannot link), never rendered or re-encoded. A page the archive keeps as
geometry alone (a G4 original's) gets a 1-bit PNG made from the original (`derived`), in the
worker processes, and made again only when the original, the geometry or the encoder changes
(``DIR/.gazette-site-images.json``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from gazette.archive import Archive, OnDamaged
from gazette.exceptions import ArchiveDamagedError, BadInputError, GazetteError
from gazette.fsutil import exclusive_lock, sha256_file
from gazette.model import Document
from gazette.web import urls
from gazette.web.catalogue import catalogue_files
from gazette.web.derived import DerivedImage, derive, encoder_version
from gazette.web.feeds import feed_files
from gazette.web.opendata import opendata_files, public_akn
from gazette.web.pages import (
    LinkedFile,
    Page,
    SiteData,
    UnavailableImage,
    document_page,
    gazette_pages,
    home_page,
    issue_pages,
    site_data,
)
from gazette.web.parallel import parallel_map
from gazette.web.render import render_page, twin_bytes
from gazette.web.rendercache import (
    Entry,
    ImageEntry,
    Kept,
    page_key,
    read_cache,
    read_image_cache,
    write_cache,
    write_image_cache,
)
from gazette.web.sitemap import sitemap_files

MANIFEST = ".gazette-site.json"
LOCK = ".gazette-site.lock"
_FORMAT = 1
_STATIC = (urls.STYLESHEET, urls.SORT_SCRIPT)
#: Making a page image from a G4 A4 page takes about 0.07 s: a pool pays from a dozen or so.
_MIN_IMAGES_PARALLEL = 16

Output = bytes | LinkedFile | Kept


@dataclass
class BuildReport:
    """What a build did: site paths written (new or changed) and removed, and how many stayed."""

    out: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # files to remove that someone changed: left alone
    documents: int = 0

    @property
    def files(self) -> int:
        return len(self.written) + self.unchanged

    def to_json(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "documents": self.documents,
            "files": self.files,
            "written": len(self.written),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "kept": self.kept,
        }


def check_base_url(base_url: str | None) -> str | None:
    """``--base-url`` as given when it is an http(s) URL without query or fragment."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BadInputError(f"--base-url {base_url!r} is not an http(s) URL such as https://gazette.example.gov.cn/")
    return base_url


def document_outputs(doc: Document, data: SiteData, akn_of: Callable[[Document], bytes]) -> dict[str, bytes]:
    """A document's page, its JSON twin and its public XML."""
    page = document_page(doc, data)
    return {
        page.path: render_page(page, data),
        urls.twin(page.path): twin_bytes(page),
        urls.document_akn(doc.id): akn_of(doc),
    }


@dataclass(frozen=True)
class Reuse:
    """What a build may keep of the last one: its cache's entries (`rendercache.read_cache`),
    each document's XML SHA-256 in the archive, and the folder the kept files are in."""

    entries: Mapping[str, Entry]
    xml_sha256: Mapping[str, str]  # document id → SHA-256 of its stored XML
    out: Path
    images: Mapping[str, ImageEntry] = field(default_factory=dict)  # derived page images (`read_image_cache`)


@dataclass(frozen=True)
class Made:
    """A document's files in this build and the keys they were made from (for the next one)."""

    doc_id: str  # (not the document: a worker sends this back to the parent)
    page_key: str
    xml_sha256: str
    files: dict[str, bytes | Kept]


def _document_files(doc: Document, data: SiteData, akn_of: Callable[[Document], bytes], reuse: Reuse | None) -> Made:
    """`document_outputs`, or the last build's files where nothing they are made of has changed."""
    page = document_page(doc, data)
    key = page_key(page, data)
    xml_sha = reuse.xml_sha256.get(doc.id, "") if reuse else ""
    paths = (page.path, urls.twin(page.path), urls.document_akn(doc.id))
    entry = reuse.entries.get(doc.id) if reuse else None
    if (
        entry is not None
        and xml_sha
        and (entry.page_key, entry.xml_sha256) == (key, xml_sha)
        and set(entry.files) == set(paths)
    ):
        return Made(doc.id, key, xml_sha, {path: Kept(entry.files[path][0]) for path in paths})
    rendered: dict[str, bytes | Kept] = dict(
        zip(paths, (render_page(page, data), twin_bytes(page), akn_of(doc)), strict=True)
    )
    return Made(doc.id, key, xml_sha, rendered)


def derived_images(data: SiteData) -> dict[str, DerivedImage]:
    """Site path → each page image the site makes from an original (`derived`)."""
    return {
        image.path: image
        for images in data.page_images.values()
        for _, image in images
        if isinstance(image, DerivedImage)
    }


def make_images(data: SiteData, reuse: Reuse | None) -> tuple[SiteData, dict[str, bytes | Kept]]:
    """The derived page images: site path → the 1-bit PNG, or the last build's file where it was
    made from the same original and geometry; made in parallel. A page that cannot be made is
    logged and becomes an `UnavailableImage` in the data, so no page links an image the site lacks."""
    wanted = derived_images(data)
    made: dict[str, bytes | Kept] = {}
    to_make = []
    for path, image in wanted.items():
        last = reuse.images.get(path) if reuse else None
        if last is not None and last.key == image.key:
            made[path] = Kept(last.sha256)
        else:
            to_make.append(image)
    for image, content in zip(to_make, parallel_map(derive, to_make, min_items=_MIN_IMAGES_PARALLEL), strict=True):
        if content is not None:
            made[image.path] = content
    if len(made) < len(wanted):
        failed = UnavailableImage("the page image could not be made from its original")
        kept = {
            doc_id: tuple(
                (page, failed if isinstance(image, DerivedImage) and image.path not in made else image)
                for page, image in images
            )
            for doc_id, images in data.page_images.items()
        }
        data = replace(data, page_images=kept)
    return data, made


def plan_site(
    data: SiteData, akn_of: Callable[[Document], bytes], reuse: Reuse | None = None
) -> tuple[dict[str, Output], list[Made], dict[str, DerivedImage]]:
    """Every file of the site: site path → its bytes, the archive file it links, or a file of the
    last build kept as it is (`reuse`); what each document's files were made from; and the page
    images made from originals (`make_images`). The documents' own pages are rendered in
    parallel (`parallel_map`)."""
    data, images = make_images(data, reuse)
    outputs: dict[str, Output] = {path: resources.files("gazette.web").joinpath(path).read_bytes() for path in _STATIC}
    outputs.update(images)
    docs = list(data.documents.values())
    known: dict[str, bytes | Kept] = {}
    made = parallel_map(lambda d: _document_files(d, data, akn_of, reuse), docs)
    for item in made:
        outputs.update(item.files)
        known[item.doc_id] = item.files[urls.document_akn(item.doc_id)]

    def public_xml(doc: Document) -> bytes:
        xml = known.get(doc.id)
        if isinstance(xml, bytes):
            return xml
        if isinstance(xml, Kept) and reuse is not None:  # the file the last build wrote, as recorded
            with contextlib.suppress(OSError):
                kept = (reuse.out / urls.document_akn(doc.id)).read_bytes()
                if hashlib.sha256(kept).hexdigest() == xml.sha256:
                    return kept
        return akn_of(doc)

    catalogue_pages, catalogue_csv = catalogue_files(data)
    data_pages, data_files = opendata_files(data, public_xml)
    pages: list[Page] = [home_page(data), *gazette_pages(data), *issue_pages(data), *catalogue_pages, *data_pages]
    for page in pages:
        outputs[page.path] = render_page(page, data)
        outputs[urls.twin(page.path)] = twin_bytes(page)
    outputs.update(catalogue_csv)
    outputs.update(data_files)
    outputs.update(feed_files(data))
    page_paths = [page.path for page in pages] + [urls.document_page(doc.id) for doc in docs]
    outputs.update(sitemap_files(page_paths, data))
    linked: list[LinkedFile] = [*data.issue_pdfs.values(), *data.originals.values()]
    linked += [published.file for files in data.document_pdfs.values() for published in files]
    linked += [image for images in data.page_images.values() for _, image in images if isinstance(image, LinkedFile)]
    for file in linked:
        outputs[file.path] = file
    return outputs, made, derived_images(data)


def read_documents(archive: Archive, on_damaged: OnDamaged | None = None) -> list[Document]:
    """Every document of the archive, read in parallel; a damaged file raises, or goes to ``on_damaged``."""

    def read(path: Path) -> Document | str:
        try:
            return archive.read_document(path)
        except GazetteError as error:
            return str(error)

    paths = archive.document_paths()
    # The first in this process: what reading loads once (the schema) is then inherited by the workers.
    read_all = [read(path) for path in paths[:1]] + parallel_map(read, paths[1:])
    docs: list[Document] = []
    for path, doc in zip(paths, read_all, strict=True):
        if isinstance(doc, str):
            if on_damaged is None:
                raise ArchiveDamagedError(doc)
            on_damaged(path, ArchiveDamagedError(doc))
        else:
            docs.append(doc)
    return docs


def build_site(
    archive: Archive, out: Path, base_url: str | None = None, on_damaged: OnDamaged | None = None
) -> BuildReport:
    """Write the site of ``archive`` into ``out``, rewriting only what changed."""
    return build_from_documents(archive, read_documents(archive, on_damaged), out, base_url)


def build_from_documents(archive: Archive, docs: list[Document], out: Path, base_url: str | None = None) -> BuildReport:
    """Write the site of ``docs`` (the archive's documents, as read) and the archive's issues and
    files into ``out``. Every document is passed: which may be public is decided here."""
    base_url = check_base_url(base_url)
    out = Path(out)
    _check_out(archive, out)
    manifest = archive.manifest()
    data = site_data(docs, archive.issues(), manifest, archive.root, base_url=base_url)
    out.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out / LOCK, what="site"):  # from what the last build left to what this one writes
        previous = read_manifest(out)
        xml_sha = {doc.id: manifest.get(_document_payload(archive, doc), "") for doc in data.documents.values()}
        encoder = encoder_version() if derived_images(data) else ""
        images = read_image_cache(out, previous, encoder) if encoder else {}
        reuse = Reuse(read_cache(out, previous), xml_sha, out, images)
        outputs, made, derived = plan_site(data, archive_akn(archive), reuse)
        report = write_site(out, outputs)
        write_cache(
            out, ((m.doc_id, m.page_key, m.xml_sha256, [(p, _sha(f)) for p, f in m.files.items()]) for m in made)
        )
        write_image_cache(out, encoder, ((path, image.key, _sha(outputs[path])) for path, image in derived.items()))
    report.documents = len(data.documents)
    return report


def _document_payload(archive: Archive, doc: Document) -> str:
    """The manifest's name of a document's stored XML."""
    return archive.document_path(doc.id).relative_to(archive.root).as_posix()


def archive_akn(archive: Archive) -> Callable[[Document], bytes]:
    """A document's public XML (`public_akn` of the archive's file), made once per build."""
    cache: dict[str, bytes] = {}

    def akn_of(doc: Document) -> bytes:
        if doc.id not in cache:
            cache[doc.id] = public_akn(archive.document_path(doc.id).read_bytes())
        return cache[doc.id]

    return akn_of


def _check_out(archive: Archive, out: Path) -> None:
    root, target = archive.root.resolve(), out.resolve()
    if target == root or target.is_relative_to(root):
        raise BadInputError("is inside the archive; the site goes into a folder of its own", path=str(out))
    if out.exists() and not out.is_dir():
        raise BadInputError("is a file; --out takes a folder", path=str(out))


def read_manifest(out: Path) -> dict[str, str]:
    """What an earlier build wrote into ``out``: site path → SHA-256 (nothing when there was none)."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        record = json.loads(path.read_text("utf-8"))
        files = record["files"]
        if record.get("format") != _FORMAT or not isinstance(files, dict):
            raise ValueError("unknown format")
    except (ValueError, KeyError, TypeError) as error:
        raise BadInputError(
            f"is not a manifest gazette site can read ({error}); move it away to rebuild", path=str(path)
        ) from None
    return {str(k): str(v) for k, v in files.items()}


def _sha(output: Output) -> str:
    return output.sha256 if isinstance(output, (LinkedFile, Kept)) else hashlib.sha256(output).hexdigest()


def _same(target: Path, output: Output, recorded: str | None) -> bool:
    """Whether ``target`` already holds ``output``."""
    if not target.is_file():
        return False
    if isinstance(output, Kept):  # checked against the file's size and mtime when the cache was read
        return recorded == output.sha256
    if isinstance(output, LinkedFile):
        with contextlib.suppress(OSError):
            if os.path.samefile(target, output.source):
                return True
        return recorded == output.sha256 and sha256_file(target) == output.sha256
    if target.stat().st_size != len(output):
        return False
    return target.read_bytes() == output


def write_site(out: Path, outputs: Mapping[str, Output]) -> BuildReport:
    """Make ``out`` hold exactly ``outputs`` among the files the site writes; see the module's doc."""
    previous = read_manifest(out)
    report = BuildReport(out)
    pending: list[str] = []
    foreign: list[str] = []
    for path, output in sorted(outputs.items()):
        target = out / path
        if _same(target, output, previous.get(path)):
            report.unchanged += 1
        elif (target.exists() or target.is_symlink()) and path not in previous:
            foreign.append(path)
        else:
            pending.append(path)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise BadInputError(
            f"holds files gazette site did not write ({shown}); choose another --out or move them", path=str(out)
        )
    folders: set[Path] = set()
    for path in pending:
        target = out / path
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        _put(target, outputs[path])
        report.written.append(path)
    for path in sorted(previous.keys() - outputs.keys()):
        target = out / path
        if not target.is_file():
            continue
        if sha256_file(target) != previous[path]:
            report.kept.append(path)  # changed by someone since the site wrote it
            continue
        target.unlink()
        report.removed.append(path)
        _remove_empty_folders(target.parent, out)
    manifest = {"format": _FORMAT, "files": {path: _sha(output) for path, output in sorted(outputs.items())}}
    out.mkdir(parents=True, exist_ok=True)
    _write_bytes(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode())
    return report


def _write_bytes(target: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one (a derived site: no fsync per file).
    The folder exists."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _put(target: Path, output: Output) -> None:
    if isinstance(output, Kept):
        raise BadInputError("was removed while gazette site ran; run it again", path=str(target))
    if not isinstance(output, LinkedFile):
        _write_bytes(target, output)
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        try:
            os.link(output.source, temporary)
        except OSError:
            shutil.copyfile(output.source, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_empty_folders(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
