import json
from pathlib import Path

import pytest
from lxml import etree

from gazette.akn.write import document_to_xml
from gazette.archive import Archive
from gazette.cli import run
from gazette.model import Source, document_to_json
from gazette.textview import document_as_text
from ingest.batch import run_batch
from ingest.layout import Paragraph
from ingest.metadata import Evidence, build_document
from ingest.pipeline import FileTask, process_file
from samples.corpus import load_records
from samples.truth import cer
from tests.ingest.issue_pdf import build_issue, joint


def _one(path: Path, kind: str):
    result = process_file(FileTask(path.name, path, "sha", kind))
    assert len(result.documents) == 1
    return result.documents[0]


def test_397_fields_equal_the_ground_truth(pdf397: Path) -> None:
    doc = _one(pdf397, "pdf")
    assert doc.doc_number == "发改办财金规〔2019〕860号"
    assert doc.issuer == ("国家发展改革委办公厅", "税务总局办公厅")
    assert doc.title == "关于加强个人所得税纳税信用建设的通知"
    assert doc.doc_type == "通知"
    assert doc.date_written == "2019-08-20"
    assert doc.needs_review == ()
    assert doc.confidence["issuer"] > 0.9  # signature, 文号 table and red header agree


def test_397_text_matches_the_clean_text(pdf397: Path) -> None:
    doc = _one(pdf397, "pdf")
    clean = (pdf397.parent / "397.txt").read_text("utf-8").splitlines()[2:]  # the red header is not text
    assert cer("\n".join(clean), document_as_text(doc)) < 0.01


def test_guangdong_page_gives_every_ground_truth_field(guangdong: Path) -> None:
    doc = _one(guangdong, "text")
    assert doc.doc_number == "粤办函〔2016〕629号"
    assert doc.issuer == ("广东省人民政府办公厅",)
    assert doc.title == "广东省人民政府办公厅关于推进阳光政务建设工作的通知"
    assert doc.doc_type == "通知"
    assert (doc.date_written, doc.date_published) == ("2016-12-12", "2016-12-16")
    assert doc.index_number == "006939748/2016-01043"
    assert doc.category == "综合政务、通知"
    assert doc.recipients == "各地级以上市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构"
    assert doc.signature == ("省府办公厅",)
    assert "阳光政 务" not in doc.text and "集中采访、新闻通稿" in doc.text
    assert doc.needs_review == ()


def test_missing_fields_are_none_and_flagged_never_guessed() -> None:
    paras = [Paragraph("各有关单位：", 1), Paragraph("请认真贯彻执行。", 1)]
    doc = build_document(paras, Evidence(Source("x.txt", "sha", 1)))
    assert doc.doc_number is None and doc.date_written is None and doc.title == ""
    assert {"doc_number", "title", "issuer", "doc_type", "date_written"} <= {f.field for f in doc.needs_review}


def test_disagreement_with_the_header_lowers_confidence(guangdong: Path) -> None:
    from ingest.webpage import parse_page

    text = guangdong.read_text("utf-8").replace("成文日期: 2016-12-12", "成文日期: 2016-12-13")
    page = parse_page(text)
    doc = build_document(page.paragraphs, Evidence(Source("g.txt", "sha", 1), disclosure=page.disclosure))
    flags = {f.field: f.reason for f in doc.needs_review}
    assert "2016-12-13" in flags["date_written"]


def test_every_title_after_the_date_is_an_attachment_title() -> None:
    """A notice that prints two documents (印发) opens each on its own page under its title,
    set larger than the body: both titles are attachment blocks, not only the first."""
    body, title = 16.0, 22.0
    paras = [
        Paragraph("国务院办公厅关于印发两个规定的通知", 1, title, align="center"),
        Paragraph("国办发〔2018〕124号", 1, body, align="center"),
        Paragraph("各省、自治区、直辖市人民政府：", 1, body),
        Paragraph("《甲规定》和《乙规定》已经国务院同意，现印发给你们，请认真贯彻执行。", 1, body),
        Paragraph("国务院办公厅", 1, body),
        Paragraph("2018年12月18日", 1, body, align="right"),
        Paragraph("（此件公开发布）", 1, body),
        Paragraph("甲规定", 2, title, align="center"),
        Paragraph("一、为规范甲事项，制定本规定。", 2, body),
        Paragraph("乙规定", 3, title, align="center"),
        Paragraph("一、为规范乙事项，制定本规定。", 3, body),
        Paragraph("二、本规定自印发之日起施行", 3, body),
    ]
    doc = build_document(paras, Evidence(Source("x.pdf", "sha", 3)))
    assert doc.date_written == "2018-12-18"
    closing = [(block.kind, block.text) for block in doc.body if block.kind in ("note", "attachment")]
    assert closing == [("note", "（此件公开发布）"), ("attachment", "甲规定"), ("attachment", "乙规定")]


def test_joint_issuers_from_the_title_and_a_signature_side_by_side(tmp_path: Path, capsys) -> None:
    records = load_records()
    offices, councils = ["国务院办公厅", "中央军委办公厅"], ["国务院", "中央军委"]
    path = tmp_path / "joint.pdf"
    build_issue(
        [
            joint(records[12], offices),  # each name printed on its own, on one line
            joint(records[14], councils, signature="lead"),  # only the lead signs: the title names both
            joint(records[13], offices, signature="one string"),  # one text, spaces between the names
        ],
        path,
    )
    docs = process_file(FileTask(path.name, path, "sha", "pdf")).documents
    assert [d.issuer for d in docs] == [tuple(offices), tuple(councils), tuple(offices)]
    assert docs[0].signature == tuple(offices)
    assert all(not d.needs_review and d.confidence["issuer"] > 0.9 for d in docs)

    xml = etree.fromstring(document_to_xml(docs[0]))
    proponents = xml.findall(".//{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}docProponent")
    assert [p.text for p in proponents] == offices  # one docProponent per issuer, the lead first
    assert document_to_json(docs[1])["issuer"] == councils

    archive = Archive.create(tmp_path / "archive")
    run_batch([path], archive)
    assert run(["index", "--archive", str(archive.root)]) == 0
    capsys.readouterr()
    assert run(["search", "通知", "--issuer", "中央军委办公厅", "--archive", str(archive.root), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert sorted(hit["doc_number"] for hit in hits) == ["国办发〔2018〕114号", "国办发〔2018〕117号"]
    assert all(hit["issuer"] == offices for hit in hits)


def test_a_signature_whose_unknown_names_ran_together_takes_the_titles_list() -> None:
    paras = [
        Paragraph("甲省农业委员会、甲省林业局关于做好春季造林工作的通知", 1, 22, align="center"),
        Paragraph("甲农发〔2020〕3号", 1, 16, align="center"),
        Paragraph("各市农业委员会：", 1, 16),
        Paragraph("现就做好春季造林工作通知如下。", 1, 16, indent=2),
        Paragraph("甲省农业委员会甲省林业局", 1, 16, align="right"),  # printed side by side, space lost
        Paragraph("2020年3月1日", 1, 16, align="right"),
    ]
    doc = build_document(paras, Evidence(Source("x.pdf", "sha", 1)))
    assert doc.issuer == ("甲省农业委员会", "甲省林业局")


def _sealed(date_line: str, number: str = "国办函〔2004〕36号") -> list[Paragraph]:
    from gazette.model import Box

    texts = (number, "国务院办公厅关于同意建立某制度的函", "有关部门：", "同意。", "国务院办公厅", date_line)
    sizes = (16.0, 22.6, 16.0, 16.0, 16.0, 16.0)
    return [
        Paragraph(
            text, 1, size, align="center" if i < 2 else "left", boxes=(Box(1, 300, 100 + 30 * i, 450, 116 + 30 * i),)
        )
        for i, (text, size) in enumerate(zip(texts, sizes, strict=True))
    ]


@pytest.mark.parametrize(
    ("printed", "number"),
    [
        ("二〇四年四月十四日", "国办函〔2005〕12号"),  # 二〇四 is not 2005 less its zeros
        ("二〇五年二月三十日", "国办函〔2005〕12号"),  # the 文号's year, a day not on the calendar
        ("二〇〇年三月三日", "国办函〔2010〕3号"),  # 2010 has a 1 where the line has none
        ("二四年十三月一日", "国办函〔2004〕8号"),  # no such month
    ],
)
def test_an_unreadable_date_under_a_seal_goes_to_review_with_its_crop_and_is_not_guessed(
    printed: str, number: str
) -> None:
    doc = build_document(_sealed(printed, number), Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written is None and doc.date_written_printed is None
    (flag,) = [f for f in doc.needs_review if f.field == "date_written"]
    assert printed in flag.reason
    assert doc.field_origins["date_written"][-1].y0 == 250  # the date line's box, for the review crop
    assert doc.body[-1].text == "同意。"  # the date line did not run into the body


@pytest.mark.parametrize(
    ("printed", "number", "iso"),
    [
        ("二〇四年四月十七日", "国办函〔2004〕36号", "2004-04-17"),  # one 〇 of two lost
        ("二四年十一月三十日", "国发〔2004〕50号", "2004-11-30"),  # both
        ("成文日期：二○八年五月二十日", "国办发〔2008〕21号", "2008-05-20"),  # ○ for 〇, a label
        ("二〇〇年一月一日", "国发〔2000〕1号", "2000-01-01"),
    ],
)
def test_a_year_that_is_the_doc_numbers_with_zeros_lost_is_read_so_and_reviewed(
    printed: str, number: str, iso: str
) -> None:
    """Only the 文号's year less some 〇s prints so: the value an archivist types from the
    page, sent to review with both readings."""
    doc = build_document(_sealed(printed, number), Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written == iso
    assert doc.date_written_printed == printed.removeprefix("成文日期：")  # what the line reads
    (flag,) = [f for f in doc.needs_review if f.field == "date_written"]
    assert printed.removeprefix("成文日期：") in flag.reason and iso in flag.reason
    assert doc.field_origins["date_written"][-1].y0 == 250  # its crop


def test_a_date_outside_the_doc_numbers_year_goes_to_review_as_read() -> None:
    doc = build_document(_sealed("一九九四年四月十七日"), Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written == "1994-04-17"
    assert "date_written" in {f.field for f in doc.needs_review}
    same_year = build_document(_sealed("二〇〇四年四月十七日"), Evidence(Source("x.tif", "sha", 1)))
    assert same_year.date_written == "2004-04-17"
    assert "date_written" not in {f.field for f in same_year.needs_review}


def test_a_signature_misread_under_a_seal_loses_to_the_sources_that_agree() -> None:
    paras = _sealed("二〇〇四年四月十七日")
    paras[4] = Paragraph("周务院办公厅", 1, 16.0, boxes=paras[4].boxes)  # 国 broken by the seal's ring
    doc = build_document(paras, Evidence(Source("x.tif", "sha", 1)))
    assert doc.issuer == ("国务院办公厅",)
    (flag,) = [f for f in doc.needs_review if f.field == "issuer"]
    assert "周务院办公厅" in flag.reason


def test_a_date_lost_under_a_seal_is_reviewed_on_the_end_of_the_document() -> None:
    paras = _sealed("二O五年七月十四曰国")  # no date line left to read: nothing closes the document
    doc = build_document(paras, Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written is None and "date_written" in {f.field for f in doc.needs_review}
    assert doc.field_origins["date_written"][-1].y0 == 250  # the crop shows the end of the last page
