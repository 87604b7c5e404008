"""Stored blocks read again as a document (`ingest.reread`), as `gazette split` reads them."""

from __future__ import annotations

from gazette.model import Block, Box, Document, GazetteRef, Source
from ingest.reread import document_from_blocks, paragraphs_from_blocks

PART_OF = Document(
    id="国办发〔2019〕1号",
    title="国务院办公厅关于甲事的通知",
    pages=(4, 5),
    source=Source("issue.pdf", "b" * 64, 12),
    gazette=GazetteRef("中华人民共和国国务院公报", 2019, 5),
    date_published="2019-02-20",
)


def test_each_block_is_a_paragraph_on_its_page_and_a_table_a_row_each() -> None:
    blocks = (
        Block("paragraph", "无框的一段。"),
        Block("paragraph", "第五页的一段。", origin=(Box(5, 10, 20, 300, 40),)),
        Block("table", "甲\t乙\n丙\t丁", rows=(("甲", "乙"), ("丙", "丁"))),
    )
    paras = paragraphs_from_blocks(blocks, 4)
    assert [(p.text, p.page, p.size) for p in paras] == [
        ("无框的一段。", 4, 0.0),
        ("第五页的一段。", 5, 0.0),
        ("甲\t乙", 5, 0.0),
        ("丙\t丁", 5, 0.0),
    ]
    assert paras[1].boxes == (Box(5, 10, 20, 300, 40),)


def test_a_second_document_printed_in_the_blocks_gets_its_fields_with_confidences() -> None:
    blocks = (
        Block("attachment", "国务院办公厅关于乙事的通知", origin=(Box(5, 100, 300, 400, 330),)),
        Block("paragraph", "国办发〔2019〕2号"),
        Block("paragraph", "各省、自治区、直辖市人民政府：", origin=(Box(5, 80, 380, 480, 400),)),
        Block("paragraph", "为做好乙事，现通知如下。"),
        Block("heading", "一、加强领导", level=1),
        Block("paragraph", "各地要加强领导。"),
        Block("paragraph", "国务院办公厅"),
        Block("paragraph", "2019年1月8日"),
    )
    doc = document_from_blocks(blocks, PART_OF, None, 5)
    assert (doc.id, doc.doc_number, doc.title, doc.issuer, doc.date_written) == (
        "国办发〔2019〕2号",
        "国办发〔2019〕2号",
        "国务院办公厅关于乙事的通知",
        ("国务院办公厅",),
        "2019-01-08",
    )
    assert doc.recipients == "各省、自治区、直辖市人民政府"
    assert [b.text for b in doc.body] == ["为做好乙事，现通知如下。", "一、加强领导", "各地要加强领导。"]
    assert doc.body[1].kind == "heading" and doc.pages == (5,)
    assert (doc.source, doc.gazette, doc.date_published) == (PART_OF.source, PART_OF.gazette, "2019-02-20")
    assert doc.confidence["doc_number"] >= 0.9 and doc.field_origins["title"] == (Box(5, 100, 300, 400, 330),)


def test_blocks_that_print_no_preface_go_to_review_not_to_a_guess() -> None:
    doc = document_from_blocks((Block("paragraph", "接上页的文字。"), Block("paragraph", "又一段。")), PART_OF, None, 5)
    assert doc.title == "" and doc.doc_number is None
    assert {"doc_number", "title", "issuer", "date_written"} <= {flag.field for flag in doc.needs_review}
