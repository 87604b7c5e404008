"""The one rule of what may be public, and the review workflow's fields as public outputs read them."""

from __future__ import annotations

from gazette.web.public import disclosure_label, is_public_document, legal_status, named_interpretations
from tests.gazette.conftest import make_document


def test_public_is_proactive_or_printed_and_not_withdrawn_nor_a_second_reading() -> None:
    assert is_public_document(make_document(disclosure="主动公开"))
    assert is_public_document(make_document(disclosure=None))
    assert not is_public_document(make_document(disclosure="依申请公开"))
    assert not is_public_document(make_document(disclosure="不予公开"))
    assert not is_public_document(make_document(withdrawn="误发"))
    assert not is_public_document(make_document(reading_of="粤办函〔2016〕629号"))


def test_legal_status_and_interpretations_where_known() -> None:
    doc = make_document()
    assert legal_status(doc) is None and named_interpretations(doc) == ()
    assert legal_status(make_document(status="已废止")) == "已废止"
    assert named_interpretations(make_document(interprets=("国发〔2019〕3号",))) == ("国发〔2019〕3号",)


def test_disclosure_label() -> None:
    assert disclosure_label(make_document(disclosure=None)) == "主动公开"
    assert disclosure_label(make_document(disclosure="主动公开")) == "主动公开"
