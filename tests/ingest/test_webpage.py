from pathlib import Path

from ingest.webpage import canonical_label, join_page_breaks, parse_page


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
    assert join_page_breaks(["广东省人民政府办公厅", "粤办函〔2016〕629号"]) == ["广东省人民政府办公厅", "粤办函〔2016〕629号"]
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
    assert [p.text for p in page.paragraphs] == ["国发〔2019〕3号", "国务院关于促进综合保税区高水平开放高质量发展的若干意见"]


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
