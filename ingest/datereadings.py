"""One date line read several ways (a seal's ring across it), combined field by field.

A seal's ring crosses a 〇 or a day's 七 and each image of the line loses it differently
(`recognise.reread_sealed_dates`): the cleaned page cuts the stroke the ring crossed, the
page as scanned keeps the ring as a stroke, a stretched crop splits a 〇〇 the recogniser
merged. Each of year, month and day is taken from what most readings that print it
legibly agree on; a year whose zeros some readings lost (二〇四 beside 二〇〇四) supports
the full year, as the same ink read twice. A field on which the readings were not all
agreed is marked low-confidence, so the date goes to review with its value; a field no
majority agrees on leaves the line as first read (it goes to review without a value).
Every field of the result was printed so by some reading: never a value none gave.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from typing import TypeVar

from gazette.dates import DateFields, date_fields, lacks_zeros_of
from gazette.numerals import CHINESE_ZEROS
from ingest.ocr import OcrLine

_T = TypeVar("_T", bound=Hashable)
_ZEROS = str.maketrans({zero: "〇" for zero in CHINESE_ZEROS})
_CHINESE_NONZERO = set("一二三四五六七八九")


def agreed_date_reading(readings: list[OcrLine]) -> OcrLine | None:
    """The date line that ``readings`` (of one line) agree on field by field, or None when they
    do not (or hold no date)."""
    fields = [found for line in readings if (found := date_fields(line.text)) is not None]
    if not fields:
        return None
    year = _agreed_year([f.year for f in fields if f.year is not None])
    month = _agreed([f.month for f in fields if f.month is not None])
    day = _agreed([f.day for f in fields if f.day is not None])
    if year is None or month is None or day is None:
        return None
    year_printed = _printed(fields, lambda f: f.year == year[0], lambda f: f.year_printed)
    if _CHINESE_NONZERO & set(year_printed):  # 二0〇四, 〇 read as a digit zero: one form of 〇
        year_printed = year_printed.translate(_ZEROS)
    month_printed = _printed(fields, lambda f: f.month == month[0], lambda f: f.month_printed)
    day_printed = _printed(fields, lambda f: f.day == day[0], lambda f: f.day_printed)
    text = f"{year_printed}年{month_printed}月{day_printed}日"
    # Characters of a field the readings were not all agreed on: the date goes to review.
    unsure: list[int] = []
    at = 0
    for printed, (_, unanimous) in ((year_printed, year), (month_printed, month), (day_printed, day)):
        if not unanimous or len(fields) < len(readings):
            unsure.extend(range(at, at + len(printed)))
        at += len(printed) + 1
    best = max(readings, key=lambda line: line.confidence)
    return OcrLine(text, readings[0].box, best.confidence, tuple(unsure))


def _agreed(values: list[_T]) -> tuple[_T, bool] | None:
    """The value more than half of ``values`` are (at least two), and whether all are."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    if count < 2 or 2 * count <= len(values):
        return None
    return value, count == len(values)


def _agreed_year(years: list[str]) -> tuple[str, bool] | None:
    """A four-digit year that more than half of ``years`` are or are with zeros lost; else the
    year more than half print alike (zeros lost in all: the metadata step checks it against
    the 文号)."""
    full = {year for year in years if len(year) == 4}
    supported = [
        (sum(1 for other in years if other == year or lacks_zeros_of(other, int(year))), year) for year in full
    ]
    if supported:
        count, year = max(supported)
        if count >= 2 and 2 * count > len(years):
            return year, all(other == year for other in years)
    return _agreed(years)


def _printed(
    fields: list[DateFields], matches: Callable[[DateFields], bool], printed: Callable[[DateFields], str]
) -> str:
    """How the first reading with the agreed value printed the field."""
    return next(printed(f) for f in fields if matches(f))
