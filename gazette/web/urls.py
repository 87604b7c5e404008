"""The URL scheme of the HTML edition, shared by the static site and the portal (``docs/urls.md``).

A page or file is named by its *site path*: the file's path under the site's folder, in
POSIX form with its names as they are (``documents/国办函〔1996〕14号/index.html``). Its URL
is the same path with each name percent-encoded as UTF-8 (RFC 3986), which every web
server and every browser opening ``file:`` URLs decodes back to the file's name: one name
on disk, one URL, in both directions. Pages are folders: the URL of
``documents/X/index.html`` is ``/documents/X/``, and its JSON twin is
``documents/X/index.json``.

Each name in a path is an id, a gazette's or an issuer's name passed through
`segment` — the same function that names the archive's own files — so a name never holds
``/`` or a character a file system refuses, and never starts with a dot.
"""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote, unquote

from gazette.archive import file_name_for_id
from gazette.exceptions import BadInputError

INDEX = "index.html"
TWIN = "index.json"
HOME = INDEX
STYLESHEET = "static/site.css"
SORT_SCRIPT = "static/sort.js"
FEED_ALL = "feeds/all.xml"
CATALOGUE = "catalogue/index.html"
CATALOGUE_CSV = "catalogue/catalogue.csv"
DATA = "data/index.html"
DATA_JSONL = "data/documents.jsonl"
DATA_AKN = "data/akn.zip"
DATA_README = "data/README.md"
DATA_SUMS = "data/SHA256SUMS"
SITEMAP = "sitemap.xml"
#: A year that names a catalogue or data folder for documents that carry no date at all.
UNDATED = "undated"


def segment(name: str) -> str:
    """One path name for an id or a name: itself where a file may be called so, else made safe
    (`gazette.archive.file_name_for_id`: a character no file name may hold becomes ``_``); a name
    with nothing left (``..``, an issuer read as dots) is named by its hash."""
    try:
        return file_name_for_id(name)
    except BadInputError:
        return "_" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def gazette_page(gazette: str) -> str:
    return f"gazettes/{segment(gazette)}/{INDEX}"


def year_page(gazette: str, year: int) -> str:
    return f"gazettes/{segment(gazette)}/{year}/{INDEX}"


def issue_page(issue_id: str) -> str:
    return f"issues/{segment(issue_id)}/{INDEX}"


def issue_pdf(issue_id: str) -> str:
    return f"issues/{segment(issue_id)}/issue.pdf"


def document_pdf(issue_id: str, doc_id: str) -> str:
    """A document's standard text as published in an issue (``gazette publish``)."""
    return f"issues/{segment(issue_id)}/documents/{segment(doc_id)}.pdf"


def document_page(doc_id: str) -> str:
    return f"documents/{segment(doc_id)}/{INDEX}"


def document_akn(doc_id: str) -> str:
    return f"documents/{segment(doc_id)}/akn.xml"


def original_file(sha256: str, file_name: str) -> str:
    """An original, under its own file name in a folder named by its SHA-256."""
    return f"originals/{sha256}/{segment(file_name)}"


def page_image(sha256: str, page: int, suffix: str = ".png") -> str:
    """A page's reading copy (``.png`` 1-bit or an older archive's grey, ``.webp`` grey)."""
    return f"originals/{sha256}/pages/{page:04d}{suffix}"


def feed_gazette(gazette: str) -> str:
    return f"feeds/gazettes/{segment(gazette)}.xml"


def feed_issuer(issuer: str) -> str:
    return f"feeds/issuers/{segment(issuer)}.xml"


def catalogue_issuer(issuer: str) -> str:
    return f"catalogue/{segment(issuer)}/{INDEX}"


def catalogue_year(issuer: str, year: str) -> str:
    return f"catalogue/{segment(issuer)}/{year}/{INDEX}"


def catalogue_year_csv(issuer: str, year: str) -> str:
    return f"catalogue/{segment(issuer)}/{year}/catalogue.csv"


def data_year_jsonl(year: str) -> str:
    return f"data/{year}/documents.jsonl"


def data_year_akn(year: str) -> str:
    return f"data/{year}/akn.zip"


def twin(page: str) -> str:
    """The JSON twin of a page: ``…/index.json`` beside ``…/index.html``."""
    if not is_page(page):
        raise ValueError(f"{page!r} is not a page")
    return page[: -len(INDEX)] + TWIN


def is_page(path: str) -> bool:
    return path == INDEX or path.endswith("/" + INDEX)


def url_path(path: str) -> str:
    """The absolute URL path of a site path: a page's folder (``/documents/X/``), a file itself;
    each name percent-encoded as UTF-8."""
    if is_page(path):
        path = path[: -len(INDEX)]
    return "/" + quote(path, safe="/")


def absolute_url(path: str, base_url: str | None) -> str:
    """The URL of ``path`` under ``base_url`` (``https://gazette.example.gov.cn/``), or its
    absolute path when there is no base URL."""
    return (base_url or "").rstrip("/") + url_path(path)


def href(here: str, there: str) -> str:
    """A relative link from the page or file at ``here`` to ``there``: it works from disk, on any
    web server and under any base URL. Links to a page name its ``index.html``, which a
    browser opening files from disk needs and every server serves."""
    start = here.split("/")[:-1]
    target = there.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    relative = "../" * (len(start) - common) + "/".join(target[common:])
    return _quoted(relative)


@functools.lru_cache(maxsize=65536)
def _quoted(path: str) -> str:
    return quote(path, safe="/")


def site_path(url: str) -> str:
    """The site path of an absolute URL path (the inverse of `url_path`): ``/documents/X/`` →
    ``documents/X/index.html``; for the portal, which maps requests to pages."""
    path = unquote(url.split("?", 1)[0].split("#", 1)[0], errors="strict").lstrip("/")
    if path == "" or path.endswith("/"):
        return path + INDEX
    return path
