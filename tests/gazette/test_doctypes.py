from __future__ import annotations

import pytest

from gazette.doctypes import DOC_TYPE_FAMILIES, DOC_TYPES, akn_doc_name, doc_type_from_title, doc_types_within


@pytest.mark.parametrize(
    ("doc_type", "name"),
    [
        ("通知", "notice"),
        ("令", "order"),
        ("命令", "order"),
        ("通告", "circular"),
        ("复函", "reply-letter"),
        ("说明", "document"),
        (None, "document"),
    ],
)
def test_akn_doc_name_comes_from_doc_type(doc_type: str | None, name: str) -> None:
    assert akn_doc_name(doc_type) == name


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("国务院关于促进综合保税区高水平开放高质量发展的若干意见", "意见"),
        ("国务院办公厅关于广东与香港、澳门合建自动气象站网有关问题的复函", "复函"),
        ("国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函", "函"),
        ("国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复", "批复"),
        ("个人所得税专项附加扣除暂行办法（试行）", "办法"),
        ("广东省人民政府令", "令"),
        ("关于内地西藏班扩大规模的说明", None),
    ],
)
def test_doc_type_is_read_from_the_end_of_the_title(title: str, doc_type: str | None) -> None:
    assert doc_type_from_title(title) == doc_type


def test_a_type_includes_its_family() -> None:
    assert doc_types_within("函") == ("函", "复函")
    assert set(doc_types_within("令")) == set(doc_types_within("命令")) == {"令", "命令"}
    assert doc_types_within("通知") == ("通知",)
    assert doc_types_within("复函") == ("复函",)  # a 复函 is a 函, not the other way round


def test_type_families_name_only_known_types() -> None:
    assert all(member in DOC_TYPES for broad, members in DOC_TYPE_FAMILIES.items() for member in (broad, *members))
