"""File-system edges shared by the archive, the index and reports: atomic writes, hashing, locks."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from gazette.exceptions import BusyError

_CHUNK = 1 << 20


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0644 under the usual umask 022):
    `tempfile.mkstemp` makes files only their owner can read, and the bag's files are for
    every user of the machine that may read the archive's folder."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_MODE = _file_mode()


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` that replaces it, synced, only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _MODE)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it."""
    with _replacing(path) as out:
        out.write(data)


def atomic_copy(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` atomically and return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    with _replacing(target) as out, source.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, *, timeout: float = 60.0, what: str = "resource") -> Iterator[None]:
    """Hold an exclusive advisory lock; other writers wait up to ``timeout`` seconds, then get BusyError."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"another process has held the {what} lock for {timeout:.0f}s; try again later",
                        path=str(lock_path),
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
