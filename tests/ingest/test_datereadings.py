"""Readings of one date line under a seal combined field by field (`ingest.datereadings`):
the field most readings print legibly, a year whose zeros some readings lost counted with
the full year, a field not all agreed on marked for review, no majority no change."""

from __future__ import annotations

import pytest

from ingest.datereadings import agreed_date_reading
from ingest.ocr import OcrLine


def _lines(*texts: str) -> list[OcrLine]:
    return [OcrLine(text, (10.0, 20.0, 300.0, 50.0), 0.9 - 0.01 * i) for i, text in enumerate(texts)]


def test_unanimous_readings_give_the_line_unmarked() -> None:
    agreed = agreed_date_reading(_lines("二〇〇六年九月七日", "二〇〇六年九月七日", "二○○六年九月七日"))
    assert agreed is not None
    assert agreed.text == "二〇〇六年九月七日" and agreed.low_confidence == ()
    assert agreed.box == (10.0, 20.0, 300.0, 50.0)  # the line's own box


def test_a_day_the_ring_turned_into_another_loses_to_the_readings_that_agree() -> None:
    # 七 read as 一 where the ring crosses it, once; the cleaned crop misreads the year.
    agreed = agreed_date_reading(
        _lines("二〇〇七年三月二十一日", "二〇〇七年三月二十七日", "二e〇七年三月二十七日", "二〇七年三月二十七日")
    )
    assert agreed is not None and agreed.text == "二〇〇七年三月二十七日"
    marked = {agreed.text[i] for i in agreed.low_confidence}
    assert marked >= {"二", "十", "七"} and "三" not in marked  # the year and the day go to review, the month not


def test_a_year_with_its_zeros_lost_counts_for_the_full_year() -> None:
    agreed = agreed_date_reading(_lines("二〇七年五月九日", "二〇〇七年五月九日", "二七年五月九日"))
    assert agreed is not None and agreed.text == "二〇〇七年五月九日"
    assert agreed.low_confidence  # not every reading saw both 〇s


def test_zeros_lost_in_every_reading_stay_lost() -> None:
    # The 文号 may complete the year later (`metadata`); the readings never do.
    agreed = agreed_date_reading(_lines("二〇三年六月一日", "二○三年六月一日", "二0三年六月一日", "二三年六月一日"))
    assert agreed is not None and agreed.text == "二〇三年六月一日"


@pytest.mark.parametrize(
    "texts",
    [
        ("二〇〇七年三月二十一日", "二〇〇七年三月二十七日"),  # one against one
        ("二〇〇七年三月二十一日", "二〇〇七年三月二十七日", "二〇〇七年三月二十四日"),  # no majority
        ("二〇〇七年三月十一日", "二〇〇八年三月十一日", "二〇〇九年三月十一日"),  # years all differ
        ("二〇〇七年三月圈日", "二〇〇七年三月日", "二〇〇七年三月十一日"),  # one legible day
        ("国务院办公厅", "国务院办公厅", "国务院办公厅"),  # no date
    ],
)
def test_readings_that_do_not_agree_give_nothing(texts: tuple[str, ...]) -> None:
    assert agreed_date_reading(_lines(*texts)) is None


def test_every_field_is_one_some_reading_printed() -> None:
    readings = _lines(
        "二〇〇五年七月十日日", "二〇〇五年七月十圈日", "二〇五年七月十四日", "二五年七月十四日", "二e〇五年七月十日"
    )
    agreed = agreed_date_reading(readings)
    assert agreed is not None and agreed.text == "二〇〇五年七月十四日"
    assert set(agreed.low_confidence) >= {agreed.text.index("十四"), agreed.text.index("十四") + 1}
