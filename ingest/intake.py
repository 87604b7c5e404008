"""Inputs: expand paths, tell each file's kind from its content, refuse what cannot be read.

Folders are walked without leaving them: a link is followed only to a file inside the
folder named (a link to a folder is never followed, so no link can loop), and what is
left out is listed with its reason for the report (`Skipped`): dot files and folders,
the files systems leave beside scans (`SYSTEM_FILES`), an ``issue.toml`` (issue data
beside scanned pages, not a document), the archive itself when it lies in the input,
anything ``--include``/``--exclude`` leave out, and FIFOs, sockets and devices, which
are refused unopened (a FIFO would be read forever).

The kind comes from the first bytes, never the extension: a PDF named ``.txt`` is read
as a PDF, and the mismatch is reported. Images are measured from their header before
any pixel is decoded, so a decompression bomb is refused cheaply.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image

from gazette.exceptions import BadInputError
from ingest import encoding
from ingest.webpage import looks_like_html

FileKind = Literal["pdf", "tiff", "jpeg", "png", "html", "text"]

#: Extensions each kind is expected to carry; anything else is reported as a mismatch.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "tiff": (".tif", ".tiff"),
    "jpeg": (".jpg", ".jpeg", ".jpe"),
    "png": (".png",),
    "html": (".html", ".htm", ".shtml", ".txt", ".md"),
    "text": (".txt", ".md", ".text", ".html", ".htm"),
}
#: The largest image accepted: an A3 page at 600 dpi is about 70 million pixels.
MAX_IMAGE_PIXELS = 150_000_000
# Enough for a saved page whose <html> follows a long comment; read once per file.
_SNIFF_BYTES = 65536
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


@dataclass(frozen=True)
class InputFile:
    """A file to ingest: where it is, what its content is, and a note when the name says otherwise."""

    path: Path
    kind: FileKind
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    """A path left out of a batch on purpose, with the one-line reason the report gives."""

    path: Path
    reason: str


#: Files that systems and viewers leave beside scans (compared ignoring case); never documents.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini"})
#: Folders of the same kind: the resource forks a macOS zip unpacks into.
SYSTEM_FOLDERS = frozenset({"__macosx"})
#: Issue data beside scanned pages (the gazette's name, year, number): read with the pages, not a document.
ISSUE_FILE = "issue.toml"
_FILE_TYPES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


@dataclass(frozen=True)
class _Rules:
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    skip: tuple[Path, ...]  # resolved

    def in_skipped(self, resolved: Path) -> str | None:
        for root in self.skip:
            if resolved.is_relative_to(root):
                return f"is the archive ({root}) or inside it: the archive's own files are never ingested"
        return None

    def unselected(self, relative: str, name: str, folder: bool = False) -> str | None:
        """Why ``--include``/``--exclude`` leave a path out (include patterns never prune folders)."""
        excluded = _matching(self.exclude, relative, name)
        if excluded:
            return f"excluded by --exclude {excluded!r}"
        if self.include and not folder and not _matching(self.include, relative, name):
            return f"matches no --include pattern ({', '.join(map(repr, self.include))})"
        return None


def expand_paths(
    paths: Iterable[Path], *, include: Sequence[str] = (), exclude: Sequence[str] = (), skip: Iterable[Path] = ()
) -> tuple[list[Path], list[Skipped]]:
    """The files to ingest under ``paths``, in a stable order, and what was left out with why.

    Folders are walked recursively; files named are taken as named (a link named is
    followed: naming it says so), unless they are system files, issue data or inside a
    ``skip`` folder (the archive). ``include`` and ``exclude`` are glob patterns (``*``,
    ``?``, ``[…]``; ``*`` also matches ``/``), compared ignoring case with a file's path
    relative to the folder named and with its name alone: a file is taken when it matches
    some include pattern (when any is given) and no exclude pattern; a folder that matches
    an exclude pattern is left out whole. A file found twice is listed once.
    """
    rules = _Rules(tuple(include), tuple(exclude), tuple(_real(Path(root)) for root in skip))
    files: dict[Path, Path] = {}
    skipped: list[Skipped] = []
    for path in paths:
        found = _walk(path, rules, skipped) if path.is_dir() else _named(path, rules, skipped)
        for file in found:
            files.setdefault(_real(file), file)
    return list(files.values()), skipped


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (FIFO, socket, device, folder), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file; refused without opening it"


def _named(path: Path, rules: _Rules, skipped: list[Skipped]) -> list[Path]:
    reason = (
        _name_reason(path.name, hidden=False) or rules.in_skipped(_real(path)) or rules.unselected(path.name, path.name)
    )
    if reason:
        skipped.append(Skipped(path, reason))
        return []
    return [path]  # a missing file or a FIFO is refused, with its reason, by `identify`


def _name_reason(name: str, hidden: bool) -> str | None:
    if hidden and name.startswith("."):
        return "hidden (a dot file)"
    if name.lower() in SYSTEM_FILES:
        return "a file the system keeps beside scans, not a document"
    if name.lower() == ISSUE_FILE:
        return "issue data (read as the gazette, year and number of the pages beside it), not a document"
    return None


def _walk(root: Path, rules: _Rules, skipped: list[Skipped]) -> list[Path]:
    """Files under ``root``; links to files inside it are kept unless their target is listed itself."""
    top = _real(root)
    reason = rules.in_skipped(top)
    if reason:
        skipped.append(Skipped(root, reason))
        return []
    files: list[Path] = []
    links: list[tuple[Path, Path]] = []

    def unreadable(error: OSError) -> None:
        skipped.append(Skipped(Path(error.filename), f"cannot read the folder ({error.strerror})"))

    for folder, folders, names in os.walk(root, onerror=unreadable):
        here = Path(folder)
        kept = []
        for name in sorted(folders):
            why = _folder_reason(here / name, root, top, rules)
            if why:
                skipped.append(Skipped(here / name, why))
            else:
                kept.append(name)
        folders[:] = kept  # os.walk descends only into these
        for name in sorted(names):
            path = here / name
            why = _file_reason(path, root, top, rules)
            if why:
                skipped.append(Skipped(path, why))
            elif path.is_symlink():
                links.append((path, _real(path)))
            else:
                files.append(path)
    read = {top / file.relative_to(root) for file in files}
    for link, target in links:
        if target in read:
            skipped.append(Skipped(link, f"a link to {target}, which is read itself"))
        else:
            files.append(link)
    return sorted(files)


def _folder_reason(path: Path, root: Path, top: Path, rules: _Rules) -> str | None:
    if path.is_symlink():
        target = _real(path)
        where = "inside the input, read there" if target.is_relative_to(top) else "outside the input"
        return f"a link to a folder ({target}, {where}); links to folders are not followed"
    if path.name.startswith("."):
        return "hidden folder (a dot folder)"
    if path.name.lower() in SYSTEM_FOLDERS:
        return "a folder the system keeps beside files, not documents"
    return rules.in_skipped(top / path.relative_to(root)) or rules.unselected(
        path.relative_to(root).as_posix(), path.name, folder=True
    )


def _file_reason(path: Path, root: Path, top: Path, rules: _Rules) -> str | None:
    relative = path.relative_to(root).as_posix()
    why = _name_reason(path.name, hidden=True) or rules.unselected(relative, path.name)
    if why:
        return why
    target = _real(path) if path.is_symlink() else top / relative
    if path.is_symlink() and not target.is_relative_to(top):
        return f"a link leading outside the input folder (to {target}); not followed"
    why = rules.in_skipped(target)
    if why:
        return why
    try:
        return not_regular(os.stat(target).st_mode)
    except OSError as error:
        broken = f"a broken link (to {target})" if path.is_symlink() else "cannot read"
        return f"{broken}: {error.strerror}"


def _real(path: Path) -> Path:
    """Where a path leads, every link resolved; a link loop leads where it stops (Path.resolve raises)."""
    return Path(os.path.realpath(path))


def _matching(patterns: Sequence[str], relative: str, name: str) -> str | None:
    """The first pattern that matches the relative path or the name, ignoring case."""
    for pattern in patterns:
        folded = pattern.lower()
        if fnmatch.fnmatchcase(relative.lower(), folded) or fnmatch.fnmatchcase(name.lower(), folded):
            return pattern
    return None


def sniff(head: bytes) -> FileKind | None:
    """The kind of a file from its first bytes, or None when it is none this library reads."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:1024]:
        return "pdf"
    text = _decode_prefix(head)
    if text is None:
        return None
    if looks_like_html(text):
        return "html"
    # Other markup (XML annotations, feeds, SVG) is not a document; plain text and markdown may be.
    return None if text.lstrip("\ufeff \r\n\t").startswith("<") else "text"


def _decode_prefix(head: bytes) -> str | None:
    for cut in range(4):  # the prefix may end inside a multi-byte character
        decoded = encoding.decode(head[: len(head) - cut])
        if decoded is not None:
            return decoded.text
    return None


def identify(path: Path) -> InputFile:
    """What ``path`` holds; BadInputError with a one-line reason when it cannot be ingested."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise BadInputError("no such file", path=str(path)) from None
    except OSError as error:
        raise BadInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    special = not_regular(info.st_mode)
    if special:
        raise BadInputError(special, path=str(path))
    if info.st_size == 0:
        raise BadInputError("empty file (0 bytes)", path=str(path))
    kind = sniff(_head(path))
    if kind is None:
        raise BadInputError("not a PDF, TIFF, JPEG, PNG, web page or text file", path=str(path))
    if kind in ("tiff", "jpeg", "png"):
        check_image_size(path)
    note = ""
    if path.suffix.lower() not in EXTENSIONS[kind]:
        note = f"named {path.suffix or '(no extension)'} but is {kind.upper()}; read as {kind.upper()}"
    return InputFile(path, kind, note)


def _head(path: Path) -> bytes:
    """The first bytes of a regular file. Opened without blocking and checked again once open:
    a path swapped for a FIFO after `identify` looked at it must not hang the batch."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise BadInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    with os.fdopen(fd, "rb") as stream:
        special = not_regular(os.fstat(fd).st_mode)
        if special:
            raise BadInputError(special, path=str(path))
        return stream.read(_SNIFF_BYTES)


def check_image_size(path: Path) -> tuple[int, int]:
    """Width and height from the image header; refuse a decompression bomb before decoding it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        raise BadInputError(f"image is larger than {MAX_IMAGE_PIXELS:,} pixels; refused", path=str(path)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise BadInputError(f"damaged image ({error})", path=str(path)) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise BadInputError(
            f"image is {width}×{height} pixels, over the limit of {MAX_IMAGE_PIXELS:,}; refused before decoding",
            path=str(path),
        )
    return width, height
