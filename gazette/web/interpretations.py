"""Policy interpretations (政策解读): which documents interpret which.

A document names what it interprets in its ``interprets`` field (the review workflow's
`gazette edit ID --set interprets=ID`), or says so in its title: a title with 解读 that
quotes a document's title in 《》 (``《关于…的通知》政策解读``, with or without the issuer
before 关于) or carries its 文号. When the title names neither, the opening paragraph of
the interpretation is read the same way. Only public documents link to each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gazette.docnumber import find_doc_numbers
from gazette.model import Document
from gazette.web.public import named_interpretations

_MARK = "解读"
_QUOTED = re.compile(r"《([^《》]{4,200})》")
# Blocks of the body read when the title names no document.
_OPENING_BLOCKS = 2


@dataclass(frozen=True)
class Interpretations:
    """Both directions of the links: ``interprets[id]`` the documents ``id`` interprets,
    ``interpreted_by[id]`` the interpretations of ``id``; ids in a stable order."""

    interprets: Mapping[str, tuple[str, ...]]
    interpreted_by: Mapping[str, tuple[str, ...]]


def is_interpretation_title(title: str) -> bool:
    return _MARK in title


def _by_number(docs: Iterable[Document]) -> dict[str, str]:
    numbers: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        if doc.doc_number:
            numbers.setdefault(doc.doc_number, doc.id)
    return numbers


def _title_match(quoted: str, titles: Mapping[str, str]) -> str | None:
    """The one document whose title is ``quoted``, or ends with it (the issuer left out before 关于)."""
    exact = [doc_id for doc_id, title in titles.items() if title == quoted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    ending = [doc_id for doc_id, title in titles.items() if quoted.startswith("关于") and title.endswith(quoted)]
    return ending[0] if len(ending) == 1 else None


def targets_in_text(text: str, numbers: Mapping[str, str], titles: Mapping[str, str]) -> list[str]:
    """Documents a text names, by 文号 or by a title in 《》, in the order it names them."""
    found: list[tuple[int, str]] = []
    for number in find_doc_numbers(text):
        doc_id = numbers.get(number.number.canonical)
        if doc_id:
            found.append((number.start, doc_id))
    for quoted in _QUOTED.finditer(text):
        doc_id = _title_match(quoted.group(1), titles)
        if doc_id:
            found.append((quoted.start(), doc_id))
    ordered: list[str] = []
    for _, doc_id in sorted(found):
        if doc_id not in ordered:
            ordered.append(doc_id)
    return ordered


def find_interpretations(docs: Iterable[Document]) -> Interpretations:
    """The interpretation links among ``docs`` (pass only public documents: links to others are
    dropped), from each document's ``interprets`` field and from interpretation titles."""
    docs = sorted(docs, key=lambda d: d.id)
    ids = {doc.id for doc in docs}
    numbers = _by_number(docs)
    titles = {doc.id: doc.title for doc in docs}
    interprets: dict[str, tuple[str, ...]] = {}
    for doc in docs:
        targets = [target for target in named_interpretations(doc) if target in ids]
        if not targets and is_interpretation_title(doc.title):
            others = {k: v for k, v in titles.items() if k != doc.id}
            targets = targets_in_text(doc.title, numbers, others)
            if not targets:
                opening = "\n".join(block.text for block in doc.body[:_OPENING_BLOCKS])
                targets = targets_in_text(opening, numbers, others)
        others_named = tuple(target for target in targets if target != doc.id)
        if others_named:
            interprets[doc.id] = others_named
    interpreted_by: dict[str, list[str]] = {}
    for doc_id, named in interprets.items():
        for target in named:
            interpreted_by.setdefault(target, []).append(doc_id)
    return Interpretations(interprets, {k: tuple(sorted(v)) for k, v in interpreted_by.items()})
