"""Dates as official documents print them, read as ISO dates with the printed form kept.

Since 2012-07-01 (GB/T 9704-2012) the 成文日期 is printed in Arabic numerals without
padding (``2016年12月12日``); before, in Chinese numerals with 〇 for zero
(``二〇一六年十二月十二日``), where OCR and typists give ○ 零 O 0 for 〇. Historical
issues carry Republic-era dates (``中華民國二十年三月十日`` = 1931-03-10). Web pages
add ISO-like forms (``2016-12-12``, ``2016/12/12``, ``2016.12.12``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

from gazette.numerals import (
    ARABIC_DIGIT,
    CHINESE_COUNT,
    CHINESE_DIGIT,
    arabic_value,
    chinese_count_value,
    chinese_digits_value,
    field_value_span,
    normalise_width,
)


@dataclass(frozen=True)
class ParsedDate:
    """A calendar date: ``iso`` is ``YYYY-MM-DD``, ``printed`` the string it was read from."""

    iso: str
    printed: str


class DateMatch(NamedTuple):
    """A date found in running text and its span there (``text[start:end]`` is ``date.printed``)."""

    date: ParsedDate
    start: int
    end: int


# Years a gazette date can carry; the bounds keep look-alike digit runs from passing as dates.
MIN_YEAR = 1800
MAX_YEAR = 2199

#: 中华民国元年 is 1912.
REPUBLIC_ERA_OFFSET = 1911

_SP = "[ \t]*"
# OCR reads 日 as 曰 often enough to accept it; 曰 never follows 月 and a number otherwise.
_DAY_MARK = "[日曰]"

_ARABIC = re.compile(
    rf"(?<![0-9])(?P<year>{ARABIC_DIGIT}{{4}}){_SP}年{_SP}(?P<month>{ARABIC_DIGIT}{{1,2}}){_SP}月"
    rf"{_SP}(?P<day>{ARABIC_DIGIT}{{1,2}}){_SP}{_DAY_MARK}"
)
# OCR of spaced-out print puts spaces between the digits of a year: 二 〇 一 六 年.
_CHINESE = re.compile(
    rf"(?P<year>(?:{CHINESE_DIGIT}{_SP}){{3}}{CHINESE_DIGIT}){_SP}年{_SP}(?P<month>{CHINESE_COUNT}){_SP}月"
    rf"{_SP}(?P<day>{CHINESE_COUNT}){_SP}{_DAY_MARK}"
)
# The Republic counted its years (二十年, 元年); later printings use Arabic digits (民國20年).
_REPUBLIC_NUMBER = rf"(?:{CHINESE_COUNT}|[0-9]{{1,3}})"
_REPUBLIC = re.compile(
    rf"(?:中华民国|中華民國|民国|民國){_SP}(?P<year>{_REPUBLIC_NUMBER}|元){_SP}年{_SP}"
    rf"(?P<month>{_REPUBLIC_NUMBER}){_SP}月{_SP}(?P<day>{_REPUBLIC_NUMBER}){_SP}{_DAY_MARK}"
)
_SEPARATED = re.compile(
    r"(?<![0-9])(?P<year>[0-9]{4})(?P<separator>[-/.])(?P<month>[0-9]{1,2})"
    r"(?P=separator)(?P<day>[0-9]{1,2})(?![0-9])"
)
# Eight bare digits are a date only when that is all the string is: in running text
# they are as likely an index number or a phone number.
_COMPACT = re.compile(r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})")

_IN_TEXT = (_ARABIC, _CHINESE, _REPUBLIC, _SEPARATED)
# A line set as a date (year, month and day marks in order, numerals between) that may not
# spell one: a digit lost under a seal (二〇四年), a day not on the calendar (二月三十日).
_DATE_SHAPED = re.compile(
    rf"(?:{CHINESE_DIGIT}|{ARABIC_DIGIT}|{_SP}){{1,8}}年{_SP}(?:{CHINESE_COUNT}|{ARABIC_DIGIT}{{1,2}}){_SP}月"
    rf"{_SP}(?:{CHINESE_COUNT}|{ARABIC_DIGIT}{{1,2}}){_SP}{_DAY_MARK}"
)


# A line's year, month and day by their marks alone, whatever stands between them.
_FIELDS = re.compile(rf"(?P<year>[^年]*)年(?P<month>[^月]*)月(?P<day>.*?){_DAY_MARK}")
_YEAR_DIGITS = re.compile(rf"(?:{CHINESE_DIGIT}|{ARABIC_DIGIT}){{1,4}}")
_MONTH_OR_DAY = re.compile(rf"{CHINESE_COUNT}|{ARABIC_DIGIT}{{1,2}}")


@dataclass(frozen=True)
class DateFields:
    """The year, month and day a line set as a date prints, each None where it is no numeral
    (a stroke of a seal read into it). ``year`` is the year's digits as printed, in Arabic
    digits: ``"204"`` for 二〇四, a 〇 lost; the ``*_printed`` strings are the line's own."""

    year: str | None
    month: int | None
    day: int | None
    year_printed: str
    month_printed: str
    day_printed: str


def date_fields(text: str) -> DateFields | None:
    """The fields of a line with a year, a month and a day mark in that order, or None."""
    normalised = normalise_width(text)
    start, end = field_value_span(normalised)
    match = _FIELDS.fullmatch(re.sub(r"\s", "", normalised[start:end]))
    if match is None:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    return DateFields(
        "".join(str(_number(digit)) for digit in year) if _YEAR_DIGITS.fullmatch(year) else None,
        _number(month) if _MONTH_OR_DAY.fullmatch(month) else None,
        _number(day) if _MONTH_OR_DAY.fullmatch(day) else None,
        year,
        month,
        day,
    )


def lacks_zeros_of(digits: str, year: int) -> bool:
    """Whether a year's printed ``digits`` are ``year``'s with one or more zeros left out
    (``"204"`` of 2004): what a recogniser gives when a seal's ring crosses a 〇 or merges 〇〇."""
    full = str(year)
    if len(digits) >= len(full):
        return False
    at = 0
    for digit in full:
        if at < len(digits) and digits[at] == digit:
            at += 1
        elif digit != "0":
            return False
    return at == len(digits)


def date_in_year_lacking_zeros(text: str, year: int) -> ParsedDate | None:
    """The date ``text`` prints when its year is ``year`` with 〇s lost (二〇四年八月十二日 and
    2004 give 2004-08-12), or None: for a year that is not ``year``'s digits less zeros,
    for a month or day not read, for a day not on the calendar."""
    fields = date_fields(text)
    if fields is None or fields.year is None or fields.month is None or fields.day is None:
        return None
    if not lacks_zeros_of(fields.year, year):
        return None
    start, end = field_value_span(normalise_width(text))
    try:
        return ParsedDate(datetime.date(year, fields.month, fields.day).isoformat(), text[start:end])
    except ValueError:
        return None


def parse_date(text: str) -> ParsedDate | None:
    """The full date that ``text`` is (a leading ``成文日期：`` label and outer spaces are cut),
    or None: for other text, for a year and month without a day, for 2月30日."""
    normalised = normalise_width(text)
    start, end = field_value_span(normalised)
    for pattern in (*_IN_TEXT, _COMPACT):
        if match := pattern.fullmatch(normalised, start, end):
            return _parsed(match, text[start:end])
    return None


def is_date_shaped(text: str) -> bool:
    """Whether ``text`` is set as a date, whether or not it spells one (`parse_date` says that)."""
    normalised = normalise_width(text)
    start, end = field_value_span(normalised)
    return _DATE_SHAPED.fullmatch(normalised, start, end) is not None


def find_dates(text: str) -> list[DateMatch]:
    """Every full date in running text, in order, with its span."""
    normalised = normalise_width(text)
    found: list[DateMatch] = []
    for pattern in _IN_TEXT:
        for match in pattern.finditer(normalised):
            if date := _parsed(match, text[match.start() : match.end()]):
                found.append(DateMatch(date, match.start(), match.end()))
    return _without_overlaps(found)


def _without_overlaps(found: list[DateMatch]) -> list[DateMatch]:
    kept: list[DateMatch] = []
    for candidate in sorted(found, key=lambda m: (m.start, -m.end)):
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    return kept


def _parsed(match: re.Match[str], printed: str) -> ParsedDate | None:
    """The date a match spells, or None when it is not on the calendar."""
    year, month, day = (_number(match[part]) for part in ("year", "month", "day"))
    if match.re is _REPUBLIC:
        year += REPUBLIC_ERA_OFFSET
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return ParsedDate(date.isoformat(), printed)


def _number(printed: str) -> int:
    """A year, month or day in any of the numeral systems dates are printed in."""
    if printed == "元":
        return 1
    if re.fullmatch(CHINESE_COUNT, printed):
        return chinese_count_value(printed)
    if re.fullmatch(f"{CHINESE_DIGIT}+", digits := re.sub(r"\s", "", printed)) and not digits.isdigit():
        return chinese_digits_value(digits)
    return arabic_value(printed)
