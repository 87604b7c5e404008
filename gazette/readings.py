"""Readings of one document: the same 文号 read from two originals (a PDF and a scan, two
issues that reprint it) is one document with two readings, when the texts agree.

Whether two texts agree is `similarity`: the Dice coefficient of the multisets of
character bigrams of the two texts (title, then body), after folding (NFKC, traditional
to simplified) and dropping whitespace and punctuation. It is 1.0 for the same text and
stays near it under OCR errors (each misread character costs at most two bigrams of
some thousands: the benchmark's 0.13% character error rate gives about 0.997), while two
different documents of one issuer, which share phrases but not their sentences, score
well under 0.6. `SAME_TEXT` (0.9) is the line: at or above it the texts agree, and the
second reading is linked to the first; below it the two are kept as documents and the pair
goes to review as a conflict (a misread 文号, or another document), never merged silently.

Which reading is the document: the one a person chose (`gazette merge … --keep`), else
the better one by `quality` (its mean confidence over the fields every document carries,
then fewer review flags); on a tie the one stored first stays.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter

from gazette.model import Document
from gazette.simplified import to_simplified

#: At or above this `similarity` two readings are the same document.
SAME_TEXT = 0.9
#: The fields every document carries; a missing one counts as confidence 0.
QUALITY_FIELDS = ("doc_number", "title", "issuer", "doc_type", "date_written")
#: Starts the reason of the review flag a conflict puts on both documents.
CONFLICT = "冲突"


def _folded(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _bigrams(doc: Document) -> Counter[str]:
    text = _folded(doc.title + doc.text)
    return Counter(text[i : i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter([text])


def similarity(a: Document, b: Document) -> float:
    """Dice coefficient of the two documents' character bigrams (title and body, folded): 0–1."""
    first, second = _bigrams(a), _bigrams(b)
    total = sum(first.values()) + sum(second.values())
    return 2 * sum((first & second).values()) / total if total else 1.0


def quality(doc: Document) -> tuple[float, int]:
    """How good a reading is, larger is better: mean confidence, then fewer review flags."""
    mean = sum(doc.confidence.get(name, 0.0) for name in QUALITY_FIELDS) / len(QUALITY_FIELDS)
    return round(mean, 3), -len(doc.needs_review)


def same_reading(a: Document, b: Document) -> bool:
    """Whether two documents were read from the same pages of the same original."""
    return a.source is not None and b.source is not None and (a.source.sha256, a.pages) == (b.source.sha256, b.pages)


def place_id(base: str, doc: Document) -> str:
    """The id a second reading (or a conflicting document) of ``base`` is stored under:
    ``base~`` and 8 hex digits of its original's SHA-256 and pages."""
    source = doc.source.sha256 if doc.source else ""
    pages = ",".join(map(str, doc.pages))
    return f"{base}~{hashlib.sha256(f'{source}:{pages}'.encode()).hexdigest()[:8]}"


def chosen_by_person(doc: Document) -> bool:
    """Whether a person made this reading the document (`gazette merge --keep`)."""
    return any(change.action == "merge" for change in doc.changes)
