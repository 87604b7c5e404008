"""The index as the archive sees it: where it lives, keeping it current, repairing it.

The archive's XML is the source of truth; an index is derived and can always be
rebuilt from it. Indexes live in ``<archive>/index/<backend>``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gazette import settings
from gazette.archive import Archive, OnDamaged
from gazette.exceptions import GazetteError
from gazette.fsutil import sha256_file
from gazette.model import Document
from gazette.search.backend import (
    _KEEP,
    IndexDamagedError,
    SearchBackend,
    SearchResult,
    Sort,
    backend_names,
    get_backend,
)
from gazette.search.query import Filters

# Past this many documents tantivy answers within the search targets and Whoosh does not
# (docs/search.md, bench/results/search.json): `gazette index` says so.
TANTIVY_FROM = 50_000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexReport:
    backend: str
    indexed: int
    removed: int
    rebuilt: bool
    reason: str = ""  # why it was rebuilt, when `gazette index` was not asked to (made by another version)


def index_dir(archive: Archive, backend: str) -> Path:
    return archive.root / "index" / backend


def chosen_backend(archive: Archive, backend: str | None = None) -> str:
    """``backend`` when given, else the archive's ``search.backend`` setting (`gazette.settings`)."""
    return str(settings.setting(archive.root, "search.backend", backend))


def open_backend(archive: Archive, backend: str | None = None) -> SearchBackend:
    name = chosen_backend(archive, backend)
    return get_backend(name, index_dir(archive, name))


def existing_backends(archive: Archive) -> list[str]:
    """The backends that already have an index in this archive."""
    return [name for name in backend_names() if open_backend(archive, name).exists()]


def index_documents(archive: Archive, docs: Iterable[Document]) -> None:
    """Bring every index of the archive up to date with `docs` (ingest calls this after storing them).

    With no index yet, the default one is built from the whole archive, `docs` included
    (a damaged document file is left out and logged; `gazette index` names it).
    """
    docs = list(docs)
    for name in existing_backends(archive) or [chosen_backend(archive)]:
        backend = open_backend(archive, name)
        if backend.exists() and not _said_outdated(backend):
            try:
                # Sources kept: a document stored since is new or changed to the next `gazette index`.
                backend.update(docs, sources=_KEEP)
            except IndexDamagedError as error:
                log.warning("%s; rebuilding it from the archive", error)
                rebuild_index(archive, name, on_damaged=_log_damaged)
        elif refresh_index(archive, name, on_damaged=_log_damaged) is None:
            # Another process made it current first, perhaps from a listing without `docs`.
            backend.update(docs, sources=_KEEP)


def _said_outdated(index: SearchBackend) -> bool:
    """Whether the index was made by another version of gazette, said in one line (it is rebuilt)."""
    reason = index.outdated()
    if reason:
        log.warning(
            "%s: the search index was made by another version of gazette (%s); rebuilding it from the archive",
            index.index_dir,
            reason,
        )
    return reason is not None


def backend_hint(archive: Archive, backend: str) -> str | None:
    """A one-line suggestion to move to tantivy when the archive's Whoosh index has grown past `TANTIVY_FROM`."""
    if backend != "whoosh":
        return None
    count = open_backend(archive, backend).count()
    if count <= TANTIVY_FROM:
        return None
    return f"{count:,} documents: tantivy is faster past {TANTIVY_FROM:,} (gazette index --backend tantivy)"


def _log_damaged(path: Path, error: GazetteError) -> None:
    log.warning("left out of the index: %s", error)


def rebuild_index(archive: Archive, backend: str | None = None, on_damaged: OnDamaged | None = None) -> int:
    """Rebuild the index from the archive's XML; returns how many documents it holds.

    A document file that cannot be read raises, or with ``on_damaged`` is handed to it and left out.
    """
    index = open_backend(archive, backend)
    sources: dict[str, tuple[str, str]] = {}
    count = index.rebuild(_archive_documents(archive, on_damaged, sources))
    index.set_sources(sources)
    return count


def refresh_index(archive: Archive, backend: str | None = None, on_damaged: OnDamaged | None = None) -> int | None:
    """`rebuild_index` when the index is missing or was made by another version of gazette
    (`SearchBackend.outdated`), as found under the index lock; None when it was current."""
    index = open_backend(archive, backend)
    sources: dict[str, tuple[str, str]] = {}
    count = index.refresh(_archive_documents(archive, on_damaged, sources))
    if count is not None:
        index.set_sources(sources)
    return count


def _archive_documents(
    archive: Archive, on_damaged: OnDamaged | None, sources: dict[str, tuple[str, str]]
) -> Iterator[Document]:
    """The archive's documents, listed when the first is asked for (by a rebuild, under the index
    lock: what is stored after the listing reaches the index by its own update); ``sources``
    gets ``{path: (sha256, id)}`` of each one read."""
    for path, sha256 in _archive_sources(archive).items():
        doc = archive.read_document_or_report(archive.root / path, on_damaged)
        if doc is not None:
            sources[path] = (sha256, doc.id)
            yield doc


def update_index(archive: Archive, backend: str | None = None, on_damaged: OnDamaged | None = None) -> IndexReport:
    """Bring the index up to date with the archive: only documents whose XML is new or changed
    (by the SHA-256 in the archive's manifest) are read and indexed, and documents whose XML is
    gone (or that became private) are dropped. An index that does not record its sources is
    compared with every document once. A missing or damaged index, or one made by another
    version of gazette (the report says so), is rebuilt instead.
    A document file that cannot be read raises, or with ``on_damaged`` is handed to it and
    left as it was in the index (it is read again next time).
    """
    name = chosen_backend(archive, backend)
    index = open_backend(archive, name)
    if reason := index.outdated():
        count = refresh_index(archive, name, on_damaged)
        if count is not None:
            return IndexReport(name, count, 0, rebuilt=True, reason=f"made by another version of gazette: {reason}")
    if index.exists():
        try:
            return _update(archive, index, name, on_damaged)
        except IndexDamagedError as error:
            log.warning("%s; rebuilding it from the archive", error)
    return IndexReport(name, rebuild_index(archive, name, on_damaged), 0, rebuilt=True)


def _update(archive: Archive, index: SearchBackend, backend: str, on_damaged: OnDamaged | None) -> IndexReport:
    current = _archive_sources(archive)
    known = index.sources()
    if known is None:  # unknown: compare every document once
        read = _read_all(archive, current, on_damaged)
        docs = list(read.values())
        keep = {doc.id for doc in docs if doc.is_public}
        gone = index.ids() - keep
        indexed = index.update(docs)
        index.delete(gone, sources={path: (current[path], doc.id) for path, doc in read.items()})
        return IndexReport(backend, indexed, len(gone), rebuilt=False)
    changed = _read_all(
        archive, [path for path, sha in current.items() if known.get(path, ("", ""))[0] != sha], on_damaged
    )
    docs = list(changed.values())
    sources = {path: known[path] for path in current if path in known}
    sources.update({path: (current[path], doc.id) for path, doc in changed.items()})
    still = {doc_id for _, doc_id in sources.values()}
    vanished = sorted({doc_id for path, (_, doc_id) in known.items() if path not in current and doc_id not in still})
    if not docs and not vanished:
        return IndexReport(backend, 0, 0, rebuilt=False)
    indexed = index.update(docs, sources=_KEEP) if docs else 0
    index.delete(vanished, sources=sources)
    return IndexReport(backend, indexed, len(vanished), rebuilt=False)


def _read_all(archive: Archive, paths: Iterable[str], on_damaged: OnDamaged | None) -> dict[str, Document]:
    """``{path: document}`` of the paths that could be read."""
    read = {path: archive.read_document_or_report(archive.root / path, on_damaged) for path in paths}
    return {path: doc for path, doc in read.items() if doc is not None}


def _archive_sources(archive: Archive) -> dict[str, str]:
    """``{path of a document's XML relative to the archive: its SHA-256}``, from the manifest
    (a file the manifest does not know yet is hashed here)."""
    manifest = archive.manifest()
    sources: dict[str, str] = {}
    for path in archive.document_paths():
        rel = path.relative_to(archive.root).as_posix()
        sources[rel] = manifest.get(rel) or sha256_file(path)
    return sources


def search(
    archive: Archive,
    query: str,
    filters: Filters = Filters(),
    *,
    backend: str | None = None,
    sort: Sort | None = None,
    page: int = 1,
    limit: int = 10,
) -> SearchResult:
    """Search the archive's index, building it first when there is none or it was made by another
    version of gazette (a warning says so), and rebuilding it once when it is damaged (a second
    failure is an `IndexDamagedError` that says `gazette index --rebuild`).

    `sort` None is the query's own order: newest first for a 文号 prefix, else relevance.
    A page past the end has no hits (its `total` says how many there are)."""
    index = open_backend(archive, backend)
    if not index.exists() or _said_outdated(index):
        refresh_index(archive, backend)
    try:
        return index.search(query, filters, sort=sort, page=page, limit=limit)
    except IndexDamagedError as error:
        log.warning("%s; rebuilding it from the archive", error)
    rebuild_index(archive, backend)
    return index.search(query, filters, sort=sort, page=page, limit=limit)
