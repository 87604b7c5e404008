"""`gazette upgrade`: bring an archive of an older format to this library's (`baginfo.FORMAT_VERSION`).

Format 1 → 2:

- ``bagit.txt`` says BagIt 1.0; ``bag-info.txt`` gains ``Gazette-Format``, ``Payload-Oxum``
  and ``Bagging-Date`` (written by the final flush);
- originals whose names end in anything but a plain extension are renamed to
  ``<sha256><extension>`` (`Archive.move`: new name into the manifest, rename, old name out);
- XML written with the placeholder namespace is rewritten with the permanent one.

Every change goes through the journal, so a killed upgrade leaves an archive whose
fixity still checks, and running the command again finishes it; the format version is
written last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gazette import baginfo
from gazette.akn import vocab
from gazette.archive import Archive, safe_extension
from gazette.fsutil import atomic_write


@dataclass(frozen=True)
class UpgradeReport:
    from_version: int
    to_version: int
    renamed: int = 0
    rewritten: int = 0


def upgrade(root: Path) -> UpgradeReport:
    """Upgrade the archive at ``root`` in place; nothing to do when it is current."""
    archive = Archive.open_existing(root)
    found = baginfo.format_version(archive.root)
    if found == baginfo.FORMAT_VERSION:
        return UpgradeReport(found, found)
    archive.allow_upgrade()
    renamed = rewritten = 0
    with archive.locked():
        archive.flush()
        for rel in sorted(archive.manifest()):
            path = archive.root / rel
            if rel.startswith("data/originals/") and path.name != _original_name(path):
                archive.move(path, path.with_name(_original_name(path)))
                renamed += 1
            elif rel.endswith(".xml") and path.exists():
                data = path.read_bytes()
                current = vocab.with_current_namespace(data)
                if current != data:
                    archive.replace_bytes(path, current)
                    rewritten += 1
        atomic_write(archive.root / "bagit.txt", baginfo.BAGIT_TXT)
        archive.flush(force=True)
    return UpgradeReport(found, baginfo.FORMAT_VERSION, renamed, rewritten)


def _original_name(path: Path) -> str:
    sha = path.name[:64]
    return sha + safe_extension(path.name[64:])
