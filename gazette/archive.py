"""The archive on disk: a BagIt bag a person can browse.

Layout (``root`` is the bag)::

    bagit.txt, bag-info.txt, manifest-sha256.txt   BagIt 1.0 tag files (`gazette.baginfo`)
    gazette.toml                                   the archive's settings (`gazette.settings`)
    data/originals/ab/ab12….pdf                    inputs, content-addressed by SHA-256, never modified
    data/documents/<id>.xml                        one Akoma Ntoso file per document (its current version)
    data/versions/<id>/<N>.xml                     earlier versions of a document, kept by every change
    data/issues/<id>.xml                           one Akoma Ntoso file per gazette issue
    data/pages/<sha256>/0001.json                  how OCR turned page 1 upright (`ingest.pageimage`)
    data/pages/<sha256>/0001.png|.webp             its reading copy: 1-bit PNG or grey WebP (older
                                                   archives: a lossless grey PNG and no .json)
    data/reports/<time>-<kind>.json                batch reports
    data/unstored/<sha256>.json                    documents read but not storable as XML, kept for review
    .gazette/journal, .gazette/lock                manifest lines not yet folded in; the writers' lock
    work/                                          staging, OCR checkpoints, "done" markers (outside the bag)
    index/                                         the search index (derived; rebuilt from data/)

Every write is atomic (temporary file, then rename) and recorded in an append-only
journal, so a process killed mid-batch leaves a consistent archive whose fixity
still checks; `flush` folds the journal into ``manifest-sha256.txt``. Any number of
processes may write at once: every check-then-write (is this id free? is this
original kept?) happens under the archive's lock (`locked`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gazette import akn, baginfo, settings
from gazette.exceptions import ArchiveDamagedError, BadInputError, GazetteError, NotFoundError
from gazette.fsutil import atomic_copy, atomic_write, exclusive_lock, sha256_bytes, sha256_file
from gazette.model import Change, Document, Issue, ReviewFlag, Source, document_to_json
from gazette.readings import CONFLICT, SAME_TEXT, place_id, quality, same_reading, similarity

if TYPE_CHECKING:
    from gazette.issuedata import IssueData
    from gazette.search import SearchResult
    from gazette.search.backend import Sort
    from ingest.batch import BatchReport, Progress
    from ingest.grouping import GroupMode

DEFAULT_ARCHIVE = "gazette-archive"
_MANIFEST = "manifest-sha256.txt"
# A journal line that takes a path out of the manifest (a file renamed by `gazette upgrade`).
_REMOVED = "-"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|\u2028\u2029]")
# Longest file name most file systems take, in bytes; ids past it are cut and given a hash.
_NAME_BYTES = 240
# What an original's name may end in: the archive chooses it from the detected type.
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
#: A page's reading copy, in the order looked for; with its geometry record, what ``data/pages`` holds.
_IMAGE_SUFFIXES = (".png", ".webp")
_PAGE_SUFFIXES = (*_IMAGE_SUFFIXES, ".json")
# What `create` may find in a folder another process is making into an archive right now.
_BAG_FILES = {".gazette", "data", "bagit.txt", "bag-info.txt", _MANIFEST}

#: Called with a damaged document file and the error, when a reader goes on past it.
OnDamaged = Callable[[Path, GazetteError], None]


def resolve_archive_path(option: str | os.PathLike[str] | None) -> Path:
    """``--archive DIR``, else ``$GAZETTE_ARCHIVE``, else ``./gazette-archive``."""
    return Path(option or os.environ.get("GAZETTE_ARCHIVE") or DEFAULT_ARCHIVE)


def file_name_for_id(identifier: str) -> str:
    """A file name for a document or issue id: readable, never a path."""
    name = _UNSAFE_NAME.sub("_", identifier).strip().lstrip(".")
    if not name:
        raise BadInputError(f"id {identifier!r} cannot name a file")
    if len(name.encode("utf-8")) > _NAME_BYTES:
        digest = sha256_bytes(name.encode("utf-8", "surrogatepass"))[:16]
        name = name.encode("utf-8")[: _NAME_BYTES - 20].decode("utf-8", "ignore") + "~" + digest
    return name


@dataclass(frozen=True)
class FixityProblem:
    """One thing wrong with the archive, for `gazette verify` to name."""

    path: str
    kind: Literal["missing", "altered", "unexpected", "invalid"]
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}" + (f" ({self.detail})" if self.detail else "")


class Archive:
    """An archive folder. Reading needs no lock; manifest updates take ``.gazette/lock``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.data = self.root / "data"
        self._journal = self.root / ".gazette" / "journal"
        self._lock = self.root / ".gazette" / "lock"
        self._lock_depth = 0
        self._format: int | None = None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, root: Path) -> Archive:
        """Open the archive at ``root``, making an empty bag there first when there is none.

        Several processes may create the same archive at once: the bag is made under the lock.
        """
        archive = cls(root)
        if (archive.root / "bagit.txt").exists():
            baginfo.check_readable(archive.root)
            return archive
        if archive.root.exists() and not archive.root.is_dir():
            raise BadInputError("is a file, not an archive folder", path=str(root))
        if archive.root.exists() and any(not _made_by_create(entry.name) for entry in archive.root.iterdir()):
            raise BadInputError("is not empty and is not a gazette archive (no bagit.txt)", path=str(root))
        with archive.locked():
            if not (archive.root / "bagit.txt").exists():
                for folder in ("originals", "documents", "issues", "pages", "reports"):
                    (archive.data / folder).mkdir(parents=True, exist_ok=True)
                atomic_write(archive.root / _MANIFEST, b"")
                baginfo.write_bag_info(archive.root, [], archive.source_organization())
                atomic_write(archive.root / "bagit.txt", baginfo.BAGIT_TXT)  # last: it marks the bag as made
        baginfo.check_readable(archive.root)
        return archive

    @classmethod
    def open_existing(cls, root: Path) -> Archive:
        archive = cls(root)
        if archive.root.exists() and not archive.root.is_dir():
            raise NotFoundError("is a file, not an archive folder; pass --archive DIR", path=str(root))
        if not (archive.root / "bagit.txt").is_file():
            raise NotFoundError(
                "no gazette archive here (no bagit.txt); run `gazette demo` or `gazette ingest` first,"
                " or pass --archive DIR",
                path=str(root),
            )
        baginfo.check_readable(archive.root)
        return archive

    def source_organization(self) -> str:
        return str(settings.setting(self.root, "archive.source_organization"))

    def allow_upgrade(self) -> None:
        """Let `gazette.upgrade` write to an archive of an older format (nothing else may)."""
        self._format = baginfo.FORMAT_VERSION

    def replace_bytes(self, path: Path, data: bytes) -> None:
        """Rewrite a payload file with ``data`` (`gazette.upgrade` only), atomically and in the journal."""
        self._put_bytes(path, data)

    def _check_writable(self) -> None:
        """Only an archive of this library's format is written to; an older one is upgraded first."""
        if self._format is None:
            self._format = baginfo.format_version(self.root)
        if self._format != baginfo.FORMAT_VERSION:
            raise baginfo.FormatError(
                f"archive format {self._format} is older than this gazette writes ({baginfo.FORMAT_VERSION});"
                f" run `gazette upgrade --archive {self.root}` first",
                path=str(self.root),
            )

    # -- the Python API: what `import gazette` offers, and what the command line calls ----

    @classmethod
    def open(cls, root: str | os.PathLike[str]) -> Archive:
        """The archive at ``root``; NotFoundError when there is none (`create` makes one)."""
        return cls.open_existing(Path(root))

    def get(self, ref: str) -> Document:
        """A document by its id, or by its 文号 in any printed form; NotFoundError when none."""
        return self.get_document(ref)

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        engine: str = "rapidocr",
        workers: int = 0,
        scheduler: str | None = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        group: GroupMode = "auto",
        issue: IssueData | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> BatchReport:
        """Ingest files and folders (PDFs, scans, saved pages): documents stored and indexed, the
        report returned and kept in ``data/reports/``. ``group`` says which files are pages of one
        source (`ingest.grouping`); ``issue`` gives the issue's data (`gazette.issuedata`). See
        `ingest.batch.run_batch`."""
        from gazette.search import index_documents
        from ingest.batch import run_batch
        from ingest.limits import Limits
        from ingest.pipeline import IngestConfig

        config = IngestConfig(engine=engine, limits=Limits.for_archive(self.root))
        return run_batch(
            [Path(path) for path in paths],
            self,
            config,
            on_progress=on_progress,
            on_documents=lambda docs: index_documents(self, docs),
            workers=workers,
            scheduler=scheduler,
            include=include,
            exclude=exclude,
            group=group,
            issue=issue,
        )

    def search(
        self,
        query: str,
        *,
        issuer: str | None = None,
        doc_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        sort: Sort | None = None,
        page: int = 1,
        limit: int = 10,
        backend: str | None = None,
    ) -> SearchResult:
        """Search the archive (the query language of `gazette search`, docs/search.md)."""
        from gazette.search import Filters
        from gazette.search import search as run_search

        filters = Filters(issuer=issuer, doc_type=doc_type, date_from=date_from, date_to=date_to)
        return run_search(self, query, filters, backend=backend, sort=sort, page=page, limit=limit)

    # -- writing -----------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the archive's lock, across processes; re-entrant within this object.

        Every check-then-write (an id is free, an original is not kept yet) runs inside it.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with exclusive_lock(self._lock, what="archive"):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def store_original(self, path: Path, extension: str = "") -> tuple[Source, bool]:
        """Store an input file untouched; returns its Source and whether it was new.

        Its name in the archive is its SHA-256 and ``extension`` (the detected type's;
        default the input's own, when it is a plain one): never the input's name.
        """
        sha = sha256_file(path)
        staging = self.staging_dir()
        try:
            staged = self.stage_original(path, sha, extension or path.suffix, staging)
            return Source(file=path.name, sha256=sha, pages=0), self.keep_original(staged, sha)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def staging_dir(self) -> Path:
        """A folder of this process's own under ``work/staging`` (outside the payload); the caller
        removes it. Folders left by processes that were killed are removed here."""
        staging = self.root / "work" / "staging"
        for left in staging.glob("*-*") if staging.is_dir() else ():
            pid = left.name.split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(left, ignore_errors=True)
        folder = staging / f"{os.getpid()}-{os.urandom(4).hex()}"
        folder.mkdir(parents=True)
        return folder

    def stage_original(self, path: Path, sha256: str, extension: str, staging: Path) -> Path:
        """A copy of ``path`` to read before deciding to keep it: the kept original when it is
        already in the archive, else a copy in ``staging``. Refuses a file that changed while copied."""
        name = f"{sha256}{safe_extension(extension)}"
        kept = self.find_original(sha256)
        if kept is not None:
            return kept
        staged = staging / name
        if atomic_copy(path, staged) != sha256:
            staged.unlink()
            raise BadInputError("changed while it was being read; try again", path=str(path))
        return staged

    def keep_original(self, staged: Path, sha256: str) -> bool:
        """Put a staged original into ``data/originals`` (read-only, in the manifest); False when
        the archive already had it. The staged copy stays readable where it is."""
        self._check_writable()
        with self.locked():
            if self.find_original(sha256) is not None:
                return False
            target = self.data / "originals" / sha256[:2] / staged.name
            _link_or_copy(staged, target)
            target.chmod(0o444)
            self._record(target, sha256)
            return True

    def keep_page_images(self, staged: Path, source_sha256: str) -> None:
        """What OCR kept of a source's pages (``staged``) into ``data/pages`` (those not there yet)."""
        if not staged.is_dir():
            return
        self._check_writable()
        with self.locked():
            for image in sorted(path for path in staged.iterdir() if path.suffix in _PAGE_SUFFIXES):
                target = self.data / "pages" / source_sha256 / image.name
                if not target.exists():
                    _link_or_copy(image, target)
                    self._record(target, sha256_file(target))

    def add_document(self, doc: Document) -> Document:
        """Store an ingested document and return it as stored; the checks and writes hold the lock.

        - Its id is free: stored under it.
        - Read again from the same original and pages as the document under its id or one of
          its readings: replaces that reading, which keeps its id, its first ``created`` date,
          its links and its conflict flags; a reading a person has changed is kept as it is.
        - Another original, and the text agrees (`gazette.readings`): a second reading of the
          document, stored as ``ID~<8 hex>`` and linked both ways. When it is the better
          reading and no person has touched the document, it becomes the document (a new
          version of ``ID``, recorded) and the other moves to its own ``ID~<8 hex>``.
        - Another original, and the text differs: both stay documents, the new one as
          ``ID~<8 hex>``, and each gets a conflict review flag naming the other.
        """
        with self.locked():
            head = self.stored_document(doc.id)
            if head is not None and head.reading_of is not None:
                head = self.stored_document(head.reading_of) or head
            if head is None or doc.source is None:
                self.put_document(doc)
                return doc
            family = [head, *filter(None, map(self.stored_document, (*head.readings, place_id(doc.id, doc))))]
            previous = next((stored for stored in family if same_reading(stored, doc)), None)
            if previous is not None:
                return self._read_again(doc, previous)
            score = similarity(doc, head)
            if score >= SAME_TEXT:
                return self._add_reading(doc, head, score)
            return self._add_conflict(doc, head, score)

    def _read_again(self, doc: Document, previous: Document) -> Document:
        if _changed_by_person(previous):
            return previous  # a machine's re-reading never overwrites a person's corrections
        kept = tuple(flag for flag in previous.needs_review if flag.reason.startswith(CONFLICT))
        placed = replace(
            doc,
            id=previous.id,
            reading_of=previous.reading_of,
            readings=previous.readings,
            changes=previous.changes,
            needs_review=(*doc.needs_review, *(flag for flag in kept if flag not in doc.needs_review)),
        )
        if previous.provenance is not None and placed.provenance is not None:
            # Read again, the document keeps the date it was first stored on: the same bytes on any day.
            placed = replace(placed, provenance=replace(placed.provenance, created=previous.provenance.created))
        self.put_document(placed)
        return placed

    def _add_reading(self, doc: Document, head: Document, score: float) -> Document:
        if head.changes or quality(doc) <= quality(head):
            reading = replace(doc, id=place_id(doc.id, doc), reading_of=head.id)
            self.put_document(reading)
            self.put_document(replace(head, readings=(*head.readings, reading.id)))  # a link: no new version
            return reading
        moved = replace(head, id=place_id(head.id, head), reading_of=head.id, readings=())
        self.put_document(moved)
        change = Change(
            head.version + 1,
            "reading",
            "",
            _source_name(head),
            _source_name(doc),
            "gazette",
            _now(),
            f"better reading (confidence {quality(doc)[0]:.3f} over {quality(head)[0]:.3f}, text similarity"
            f" {score:.3f}); the other is kept as {moved.id}",
        )
        placed = replace(doc, id=head.id, readings=(*head.readings, moved.id), changes=(change,))
        self.put_new_version(placed)
        return placed

    def _add_conflict(self, doc: Document, head: Document, score: float) -> Document:
        placed_id = place_id(doc.id, doc)

        def flag(other: str, source: str) -> ReviewFlag:
            return ReviewFlag(
                "doc_number",
                f"{CONFLICT}：文号与 {other}（{source}）相同而正文不同（相似度 {score:.2f}）；"
                "核对文号，确为同一文件时用 gazette merge",
            )

        placed = replace(doc, id=placed_id, needs_review=(*doc.needs_review, flag(head.id, _source_name(head))))
        self.put_document(placed)
        mark = flag(placed_id, _source_name(doc))
        if mark not in head.needs_review:
            self.put_document(replace(head, needs_review=(*head.needs_review, mark)))  # a flag: no new version
        return placed

    # -- versions ----------------------------------------------------------------

    def version_path(self, doc_id: str, version: int) -> Path:
        return self.data / "versions" / file_name_for_id(doc_id) / f"{version}.xml"

    def versions(self, doc_id: str) -> dict[int, Path]:
        """The kept earlier versions of a document: ``{version: path}``, oldest first."""
        folder = self.data / "versions" / file_name_for_id(doc_id)
        found = [path for path in folder.glob("*.xml") if path.stem.isdigit()] if folder.is_dir() else []
        return {int(path.stem): path for path in sorted(found, key=lambda path: int(path.stem))}

    def put_version(self, doc_id: str, version: int, data: bytes) -> Path:
        """Keep ``data``, version ``version`` of a document's XML, as ``data/versions/<id>/<N>.xml``:
        atomically and in the journal. A version is kept once; other bytes for it are refused."""
        target = self.version_path(doc_id, version)
        with self.locked():
            if target.exists() and sha256_file(target) != sha256_bytes(data):
                raise ArchiveDamagedError(
                    f"version {version} of {doc_id} is kept already, with other content", path=str(target)
                )
            return self._put_bytes(target, data)

    def put_new_version(self, doc: Document) -> Path:
        """Store ``doc`` as the next version of the document under its id: the stored XML is kept
        first as ``data/versions/<id>/<N>.xml``, then the new one replaces it. Under the lock; a
        process killed between the two leaves the old document and a copy of it, and a rerun goes on."""
        with self.locked():
            path = self.document_path(doc.id)
            if path.exists():
                data = path.read_bytes()
                stored = akn.document_from_xml(data, path=str(path))
                if stored.version >= doc.version:
                    raise GazetteError(f"document {doc.id} is at version {stored.version} already; read it again")
                self.put_version(doc.id, stored.version, data)
            return self.put_document(doc)

    def keep_unstored(self, doc: Document, reason: str) -> Path:
        """Keep a document that could not be stored as XML, as JSON, for review: nothing read is lost.

        The JSON is ASCII-escaped, so whatever the text holds can be written.
        """
        record = document_to_json(doc) | {"text": doc.text, "reason": reason}
        data = json.dumps(record, ensure_ascii=True, indent=1, sort_keys=True).encode("ascii")
        return self._put_bytes(self.data / "unstored" / f"{sha256_bytes(data)}.json", data)

    def unstored(self) -> list[dict[str, Any]]:
        """Documents kept by `keep_unstored`, as their JSON records."""
        return [json.loads(path.read_text("ascii")) for path in sorted((self.data / "unstored").glob("*.json"))]

    def put_document(self, doc: Document) -> Path:
        return self._put_bytes(self.document_path(doc.id), akn.document_to_xml(doc))

    def put_issue(self, issue: Issue) -> Path:
        return self._put_bytes(self.data / "issues" / f"{file_name_for_id(issue.id)}.xml", akn.issue_to_xml(issue))

    def put_file(self, relative: str, data: bytes) -> Path:
        """Store derived bytes (a published PDF, an export) at ``data/<relative>``, atomically and
        in the manifest; ``relative`` is a path the library chose (``published/<id>.pdf``), never user input."""
        target = (self.data / relative).resolve()
        if not target.is_relative_to(self.data.resolve()) or relative.startswith(
            ("originals/", "documents/", "versions/")
        ):
            raise BadInputError(f"{relative!r} is not a place for derived files in the archive")
        return self._put_bytes(self.data / relative, data)

    def staged_page_images(self, source_sha256: str) -> Path:
        """Where OCR workers leave a source's upright page images until `keep_page_images` takes them."""
        return self.root / "work" / "pages" / source_sha256

    def page_image_path(self, source_sha256: str, page: int) -> Path:
        """The reading copy of a page read by OCR (1-bit PNG, grey WebP, or an older archive's
        grey PNG); the ``.png`` path when there is none."""
        stem = self.data / "pages" / source_sha256 / f"{page:04d}"
        for suffix in _IMAGE_SUFFIXES:
            if (path := stem.with_suffix(suffix)).exists():
                return path
        return stem.with_suffix(".png")

    def page_geometry_path(self, source_sha256: str, page: int) -> Path:
        """How OCR turned a page upright (`ingest.pageimage.Geometry`; absent in older archives)."""
        return self.data / "pages" / source_sha256 / f"{page:04d}.json"

    def write_report(self, kind: str, report: dict[str, Any]) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        # Readable Chinese; a lone surrogate (an undecodable name that slipped through) is escaped, not fatal.
        data = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8", "backslashreplace")
        return self._put_bytes(self.data / "reports" / f"{stamp}-{kind}.json", data)

    def _put_bytes(self, target: Path, data: bytes) -> Path:
        sha = sha256_bytes(data)
        self._check_writable()
        with self.locked():
            if target.exists() and sha256_file(target) == sha:
                return target  # a re-run on the same input adds nothing
            atomic_write(target, data)
            self._record(target, sha)
        return target

    def _record(self, target: Path, sha: str) -> None:
        self._journal_line(f"{sha}  {target.relative_to(self.root).as_posix()}\n")

    def _journal_line(self, line: str) -> None:
        self._check_writable()
        with self.locked(), self._journal.open("ab") as journal:
            journal.write(line.encode("utf-8"))
            journal.flush()
            os.fsync(journal.fileno())

    def move(self, source: Path, target: Path) -> None:
        """Rename a payload file (`gazette upgrade` only): the new name enters the manifest before the
        rename and the old one leaves it after, so a kill in between leaves a state a rerun completes."""
        with self.locked():
            self._record(target, sha256_file(source))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            self._journal_line(f"{_REMOVED}  {source.relative_to(self.root).as_posix()}\n")

    def flush(self, *, force: bool = False) -> None:
        """Fold the journal into ``manifest-sha256.txt`` so BagIt tools see every file, and bring
        ``bag-info.txt``'s Payload-Oxum up to date (``force``: even with nothing in the journal)."""
        with self.locked():
            if not force and (not self._journal.exists() or self._journal.stat().st_size == 0):
                return
            entries = self.manifest()
            lines = "".join(f"{sha}  {path}\n" for path, sha in sorted(entries.items()))
            atomic_write(self.root / _MANIFEST, lines.encode("utf-8"))
            present = [self.root / path for path in entries if (self.root / path).exists()]
            baginfo.write_bag_info(self.root, present, self.source_organization())
            self._journal.unlink(missing_ok=True)

    # -- reading -----------------------------------------------------------------

    def manifest(self) -> dict[str, str]:
        """Every payload path with its SHA-256: the manifest, then the journal over it."""
        entries: dict[str, str] = {}
        for source in (self.root / _MANIFEST, self._journal):
            if not source.exists():
                continue
            # "\n" alone ends a line: a name may hold U+2028 and the like, which splitlines() would split on.
            for number, line in enumerate(source.read_text("utf-8").split("\n"), 1):
                sha, sep, rel = line.partition("  ")
                if sep and sha == _REMOVED and source == self._journal:
                    entries.pop(rel, None)
                    continue
                if not sep or len(sha) != 64:
                    if line.strip():
                        raise ArchiveDamagedError(f"line {number} is not `sha256  path`", path=str(source))
                    continue
                entries[rel] = sha
        return entries

    def find_original(self, sha256: str) -> Path | None:
        folder = self.data / "originals" / sha256[:2]
        matches = sorted(folder.glob(f"{sha256}*")) if folder.is_dir() else []
        return matches[0] if matches else None

    def document_path(self, doc_id: str) -> Path:
        return self.data / "documents" / f"{file_name_for_id(doc_id)}.xml"

    def document_paths(self) -> list[Path]:
        return sorted((self.data / "documents").glob("*.xml"))

    def issue_paths(self) -> list[Path]:
        return sorted((self.data / "issues").glob("*.xml"))

    def read_document(self, path: Path) -> Document:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ArchiveDamagedError(f"cannot read: {error.strerror}", path=str(path)) from None
        return akn.document_from_xml(data, path=str(path))

    def stored_document(self, doc_id: str) -> Document | None:
        """The document stored under exactly this id, if any."""
        path = self.document_path(doc_id)
        return self.read_document(path) if path.exists() else None

    def documents(self, on_damaged: OnDamaged | None = None) -> Iterator[Document]:
        """Every stored document. A file that cannot be read raises, or, with ``on_damaged``,
        is handed to it and passed over, so one damaged file does not hide the rest."""
        for path in self.document_paths():
            doc = self.read_document_or_report(path, on_damaged)
            if doc is not None:
                yield doc

    def read_document_or_report(self, path: Path, on_damaged: OnDamaged | None) -> Document | None:
        """`read_document`, or None after handing a damaged file to ``on_damaged`` (raises without one)."""
        try:
            return self.read_document(path)
        except GazetteError as error:
            if on_damaged is None:
                raise
            on_damaged(path, error)
            return None

    def issues(self) -> Iterator[Issue]:
        for path in self.issue_paths():
            yield akn.issue_from_xml(path.read_bytes(), path=str(path))

    def stored_issue(self, issue_id: str) -> Issue | None:
        path = self.data / "issues" / f"{file_name_for_id(issue_id)}.xml"
        return akn.issue_from_xml(path.read_bytes(), path=str(path)) if path.exists() else None

    def get_document(self, ref: str) -> Document:
        """A document by id, or by its 文号 in any printed form."""
        from gazette.docnumber import parse_doc_number

        candidates = [ref]
        parsed = parse_doc_number(ref)
        if parsed is not None:
            candidates.append(parsed.canonical)
        for candidate in candidates:
            path = self.document_path(candidate)
            if path.is_file():
                return self.read_document(path)
        # A 文号 a person corrected (`gazette edit --set doc_number=…`): the id stays what it was.
        wanted = set(candidates)
        for doc in self.documents(on_damaged=lambda path, error: None):
            if doc.doc_number in wanted and doc.reading_of is None:
                return doc
        raise NotFoundError(f"no document {ref!r} in the archive; `gazette list` shows the ids", path=str(self.root))

    # -- fixity ------------------------------------------------------------------

    def verify(self) -> list[FixityProblem]:
        """Check every payload file against the manifest, and every XML against the schema."""
        expected = self.manifest()
        present = {
            path.relative_to(self.root).as_posix()
            for path in self.data.rglob("*")
            if path.is_file() and not (path.name.startswith(".") and path.name.endswith(".tmp"))
        }
        problems: list[FixityProblem] = []
        for rel in sorted(expected.keys() - present):
            problems.append(FixityProblem(rel, "missing", "in the manifest but not on disk"))
        for rel in sorted(present - expected.keys()):
            problems.append(FixityProblem(rel, "unexpected", "on disk but not in the manifest"))
        for rel in sorted(expected.keys() & present):
            found = sha256_file(self.root / rel)
            if found != expected[rel]:
                problems.append(FixityProblem(rel, "altered", f"sha256 {found[:12]}…, expected {expected[rel][:12]}…"))
            elif rel.endswith(".xml"):
                problems.extend(self._check_xml(rel))
        return problems

    def _check_xml(self, rel: str) -> list[FixityProblem]:
        try:
            akn.assert_valid((self.root / rel).read_bytes(), path=rel)
        except GazetteError as error:
            return [FixityProblem(rel, "invalid", str(error))]
        return []


def _changed_by_person(doc: Document) -> bool:
    return any(change.action != "reading" for change in doc.changes)


def _source_name(doc: Document) -> str:
    return doc.source.file if doc.source else "?"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _made_by_create(name: str) -> bool:
    """Whether a file named so may be `create`'s own work in progress (in another process)."""
    return name in _BAG_FILES or (name.startswith(".") and name.endswith(".tmp"))


def safe_extension(extension: str) -> str:
    """``extension`` lower-cased when it is a plain one (``.pdf``, ``.tif``), else none at all."""
    extension = extension.lower()
    return extension if _EXTENSION.fullmatch(extension) else ""


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` appears whole or not at all, sharing ``source``'s data where the file system can."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(source, temporary)
    except OSError:
        atomic_copy(source, target)
        return
    os.replace(temporary, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
