"""The one rule of what may be public, and the review workflow's fields read where they exist."""

from __future__ import annotations

from dataclasses import dataclass

from gazette.model import Document
from gazette.web.public import disclosure_label, is_public_document, legal_status, named_interpretations
from tests.gazette.conftest import make_document


@dataclass(frozen=True)
class Reviewed(Document):
    """A document as the review workflow will hand it over: withdrawn, legal status, interprets."""

    withdrawn: str | None = None
    status: str | None = None
    interprets: tuple[str, ...] = ()


def test_public_is_proactive_or_printed_and_not_withdrawn() -> None:
    assert is_public_document(make_document(disclosure="主动公开"))
    assert is_public_document(make_document(disclosure=None))
    assert not is_public_document(make_document(disclosure="依申请公开"))
    assert not is_public_document(make_document(disclosure="不予公开"))
    doc = make_document()
    assert not is_public_document(Reviewed(**vars(doc), withdrawn="误发"))
    assert is_public_document(Reviewed(**vars(doc)))


def test_legal_status_and_interpretations_where_known() -> None:
    doc = make_document()
    assert legal_status(doc) is None and named_interpretations(doc) == ()
    assert legal_status(Reviewed(**vars(doc), status="已废止")) == "已废止"
    assert legal_status(Reviewed(**vars(doc), status="repealed")) == "已废止"
    assert legal_status(Reviewed(**vars(doc), status="不知道")) is None
    assert named_interpretations(Reviewed(**vars(doc), interprets=("国发〔2019〕3号",))) == ("国发〔2019〕3号",)


def test_disclosure_label() -> None:
    assert disclosure_label(make_document(disclosure=None)) == "主动公开"
    assert disclosure_label(make_document(disclosure="主动公开")) == "主动公开"
