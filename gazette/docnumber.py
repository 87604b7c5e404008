"""文号 (document numbers): read them as printed, find them in running text, store them canonically.

GB/T 9704-2012 §7.2.4 prints a 文号 as ``机关代字〔YYYY〕N号``: hexagonal brackets, the full
year, the sequence without 第 or leading zeros. Sources and OCR vary the brackets, add
spaces, use full-width digits and print O/l for 0/1; older documents and people print the
year with two digits (``〔06〕``) or in Chinese numerals (``〔二〇〇六〕``), and traditional
characters (``國辦函〔2006〕71號``). The canonical form undoes all that while the printed
form is kept beside it. Decrees (``广东省人民政府令第227号``) and announcements
(``国家药监局公告2020年第46号``) keep their own shape.

A two-digit year is read in the century that puts it no later than this year: from 00 up
to this year's last two digits it is 20xx, above them 19xx (in 2026, ``〔26〕`` is 2026 and
``〔27〕`` 1927), since a 文号 is never dated in the future and the archive holds decades of
historical issues, not centuries.

What people type to mean many documents, a 机关代字 alone (``国办函``) or with a year
(``国办函〔2006〕``), is a `DocNumberPrefix`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from gazette.chars import HAN
from gazette.numerals import (
    ARABIC_DIGIT,
    CHINESE_DIGIT,
    arabic_value,
    chinese_digits_value,
    field_value_span,
    normalise_width,
)
from gazette.simplified import to_simplified

DocNumberKind = Literal["standard", "decree", "announcement"]


@dataclass(frozen=True)
class DocNumber:
    """One 文号. ``code`` is the 机关代字, or for decrees and announcements the issuing
    body with 令/公告 (``广东省人民政府令``); ``year`` is None for decrees without one."""

    canonical: str
    printed: str
    code: str
    year: int | None
    sequence: int
    kind: DocNumberKind


@dataclass(frozen=True)
class DocNumberPrefix:
    """The start of standard 文号 that stands for many documents: every one of a 机关代字
    (``国办函``), or of a 机关代字 and a year (``国办函〔2006〕``)."""

    code: str
    year: int | None = None

    @property
    def canonical(self) -> str:
        """What the canonical form of every 文号 it covers starts with: ``国办函〔``, ``国办函〔2006〕``
        (the bracket keeps ``国办函`` from covering ``国办函电〔…〕``)."""
        return f"{self.code}〔" if self.year is None else f"{self.code}〔{self.year}〕"


class DocNumberMatch(NamedTuple):
    """A 文号 found in running text and its span there (``text[start:end]`` is ``number.printed``)."""

    number: DocNumber
    start: int
    end: int


@dataclass(frozen=True)
class IssuerCode:
    """One row of the issuer-code table: a 机关代字, the body that uses it, its jurisdiction."""

    code: str
    issuer: str
    jurisdiction: str


# Years a 文号 can carry; anything else in brackets is not a year.
MIN_YEAR = 1900
MAX_YEAR = 2099

#: The shortest 机关代字 read as a prefix when typed alone: one character (法, 国) is far more
#: often a word than a code (``法〔1998〕`` is still a prefix, its bracket says so).
MIN_BARE_CODE_CHARS = 2

#: The longest 机关代字 accepted without a match in the issuer-code table
#: (the corpus's longest is 灾总指挥部发明电, 8 characters).
MAX_CODE_CHARS = 10

#: Words that end the text before a 机关代字 or a decree's issuer in running text
#: (``关于印发国发〔2018〕41号``, ``按照国办发〔1993〕71号``), wherever they stand in the run.
#: None of them occurs inside a code or the name of a body; extend freely.
LEADING_WORDS = (
    "关于印发",
    "关于转发",
    "关于",
    "印发",
    "转发",
    "根据",
    "按照",
    "依据",
    "依照",
    "参照",
    "对照",
    "遵照",
    "执行",
    "贯彻",
    "落实",
    "实施",
    "废止",
    "修改",
    "修订",
    "详见",
    "参见",
    "现将",
    "以下简称",
    "简称",
    "通知",
    "意见",
    "决定",
    "办法",
    "方案",
    "规定",
    "文件",
    "精神",
    "要求",
    "批复",
    "请示",
    "报告",
    "省政府",
    "市政府",
    "我院",
    "本院",
    "我部",
    "我委",
    "我局",
    "我厅",
    "我办",
    "我省",
    "我市",
    "的",
)
#: Function characters cut only from the start of a run (``……号和国发〔…〕``,
#: ``，以国务院令第708号``), since inside one they may belong to a name (中华人民共和国).
#: Characters that begin place names (于都, 将乐, 即墨, 本溪, 从化) are left out; 和 stays,
#: as lists of 文号 joined by 和 are far more common than codes of 和田.
LEADING_CHARS = "和与及或以见并了被把在由凡"
_LEADING_WORDS_RE = re.compile("|".join(sorted(LEADING_WORDS, key=len, reverse=True)))

# Every bracket printed around the year becomes 〔 or 〕, one character for one.
_BRACKETS = str.maketrans({char: "〔" for char in "[［【(（﹝〖"} | {char: "〕" for char in "]］】)）﹞〗"})

_HAN = f"[{HAN}]"
_SP = "[ \t]*"
_YEAR = rf"(?P<year>{ARABIC_DIGIT}{{4}})"
# The year in brackets: four Arabic digits as the standard prints it, or two (〔06〕), or
# Chinese numerals digit by digit (〔二〇〇六〕, 〔〇六〕).
_BRACKET_YEAR = rf"(?P<year>{ARABIC_DIGIT}{{4}}|{CHINESE_DIGIT}{{4}}|{ARABIC_DIGIT}{{2}}|{CHINESE_DIGIT}{{2}})"
_FULL_ARABIC_YEAR = re.compile(rf"{ARABIC_DIGIT}{{4}}")
_ARABIC_NUMBER = re.compile(rf"{ARABIC_DIGIT}+")
_SEQUENCE = rf"(?P<sequence>{ARABIC_DIGIT}{{1,6}})(?![0-9])"

# In running text each pattern finds what follows the code or issuer; the run of Han
# characters right before it (at most `MAX_RUN_CHARS`) is then cut down to the code.
# 号 may only be missing after 〔〕.
MAX_RUN_CHARS = 20
_RUN_BEFORE = re.compile(rf"{_HAN}+\Z")
_STANDARD_IN_TEXT = re.compile(rf"{_SP}〔{_SP}{_BRACKET_YEAR}{_SP}〕{_SP}(?:第{_SP})?{_SEQUENCE}(?P<hao>{_SP}号)?")
_DECREE_IN_TEXT = re.compile(rf"令{_SP}(?:{_YEAR}{_SP}年{_SP})?第{_SP}{_SEQUENCE}{_SP}号")
_ANNOUNCEMENT_IN_TEXT = re.compile(rf"公告{_SP}{_YEAR}{_SP}年{_SP}第{_SP}{_SEQUENCE}{_SP}号")

# A string that is a 文号 may also have spaces inside the code (joint issuers, OCR), 第
# and 号 left out, and 号 printed before the sequence (晋政发〔2016〕号36).
_RUN = rf"(?P<run>(?:{_HAN}|[ \t])+?)"
_STANDARD = re.compile(
    rf"{_RUN}{_SP}〔{_SP}{_BRACKET_YEAR}{_SP}〕{_SP}"
    rf"(?:(?:第{_SP})?{_SEQUENCE}(?:{_SP}号)?|号{_SP}(?P<sequence_after>{ARABIC_DIGIT}{{1,6}}))"
)
_DECREE = re.compile(rf"{_RUN}令{_SP}(?:{_YEAR}{_SP}年{_SP})?(?:第{_SP})?{_SEQUENCE}(?:{_SP}号)?")
_ANNOUNCEMENT = re.compile(
    rf"(?P<run>(?:{_HAN}|[ \t])*?)公告{_SP}{_YEAR}{_SP}年{_SP}(?:第{_SP})?{_SEQUENCE}(?:{_SP}号)?"
)
# What people type in a search box: 粤办函 2016 629, 粤办函2016-629, 粤办函 2016年629号.
_QUERY = re.compile(rf"(?P<run>{_HAN}+){_SP}{_YEAR}(?:{_SP}年{_SP}|[ \t/-]+)(?:第{_SP})?{_SEQUENCE}(?:{_SP}号)?")
# A 机关代字 alone or with its bracketed year: 国办函, 国办函〔2006〕, 国办函[06].
_PREFIX = re.compile(rf"(?P<run>{_HAN}+)(?:{_SP}〔{_SP}{_BRACKET_YEAR}{_SP}〕)?")


def _normalised(text: str) -> str:
    """``text`` as the patterns read it: plain digits and spaces, simplified characters, every
    bracket 〔 or 〕; one character for one, so spans found in it are valid in ``text``."""
    return to_simplified(normalise_width(text)).translate(_BRACKETS)


def parse_doc_number(text: str) -> DocNumber | None:
    """The 文号 that ``text`` is (a leading ``文号：`` label and outer spaces are cut), or None."""
    normalised = _normalised(text)
    start, end = field_value_span(normalised)
    if normalised[start:end].startswith("〔") and normalised[start:end].endswith("〕"):
        start, end = start + 1, end - 1  # the whole number wrapped in brackets: （粤府〔2019〕5号）
    value, printed = normalised[start:end].strip(), text[start:end].strip()
    if match := _ANNOUNCEMENT.fullmatch(value):
        issuer = _after_leading_words(_without_spaces(match["run"]))
        return _numbered(printed, issuer + "公告", match["year"], match["sequence"], "announcement")
    if match := _DECREE.fullmatch(value):
        if issuer := _after_leading_words(_without_spaces(match["run"])):
            return _numbered(printed, issuer + "令", match["year"], match["sequence"], "decree")
        return None
    for pattern in (_STANDARD, _QUERY):
        if match := pattern.fullmatch(value):
            code = _code_in_run(_without_spaces(match["run"]))
            # One of the pattern's two places for the sequence always matches.
            sequence = match["sequence"] or match.groupdict().get("sequence_after")
            if not code or sequence is None:
                return None
            return _numbered(printed, code, match["year"], sequence, "standard")
    return None


def parse_doc_number_prefix(text: str) -> DocNumberPrefix | None:
    """The `DocNumberPrefix` that ``text`` is by its shape (``国办函``, ``國辦函〔06〕``), or None.

    The shape alone does not make a code of a word: whoever asks decides whether one is
    meant (search asks the index whether any 文号 starts with it). Runs that hold a leading
    word (通知, 关于 …) are never a code; alone, a code needs `MIN_BARE_CODE_CHARS`.
    """
    match = _PREFIX.fullmatch(_normalised(text).strip())
    if match is None:
        return None
    code = match["run"]
    if len(code) > MAX_CODE_CHARS or _after_leading_words(code) != code:
        return None
    if match["year"] is None:
        return DocNumberPrefix(code) if len(code) >= MIN_BARE_CODE_CHARS else None
    year = year_value(match["year"])
    return DocNumberPrefix(code, year) if MIN_YEAR <= year <= MAX_YEAR else None


def year_value(printed: str, this_year: int | None = None) -> int:
    """The year a 文号 prints: ``2016``, ``2O16``, ``二〇一六``; two digits (``06``, ``〇六``) in the
    century that puts them no later than ``this_year`` (by default the current one)."""
    digits = printed.replace(" ", "")
    value = arabic_value(digits) if _ARABIC_NUMBER.fullmatch(digits) else chinese_digits_value(digits)
    return full_year(value, this_year) if len(digits) == 2 else value


def full_year(two_digits: int, this_year: int | None = None) -> int:
    """A year printed with two digits: 00 up to this year's last two digits is 20xx, the rest
    19xx (a 文号 is never dated in the future)."""
    current = this_year if this_year is not None else datetime.date.today().year
    century = 2000 if two_digits <= current % 100 else 1900
    return century + two_digits


def find_doc_numbers(text: str) -> list[DocNumberMatch]:
    """Every 文号 in running text, in order, with its span; words before the code are left out."""
    normalised = _normalised(text)
    found: list[DocNumberMatch] = []
    for match in _STANDARD_IN_TEXT.finditer(normalised):
        hexagonal = text[normalised.index("〔", match.start())] in "〔﹝"
        if not hexagonal and (match["hao"] is None or not _FULL_ARABIC_YEAR.fullmatch(match["year"])):
            # Only hexagonal brackets are sure to hold a 文号 year: in others a number is a
            # year only when it is a full one followed by 号 (（06）3号 is more often an item).
            continue
        if code := _code_in_run(_run_before(normalised, match.start())):
            found += _found(text, match, code, code, "standard")
    for match in _DECREE_IN_TEXT.finditer(normalised):
        if issuer := _after_leading_words(_run_before(normalised, match.start())):
            found += _found(text, match, issuer, issuer + "令", "decree")
    for match in _ANNOUNCEMENT_IN_TEXT.finditer(normalised):
        issuer = _after_leading_words(_run_before(normalised, match.start()))
        found += _found(text, match, issuer, issuer + "公告", "announcement")
    return _without_overlaps(found)


def _run_before(normalised: str, end: int) -> str:
    """The Han characters right before ``end``, less a number's unit that begins them."""
    run_match = _RUN_BEFORE.search(normalised, max(0, end - MAX_RUN_CHARS), end)
    if run_match is None:
        return ""
    if run_match.start() > 0 and normalised[run_match.start() - 1].isdigit():
        return run_match.group()[1:]  # the character right after a number is its unit: 5日, 3号
    return run_match.group()


def _found(text: str, match: re.Match[str], issuer_part: str, code: str, kind: DocNumberKind) -> list[DocNumberMatch]:
    """The 文号 whose span is ``issuer_part`` (the kept end of the run before ``match``) plus ``match``."""
    start = match.start() - len(issuer_part)
    number = _numbered(text[start : match.end()], code, match["year"], match["sequence"], kind)
    return [] if number is None else [DocNumberMatch(number, start, match.end())]


def _without_overlaps(found: list[DocNumberMatch]) -> list[DocNumberMatch]:
    kept: list[DocNumberMatch] = []
    for candidate in sorted(found, key=lambda m: (m.start, -m.end)):
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    return kept


def _numbered(
    printed: str, code: str, year_printed: str | None, sequence_printed: str, kind: DocNumberKind
) -> DocNumber | None:
    """The DocNumber with its canonical form, or None when the year or the sequence cannot be."""
    year = None if year_printed is None else year_value(year_printed)
    sequence = arabic_value(sequence_printed)
    if (year is not None and not MIN_YEAR <= year <= MAX_YEAR) or sequence < 1:
        return None
    if kind == "standard":
        canonical = f"{code}〔{year}〕{sequence}号"
    elif year is None:
        canonical = f"{code}第{sequence}号"
    else:
        canonical = f"{code}{year}年第{sequence}号"
    return DocNumber(canonical, printed.strip(), code, year, sequence, kind)


def _without_spaces(run: str) -> str:
    return re.sub(r"\s+", "", run)


def _after_leading_words(run: str) -> str:
    """What follows the last leading word (印发, 根据, 的 …) in ``run`` and any leading
    function characters (和, 以 …) after it; all of ``run`` when there are none."""
    ends = [match.end() for match in _LEADING_WORDS_RE.finditer(run)]
    return run[ends[-1] if ends else 0 :].lstrip(LEADING_CHARS)


def _code_in_run(run: str) -> str | None:
    """The 机关代字 at the end of a run of Han characters, or None when there is no plausible one.

    After the leading words are cut, a known code is taken as it is; otherwise the longest
    known code that ends the run wins (``国务院国发`` → 国发), and an unknown run is kept
    only when it is short enough to be a code.
    """
    code = _after_leading_words(run)
    codes = _issuer_codes()
    if code in codes:
        return code
    known_endings = [known for known in codes if code.endswith(known)]
    if known_endings:
        return max(known_endings, key=len)
    return code if 0 < len(code) <= MAX_CODE_CHARS else None


@lru_cache(maxsize=1)
def _issuer_codes() -> dict[str, IssuerCode]:
    table = resources.files("gazette").joinpath("data", "issuer_codes.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#"))
    return {code: IssuerCode(code, issuer, jurisdiction) for code, issuer, jurisdiction in rows}


def issuer_codes() -> tuple[IssuerCode, ...]:
    """Every row of the issuer-code table."""
    return tuple(_issuer_codes().values())


@lru_cache(maxsize=1)
def _jurisdictions_by_issuer() -> dict[str, str]:
    return {row.issuer: row.jurisdiction for row in _issuer_codes().values()}


def issuer_for_code(code: str) -> IssuerCode | None:
    """The issuer-code table row for a 机关代字; decree and announcement codes (``广东省人民政府令``)
    are looked up by the issuer name they start with."""
    if row := _issuer_codes().get(code):
        return row
    for suffix in ("令", "公告"):
        issuer = code.removesuffix(suffix)
        if issuer != code and (jurisdiction := _jurisdictions_by_issuer().get(issuer)):
            return IssuerCode(code, issuer, jurisdiction)
    return None


def jurisdiction_for_code(code: str) -> str | None:
    """``cn`` or ``cn-XX`` for a known 机关代字, else None."""
    row = issuer_for_code(code)
    return None if row is None else row.jurisdiction
