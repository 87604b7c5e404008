"""Akoma Ntoso write/read/validate: lossless round trips, valid output, hostile input refused."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from lxml import etree

from gazette.akn import (
    AKN_NS,
    GZ_NS,
    assert_valid,
    document_from_xml,
    document_to_xml,
    issue_from_xml,
    issue_to_xml,
    parse_xml,
    validate,
)
from gazette.exceptions import BadInputError, InvalidDocumentError
from gazette.model import (
    Block,
    Box,
    Document,
    GazetteRef,
    Issue,
    IssueEntry,
    Provenance,
    ReviewFlag,
    Source,
    make_document_id,
)

NS = {"a": AKN_NS, "gz": GZ_NS}


def rich_document() -> Document:
    return Document(
        id="粤办函〔2016〕629号",
        title="广东省人民政府办公厅 广东省财政厅关于推进阳光政务建设工作的通知",
        doc_number="粤办函〔2016〕629号",
        doc_number_printed="粤办函 [2016] 629 号",
        issuer=("广东省人民政府办公厅", "广东省财政厅"),
        doc_type="通知",
        date_written="2016-12-12",
        date_written_printed="二〇一六年十二月十二日",
        date_published="2016-12-16",
        index_number="006939748/2016-01043",
        category="综合政务、通知",
        subject_words=("政务公开", "通知"),
        recipients="各地级以上市人民政府，省政府各部门、各直属机构：",
        disclosure="主动公开",
        jurisdiction="cn-gd",
        gazette=GazetteRef(name="广东省人民政府公报", year=2016, issue=35, total=1234),
        pages=(3, 4, 5),
        source=Source(file="gd-2016-35.pdf", sha256="ab" * 32, pages=48),
        body=(
            Block(
                "paragraph", "为贯彻落实省阳光政务建设经验推介现场会精神……", origin=(Box(3, 28.0, 40.5, 184.0, 52.25),)
            ),
            Block("heading", "一、推动“五公开”。", level=1, origin=(Box(3, 28, 60, 184, 70),)),
            Block("paragraph", "2017年上半年省直部门要全面完成……"),
            Block("heading", "（一）决策公开。", level=2),
            Block("paragraph", "  行首空格\n和换行\t及制表符都要保留  "),
            Block("heading", "1. 公开范围", level=3),
            Block("heading", "（1）重大决策", level=4),
            Block("list_item", "（a）听取意见；", level=1),
            Block(
                "table",
                "项目\t时间\n公开\t2017年",
                rows=(("项目", "时间"), ("公开", "2017年")),
                origin=(Box(4, 1, 2, 3, 4), Box(5, 5, 6, 7, 8)),
            ),
            Block("heading", "二、加强组织领导。", level=1),
            Block("note", "（此件主动公开）"),
            Block("attachment", "附件：1. 阳光政务建设任务分工表"),
            Block("paragraph", "附件内容"),
        ),
        signature=("广东省人民政府办公厅", "广东省财政厅"),
        confidence={"doc_number": 0.99, "title": 0.875, "date_written": 1.0},
        needs_review=(ReviewFlag("date_written", "中文数字日期，OCR 置信度低"), ReviewFlag("issuer", "联合发文")),
        provenance=Provenance(
            engine="rapidocr", engine_version="3.0.1", steps=("deskew", "binarize"), created="2026-01-05T10:20:30+08:00"
        ),
    )


def bare_document() -> Document:
    """No 文号, no date, no issuer, no body: the least a document can be."""
    title = "关于某事项的说明"
    return Document(id=make_document_id(None, None, title), title=title)


def rich_issue() -> Issue:
    return Issue(
        id="cn-gd-2016-35",
        name="广东省人民政府公报",
        year=2016,
        number=35,
        date="2016-12-30",
        total_number=1234,
        jurisdiction="cn-gd",
        publisher="广东省人民政府办公厅",
        entries=(
            IssueEntry("粤办函〔2016〕629号", "关于推进阳光政务建设工作的通知", "粤办函〔2016〕629号", 3, "省府文件"),
            IssueEntry("2016-12-20-0123456789", "人事任免", None, None, None),
        ),
        source=Source(file="gd-2016-35.pdf", sha256="cd" * 32, pages=48),
    )


def xpath(xml: bytes, path: str) -> list:
    return etree.fromstring(xml).xpath(path, namespaces=NS)


def assert_same(got: Document, want: Document) -> None:
    """Field by field first, so a failure names the field."""
    for f in fields(Document):
        assert getattr(got, f.name) == getattr(want, f.name), f.name
    assert got == want


# --- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        rich_document(),
        bare_document(),
        replace(bare_document(), gazette=GazetteRef(name="", year=1931)),
        replace(rich_document(), date_written=None, date_written_printed="民国廿年", doc_number_printed=None),
        replace(rich_document(), date_written_printed=None, recipients="", disclosure=None, language="zho"),
    ],
    ids=["rich", "bare", "gazette-year-only", "printed-date-without-iso", "no-printed-date"],
)
def test_document_round_trip_is_lossless(doc: Document) -> None:
    xml = document_to_xml(doc)
    assert validate(xml) == []
    assert_same(document_from_xml(xml), doc)


def test_edge_blocks_round_trip() -> None:
    body = (
        Block("heading", "一、", level=1),  # a heading with nothing under it
        Block("heading", "1. 跳过二级", level=3),
        Block("heading", "（二）回到二级", level=2),
        Block("paragraph", ""),
        Block("table", "表格文字与单元格不同", rows=(("a", "b"), (), ("多行\n单元格",))),
        Block("table", "没有识别出行列的表格"),
        Block("attachment", "附件2", level=2),
        Block("heading", "附件标题", level=1),
        Block("list_item", "甲"),
        Block("paragraph", "a\r\nb &<>\"'", level=3),
    )
    doc = replace(bare_document(), body=body)
    assert_same(document_from_xml(document_to_xml(doc)), doc)


def test_signer_and_issuer_mark_round_trip_in_the_header_element() -> None:
    """签发人 and the 发文机关标志's text have no AKN element: a gz:header keeps them."""
    doc = replace(bare_document(), signer="张三", issuer_mark="广东省人民政府办公厅文件")
    xml = document_to_xml(doc)
    assert validate(xml) == []
    header = etree.fromstring(xml).find(f".//{{{GZ_NS}}}header")
    assert (header.get("signer"), header.get("mark")) == ("张三", "广东省人民政府办公厅文件")
    assert document_from_xml(xml) == doc
    assert document_from_xml(document_to_xml(bare_document())).signer is None
    assert etree.fromstring(document_to_xml(bare_document())).find(f".//{{{GZ_NS}}}header") is None


def test_issue_round_trip() -> None:
    for issue in (rich_issue(), Issue(id="empty", name="公报", year=2020, number=1, date="2020-01-15")):
        xml = issue_to_xml(issue)
        assert validate(xml) == []
        assert issue_from_xml(xml) == issue


def test_output_is_deterministic() -> None:
    assert document_to_xml(rich_document()) == document_to_xml(rich_document())
    assert document_to_xml(bare_document()) == document_to_xml(bare_document())
    assert issue_to_xml(rich_issue()) == issue_to_xml(rich_issue())


# --- shape ------------------------------------------------------------------------------


def test_document_has_the_design_skeleton() -> None:
    xml = document_to_xml(rich_document())
    work = "/akn/cn-gd/doc/notice/2016-12-12/粤办函〔2016〕629号"
    assert xpath(xml, "/a:akomaNtoso/a:doc/@name") == ["notice"]
    assert xpath(xml, "//a:FRBRWork/a:FRBRthis/@value") == [f"{work}/!main"]
    assert xpath(xml, "//a:FRBRExpression/a:FRBRthis/@value") == [f"{work}/zho@/!main"]
    assert xpath(xml, "//a:FRBRExpression/a:FRBRlanguage/@language") == ["zho"]
    assert xpath(xml, "//a:FRBRManifestation/a:FRBRdate/@date") == ["2026-01-05"]  # provenance, not today
    assert xpath(xml, "//a:FRBRWork/a:FRBRauthor/@href") == ["#org_1", "#org_2"]
    assert xpath(xml, "//a:preface/a:p/a:docNumber/text()") == ["粤办函〔2016〕629号"]
    assert xpath(xml, "//a:preface/a:p/a:docTitle/text()") == [rich_document().title]
    assert xpath(xml, "//a:preface//a:docProponent/@refersTo") == ["#org_1", "#org_2"]
    assert xpath(xml, "//a:TLCOrganization/@eId") == ["org_1", "org_2", "archive"]
    assert xpath(xml, "//a:conclusions//a:date/@date") == ["2016-12-12"]
    assert xpath(xml, "//a:conclusions//a:date/text()") == ["二〇一六年十二月十二日"]
    assert xpath(xml, "//a:mainBody/a:hcontainer[1]/@name") == ["heading1"]
    assert xpath(xml, "//a:hcontainer[@name='heading2']/a:heading/text()") == ["（一）决策公开。"]
    assert xpath(xml, "//a:table//a:td/a:p/text()") == ["项目", "时间", "公开", "2017年"]
    assert xpath(xml, "//a:mainBody/a:p[@class='attachment']/text()") == ["附件：1. 阳光政务建设任务分工表"]
    assert xpath(xml, "//a:meta/a:proprietary/@source") == ["#archive"]
    assert xpath(xml, "//gz:disclosure/@attribute") == ["主动公开"]
    assert xpath(xml, "//gz:origin[@block='table_9']/@page") == ["4", "5"]


def test_document_without_number_or_date_uses_placeholders() -> None:
    doc = bare_document()
    xml = document_to_xml(doc)
    assert xpath(xml, "//a:FRBRWork/a:FRBRuri/@value") == [f"/akn/cn/doc/document/0001-01-01/{doc.id}"]
    assert xpath(xml, "//a:FRBRnumber") == []
    assert xpath(xml, "//a:mainBody/a:p/@class") == ["placeholder"]
    dated = replace(doc, gazette=GazetteRef(year=1931))
    assert xpath(document_to_xml(dated), "//a:FRBRWork/a:FRBRdate/@date") == ["1931-01-01"]


def test_issue_has_the_design_skeleton() -> None:
    xml = issue_to_xml(rich_issue())
    assert xpath(xml, "//a:FRBRWork/a:FRBRthis/@value") == ["/akn/cn-gd/officialGazette/2016-12-30/35/!main"]
    assert xpath(xml, "//a:publication/@name") == ["广东省人民政府公报"]
    assert xpath(xml, "//a:component/a:documentRef/@href") == ["粤办函〔2016〕629号", "2016-12-20-0123456789"]


def test_reads_a_file_without_gazette_proprietary_data() -> None:
    root = etree.fromstring(document_to_xml(rich_document()))
    for element in root.xpath("//gz:*", namespaces=NS):
        element.getparent().remove(element)
    doc = document_from_xml(etree.tostring(root))
    assert doc.id == make_document_id("粤办函〔2016〕629号", "2016-12-12", rich_document().title)
    assert doc.title == rich_document().title
    assert doc.issuer == rich_document().issuer


# --- refusing bad input ------------------------------------------------------------------

BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10 + b'">' for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)
HOSTILE = {
    "malformed": b"<akomaNtoso>\n<doc></akomaNtoso>",
    "external-entity": b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    "billion-laughs": BOMB,
    "truncated": document_to_xml(rich_document())[:500],
    "empty": b"",
    "utf16-doctype": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'.encode("utf-16"),
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("reader", [document_from_xml, issue_from_xml, parse_xml])
def test_hostile_or_broken_xml_is_refused_with_one_line(name: str, reader) -> None:
    path = f"/archive/{name}.xml"
    with pytest.raises(BadInputError) as caught:
        reader(HOSTILE[name], path=path)
    message = str(caught.value)
    assert type(caught.value) is BadInputError
    assert message.startswith(path) and "\n" not in message
    assert caught.value.path == path
    if "DOCTYPE" in HOSTILE[name].decode("utf-16" if name.startswith("utf16") else "utf-8"):
        assert "DOCTYPE" in message


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(BadInputError, match=r"^x\.xml:2: Opening and ending tag mismatch"):
        parse_xml(b"<a>\n<b></a>", path="x.xml")


def test_schema_invalid_xml_raises_invalid_document() -> None:
    xml = f'<akomaNtoso xmlns="{AKN_NS}"><doc name="notice"><mainBody><p/></mainBody></doc></akomaNtoso>'.encode()
    assert validate(xml)
    expected = r"^bad\.xml:1: not valid Akoma Ntoso 3\.0: Element 'mainBody'"
    with pytest.raises(InvalidDocumentError, match=expected) as caught:
        document_from_xml(xml, path="bad.xml")
    assert "\n" not in str(caught.value)
    with pytest.raises(InvalidDocumentError):
        assert_valid(xml)


def test_valid_xml_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(BadInputError, match="expected an Akoma Ntoso <doc>, found <officialGazette>"):
        document_from_xml(issue_to_xml(rich_issue()), path="issue.xml")
    with pytest.raises(BadInputError, match="expected an Akoma Ntoso <officialGazette>"):
        issue_from_xml(document_to_xml(rich_document()), path="doc.xml")


def test_writer_refuses_what_xml_cannot_hold() -> None:
    with pytest.raises(BadInputError, match="cannot be written as XML"):
        document_to_xml(replace(bare_document(), title="换页符\x0c"))
    with pytest.raises(InvalidDocumentError, match="FRBRdate"):
        document_to_xml(replace(bare_document(), date_written="2016-13-45"))


def test_review_fields_round_trip_and_the_history_is_an_akn_lifecycle() -> None:
    from gazette.model import Change

    changes = (
        Change(2, "edit", "title", "旧\n标题", "新标题", "张三", "2026-05-01T10:00:00+00:00", "核对原件"),
        Change(2, "edit", "issuer", None, "甲,乙", "张三", "2026-05-01T10:00:00+00:00"),
        Change(3, "withdraw", "", None, "不是公报文件", "李 <四>", "2026-05-02T09:00:00+00:00", "不是公报文件"),
    )
    doc = replace(
        rich_document(),
        field_origins={"title": (Box(3, 1.5, 2, 3, 4), Box(3, 1, 5, 3, 8)), "date_written": (Box(4, 1, 2, 3, 4),)},
        status="已废止",
        status_by="国办发〔2010〕1号",
        withdrawn="不是公报文件",
        readings=("粤办函〔2016〕629号~0a1b2c3d",),
        changes=changes,
    )
    xml = document_to_xml(doc)
    assert document_from_xml(xml) == doc
    root = etree.fromstring(xml)
    events = root.findall(f".//{{{AKN_NS}}}lifecycle/{{{AKN_NS}}}eventRef")
    assert [(e.get("eId"), e.get("type")) for e in events] == [
        ("evt_1", "generation"),
        ("evt_2", "amendment"),
        ("evt_3", "amendment"),
    ]
    people = {p.get("eId"): p.get("showAs") for p in root.iter(f"{{{AKN_NS}}}TLCPerson")}
    assert people[events[2].get("refersTo")[1:]] == "李 <四>"
    assert document_from_xml(document_to_xml(replace(rich_document(), reading_of="X"))).reading_of == "X"


def test_a_document_without_review_data_keeps_its_bytes() -> None:
    # Nothing the review added is written for a document that has none of it: stored files stay as they are.
    xml = document_to_xml(rich_document())
    assert b"lifecycle" not in xml and b"gz:change" not in xml and b"fieldOrigin" not in xml
