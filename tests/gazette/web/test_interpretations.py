from __future__ import annotations

from gazette.web.interpretations import find_interpretations
from tests.gazette.conftest import make_document

POLICY = make_document(
    id="国发〔2019〕3号", doc_number="国发〔2019〕3号", title="国务院关于促进综合保税区高水平开放高质量发展的若干意见"
)
OTHER = make_document()


def test_a_title_in_quotes_names_the_policy_with_or_without_its_issuer() -> None:
    for title in (
        "《国务院关于促进综合保税区高水平开放高质量发展的若干意见》政策解读",
        "《关于促进综合保税区高水平开放高质量发展的若干意见》解读",
    ):
        reading = make_document(id="r", doc_number=None, title=title)
        links = find_interpretations([POLICY, OTHER, reading])
        assert links.interprets == {"r": ("国发〔2019〕3号",)}
        assert links.interpreted_by == {"国发〔2019〕3号": ("r",)}


def test_a_doc_number_in_the_title_or_opening_names_the_policy() -> None:
    by_number = make_document(id="r1", doc_number=None, title="国发〔2019〕3号文件政策解读")
    from_text = make_document(
        id="r2",
        doc_number=None,
        title="一图读懂：政策解读",
        body=make_document().body[:0]
        + (POLICY.body[0].__class__("paragraph", "近日，国务院印发《意见》（国发〔2019〕3号）。"),),
    )
    links = find_interpretations([POLICY, OTHER, by_number, from_text])
    assert links.interprets == {"r1": ("国发〔2019〕3号",), "r2": ("国发〔2019〕3号",)}


def test_no_link_without_解读_or_to_a_document_not_given() -> None:
    cites = make_document(
        id="c", doc_number=None, title="关于贯彻《关于促进综合保税区高水平开放高质量发展的若干意见》的通知"
    )
    reading = make_document(id="r", doc_number=None, title="《关于不存在的文件的通知》政策解读")
    assert find_interpretations([POLICY, cites, reading]).interprets == {}


def test_the_interprets_field_comes_first() -> None:
    named = make_document(id="r", doc_number=None, title="答记者问", interprets=("粤办函〔2016〕629号", "missing"))
    links = find_interpretations([POLICY, OTHER, named])
    assert links.interprets == {"r": ("粤办函〔2016〕629号",)}
