"""``sitemap.xml`` (sitemaps.org 0.9): the URL of every HTML page.

A sitemap holds at most 50,000 URLs; past that ``sitemap.xml`` is an index of
``sitemap-1.xml``, ``sitemap-2.xml`` …. Without a base URL the locations are URL paths
(``/documents/…/``), which a crawler cannot use: pass ``--base-url`` for a site that is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from gazette.web import urls
from gazette.web.pages import SiteData

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _urlset(locations: list[str]) -> bytes:
    lines = [f"  <url><loc>{escape(loc)}</loc></url>\n" for loc in locations]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n{"".join(lines)}</urlset>\n').encode()


def sitemap_files(pages: Iterable[str], data: SiteData) -> dict[str, bytes]:
    """``sitemap.xml`` (and its parts, past 50,000 pages) for the pages at these site paths."""
    locations = sorted(data.url(page) for page in pages)
    if len(locations) <= MAX_URLS:
        return {urls.SITEMAP: _urlset(locations)}
    files: dict[str, bytes] = {}
    for number, start in enumerate(range(0, len(locations), MAX_URLS), 1):
        files[f"sitemap-{number}.xml"] = _urlset(locations[start : start + MAX_URLS])
    parts = "".join(f"  <sitemap><loc>{escape(data.url(path))}</loc></sitemap>\n" for path in files)
    index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{parts}</sitemapindex>\n'
    return {urls.SITEMAP: index.encode(), **files}
