"""Tests of gazette.dates: dates as printed (Arabic, Chinese numerals, Republic era, ISO-like)."""

from __future__ import annotations

import pytest

from gazette.dates import find_dates, parse_date
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
