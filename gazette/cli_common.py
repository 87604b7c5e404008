"""What the `gazette` commands share: the consoles, the --archive and --json options,
opening the archive, and reporting damaged document files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from gazette.archive import Archive, resolve_archive_path
from gazette.exceptions import BadInputError, ExitCode, GazetteError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ArchiveOption = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        envvar="GAZETTE_ARCHIVE",
        help="Archive folder (else $GAZETTE_ARCHIVE, else ./gazette-archive).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def archive_root(archive: Path | None) -> Path:
    """The archive folder the options name; a file there is bad input, not a missing archive."""
    root = resolve_archive_path(archive)
    try:
        not_a_folder = root.exists() and not root.is_dir()
    except OSError as error:  # a name too long for the file system, a parent that cannot be searched
        raise BadInputError(f"cannot be the archive: {error.strerror}", path=str(root)) from None
    if not_a_folder:
        raise BadInputError("is not a folder; --archive takes the archive's folder", path=str(root))
    return root


def open_archive(archive: Path | None) -> Archive:
    return Archive.open_existing(archive_root(archive))


class DamagedFiles:
    """Document files that could not be read: the command goes on without them, names each
    on stderr at the end and exits 5 (`done`)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def __call__(self, path: Path, error: GazetteError) -> None:
        self.errors.append(str(error))

    def done(self) -> None:
        for error in self.errors:
            err.print(f"gazette: damaged: {error}", markup=False)
        if self.errors:
            raise typer.Exit(ExitCode.damaged)
