"""Notices that forward or approve another document: the notice's own date, the carried text in its body."""

from pathlib import Path

from gazette.dates import parse_date
from gazette.model import Source
from ingest.forwarding import carried_start, carried_title, names_carried
from ingest.layout import Paragraph
from ingest.metadata import Evidence, build_document
from ingest.pipeline import FileTask, process_file
from samples.corpus import load_records
from tests.ingest.issue_pdf import build_issue

# A 转发 notice whose forwarded 意见 is dated after it (the 意见 was revised after the notice was drafted).
FORWARDING_LINES = (
    "广东省人民政府办公厅转发省教育厅关于",
    "加强中小学校舍安全管理意见的通知",
    "粤府办〔2016〕12号",
    "各地级以上市人民政府，省政府各部门：",
    "省教育厅《关于加强中小学校舍安全管理的意见》已经省人民政府同意，现转发给你们，请认真贯彻执行。",
    "广东省人民政府办公厅",
    "二〇一六年三月八日",
    "省教育厅关于加强中小学校舍安全管理的意见",
    "省人民政府：",
    "为保障师生安全，现就加强中小学校舍安全管理提出如下意见：",
    "一、建立校舍安全档案",
    "各地要对中小学校舍逐栋排查，建立档案，每年更新一次。",
    "二、落实管理责任",
    "学校校长是校舍安全第一责任人，教育行政部门负监管责任。",
    "以上意见如无不妥，请批转各地执行。",
    "省教育厅",
    "二〇一六年三月二十日",
)
FORWARDING = {
    "id": "forwarding",
    "title": "广东省人民政府办公厅转发省教育厅关于加强中小学校舍安全管理意见的通知",
    "doc_number": "粤府办〔2016〕12号",
    "issuer": "广东省人民政府办公厅",
    "date_written": "2016-03-08",
    "body": "\n".join(FORWARDING_LINES),
}

# A 批转 notice followed by the approved 意见, dated before it.
APPROVING_LINES = (
    "山西省人民政府批转省发展改革委关于2015年",
    "深化经济体制改革重点工作意见的通知",
    "晋政发〔2015〕21号",
    "各市、县人民政府，省人民政府各委、厅，各直属机构：",
    "省人民政府同意省发展改革委《关于2015年深化经济体制改革重点工作的意见》，现转发给你们，请结合实际认真贯彻执行。",
    "山西省人民政府",
    "2015年6月2日",
    "关于2015年深化经济体制改革重点工作的意见",
    "省发展改革委",
    "2015年5月18日",
    "2015年是全面深化改革的关键之年。各地各部门要围绕简政放权、财税金融、国有企业等重点领域推进改革。",
    "一、深化行政审批制度改革，再取消和下放一批审批事项。",
    "二、推进国有企业改革，完善现代企业制度。",
)
APPROVING = {
    "id": "approving",
    "title": "山西省人民政府批转省发展改革委关于2015年深化经济体制改革重点工作意见的通知",
    "doc_number": "晋政发〔2015〕21号",
    "issuer": "山西省人民政府",
    "date_written": "2015-06-02",
    "body": "\n".join(APPROVING_LINES),
}


def _documents(path: Path) -> list:
    return list(process_file(FileTask(path.name, path, "sha", "pdf")).documents)


def _carried_lines(record: dict) -> list[str]:
    """The lines after the notice's own date: the carried document, title to date."""
    lines = record["body"].split("\n")
    own_date = next(i for i, line in enumerate(lines) if len(line) <= 24 and parse_date(line) is not None)
    return lines[own_date + 1 :]


def test_a_forwarding_notice_closes_on_its_own_date_and_keeps_the_forwarded_text(tmp_path: Path) -> None:
    path = tmp_path / "forwarding.pdf"
    build_issue([load_records()[8], FORWARDING, APPROVING], path, contents=False)
    docs = _documents(path)
    assert [d.doc_number for d in docs] == [load_records()[8]["doc_number"], "粤府办〔2016〕12号", "晋政发〔2015〕21号"]
    for doc, record in zip(docs[1:], (FORWARDING, APPROVING), strict=True):
        assert doc.title == record["title"]
        assert doc.date_written == record["date_written"]
        assert doc.issuer == (record["issuer"],)
        assert "date_written" not in {flag.field for flag in doc.needs_review}
        # Nothing of the carried document is lost: its title, text, 署名 and date stay in the body.
        text = doc.text.replace("\n", "")
        assert all(line in text for line in _carried_lines(record)), doc.text
    forwarded = docs[1]
    assert [b.text for b in forwarded.body if b.kind == "attachment"] == ["省教育厅关于加强中小学校舍安全管理的意见"]


def _notice(date: str) -> list[Paragraph]:
    """A forwarding notice read from a scan, its own date as given, the forwarded request after it."""
    texts = [
        ("国务院办公厅转发国家民委关于加强少数民族古籍", 22.0, "center"),
        ("整理工作请示的通知", 22.0, "center"),
        ("国办发〔1996〕40号", 16.0, "center"),
        ("各省、自治区、直辖市人民政府：", 16.0, "left"),
        ("国家民委《关于加强少数民族古籍整理工作的请示》已经国务院同意，现转发给你们。", 16.0, "left"),
        ("国务院办公厅", 16.0, "right"),
        (date, 16.0, "right"),
        ("关于加强少数民族古籍整理工作的请示", 16.0, "center"),
        ("国务院：", 16.0, "left"),
        ("少数民族古籍是中华民族文化遗产的组成部分，亟需抢救整理。", 16.0, "left"),
        ("国家民委", 16.0, "right"),
        ("一九九六年五月二十日", 16.0, "right"),
    ]
    return [Paragraph(text, 1, size, align=align) for text, size, align in texts]


def test_a_notice_whose_own_date_is_unreadable_never_takes_the_forwarded_documents_date() -> None:
    paras = _notice("一九九六年六国")
    assert carried_start(paras) == 7  # the request's title, not the garbled date above it
    doc = build_document(paras, Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written is None
    assert "date_written" in {flag.field for flag in doc.needs_review}
    assert "一九九六年五月二十日" in doc.text and "少数民族古籍是中华民族文化遗产" in doc.text


def test_a_readable_notice_date_wins_and_the_request_follows_as_its_attachment() -> None:
    doc = build_document(_notice("一九九六年六月三日"), Evidence(Source("x.tif", "sha", 1)))
    assert doc.date_written == "1996-06-03" and doc.signature == ("国务院办公厅",)
    assert doc.body[1].kind == "attachment" and doc.body[1].text == "关于加强少数民族古籍整理工作的请示"
    assert doc.text.endswith("一九九六年五月二十日")


def test_the_carried_title_quoted_in_the_notices_text_is_not_where_the_carried_document_begins() -> None:
    paras = _notice("一九九六年六月三日")
    # OCR kept the quoting line apart from the rest of its sentence.
    paras[4:5] = [
        Paragraph("国家民委《关于加强少数民族古籍整理工作的请示》", 1, 16.0),
        Paragraph("已经国务院同意，现转发给你们。", 1, 16.0),
    ]
    assert carried_start(paras) == 8
    assert build_document(paras, Evidence(Source("x.tif", "sha", 1))).date_written == "1996-06-03"


def test_carried_titles() -> None:
    assert (
        carried_title("国务院批转国家体改委关于1996年经济体制改革要点的通知") == "国家体改委关于1996年经济体制改革要点"
    )
    assert carried_title("国务院关于印发个人所得税专项附加扣除暂行办法的通知") == "个人所得税专项附加扣除暂行办法"
    assert carried_title("国务院关于同意设立珠海横琴新区的批复") is None
    assert names_carried(
        "国家教委关于内地西藏班（校）扩大规模有关问题请示", "关于内地西藏班（校）扩大规模有关问题的请示"
    )
    assert not names_carried("国家教委关于内地西藏班（校）扩大规模有关问题请示", "关于加强少数民族古籍整理工作的请示")
