"""What `gazette site` may keep from its last build instead of rendering a document's files again.

A document's page is a function of its page data (`pages.document_page`: the document, its
issue, its PDFs, original, page images and the documents it interprets or that interpret it),
the site's base URL and name, and the renderer (the code of `gazette`, templates included).
`page_key` is the SHA-256 of all of them; the document's public XML is a function of its
stored XML, named by the archive manifest's SHA-256. ``DIR/.gazette-site-cache.json`` records,
per document, both keys and the size and mtime of the three files the build wrote for it.

The next build renders a document again unless both keys are the same and each of its files is
still the one recorded (same size and mtime, and the site manifest names the same SHA-256):
then its files are `Kept` and not read, rendered or written. Anything else, a missing or
unreadable cache included, means rendering as if there were none: the cache only saves time.

Page images made from originals (`gazette.web.derived`) have a record of their own,
``DIR/.gazette-site-images.json`` (site path → the key they were made from, SHA-256, size and
mtime, and the encoder's version): a new renderer renders pages again, not images.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gazette.web.pages import Page, SiteData

CACHE = ".gazette-site-cache.json"
_FORMAT = 1


@dataclass(frozen=True)
class Kept:
    """A file of the last build that this one leaves as it is (its bytes are not at hand)."""

    sha256: str


@dataclass(frozen=True)
class Entry:
    """What the last build wrote for one document."""

    page_key: str
    xml_sha256: str
    files: Mapping[str, tuple[str, int, int]]  # site path → (SHA-256, size, mtime_ns)


@functools.cache
def renderer_version() -> str:
    """The SHA-256 of the files of the `gazette` package: code, templates, static files, tables
    (what makes a page's bytes from its data: any change to it renders every page again)."""
    digest = hashlib.sha256()
    root = resources.files("gazette")
    stack = [root]
    found = []
    while stack:
        folder = stack.pop()
        for item in folder.iterdir():
            if item.is_dir():
                if item.name != "__pycache__":
                    stack.append(item)
            elif not item.name.endswith(".pyc"):
                found.append(item)
    for item in sorted(found, key=lambda entry: str(entry)):
        digest.update(str(item).removeprefix(str(root)).encode("utf-8") + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def page_key(page: Page, data: SiteData) -> str:
    """The SHA-256 of everything a document page and its twin are made of (see the module's doc).
    The page data are frozen dataclasses, tuples, dicts and strings, whose ``repr`` shows every value."""
    text = repr((renderer_version(), page.path, page.template, data.base_url, data.site_name, page.context))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_cache(out: Path, recorded: Mapping[str, str]) -> dict[str, Entry]:
    """The entries of ``out``'s cache whose files are all still as the last build left them
    (``recorded``: the site manifest, path → SHA-256); nothing when there is no usable cache."""
    try:
        record = json.loads((out / CACHE).read_text("utf-8"))
        if record.get("format") != _FORMAT or record.get("renderer") != renderer_version():
            return {}
        documents = record["documents"]
        entries = {
            str(doc_id): Entry(
                str(raw["page"]),
                str(raw["xml"]),
                {str(path): (str(sha), int(size), int(mtime)) for path, (sha, size, mtime) in raw["files"].items()},
            )
            for doc_id, raw in documents.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {doc_id: entry for doc_id, entry in entries.items() if _unchanged(out, entry, recorded)}


def _unchanged(out: Path, entry: Entry, recorded: Mapping[str, str]) -> bool:
    for path, (sha, size, mtime) in entry.files.items():
        if recorded.get(path) != sha:
            return False
        try:
            stat = (out / path).stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return True


def write_cache(out: Path, made: Iterable[tuple[str, str, str, Iterable[tuple[str, str]]]]) -> None:
    """Record, per document (id, page key, XML SHA-256, its files with their SHA-256), the files
    as they now are in ``out``. A file that cannot be looked at leaves its document out."""
    documents: dict[str, Any] = {}
    for doc_id, key, xml_sha, files in made:
        entry = {}
        try:
            for path, sha in files:
                stat = (out / path).stat()
                entry[path] = [sha, stat.st_size, stat.st_mtime_ns]
        except OSError:
            continue
        documents[doc_id] = {"page": key, "xml": xml_sha, "files": entry}
    _write_json(out / CACHE, {"format": _FORMAT, "renderer": renderer_version(), "documents": documents})


def _write_json(target: Path, record: Mapping[str, Any]) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- page images made from the originals (`gazette.web.derived`) ---------------------------

IMAGE_CACHE = ".gazette-site-images.json"


@dataclass(frozen=True)
class ImageEntry:
    """What the last build wrote for a derived page image: the key it was made from, its SHA-256."""

    key: str
    sha256: str


def read_image_cache(out: Path, recorded: Mapping[str, str], encoder: str) -> dict[str, ImageEntry]:
    """The derived page images of ``out``'s last build that are still as it left them, when made
    by the same ``encoder`` (`derived.encoder_version`); nothing when there is no usable record.
    Apart from the pages' cache: a new renderer renders the pages again, not the images."""
    try:
        record = json.loads((out / IMAGE_CACHE).read_text("utf-8"))
        if record.get("format") != _FORMAT or record.get("encoder") != encoder:
            return {}
        images = {
            str(path): (str(key), str(sha), int(size), int(mtime))
            for path, (key, sha, size, mtime) in record["images"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {
        path: ImageEntry(key, sha)
        for path, (key, sha, size, mtime) in images.items()
        if _unchanged(out, Entry("", "", {path: (sha, size, mtime)}), recorded)
    }


def write_image_cache(out: Path, encoder: str, images: Iterable[tuple[str, str, str]]) -> None:
    """Record each derived page image (site path, key, SHA-256) as it now is in ``out``."""
    entries: dict[str, Any] = {}
    for path, key, sha in images:
        try:
            stat = (out / path).stat()
        except OSError:
            continue
        entries[path] = [key, sha, stat.st_size, stat.st_mtime_ns]
    if not entries:  # a site without derived images has no record of them
        (out / IMAGE_CACHE).unlink(missing_ok=True)
        return
    _write_json(out / IMAGE_CACHE, {"format": _FORMAT, "encoder": encoder, "images": entries})
