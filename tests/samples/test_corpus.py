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
