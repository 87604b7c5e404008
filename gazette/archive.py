"""The archive on disk: a BagIt bag a person can browse.

Layout (``root`` is the bag)::

    bagit.txt, bag-info.txt, manifest-sha256.txt   BagIt tag files
    data/originals/ab/ab12….pdf                    inputs, content-addressed by SHA-256, never modified
    data/documents/<id>.xml                        one Akoma Ntoso file per document
    data/issues/<id>.xml                           one Akoma Ntoso file per gazette issue
    data/pages/<sha256>/0001.png                   derived page images
    data/reports/<time>-<kind>.json                batch reports
    .gazette/journal                               manifest lines not yet folded into the manifest
    index/                                         the search index (derived; rebuilt from data/)

Every write is atomic (temporary file, then rename) and recorded in an append-only
journal, so a process killed mid-batch leaves a consistent archive whose fixity
still checks; `flush` folds the journal into ``manifest-sha256.txt``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gazette import akn
from gazette.exceptions import ArchiveDamagedError, BadInputError, GazetteError, NotFoundError
from gazette.fsutil import atomic_copy, atomic_write, exclusive_lock, sha256_bytes, sha256_file
from gazette.model import Document, Issue, Source

DEFAULT_ARCHIVE = "gazette-archive"
_MANIFEST = "manifest-sha256.txt"
_BAGIT_TXT = b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


def resolve_archive_path(option: str | os.PathLike[str] | None) -> Path:
    """``--archive DIR``, else ``$GAZETTE_ARCHIVE``, else ``./gazette-archive``."""
    return Path(option or os.environ.get("GAZETTE_ARCHIVE") or DEFAULT_ARCHIVE)


def file_name_for_id(identifier: str) -> str:
    """A file name for a document or issue id: readable, never a path."""
    name = _UNSAFE_NAME.sub("_", identifier).strip().lstrip(".")
    if not name:
        raise BadInputError(f"id {identifier!r} cannot name a file")
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

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, root: Path) -> Archive:
        """Open the archive at ``root``, making an empty bag there first when there is none."""
        archive = cls(root)
        if not (archive.root / "bagit.txt").exists():
            if archive.root.exists() and any(archive.root.iterdir()):
                raise BadInputError("is not empty and is not a gazette archive (no bagit.txt)", path=str(root))
            for folder in ("originals", "documents", "issues", "pages", "reports"):
                (archive.data / folder).mkdir(parents=True, exist_ok=True)
            atomic_write(archive.root / "bagit.txt", _BAGIT_TXT)
            atomic_write(
                archive.root / "bag-info.txt",
                b"Source-Organization: gazette\nBag-Software-Agent: gazette (https://gazette.example)\n",
            )
            atomic_write(archive.root / _MANIFEST, b"")
        return archive

    @classmethod
    def open_existing(cls, root: Path) -> Archive:
        archive = cls(root)
        if not (archive.root / "bagit.txt").is_file():
            raise NotFoundError(
                "no gazette archive here (no bagit.txt); run `gazette demo` or `gazette ingest` first,"
                " or pass --archive DIR",
                path=str(root),
            )
        return archive

    # -- writing -----------------------------------------------------------------

    def store_original(self, path: Path) -> tuple[Source, bool]:
        """Store an input file untouched; returns its Source and whether it was new."""
        sha = sha256_file(path)
        target = self.original_path(sha, path.suffix)
        if target.exists():
            return Source(file=path.name, sha256=sha, pages=0), False
        copied = atomic_copy(path, target)
        if copied != sha:
            target.unlink()
            raise BadInputError("changed while it was being read; try again", path=str(path))
        target.chmod(0o444)
        self._record(target, sha)
        return Source(file=path.name, sha256=sha, pages=0), True

    def put_document(self, doc: Document) -> Path:
        return self._put_bytes(self.document_path(doc.id), akn.document_to_xml(doc))

    def put_issue(self, issue: Issue) -> Path:
        return self._put_bytes(self.data / "issues" / f"{file_name_for_id(issue.id)}.xml", akn.issue_to_xml(issue))

    def put_page_image(self, source_sha256: str, page: int, png: bytes) -> Path:
        return self._put_bytes(self.page_image_path(source_sha256, page), png)

    def page_image_path(self, source_sha256: str, page: int) -> Path:
        """Where the upright page image read by OCR is stored (it may not exist)."""
        return self.data / "pages" / source_sha256 / f"{page:04d}.png"

    def write_report(self, kind: str, report: dict[str, Any]) -> Path:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        data = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        return self._put_bytes(self.data / "reports" / f"{stamp}-{kind}.json", data)

    def _put_bytes(self, target: Path, data: bytes) -> Path:
        sha = sha256_bytes(data)
        if target.exists() and sha256_file(target) == sha:
            return target  # a re-run on the same input adds nothing
        atomic_write(target, data)
        self._record(target, sha)
        return target

    def _record(self, target: Path, sha: str) -> None:
        line = f"{sha}  {target.relative_to(self.root).as_posix()}\n".encode("utf-8")
        with exclusive_lock(self._lock, what="archive"):
            with self._journal.open("ab") as journal:
                journal.write(line)
                journal.flush()
                os.fsync(journal.fileno())

    def flush(self) -> None:
        """Fold the journal into ``manifest-sha256.txt`` so BagIt tools see every file."""
        with exclusive_lock(self._lock, what="archive"):
            if not self._journal.exists() or self._journal.stat().st_size == 0:
                return
            entries = self.manifest()
            lines = "".join(f"{sha}  {path}\n" for path, sha in sorted(entries.items()))
            atomic_write(self.root / _MANIFEST, lines.encode("utf-8"))
            self._journal.unlink()

    # -- reading -----------------------------------------------------------------

    def manifest(self) -> dict[str, str]:
        """Every payload path with its SHA-256: the manifest, then the journal over it."""
        entries: dict[str, str] = {}
        for source in (self.root / _MANIFEST, self._journal):
            if not source.exists():
                continue
            for number, line in enumerate(source.read_text("utf-8").splitlines(), 1):
                sha, sep, rel = line.partition("  ")
                if not sep or len(sha) != 64:
                    if line.strip():
                        raise ArchiveDamagedError(f"line {number} is not `sha256  path`", path=str(source))
                    continue
                entries[rel] = sha
        return entries

    def original_path(self, sha256: str, suffix: str = "") -> Path:
        return self.data / "originals" / sha256[:2] / f"{sha256}{suffix.lower()}"

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

    def documents(self) -> Iterator[Document]:
        for path in self.document_paths():
            yield self.read_document(path)

    def issues(self) -> Iterator[Issue]:
        for path in self.issue_paths():
            yield akn.issue_from_xml(path.read_bytes(), path=str(path))

    def get_document(self, ref: str) -> Document:
        """A document by id, or by its 文号 in any printed form."""
        from gazette.docnumber import parse_doc_number

        candidates = [ref]
        parsed = parse_doc_number(ref)
        if parsed is not None:
            candidates.append(parsed.canonical)
        for candidate in candidates:
            path = self.document_path(candidate)
            try:
                found = path.exists()
            except OSError as error:
                import errno

                if error.errno != errno.ENAMETOOLONG:
                    raise
                found = False  # an id too long to name a file names no stored document
            if found:
                return self.read_document(path)
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
