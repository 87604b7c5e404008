"""Lowering of the query tree to a few primitive queries that every backend maps one to one.

Which terms, phrases and boosts a query means is decided here, once, so the
backends cannot drift apart: each only translates `Term`, `Phrase`, `Prefix`,
`Range`, `All` and `Bool` into its library's queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from gazette.doctypes import doc_types_within
from gazette.issuers import issuer_names
from gazette.search import query as q
from gazette.search.analysis import fold_value, phrase_terms
from gazette.simplified import to_simplified

# Text fields of the index and their boosts: a match in the title counts more.
TITLE, BODY, WORDS = "title", "body", "words"
TITLE_BOOST = 3.0
# An unquoted string found contiguously outranks one found only in parts.
CONTIGUOUS_BOOST = 5.0
# The document that carries a queried 文号 outranks every document citing it.
DOC_NUMBER_BOOST = 1000.0


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Consecutive terms of one field (two or more)."""

    field: str
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    field: str
    prefix: str


@dataclass(frozen=True)
class Range:
    """An integer field between two inclusive bounds (None is open)."""

    field: str
    low: int | None
    high: int | None


@dataclass(frozen=True)
class All:
    pass


@dataclass(frozen=True)
class Bool:
    """Every `must`, none of `must_not`; `should` only adds score when there is a `must`,
    and at least one must match when there is not."""

    must: tuple[Prim, ...] = ()
    should: tuple[Prim, ...] = ()
    must_not: tuple[Prim, ...] = ()


Prim = Term | Phrase | Prefix | Range | All | Bool
NOTHING = Bool(should=())  # a Bool with no clause matches no document


def cover_offsets(count: int) -> list[int]:
    """Offsets of phrase terms that cover the whole string: bigrams 0, 2, 4, … and the last.
    A document holds the phrase exactly when it holds those at those offsets from a common
    start (fewer posting lists to intersect, fewer positions to read)."""
    last = count - 1
    return sorted({*range(0, last, 2), last})


def lower(node: q.Node) -> Prim:
    """The primitive query of a parsed query (filters already merged in)."""
    if isinstance(node, q.Text):
        return _text(node)
    if isinstance(node, q.Word):
        return Term(WORDS, node.word)
    if isinstance(node, q.DocNumber):
        own = Term("doc_number", node.canonical, DOC_NUMBER_BOOST)
        extra = [] if node.fallback is None else [lower(node.fallback)]
        return Bool(should=(own, _in_text(phrase_terms(node.canonical)), *extra))
    if isinstance(node, q.DocNumberPrefix):
        # (Lowered with its fallback only when nobody asked the index which is meant.)
        prefix = Prefix("doc_number", node.prefix)
        return prefix if node.fallback is None else Bool(should=(prefix, lower(node.fallback)))
    if isinstance(node, q.Keyword):
        return _keyword(node)
    if isinstance(node, q.DateRange):
        return Range("date", node.start, node.end)
    if isinstance(node, q.Not):
        return Bool(must=(All(),), must_not=(lower(node.item),))
    if isinstance(node, q.Or):
        return Bool(should=tuple(lower(item) for item in node.items))
    if isinstance(node, q.And):
        return _and(node.items)
    raise TypeError(f"not a query node: {node!r}")


def keyword_values(node: q.Keyword) -> tuple[str, ...]:
    """What a keyword filter stands for, itself first: an issuer's other names
    (广东省政府办公厅 → 广东省人民政府办公厅), a type's family (函 → 复函)."""
    if node.field == "issuer":
        return issuer_names(node.value)
    if node.field == "doc_type":
        return doc_types_within(to_simplified(node.value.strip()))
    return (node.value,)


def _keyword(node: q.Keyword) -> Prim:
    if node.field == "doc_number":
        return Term("doc_number", node.value)  # canonical already, and indexed unfolded
    terms = tuple(Term(node.field, value) for value in dict.fromkeys(map(fold_value, keyword_values(node))))
    return terms[0] if len(terms) == 1 else Bool(should=terms)


def _and(items: tuple[q.Node, ...]) -> Prim:
    must = tuple(lower(item) for item in items if not isinstance(item, q.Not))
    must_not = tuple(lower(item.item) for item in items if isinstance(item, q.Not))
    return Bool(must=must or (All(),), must_not=must_not)


def _text(node: q.Text) -> Prim:
    terms = phrase_terms(node.text)
    if node.phrase or len(terms) <= 1:
        return _in_text(terms)
    every_part = Bool(must=tuple(_in_text([term]) for term in terms))
    contiguous = _in_text(terms, boost=CONTIGUOUS_BOOST)
    return Bool(must=(every_part,), should=(contiguous,))


def _in_text(terms: list[str], boost: float = 1.0) -> Prim:
    """`terms` contiguous in the title or the body (one character: any term starting with it)."""
    if not terms:
        return NOTHING
    return Bool(
        should=tuple(_one_field(field, terms, boost * weight) for field, weight in ((TITLE, TITLE_BOOST), (BODY, 1.0)))
    )


def _one_field(field: str, terms: list[str], boost: float) -> Prim:
    if len(terms) > 1:
        return Phrase(field, tuple(terms), boost)
    if len(terms[0]) == 1:
        return Prefix(field, terms[0])
    return Term(field, terms[0], boost)
