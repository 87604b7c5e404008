"""Akoma Ntoso 3.0 (OASIS LegalDocML) for documents and issues: write, read, validate.

document_to_xml(doc) -> bytes          document_from_xml(data, path=...) -> Document
issue_to_xml(issue) -> bytes           issue_from_xml(data, path=...) -> Issue
validate(xml) -> list[str]             assert_valid(xml, path=...)
parse_xml(data, path=...)              safe parsing: no DTD, no entities, no network
"""

from gazette.akn.read import document_from_xml, issue_from_xml
from gazette.akn.schema import assert_valid, parse_xml, validate
from gazette.akn.vocab import AKN_NS, GZ_NS
from gazette.akn.write import document_to_xml, issue_to_xml

__all__ = [
    "AKN_NS",
    "GZ_NS",
    "assert_valid",
    "document_from_xml",
    "document_to_xml",
    "issue_from_xml",
    "issue_to_xml",
    "parse_xml",
    "validate",
]
