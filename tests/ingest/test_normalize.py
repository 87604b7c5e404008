from __future__ import annotations

import pytest

from ingest.normalize import remove_spaces_in_han_text


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("阳光政 务建设", "阳光政务建设"),
        ("在 2018 年实现", "在2018年实现"),
        ("不低于 4%，并", "不低于4%，并"),
        ("2016 年 12 月 12 日", "2016年12月12日"),
        ("手机 APP 应用", "手机 APP 应用"),
        ("PDF file", "PDF file"),
        ("120 （扩招）", "120（扩招）"),
        ("招生人数\t扩招", "招生人数\t扩招"),
    ],  # a tab separates table cells
)
def test_spaces_inside_chinese_text_go_latin_words_keep_theirs(printed: str, clean: str) -> None:
    assert remove_spaces_in_han_text(printed) == clean
