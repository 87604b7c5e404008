"""Whether a source is a gazette document at all: a README, notes, a checksum list, an
English text or a photo read by OCR are not, and must not become documents.

A source (a file, or the pages grouped into one) is *not a gazette document* when none
of its documents has a 文号, title, issuer or date (written or published), as the
metadata step found them, **and** all its text holds fewer than `MIN_HAN_CHARACTERS`
Han characters. Either alone keeps it: a short 批复 is kept by its 文号 or title, and a
long Chinese text whose fields went unfound is kept by its length (its fields go to
review).

The threshold is 200 Han characters, about a third of a printed gazette page (22 lines
of 28 characters): the shortest of the corpus's State Council documents holds 252 in
its body alone, while notes and README files beside scans hold a few dozen, and OCR of
a photo a handful.
"""

from __future__ import annotations

from collections.abc import Sequence

from gazette.chars import HAN_CHARACTER
from gazette.model import Document

#: Fewer Han characters than this, with no field found, and a source is not a gazette document.
MIN_HAN_CHARACTERS = 200


def not_a_gazette_document(documents: Sequence[Document]) -> str | None:
    """Why the documents read from one source show it is no gazette document, or None when it may be one.

    A source that gave no document at all (no text was read) is judged the same way: it
    has no field and no Han character.
    """
    if any(_has_field(doc) for doc in documents):
        return None
    han = sum(len(HAN_CHARACTER.findall(f"{doc.title}\n{doc.text}")) for doc in documents)
    if han >= MIN_HAN_CHARACTERS:
        return None
    return (
        f"not a gazette document: no 文号, title, issuer or date, and only {han} Han characters "
        f"(threshold {MIN_HAN_CHARACTERS})"
    )


def _has_field(doc: Document) -> bool:
    dates = (doc.date_written, doc.date_written_printed, doc.date_published)
    return any((doc.doc_number, doc.doc_number_printed, doc.title, doc.issuer, *dates))
