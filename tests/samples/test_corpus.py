"""The corpus documents and the bundled samples as Akoma Ntoso: valid, lossless, with the right 文号."""

from __future__ import annotations

import pytest

from gazette import akn
from gazette.demo import sample_xml_files
from samples.corpus import document_from_record, load_records


def test_every_corpus_document_validates_and_reads_back_equal() -> None:
    records = load_records()
    assert len(records) == 20
    for record in records:
        doc = document_from_record(record)
        xml = akn.document_to_xml(doc)
        assert akn.validate(xml) == []
        assert akn.document_from_xml(xml) == doc
        assert doc.doc_number == record["doc_number"]
        assert doc.title == record["title"]


def test_corpus_documents_are_taken_apart_by_the_rules() -> None:
    by_id = {record["doc_number"]: document_from_record(record) for record in load_records()}
    doc = by_id["国办函〔2004〕57号"]
    assert doc.recipients == "辽宁省人民政府"
    assert doc.signature == ("国务院办公厅",)
    assert doc.date_written_printed == "二〇〇四年八月十二日"
    assert doc.body[-1].kind == "note" and doc.body[-1].text == "（本文有删减）"
    assert by_id["国发〔2019〕3号"].body[1].kind == "heading"


def test_the_closing_of_a_document_with_attachments_is_taken_apart() -> None:
    """附件说明, 署名, date and 附注 before what a document carries: its attachment, or what it
    prints (印发) or forwards (转发) under their own titles."""
    by_id = {record["doc_number"]: document_from_record(record) for record in load_records()}
    assert all(doc.date_written_printed and doc.signature for doc in by_id.values())
    doc = by_id["国办发〔2018〕114号"]
    assert (doc.signature, doc.date_written_printed) == (("国务院办公厅",), "2018年12月4日")
    closing = [(b.kind, b.text) for b in doc.body if b.kind in ("attachment", "note")]
    assert closing == [
        ("attachment", "附件：应急救援专用号牌式样和车辆涂装样图"),
        ("note", "（此件公开发布）"),
        ("attachment", "附件"),
        ("attachment", "应急救援专用号牌式样和车辆涂装样图"),
    ]
    printed = [b.text for b in by_id["国办发〔2018〕124号"].body if b.kind == "attachment"]
    assert printed == ["文化体制改革中经营性文化事业单位转制为企业的规定", "进一步支持文化企业发展的规定"]
    forwarded = by_id["国办发〔1996〕32号"]
    assert forwarded.signature == ("国务院办公厅",) and forwarded.date_written_printed == "一九九六年七月十七日"
    assert [b.text for b in forwarded.body if b.kind == "attachment"] == ["关于内地西藏班（校）扩大规模有关问题的请示"]
    assert "国家教委" in [b.text for b in forwarded.body]  # the forwarded 请示's own 署名, a line of its own


@pytest.mark.parametrize("kind", ["documents", "issues"])
def test_bundled_samples_validate_and_read_back_to_the_same_bytes(kind: str) -> None:
    files = sample_xml_files(kind)
    assert files, f"samples/{kind} is empty"
    read = akn.document_from_xml if kind == "documents" else akn.issue_from_xml
    write = akn.document_to_xml if kind == "documents" else akn.issue_to_xml
    for path in files:
        data = path.read_bytes()
        assert akn.validate(data) == [], path
        assert write(read(data, path=str(path))) == data, path
