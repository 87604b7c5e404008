"""Reading copies the web pages make themselves, for pages the archive keeps as geometry alone.

A page whose original is smaller than any browser image of it (a bilevel G4 TIFF) keeps only
its geometry (`ingest.pageimage`): the static site writes its 1-bit PNG, and the portal serves
it, made from the original turned upright again by that geometry, at the URL a stored copy
would have (`urls.page_image`). Both go through `derive`, which loads `ingest` only when a
page is asked for (``gazette`` does not import ``ingest`` at module level).

A derived copy is a function of the original's bytes, the geometry's bytes and the encoder:
`DerivedImage.key` names the first two by their SHA-256 (from the archive's manifest), and
`encoder_version` the third, so the site re-encodes a page only when one of them changes.

A page whose geometry cannot be used (unreadable, not a geometry record, of another page, or
not the file the manifest records) gets no image: `geometry_problem` says so when the page
data are made, from the small record alone, so neither the site nor the portal links it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.exceptions import GazetteError

if TYPE_CHECKING:
    from ingest.pageimage import Geometry

log = logging.getLogger(__name__)

#: The portal keeps this many derived pages in memory (1-bit PNGs of A4 at 300 dpi: about 0.1 MB each).
PORTAL_CACHE_PAGES = 32


@dataclass(frozen=True)
class DerivedImage:
    """A page's reading copy made from the original: ``path`` is its site path; ``original`` the
    archive file holding the page (a grouped source's page file) and ``original_page`` the page's
    number in it; ``geometry`` the page's record (``data/pages/<sha256>/NNNN.json``)."""

    path: str
    original: Path
    original_sha256: str
    original_page: int
    geometry: Path
    geometry_sha256: str

    @property
    def key(self) -> str:
        """What the copy is made of (the encoder aside): the SHA-256 of both files' SHA-256."""
        text = f"{self.original_sha256}\0{self.original_page}\0{self.geometry_sha256}"
        return hashlib.sha256(text.encode("ascii")).hexdigest()


@functools.cache
def encoder_version() -> str:
    """The version of what encodes a derived copy: the reading copy's format and the libraries."""
    import cv2
    import PIL

    from ingest.pageimage import READING_COPY_FORMAT

    return f"{READING_COPY_FORMAT} Pillow {PIL.__version__} OpenCV {cv2.__version__}"


def read_geometry(image: DerivedImage) -> Geometry:
    """The page's geometry record, checked against the manifest's SHA-256 and the page it is for;
    GazetteError or OSError when it cannot be used."""
    from ingest.pageimage import geometry_from_json

    data = image.geometry.read_bytes()
    if hashlib.sha256(data).hexdigest() != image.geometry_sha256:
        raise GazetteError("the geometry is not the file the manifest records")
    geometry = geometry_from_json(data)
    if geometry.page != image.original_page:
        raise GazetteError(f"the geometry is of page {geometry.page}, not {image.original_page}")
    return geometry


def geometry_problem(image: DerivedImage) -> str | None:
    """Why the page's image cannot be made from its geometry (logged in one line), or None: the
    record alone is read, not the original (the image is made only when it is asked for)."""
    try:
        read_geometry(image)
    except (GazetteError, OSError) as error:
        log.warning("no page image %s: %s", image.path, error)
        return str(error)
    return None


def derive(image: DerivedImage) -> bytes | None:
    """The page's 1-bit PNG, or None (logged in one line) when its geometry or original cannot be
    read or do not fit each other."""
    from ingest.pageimage import derived_reading_copy

    try:
        return derived_reading_copy(image.original, read_geometry(image))
    except (GazetteError, OSError, ValueError) as error:
        log.warning("no page image %s: %s", image.path, error)
        return None


@functools.lru_cache(maxsize=PORTAL_CACHE_PAGES)
def derive_cached(image: DerivedImage) -> bytes | None:
    """`derive`, remembered for the last `PORTAL_CACHE_PAGES` pages (the portal: a reader turns
    the pages of one document; the key holds both files' SHA-256, so a changed file is made again)."""
    return derive(image)
