from __future__ import annotations

import pytest

from gazette.structure import (
    blocks_from_paragraphs,
    heading_level,
    is_attachment_label,
    is_standalone_heading,
    join_broken_paragraphs,
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、指导思想", 1),
        ("十二、附则", 1),
        ("（一）加强组织领导。", 2),
        ("(三)其他", 2),
        ("1.总体要求", 3),
        ("２．目标", 3),
        ("（1）范围", 4),
        ("2018年是", 0),
        ("1.5倍以上", 0),
        ("为贯彻落实", 0),
    ],
)
def test_heading_levels(text: str, level: int) -> None:
    assert heading_level(text) == level


def test_a_run_in_heading_stays_a_paragraph() -> None:
    assert is_standalone_heading("（一）加强组织领导。")
    assert not is_standalone_heading("（一）加强组织领导。生态环境部会同有关部门组建协调小组。")
    assert is_standalone_heading("第三条　本办法自公布之日起施行")


def test_join_broken_paragraphs_repairs_a_page_break_but_keeps_headings() -> None:
    lines = ["一、指导思想", "充分运用新闻发布会、集中采访、", "新闻通稿等传统方式。", "二、工作要求", "附件：1.名单"]
    assert join_broken_paragraphs(lines) == [
        "一、指导思想",
        "充分运用新闻发布会、集中采访、新闻通稿等传统方式。",
        "二、工作要求",
        "附件：1.名单",
    ]


def test_blocks_group_tables_and_mark_attachments() -> None:
    blocks = blocks_from_paragraphs(["一、安排", "省份\t人数", "福建\t45", "附件：名单", "正文。"])
    assert [b.kind for b in blocks] == ["heading", "table", "attachment", "paragraph"]
    assert blocks[1].rows == (("省份", "人数"), ("福建", "45"))
    assert blocks[0].level == 1


def test_an_attachment_label_stands_alone_and_an_attachment_list_does_not() -> None:
    assert is_attachment_label("附件") and is_attachment_label("附件2：") and is_attachment_label("附件１")
    assert not is_attachment_label("附件：应急救援专用号牌式样") and not is_attachment_label("附件说明")
