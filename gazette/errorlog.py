"""Tracebacks of unexpected errors, kept in the archive for a bug report rather than shown to a reader.

``ARCHIVE/logs/`` sits outside the bag's payload (``data/``), like ``work/``: the
manifest and `gazette verify` never see it, and it may be deleted at any time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback
from pathlib import Path

log = logging.getLogger(__name__)

LOGS_FOLDER = "logs"


def format_traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def write_traceback(archive_root: Path, error: BaseException) -> Path | None:
    """Write ``error``'s traceback to ``archive_root/logs/<UTC time>-<pid>.log`` and return that file;
    None where ``archive_root`` is no archive (no ``bagit.txt``) or cannot be written to."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = Path(archive_root) / LOGS_FOLDER / f"{stamp}-{os.getpid()}.log"
    try:
        if not (Path(archive_root) / "bagit.txt").is_file():
            return None
        path.parent.mkdir(exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x": never over another failure's log
            out.write(format_traceback(error))
    except OSError as problem:  # a read-only archive: the caller shows the traceback instead
        log.debug("cannot write %s: %s", path, problem)
        return None
    return path
