"""Tests of gazette.dates: dates as printed (Arabic, Chinese numerals, Republic era, ISO-like)."""

from __future__ import annotations

import pytest

from gazette.dates import ParsedDate, date_fields, date_in_year_lacking_zeros, find_dates, lacks_zeros_of, parse_date
from samples.corpus import corpus_file, load_records

#: documents.jsonl rows whose metadata 成文日期 differs from the date printed in the body:
#: govcn-5351624 is signed 二〇〇四年四月二十七日 while its page says 2004-04-17.
METADATA_DISAGREES_WITH_BODY = {"govcn-5351624"}


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("2016年12月12日", "2016-12-12"),
        ("2016 年 12 月 12 日", "2016-12-12"),
        ("２０１６年１２月１２日", "2016-12-12"),
        ("2016年1月5日", "2016-01-05"),
        ("2O16年l2月l2日", "2016-12-12"),
        ("2016年12月12曰", "2016-12-12"),
        ("二〇一六年十二月十二日", "2016-12-12"),
        ("二〇〇四年八月二十七日", "2004-08-27"),
        ("二〇一六年十月三十一日", "2016-10-31"),
        ("二〇一六年一月十日", "2016-01-10"),
        ("一九九六年二月六日", "1996-02-06"),
        ("二 〇 一 六 年 十二 月 十二 日", "2016-12-12"),
        ("2016-12-12", "2016-12-12"),
        ("2016-1-5", "2016-01-05"),
        ("2016/12/12", "2016-12-12"),
        ("2016.12.12", "2016-12-12"),
        ("20161212", "2016-12-12"),
        ("2024-02-29", "2024-02-29"),
        ("成文日期：2016-12-12", "2016-12-12"),
        ("  发布日期: 二〇一六年十二月十六日 ", "2016-12-16"),
        ("中華民國二十年三月十日", "1931-03-10"),
        ("中华民国二十年三月十日", "1931-03-10"),
        ("民國20年3月10日", "1931-03-10"),
        ("民国元年一月一日", "1912-01-01"),
        ("中華民國廿年三月十日", "1931-03-10"),
        ("民国三十八年九月三十日", "1949-09-30"),
    ],
)
def test_parse_date(printed: str, iso: str) -> None:
    date = parse_date(printed)
    assert date is not None
    assert date.iso == iso
    assert date.printed in printed and date.printed == date.printed.strip()


@pytest.mark.parametrize("zero", ["〇", "○", "零", "O", "0", "o", "Ｏ", "０"])
def test_parse_date_every_zero_variant(zero: str) -> None:
    date = parse_date(f"二{zero}{zero}四年八月十二日")
    assert date is not None and date.iso == "2004-08-12"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "成文日期：",
        "2016年12月",
        "二〇一六年十二月",
        "2016年2月30日",
        "2015年2月29日",
        "2016-02-30",
        "2016-13-01",
        "20161332",
        "二〇一六年二月三十日",
        "二〇一六年十二月三十二日",
        "2016-12-12 10:30",
        "粤办函〔2016〕629号",
        "12月12日",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_in_running_text() -> None:
    text = (
        "于 2017 年 1 月 10 日前报省府办公厅。二〇〇四年八月十二日，中華民國二十年三月十日，"
        "2019-01-01至2019-02-30；索引号006939748/2016-01043，20161212，2016年12月"
    )
    found = find_dates(text)
    assert [(match.date.iso, match.date.printed) for match in found] == [
        ("2017-01-10", "2017 年 1 月 10 日"),
        ("2004-08-12", "二〇〇四年八月十二日"),
        ("1931-03-10", "中華民國二十年三月十日"),
        ("2019-01-01", "2019-01-01"),
    ]
    assert all(text[match.start : match.end] == match.date.printed for match in found)


def test_find_dates_signature_line_of_gd_sample() -> None:
    found = find_dates(corpus_file("000_20060089da20eb48.txt").read_text(encoding="utf-8"))
    assert found[-1].date.iso == "2016-12-12"
    assert found[-1].date.printed == "2016 年 12 月 12 日"


def test_find_dates_documents_date_written_is_in_body() -> None:
    for document in load_records():
        found = [match.date.iso for match in find_dates(document["body"])]
        if document["id"] in METADATA_DISAGREES_WITH_BODY:
            assert document["date_written"] not in found
        else:
            assert document["date_written"] in found, document["id"]


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("二〇四年八月十二日", "204", 8, 12),  # a 〇 lost: the digits as printed
        ("二e〇四年十月十五日", None, 10, 15),  # a stroke of the ring read as a letter
        ("二〇五年七月十日日", "205", 7, None),
        ("成文日期：2016年12月 1日", "2016", 12, 1),
        ("二O一六年十二月十二曰", "2016", 12, 12),
    ],
)
def test_date_fields_reads_each_field_or_none(text: str, year: str | None, month: int | None, day: int | None) -> None:
    fields = date_fields(text)
    assert fields is not None and (fields.year, fields.month, fields.day) == (year, month, day)


def test_date_fields_needs_the_three_marks_in_order() -> None:
    assert date_fields("二〇〇四年八月") is None
    assert date_fields("八月十二日二〇〇四年") is None
    assert date_fields("国务院办公厅") is None


@pytest.mark.parametrize(
    ("digits", "year", "lacks"),
    [
        ("204", 2004, True),
        ("24", 2004, True),
        ("2", 2000, True),
        ("2004", 2004, False),  # nothing lost
        ("214", 2004, False),
        ("205", 2004, False),
        ("204", 2040, True),
        ("", 2004, False),
    ],
)
def test_lacks_zeros_of(digits: str, year: int, lacks: bool) -> None:
    assert lacks_zeros_of(digits, year) is lacks


def test_a_date_in_a_year_lacking_zeros_is_only_that_year_on_the_calendar() -> None:
    found = date_in_year_lacking_zeros("成文日期：二〇四年二月二十九日", 2004)
    assert found == ParsedDate("2004-02-29", "二〇四年二月二十九日")
    assert date_in_year_lacking_zeros("二〇五年二月二十九日", 2005) is None  # not a leap year
    assert date_in_year_lacking_zeros("二〇〇四年二月二日", 2004) is None  # nothing lost: parse_date's
    assert date_in_year_lacking_zeros("二〇四年二月二日", 2005) is None
    assert date_in_year_lacking_zeros("二〇四年二月日", 2004) is None
