"""The query language, parsed to a backend-neutral tree of frozen dataclasses.

::

    综合保税区            a Chinese string: documents holding it contiguously rank above
                          those holding only its parts (all of its bigrams)
    "阳光政务"            a quoted phrase: only that contiguous string
    covid 19              Latin letters and digits: whole words
    -通报  -"试点方案"    exclude (also NOT 通报)
    扶贫 OR 脱贫          either (OR binds tighter than the implicit AND; an explicit AND is allowed)
    国办函  国办函〔2006〕 a 文号 prefix where the index holds such 文号: every one of that code (and year)
    文号:国发〔2019〕3号   docno:   the 文号, in any printed form (文号:国办函 a prefix)
    机关:国务院办公厅      issuer:  an issuing body (exact name)
    类型:通知             type:    the document type
    年份:2018             year:    a year, or 年份:2016..2018
    日期:2016-01..2016-12 date:    成文日期 in a range (YYYY, YYYY-MM or YYYY-MM-DD; open ends allowed)

A query that is a 文号 as a whole (`粤办函（2016）629 号`, `粤办函 2016 629`) becomes a
`DocNumber` node: that document first, then documents that cite it. A query that is a
机关代字 as a whole, alone or with a year (`国办函`, `国办函〔2006〕`), becomes a
`DocNumberPrefix` that keeps its words as a fallback: the index decides which is meant
(`SearchBackend.search`), so an ordinary word is never taken for a code by its looks.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from gazette.exceptions import BadInputError
from gazette.search.analysis import fold, is_latin_word, stream

KeywordField = Literal["issuer", "doc_type", "doc_number"]


@dataclass(frozen=True)
class Text:
    """A string to find: `phrase` when quoted (contiguous only), else contiguous ranks first."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Word:
    """A Latin/digit word, matched whole."""

    word: str


@dataclass(frozen=True)
class DocNumber:
    """The whole query was a 文号: the document with it first, then those citing it,
    then whatever the words alone match (`fallback`, in case it only looked like a 文号)."""

    canonical: str
    fallback: Node | None = None


@dataclass(frozen=True)
class DocNumberPrefix:
    """Every document whose canonical 文号 starts with `prefix` (`国办函〔`, `国办函〔2006〕`).

    When the whole query only looked like a 机关代字, `fallback` is what its words match:
    the search uses it instead when no 文号 in the index starts with `prefix`."""

    prefix: str
    fallback: Node | None = None


@dataclass(frozen=True)
class Keyword:
    """An exact value of a keyword field (folded as the index folds it)."""

    field: KeywordField
    value: str


@dataclass(frozen=True)
class DateRange:
    """成文日期 as ``YYYYMMDD`` integers, both ends inclusive; None is open."""

    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Text | Word | DocNumber | DocNumberPrefix | Keyword | DateRange | And | Or | Not


@dataclass(frozen=True)
class Filters:
    """The filters that `gazette search` also takes as options."""

    issuer: str | None = None
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None


_FIELDS: dict[str, str] = {
    "文号": "doc_number",
    "docno": "doc_number",
    "机关": "issuer",
    "issuer": "issuer",
    "类型": "doc_type",
    "type": "doc_type",
    "年份": "year",
    "year": "year",
    "日期": "date",
    "date": "date",
}
#: The fields as a person reads them: 文号/docno, 机关/issuer, …
_KNOWN_FIELDS = ", ".join(
    "/".join(name for name, kind in _FIELDS.items() if kind == field) for field in dict.fromkeys(_FIELDS.values())
)
# A token: optional -, optional field:, then a quoted value or a bare run.
_TOKEN = re.compile(r'\s*(-?)(?:([^\s:"]+):)?(?:"([^"]*)"|([^\s"]+))?')
# Only Latin letters before a colon make an unknown field an error: `注:`, `10:30` and `通知：` are text.
_FIELD_NAME = re.compile(r"[A-Za-z]+")
_NOTHING_TO_SEARCH = 'give words, a "phrase", a 文号 or a filter such as 机关:国务院'
_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"'})


def parse_query(text: str) -> Node:
    """Parse a query string; a malformed one raises BadInputError with a one-line reason."""
    text = _normalise(text).strip()
    if not text:
        raise BadInputError(f"empty query: {_NOTHING_TO_SEARCH}")
    if text.count('"') % 2:
        raise BadInputError('unbalanced quote in the query: close the "phrase" or remove the quote')
    number = _whole_doc_number(text)
    words = _parse_terms(text)
    if number is not None:
        return DocNumber(number, words)
    return _with_prefix(text, words)


def _parse_terms(text: str) -> Node:
    groups: list[list[Node]] = []
    pending_or = pending_not = False
    # A misplaced operator is reported only when the query has something to search for:
    # a query of operators alone (`AND OR NOT`) is an empty query.
    misplaced: str | None = None
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None  # the pattern can match the empty string
        if match.end() == position:
            raise BadInputError(f"cannot read the query at {text[position : position + 10]!r}")
        position = match.end()
        negate, field, quoted, bare = match.groups()
        if not (field or quoted is not None or bare):
            if negate:
                misplaced = misplaced or "a '-' in the query must be followed by a word, phrase or filter"
            continue
        operator = bare if field is None and quoted is None and bare in ("AND", "OR", "NOT") else None
        if operator == "AND":  # what juxtaposition means anyway
            continue
        if operator == "NOT":
            pending_not = True
            continue
        if operator == "OR":
            if not groups or pending_or:
                misplaced = misplaced or "OR must stand between two words, phrases or filters"
            pending_or = True
            continue
        node = _term(field, quoted, bare)
        if node is None:
            continue
        if negate or pending_not:
            node = Not(node)
            pending_not = False
        if pending_or and groups:
            groups[-1].append(node)
        else:
            groups.append([node])
        pending_or = False
    if pending_or:
        misplaced = misplaced or "OR must stand between two words, phrases or filters"
    if pending_not:
        misplaced = misplaced or "NOT must be followed by a word, phrase or filter"
    if not groups:
        raise BadInputError(
            f"empty query: it has no letters or digits to search for, only operators or punctuation; {_NOTHING_TO_SEARCH}"
        )
    if misplaced:
        raise BadInputError(misplaced)
    items = tuple(group[0] if len(group) == 1 else Or(tuple(group)) for group in groups)
    return items[0] if len(items) == 1 else And(items)


def _normalise(text: str) -> str:
    """Full-width colons and quotes as plain ones; “…” (typed by Chinese input methods) as "…"."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def _whole_doc_number(text: str) -> str | None:
    if '"' in text or ":" in text or not re.search(r"\d", text):
        return None
    from gazette.docnumber import parse_doc_number

    parsed = parse_doc_number(text)
    return parsed.canonical if parsed is not None else None


def _with_prefix(text: str, words: Node) -> Node:
    """`words`, or when the query is one word that may be a 机关代字 (`国办函`, `国办函〔2006〕`)
    and nothing but filters beside it (`国办函 年份:2004`), that word as a `DocNumberPrefix`
    keeping its words as the fallback. A word among other words stays text: `国办函 气象`
    searches for both."""
    tokens = [match for match in _TOKEN.finditer(text) if match[0].strip()]
    plain = [match for match in tokens if not (match[1] or match[2] or match[3] is not None)]
    if len(plain) != 1 or plain[0][4] in ("AND", "OR", "NOT"):
        return words
    from gazette.docnumber import parse_doc_number_prefix

    parsed = parse_doc_number_prefix(plain[0][4])
    if parsed is None:
        return words
    if len(tokens) == 1:
        return DocNumberPrefix(parsed.canonical, words)
    word = _text(plain[0][4], quoted=False)
    others = _parse_terms(text[: plain[0].start()] + " " + text[plain[0].end() :])
    filters = others.items if isinstance(others, And) else (others,)
    if word is None or not all(map(_is_filter, filters)):
        return words
    return And((DocNumberPrefix(parsed.canonical, word), *filters))


def _term(field: str | None, quoted: str | None, bare: str | None) -> Node | None:
    value = quoted if quoted is not None else bare or ""
    if field is not None:
        kind = _FIELDS.get(fold(field))
        if kind is None:
            if _FIELD_NAME.fullmatch(field) and not value.startswith("//"):  # `title:…`, not `http://…`
                raise BadInputError(
                    f"unknown field '{field}:' in the query; the fields are {_KNOWN_FIELDS}"
                    f' (to search for the text, quote it: "{field}:{value}")'
                )
            return _text(f"{field}:{value}", quoted is not None)  # `注:`, `10:30`: text
        if not value.strip():
            raise BadInputError(f"the filter {field}: needs a value")
        return filter_node(kind, value)
    return _text(value, quoted is not None)


def _text(value: str, quoted: bool) -> Node | None:
    if quoted:
        if not stream(value):
            raise BadInputError(f'the phrase "{value}" has no letters or digits to search for')
        return Text(value, phrase=True)
    parts = [part for part in re.split(r"[\W_]+", fold(value)) if part]
    nodes: list[Node] = [Word(part) if is_latin_word(part) else Text(part) for part in parts]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def filter_node(kind: str, value: str) -> Node:
    """The node of one filter, from the query (`机关:国务院`) or from an option (`--issuer`)."""
    value = value.strip()
    if kind == "doc_number":
        from gazette.docnumber import parse_doc_number, parse_doc_number_prefix

        if (parsed := parse_doc_number(value)) is not None:
            return Keyword("doc_number", parsed.canonical)
        if (prefix := parse_doc_number_prefix(value)) is not None:
            return DocNumberPrefix(prefix.canonical)  # 文号:国办函 — the field says a code is meant
        return Keyword("doc_number", value)
    if kind in ("issuer", "doc_type"):
        return Keyword(kind, value)  # type: ignore[arg-type]
    if kind == "year":
        start, end = _range(value, "年份")
        if not (_YEAR.fullmatch(start or "0000") and _YEAR.fullmatch(end or "0000")):
            raise BadInputError(f"年份/year takes a year or a range such as 2016..2018, not {value!r}")
        years = date_range(start, end)
        # From YYYY0000: a year derived from the 文号 is indexed as that (`backend._index_date`).
        return DateRange(None if start is None else int(start) * 10000, years.end)
    return date_range(*_range(value, "日期"))


def _range(value: str, label: str) -> tuple[str | None, str | None]:
    if ".." not in value:
        return value, value
    start, _, end = value.partition("..")
    if not start and not end:
        raise BadInputError(f"{label}: the range {value!r} has neither start nor end")
    return start or None, end or None


def date_range(start: str | None, end: str | None) -> DateRange:
    """A range from YYYY[-MM[-DD]] bounds: a start means its first day, an end its last."""
    low = None if start is None else _date_bound(start, first=True)
    high = None if end is None else _date_bound(end, first=False)
    if low is not None and high is not None and low > high:
        raise BadInputError(f"the date range {start}..{end} ends before it starts")
    return DateRange(low, high)


def _date_bound(value: str, *, first: bool) -> int:
    match = _DATE.fullmatch(fold(value).strip())
    if match is None:
        raise BadInputError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2016-01..2016-12)")
    year = int(match[1])
    month = int(match[2]) if match[2] else (1 if first else 12)
    if not 1 <= month <= 12:
        raise BadInputError(f"{value!r} is not a date: month {month} does not exist")
    last_day = calendar.monthrange(year, month)[1]
    day = int(match[3]) if match[3] else (1 if first else last_day)
    if not 1 <= day <= last_day:
        raise BadInputError(f"{value!r} is not a date: {year}-{month:02d} has no day {day}")
    return year * 10000 + month * 100 + day


def with_filters(node: Node, filters: Filters) -> Node:
    """The query and the option filters together (options AND the query)."""
    extra: list[Node] = []
    if filters.issuer:
        extra.append(filter_node("issuer", filters.issuer))
    if filters.doc_type:
        extra.append(filter_node("doc_type", filters.doc_type))
    if filters.date_from or filters.date_to:
        extra.append(date_range(filters.date_from, filters.date_to))
    if not extra:
        return node
    items = node.items if isinstance(node, And) else (node,)
    return And(items + tuple(extra))


def highlight_strings(node: Node) -> list[tuple[str, bool]]:
    """The folded strings a snippet should mark, in query order (excluded ones left out), each
    with whether its parts may be marked instead (an unquoted string matches by its parts)."""
    if isinstance(node, Text):
        return [(stream(node.text), not node.phrase)]
    if isinstance(node, Word):
        return [(node.word, False)]
    if isinstance(node, DocNumber):
        return [(stream(node.canonical), False)]
    if isinstance(node, (And, Or)):
        return [needle for item in node.items for needle in highlight_strings(item)]
    return []  # (a DocNumberPrefix marks nothing: a document rarely prints its own 文号 in its text)


def is_prefix_query(node: Node) -> bool:
    """Whether the query lists the documents of a 文号 prefix (filters beside it at most):
    there is nothing to rank such a list by, so it reads newest first."""
    items = node.items if isinstance(node, And) else (node,)
    return any(isinstance(item, DocNumberPrefix) for item in items) and all(map(_is_filter, items))


def _is_filter(node: Node) -> bool:
    """A node that selects documents without ranking them: a field filter, a prefix, or one excluded."""
    return isinstance(node, (Keyword, DateRange, DocNumberPrefix)) or (isinstance(node, Not) and _is_filter(node.item))


def keywords(node: Node) -> list[Keyword]:
    """Every keyword filter in the query, excluded ones too."""
    if isinstance(node, Keyword):
        return [node]
    if isinstance(node, (And, Or)):
        return [keyword for item in node.items for keyword in keywords(item)]
    if isinstance(node, Not):
        return keywords(node.item)
    return []
