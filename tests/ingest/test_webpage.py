from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.model import Document
from ingest.batch import FileOutcome, run_batch
from ingest.webpage import canonical_label, join_page_breaks, looks_like_html, parse_page


def test_damaged_label_is_repaired_by_the_suffix_rule() -> None:
    assert canonical_label("引号") == "索引号"
    assert canonical_label("发布机") == "发布机构"  # cut at the end
    assert canonical_label("号") is None  # too short to say which label


def test_guangdong_disclosure_header(guangdong: Path) -> None:
    page = parse_page(guangdong.read_text("utf-8"))
    header = page.disclosure
    assert header.index_number == "006939748/2016-01043"
    assert header.category == "综合政务、通知"
    assert header.issuer == "广东省人民政府办公厅"
    assert header.doc_number == "粤办函〔2016〕629号"
    assert (header.date_written, header.date_published) == ("2016-12-12", "2016-12-16")
    assert header.repaired_labels == ("引号→索引号",)


def test_guangdong_chrome_markdown_and_artefacts(guangdong: Path) -> None:
    text = "\n".join(p.text for p in parse_page(guangdong.read_text("utf-8")).paragraphs)
    assert "浏览次数" not in text and "**" not in text and "#" not in text
    assert "阳光政 务" not in text and "阳光政务建设工作的通知" in text
    assert "集中采访、新闻通稿等传统方式" in text
    assert "将政务公开工作纳入政府绩效考核" in text


def test_only_long_lines_that_stop_mid_sentence_are_joined() -> None:
    long = "各地、各部门要" * 7 + "集中采访、"
    assert join_page_breaks(["广东省人民政府办公厅", "粤办函〔2016〕629号"]) == [
        "广东省人民政府办公厅",
        "粤办函〔2016〕629号",
    ]
    assert join_page_breaks([long, "新闻通稿。"]) == [long + "新闻通稿。"]
    assert join_page_breaks([long, "二、加强回应。"]) == [long, "二、加强回应。"]


def test_html_page_with_a_disclosure_table() -> None:
    html = (
        "<html><head><title>x</title><script>var a=1;</script></head><body>"
        "<table><tr><td>索引号：000014349/2019-00003</td><td>发文字号：国发〔2019〕3号</td></tr></table>"
        "<p>国发〔2019〕3号</p><p>国务院关于促进综合保税区高水平开放高质量发展的若干意见</p>"
        "<p>【打印】【关闭】</p></body></html>"
    )
    page = parse_page(html)
    assert page.disclosure.index_number == "000014349/2019-00003"
    assert page.disclosure.doc_number == "国发〔2019〕3号"
    assert [p.text for p in page.paragraphs] == [
        "国发〔2019〕3号",
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
    ]


def test_a_document_not_for_disclosure_is_archived_but_never_searchable(guangdong: Path, tmp_path: Path) -> None:
    from gazette.archive import Archive
    from gazette.search import index_documents
    from gazette.search.service import search
    from ingest.batch import run_batch

    text = guangdong.read_text("utf-8").replace("主题词:", "公开属性: 不予公开\t主题词:", 1)
    private = tmp_path / "private.txt"
    private.write_text(text.replace("阳光政务", "鲲鹏政务").replace("629号", "630号"), "utf-8")  # another document
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([guangdong, private], archive, on_documents=lambda docs: index_documents(archive, docs))
    stored = {doc.disclosure: doc for doc in archive.documents()}
    assert report.summary()["documents"] == 2 and set(stored) == {None, "不予公开"}
    hits = search(archive, "政务公开").hits
    assert [hit.id for hit in hits] == [stored[None].id]  # the public twin is found, the private one never
    assert search(archive, "鲲鹏").total == 0 and search(archive, "粤办函〔2016〕630号").total == 0


_PAGE = (
    "<html><head><title>国务院文件</title><script>var a='<p>x</p>';</script></head><body>"
    "<table><tr><td>索引号：000014349/2019-00003</td><td>发文字号：国发〔2019〕3号</td></tr></table>"
    "<p>国发〔2019〕3号</p><p>国务院关于促进综合保税区高水平开放高质量发展的若干意见</p></body></html>"
)


@pytest.mark.parametrize(
    "before",
    [
        "<!-- saved from url=(0045)http://www.gov.cn/zhengce/content/2019-01/25/ -->\n",
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<!-- 另存为 -->\n',
        "\ufeff",
        "网页另存为 2019-01-25\n",
        f"<!--{'x' * 5000}-->\n",
    ],
)
def test_a_page_is_html_whatever_comes_before_html(before: str) -> None:
    text = before + _PAGE
    assert looks_like_html(text)
    page = parse_page(text)
    assert page.disclosure.doc_number == "国发〔2019〕3号"
    assert [p.text for p in page.paragraphs] == [
        "国发〔2019〕3号",
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
    ]


def test_plain_text_and_other_markup_are_not_html(guangdong: Path) -> None:
    assert not looks_like_html(guangdong.read_text("utf-8"))
    assert not looks_like_html('<?xml version="1.0"?><annotation><object/></annotation>')
    assert looks_like_html("<div><p>国务院</p></div>")  # a fragment saved without <html>


def _ingest(tmp_path: Path, name: str, data: bytes) -> tuple[Document, FileOutcome]:
    path = tmp_path / name
    path.write_bytes(data)
    archive = Archive.create(tmp_path / "archive")
    (outcome,) = run_batch([path], archive).files
    assert outcome.status == "ingested", outcome.reason
    return archive.get_document(outcome.documents[0]), outcome


def _guangdong_paragraphs(guangdong: Path) -> list[str]:
    """The Guangdong page's document, from its issuer on, as paragraphs (the disclosure header dropped)."""
    body = guangdong.read_text("utf-8").split("浏览次数: 3618", 1)[1]
    return [line.strip() for line in body.splitlines() if line.strip()][:8]


@pytest.mark.parametrize("declared", [True, False])
def test_a_big5_page_is_stored_as_written(guangdong: Path, tmp_path: Path, declared: bool) -> None:
    import opencc

    paragraphs = opencc.OpenCC("s2tw").convert("\n".join(_guangdong_paragraphs(guangdong))).splitlines()
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=big5">' if declared else ""
    html = f"<html><head>{meta}<title>x</title></head><body>{''.join(f'<p>{p}</p>' for p in paragraphs)}</body></html>"
    doc, _ = _ingest(tmp_path, "big5.htm", html.encode("big5"))
    assert doc.title == "廣東省人民政府辦公廳關於推進陽光政務建設工作的通知"
    assert doc.text.startswith("為貫徹落實省陽光政務建設經驗推介現場會精神")
    assert "推動決策、執行、管理、服務、結果" in doc.text


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_gb18030_and_utf16_pages(guangdong: Path, tmp_path: Path, encoding: str) -> None:
    doc, outcome = _ingest(tmp_path, "page.txt", guangdong.read_text("utf-8").encode(encoding))
    assert doc.doc_number == "粤办函〔2016〕629号"
    assert doc.title == "广东省人民政府办公厅关于推进阳光政务建设工作的通知"
    assert outcome.notes == ("repaired label 引号→索引号",)


def test_a_stray_byte_in_a_utf8_page_is_replaced_not_refused(guangdong: Path, tmp_path: Path) -> None:
    stray = "推广省".encode() + b"\xff" + "交通运输厅".encode()
    data = guangdong.read_bytes().replace("推广省交通运输厅".encode(), stray, 1)
    doc, outcome = _ingest(tmp_path, "page.txt", data)
    assert doc.doc_number == "粤办函〔2016〕629号" and "推广省\ufffd交通运输厅" in doc.text
    assert "1 byte sequence(s) not valid utf-8 replaced by U+FFFD" in outcome.notes
