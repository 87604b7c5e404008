"""Tests of gazette.issuers: issuing bodies as people shorten them."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from gazette.issuers import is_known_issuer, issuer_names, known_issuers, split_issuers, title_issuers


@pytest.mark.parametrize(
    ("typed", "means"),
    [
        ("广东省政府办公厅", "广东省人民政府办公厅"),
        ("广东省人民政府办公厅", "广东省政府办公厅"),  # both ways: a document may print the short form
        ("广东省府办公厅", "广东省人民政府办公厅"),  # as signatures print it (省府办公厅)
        ("广州市政府", "广州市人民政府"),
        ("内蒙古自治区政府", "内蒙古自治区人民政府"),
        ("国办", "国务院办公厅"),
        ("国务院办公厅", "国办"),
        ("國務院辦公廳", "国务院办公厅"),
        ("发改委", "国家发展改革委"),  # two rows of one body
        ("国家发改委办公厅", "国家发展改革委办公厅"),
        (" 国 办 ", "国务院办公厅"),
    ],
)
def test_issuer_names(typed: str, means: str) -> None:
    names = issuer_names(typed)
    assert means in names
    assert names[0] == re.sub(r"\s", "", typed).replace("國務院辦公廳", "国务院办公厅")  # itself first


@pytest.mark.parametrize("typed", ["国务院", "中央政府", "市政府", "省府办公厅", "测试机关"])
def test_no_rule_for_names_that_are_no_local_government(typed: str) -> None:
    assert issuer_names(typed) == (typed,)


def test_known_issuers_come_from_the_tables() -> None:
    assert {"国务院", "国务院办公厅", "广东省人民政府办公厅", "国家税务总局"} <= known_issuers()
    assert is_known_issuer("广东省政府办公厅") and is_known_issuer("国办") and is_known_issuer("税务总局")
    assert not is_known_issuer("广东省政府办公室") and not is_known_issuer("测试机关")


def test_alias_table_is_well_formed() -> None:
    table = resources.files("gazette").joinpath("data", "issuer_aliases.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line and not line.startswith("#")]
    assert all(len(row) == 2 and row[0] != row[1] for row in rows)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", name) for row in rows for name in row)
    assert len({tuple(row) for row in rows}) == len(rows), "a row is listed twice"


@pytest.mark.parametrize(
    ("title", "issuers"),
    [
        ("国务院办公厅、中央军委办公厅关于进一步加强征兵工作的通知", ("国务院办公厅", "中央军委办公厅")),
        ("国务院、中央军委关于修改《征兵工作条例》的决定", ("国务院", "中央军委")),
        ("教育部、财政部联合印发《学生资助资金管理办法》的通知", ("教育部", "财政部")),
        ("人力资源社会保障部，财政部关于调整退休人员基本养老金的通知", ("人力资源社会保障部", "财政部")),
        ("国务院办公厅中央军委办公厅关于某事的通知", ("国务院办公厅", "中央军委办公厅")),  # OCR lost the 、
        ("广东省人民政府令", ("广东省人民政府",)),
        ("关于加强个人所得税纳税信用建设的通知", ()),  # the issuers sign: the title names none
        ("进一步加强安全生产的意见", ()),
        ("张三、李四关于某事的报告", ()),  # people, not bodies
    ],
)
def test_title_issuers_lead_first(title: str, issuers: tuple[str, ...]) -> None:
    assert title_issuers(title) == issuers


@pytest.mark.parametrize(
    ("printed", "issuers"),
    [
        ("国务院办公厅\t中央军委办公厅", ("国务院办公厅", "中央军委办公厅")),  # side by side, two cells
        ("国务院办公厅　　中央军委办公厅", ("国务院办公厅", "中央军委办公厅")),
        ("国务院中央军委", ("国务院", "中央军委")),  # the space between them lost
        ("国家发展改革委办公厅税务总局办公厅", ("国家发展改革委办公厅", "税务总局办公厅")),
        ("某某委员会某某局", ("某某委员会某某局",)),  # unknown names are never guessed apart
        ("广东省人民政府办公厅", ("广东省人民政府办公厅",)),
    ],
)
def test_split_issuers_splits_only_known_names(printed: str, issuers: tuple[str, ...]) -> None:
    assert split_issuers(printed) == issuers
