"""Errors the library raises on purpose, each with the exit code the CLI turns it into.

Only `gazette.cli` turns these into exit codes; library code raises them with a
one-line message that names the file and the problem, and says the fix when there is one.
Code 2 belongs to usage errors (click's convention), which the command line raises itself.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    failure = 1
    usage = 2
    bad_input = 3
    not_found = 4
    damaged = 5
    missing_dependency = 6
    busy = 7
    not_built = 8


class GazetteError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.failure

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)

    @property
    def message(self) -> str:
        return str(self)


class BadInputError(GazetteError):
    """Input that cannot be read: malformed XML, a broken PDF, a query that does not parse."""

    exit_code = ExitCode.bad_input


class InvalidDocumentError(BadInputError):
    """XML that parses but does not validate against the Akoma Ntoso schema."""


class NotFoundError(GazetteError):
    exit_code = ExitCode.not_found


class ArchiveDamagedError(GazetteError):
    """Files missing or altered in the archive (fixity failure)."""

    exit_code = ExitCode.damaged


class MissingDependencyError(GazetteError):
    """An optional package, model directory or Debian tool is not installed."""

    exit_code = ExitCode.missing_dependency


class NotImplementedYetError(GazetteError):
    """A command or option that is planned but not built yet."""

    exit_code = ExitCode.not_built


class BusyError(GazetteError):
    """A lock could not be taken in time (another writer holds the index or archive)."""

    exit_code = ExitCode.busy
