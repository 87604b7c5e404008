"""The bag's tag files: ``bagit.txt`` (BagIt 1.0, RFC 8493) and ``bag-info.txt``, with the
archive's format version.

``bag-info.txt`` carries ``Gazette-Format`` (the layout and names this library writes,
`FORMAT_VERSION`; an archive without it is format 1), ``Bagging-Date``,
``Payload-Oxum`` (octets and files of the payload, rewritten at every flush), the
software that wrote it, and ``Source-Organization`` when the archive's settings name one.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from gazette.exceptions import GazetteError
from gazette.fsutil import atomic_write

#: 1: originals named after their input's extension, the placeholder namespace, BagIt 0.97.
#: 2: originals named by the archive, namespace ``urn:gazette:ns:1``, BagIt 1.0 with Payload-Oxum.
FORMAT_VERSION = 2
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
FORMAT_KEY = "Gazette-Format"


class FormatError(GazetteError):
    """An archive written by a newer gazette, or one this command may not write before `gazette upgrade`."""


def software() -> str:
    try:
        return f"gazette {version('gazette')}"
    except PackageNotFoundError:
        return "gazette"


def read_bag_info(root: Path) -> dict[str, str]:
    """``bag-info.txt`` as ``{label: value}`` (continuation lines joined); empty when missing."""
    try:
        text = (root / "bag-info.txt").read_text("utf-8")
    except FileNotFoundError:
        return {}
    info: dict[str, str] = {}
    label = ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and label:
            info[label] += " " + line.strip()
        elif ":" in line:
            label, _, value = line.partition(":")
            label = label.strip()
            info[label] = value.strip()
    return info


def format_version(root: Path) -> int:
    value = read_bag_info(root).get(FORMAT_KEY, "1")
    return int(value) if value.isdigit() else 0


def check_readable(root: Path) -> int:
    """The archive's format version; FormatError when a newer gazette wrote it."""
    found = format_version(root)
    if found > FORMAT_VERSION or found == 0:
        raise FormatError(
            f"archive format {read_bag_info(root).get(FORMAT_KEY)} is newer than this gazette reads"
            f" ({FORMAT_VERSION}); upgrade gazette to open it",
            path=str(root),
        )
    return found


def write_bag_info(root: Path, payload: Iterable[Path], source_organization: str) -> None:
    """Write ``bag-info.txt`` for the payload files ``payload`` (their sizes make Payload-Oxum),
    keeping the Bagging-Date the bag was made on."""
    files = list(payload)
    octets = sum(os.stat(path).st_size for path in files)
    made = read_bag_info(root).get("Bagging-Date") or dt.date.today().isoformat()
    lines = [
        f"{FORMAT_KEY}: {FORMAT_VERSION}",
        f"Bagging-Date: {made}",
        f"Payload-Oxum: {octets}.{len(files)}",
        f"Bag-Software-Agent: {software()}",
    ]
    if source_organization:
        lines.append(f"Source-Organization: {' '.join(source_organization.split())}")
    atomic_write(root / "bag-info.txt", ("\n".join(lines) + "\n").encode("utf-8"))
