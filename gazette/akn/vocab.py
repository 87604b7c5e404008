"""The Akoma Ntoso vocabulary the library writes and reads, kept as data in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from lxml import etree
from lxml.builder import ElementMaker

from gazette.model import BlockKind

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: The library's own namespace for what AKN has no element for (``<proprietary>``): a name,
#: not an address, so that it outlives any web site.
GZ_NS = "urn:gazette:ns:1"
#: The placeholder namespace archives of format 1 were written with; read as `GZ_NS`.
LEGACY_GZ_NS = "https://gazette.example/ns/1"


def with_current_namespace(data: bytes) -> bytes:
    """A file written with the legacy namespace, as if written with the current one."""
    return data.replace(LEGACY_GZ_NS.encode("ascii"), GZ_NS.encode("ascii"))


class Builder(Protocol):
    """What `ElementMaker` is (lxml-stubs has no ``lxml.builder``): ``A.p(attrs, text, child…)`` makes an element."""

    def __getattr__(self, tag: str) -> Callable[..., etree._Element]: ...


#: Builders for AKN and ``gz:`` elements; one nsmap so a file declares both once, on the root.
A: Builder = ElementMaker(namespace=AKN_NS, nsmap={None: AKN_NS, "gz": GZ_NS})
G: Builder = ElementMaker(namespace=GZ_NS, nsmap={None: AKN_NS, "gz": GZ_NS})


#: ``<FRBRdate name>`` of a work, by the date it was derived from (most to least specific).
DATE_WRITTEN = "成文日期"
DATE_PUBLISHED = "发布日期"
DATE_GAZETTE_YEAR = "公报年份"
DATE_UNKNOWN = "日期不详"
#: FRBR needs an xs:date even when a document has none; the reader never takes dates from FRBR.
PLACEHOLDER_DATE = "0001-01-01"

#: ``<p class>`` values of the preface and conclusions.
CLASS_DOC_NUMBER = "docNumber"
CLASS_TITLE = "title"
CLASS_ISSUER = "issuer"
CLASS_RECIPIENTS = "recipients"
CLASS_SIGNATURE = "signature"
CLASS_DATE = "date"
#: Marks an element the schema demands where the model has nothing (empty body, empty table row, no entries).
CLASS_PLACEHOLDER = "placeholder"
#: Prefix of the class token that carries a non-heading block's level (``level-2``).
LEVEL_TOKEN = "level-"
#: The block kind each body element stands for when its class names no other.
IMPLIED_KIND: dict[str, BlockKind] = {"hcontainer": "heading", "table": "table", "p": "paragraph"}
#: Prefix of the hcontainer name that carries a heading's level (``heading1``…``heading4``).
HEADING_NAME = "heading"

#: The organisation that made the file; every ``source`` attribute points at it.
ARCHIVE_EID = "archive"
ARCHIVE_SOURCE = f"#{ARCHIVE_EID}"
#: eId prefixes of the lifecycle's events (``evt_1`` is the document's generation) and of the people who changed it.
EVENT_EID = "evt"
PERSON_EID = "person"
#: `Issue` has no language field; issues are in Chinese.
ISSUE_LANGUAGE = "zho"
#: Manifestation date name, as in AKN examples.
TRANSFORMATION = "Transformation"
PUBLICATION = "Publication"


def akn(tag: str) -> str:
    """The Clark name of an AKN element, for find/iter."""
    return f"{{{AKN_NS}}}{tag}"


def gz(tag: str) -> str:
    """The Clark name of a ``gz:`` element."""
    return f"{{{GZ_NS}}}{tag}"


def organization_href(jurisdiction: str, name: str) -> str:
    return f"/ontology/organization/{jurisdiction}/{name}"
