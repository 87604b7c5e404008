"""Which input files are pages of one source: a folder of page images is one scan.

Archives often hold one image per page (``name-p1.jpg``, ``name_0002.tif``, ``0001.png``).
Files read as one source are read as the pages of one file, in natural order (``p10``
after ``p9``): a document that runs across files is one document. How files are grouped:

- ``auto`` (the default): images in one folder whose names are one stem and a page
  number (``name-p1.jpg``, ``name_0002.tif``, ``0001.png`` …) are one source; every other
  file (a PDF, a saved page, an image named otherwise) is a source of its own;
- ``file``: every file is a source of its own;
- ``stem``: as ``auto``, and PDFs named so are grouped too (a scanner that writes a PDF a page);
- ``folder``: every image and PDF of one folder is one source.

Grouping goes by names only; the batch then reads the files' headers: a file that cannot
be read fails alone, and a file of several pages in a group by name (``scan_2.tif`` holding
a whole scan) is a source of its own (`ingest.batch`).
A group of one file is that file. A group's identity (`group_identity`) is a hash of its
files' hashes in order: the same pages give the same source whatever the folder is called,
and a page added, removed or changed gives another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gazette.exceptions import BadInputError
from ingest.intake import EXTENSIONS

GroupMode = Literal["auto", "file", "stem", "folder"]
GROUP_MODES: tuple[GroupMode, ...] = ("auto", "file", "stem", "folder")

_IMAGE_SUFFIXES = frozenset(EXTENSIONS["tiff"] + EXTENSIONS["jpeg"] + EXTENSIONS["png"])
_PDF_SUFFIXES = frozenset(EXTENSIONS["pdf"])
# A page number ending the name: `-p1`, `_0002`, ` page 3`, `第3页`, or the whole name (`0001`).
_PAGE_NAME = re.compile(r"(?P<stem>.*?)[-_ .]*(?:p|pg|page|第)?[-_ .]*(?P<page>\d+)页?", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class SourceGroup:
    """Files read as the pages of one source, in page order; ``how`` is the rule that grouped them."""

    files: tuple[Path, ...]
    how: Literal["file", "stem", "folder"] = "file"

    @property
    def grouped(self) -> bool:
        return len(self.files) > 1

    @property
    def name(self) -> str:
        """The source's name (in provenance and the report): the file's, or the first and last page's."""
        first, last = self.files[0], self.files[-1]
        return first.name if not self.grouped else f"{first.name} … {last.name}"


def check_mode(mode: str) -> GroupMode:
    """``mode`` when it is a grouping rule; BadInputError naming the choices otherwise."""
    for known in GROUP_MODES:
        if mode == known:
            return known
    raise BadInputError(f"--group takes {', '.join(GROUP_MODES)}, not {mode!r}")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts ``p10`` after ``p9``: runs of digits compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in _DIGITS.split(name) if part)


def page_stem(path: Path) -> str | None:
    """The stem shared by the pages of one source (``name`` of ``name-p3.jpg``; ``""`` of
    ``0003.png``), or None when the name does not end in a page number."""
    match = _PAGE_NAME.fullmatch(path.stem)
    return None if match is None else match["stem"].casefold()


def group_files(files: Sequence[Path], mode: GroupMode = "auto") -> list[SourceGroup]:
    """The sources ``files`` make under ``mode``, each at the place of its first file in ``files``."""
    keys: dict[Path, tuple[object, ...]] = {}
    for path in files:
        key = _group_key(path, mode)
        keys[path] = key if key is not None else ("file", path)
    members: dict[tuple[object, ...], list[Path]] = {}
    for path in files:
        members.setdefault(keys[path], []).append(path)
    groups = []
    for key, paths in members.items():
        ordered = tuple(sorted(paths, key=lambda p: natural_key(p.name))) if len(paths) > 1 else tuple(paths)
        how: Literal["file", "stem", "folder"] = "file" if len(paths) == 1 else key[0]  # type: ignore[assignment]
        groups.append(SourceGroup(ordered, how))
    return groups


def _group_key(path: Path, mode: GroupMode) -> tuple[object, ...] | None:
    suffix = path.suffix.lower()
    pageable = suffix in _IMAGE_SUFFIXES or (mode != "auto" and suffix in _PDF_SUFFIXES)
    if mode == "file" or not pageable:
        return None
    if mode == "folder":
        return ("folder", path.parent)
    stem = page_stem(path)
    # Images and PDFs of one stem are not pages of one source: PDFs stay apart from images.
    return None if stem is None else ("stem", path.parent, stem, suffix in _PDF_SUFFIXES)


def group_identity(sha256s: Iterable[str]) -> str:
    """The identity of a source made of files with these hashes, in page order (hex SHA-256)."""
    listed = "\n".join(["gazette-source-group", *sha256s])
    return hashlib.sha256(listed.encode("ascii")).hexdigest()
