"""The index as the archive sees it: where it lives, keeping it current, repairing it.

The archive's XML is the source of truth; an index is derived and can always be
rebuilt from it. Indexes live in ``<archive>/index/<backend>``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gazette.archive import Archive
from gazette.model import Document
from gazette.search.backend import IndexDamagedError, SearchBackend, SearchResult, Sort, backend_names, get_backend
from gazette.search.query import Filters

DEFAULT_BACKEND = "whoosh"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexReport:
    backend: str
    indexed: int
    removed: int
    rebuilt: bool


def index_dir(archive: Archive, backend: str) -> Path:
    return archive.root / "index" / backend


def open_backend(archive: Archive, backend: str = DEFAULT_BACKEND) -> SearchBackend:
    return get_backend(backend, index_dir(archive, backend))


def existing_backends(archive: Archive) -> list[str]:
    """The backends that already have an index in this archive."""
    return [name for name in backend_names() if open_backend(archive, name).exists()]


def index_documents(archive: Archive, docs: Iterable[Document]) -> None:
    """Bring every index of the archive up to date with `docs` (ingest calls this after storing them).

    With no index yet, the default one is built from the whole archive, `docs` included.
    """
    docs = list(docs)
    for name in existing_backends(archive) or [DEFAULT_BACKEND]:
        backend = open_backend(archive, name)
        if backend.exists():
            try:
                backend.update(docs)
                continue
            except IndexDamagedError as error:
                log.warning("%s; rebuilding it from the archive", error)
        backend.rebuild(archive.documents())


def rebuild_index(archive: Archive, backend: str = DEFAULT_BACKEND) -> int:
    """Rebuild the index from the archive's XML; returns how many documents it holds."""
    return open_backend(archive, backend).rebuild(archive.documents())


def update_index(archive: Archive, backend: str = DEFAULT_BACKEND) -> IndexReport:
    """Index every document of the archive and drop ids the archive no longer has (or made private).

    A missing or damaged index is rebuilt instead.
    """
    index = open_backend(archive, backend)
    if index.exists():
        try:
            docs = list(archive.documents())
            keep = {doc.id for doc in docs if doc.is_public}
            gone = index.ids() - keep
            indexed = index.update(docs)
            index.delete(gone)
            return IndexReport(backend, indexed, len(gone), rebuilt=False)
        except IndexDamagedError as error:
            log.warning("%s; rebuilding it from the archive", error)
    return IndexReport(backend, rebuild_index(archive, backend), 0, rebuilt=True)


def search(
    archive: Archive,
    query: str,
    filters: Filters = Filters(),
    *,
    backend: str = DEFAULT_BACKEND,
    sort: Sort = "relevance",
    page: int = 1,
    limit: int = 10,
) -> SearchResult:
    """Search the archive's index, building it first when there is none and rebuilding it once
    when it is damaged (a second failure is an `IndexDamagedError` that says `gazette index --rebuild`)."""
    index = open_backend(archive, backend)
    if not index.exists():
        index.rebuild(archive.documents())
    try:
        return index.search(query, filters, sort=sort, page=page, limit=limit)
    except IndexDamagedError as error:
        log.warning("%s; rebuilding it from the archive", error)
    index.rebuild(archive.documents())
    return index.search(query, filters, sort=sort, page=page, limit=limit)
