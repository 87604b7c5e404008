from dataclasses import replace
from pathlib import Path

import pytest

from gazette.model import Source
from ingest.contents import read_contents
from ingest.layout import Paragraph, page_paragraphs
from ingest.metadata import Evidence, build_document
from ingest.pipeline import FileTask, process_file
from ingest.split import read_cover, split_issue
from ingest.textlayer import read_pdf
from samples.corpus import load_records
from samples.truth import cer
from tests.ingest.issue_pdf import Truth, announcement, build_issue, decree, load_laws, without_number


def _check(path: Path, truths: list[Truth]) -> None:
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert result.problems == ()
    assert [d.doc_number for d in result.documents] == [t.doc_number for t in truths]
    for truth, doc in zip(truths, result.documents, strict=False):
        assert (doc.title, doc.issuer, doc.date_written) == (truth.title, (truth.issuer,), truth.date_written)
        assert cer(truth.body, doc.text) < 0.005, doc.id
        assert doc.gazette is not None and (doc.gazette.year, doc.gazette.issue) == (2019, 5)


def test_small_issue_is_split_into_its_documents(small_issue: tuple[Path, list[Truth]]) -> None:
    _check(*small_issue)


@pytest.mark.slow
def test_every_corpus_document_is_recovered_from_issues(tmp_path: Path) -> None:
    records = load_records()
    for name, part in (("a.pdf", records[:10]), ("b.pdf", records[10:])):
        truths = build_issue(part, tmp_path / name)
        _check(tmp_path / name, truths)


def test_cover_and_contents_are_read(small_issue: tuple[Path, list[Truth]]) -> None:
    path, truths = small_issue
    flow = page_paragraphs([p for p in read_pdf(path, "sha")])
    cover = read_cover(flow.paragraphs)
    assert cover is not None
    assert (cover.name, cover.year, cover.number, cover.total, cover.date) == (
        "中华人民共和国国务院公报",
        2019,
        5,
        1650,
        "2019-02-20",
    )
    entries, _ = read_contents(flow.paragraphs)
    assert [e.doc_number for e in entries] == [t.doc_number for t in truths]
    assert entries[0].page == 1 and entries[0].section == "国务院文件"
    split = split_issue(flow)
    assert [piece.entry for piece in split.documents] == list(entries)


def test_a_file_without_numbered_titles_is_one_document() -> None:
    from ingest.layout import Flow

    flow = Flow((Paragraph("一些文字。", 1), Paragraph("另一些文字。", 2)), {})
    assert len(split_issue(flow).documents) == 1


# -- decrees, announcements, documents without 文号, two columns, contents checks ------------


def _mixed_records() -> list[dict]:
    """A decree and an announcement built on real rules, a 批复 printed without its 文号, and
    notices whose closing note and attachment follow the date."""
    records = load_records()
    laws = load_laws("lrb-75168f690aabacdc", "lrb-d791ff23ab47099d")
    return [
        decree(laws["lrb-75168f690aabacdc"]),
        records[9],
        announcement(laws["lrb-d791ff23ab47099d"]),
        without_number(records[18]),
        records[1],
    ]


@pytest.fixture(scope="module")
def mixed_issue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Truth]]:
    path = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    return path, build_issue(_mixed_records(), path)


def _check_mixed(path: Path, truths: list[Truth]) -> list:
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert result.problems == ()
    docs = result.documents
    assert [(d.doc_number, d.title, d.date_written) for d in docs] == [
        (t.doc_number, t.title, t.date_written) for t in truths
    ]
    assert [d.issuer for d in docs] == [(t.issuer,) for t in truths]
    assert [d.doc_type for d in docs] == ["令", "答复", "公告", "批复", "通知"]
    for truth, doc in zip(truths, docs, strict=False):
        assert cer(truth.body, doc.text) < 0.005, doc.id
    assert [[f.field for f in d.needs_review] for d in docs] == [[], [], [], ["doc_number"], []]
    return list(docs)


def test_decrees_announcements_and_unnumbered_documents_are_split(mixed_issue: tuple[Path, list[Truth]]) -> None:
    docs = _check_mixed(*mixed_issue)
    decree_doc, _, _notice, reply, notice_with_plan = docs
    assert decree_doc.signature == ("省长朱小丹",)
    attachments = [[b.text for b in d.body if b.kind == "attachment"] for d in docs]
    assert attachments[0] == ["广东省城镇华侨房屋征收补偿规定"]  # the rules the decree promulgates
    assert attachments[2][-2:] == ["附件", "处方药与非处方药分类管理办法（试行）"]
    assert attachments[4] == ["“无废城市”建设试点工作方案"]  # the plan printed after the notice's date
    assert [b.text for b in notice_with_plan.body if b.kind == "note"] == ["（此件公开发布）"]
    assert notice_with_plan.body[-1].text.startswith("（四）强化宣传引导")  # the plan's end is kept
    assert reply.doc_number is None and reply.confidence["title"] > 0.9  # the contents confirm the title


def test_contents_entries_of_decrees_and_announcements_are_read(mixed_issue: tuple[Path, list[Truth]]) -> None:
    flow = page_paragraphs(read_pdf(mixed_issue[0], "sha"))
    entries, _ = read_contents(flow.paragraphs)
    assert [(e.title, e.doc_number) for e in entries][:4:2] == [
        ("广东省人民政府令", "广东省人民政府令第227号"),
        ("国家药监局关于发布处方药与非处方药分类管理办法（试行）的公告", "国家药监局公告2020年第46号"),
    ]
    assert entries[3].doc_number is None


def test_a_body_set_in_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "two-columns.pdf"
    truths = build_issue(_mixed_records(), path, columns=2)
    page = read_pdf(path, "sha", [4])[0]
    left = [line for line in page.lines if line.box.x1 < page.width / 2]
    right = [line for line in page.lines if line.box.x0 > page.width / 2]
    assert len(left) > 15 and len(right) > 15  # the page really is set in two columns
    _check_mixed(path, truths)


def test_contents_set_in_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    records = load_records()[:10]
    path = tmp_path / "two-column-contents.pdf"
    truths = build_issue(records, path, contents_columns=2)
    page = read_pdf(path, "sha", [2])[0]
    assert any(line.box.x0 > page.width / 2 and "（国" in line.text for line in page.lines)  # entries on the right
    entries, _ = read_contents(page_paragraphs(read_pdf(path, "sha")).paragraphs)
    assert [e.doc_number for e in entries] == [t.doc_number for t in truths]
    _check(path, truths)


def test_a_document_missing_from_the_contents_and_an_entry_without_document_are_reported(tmp_path: Path) -> None:
    records = load_records()
    unlisted = {**records[9], "contents": None}
    mistitled = {**without_number(records[18]), "contents": "国务院关于同意设立示范区的批复"}
    path = tmp_path / "mismatch.pdf"
    build_issue([records[10], unlisted, mistitled, records[16]], path)
    split = split_issue(page_paragraphs(read_pdf(path, "sha")))
    # The pages decide: the 批复 without a 文号 names its issuer and follows the 答复's date.
    assert len(split.documents) == 4
    problems = "\n".join(split.problems)
    assert "对十届全国人大四次会议第7240号建议的答复: not in the issue's contents; the pages show it" in problems
    assert "国务院关于同意设立示范区的批复: listed in the contents (page" in problems
    holder = next(piece for piece in split.documents if any("自主创新示范区" in p.text for p in piece.paragraphs))
    assert holder.paragraphs[0].text.startswith("国务院关于同意乌鲁木齐")
    # Both readings for the person: the title the pages print, and the entry the contents list.
    assert any("示范区的批复: not in the issue's contents" in p for p in holder.problems)
    assert any(p.startswith("may hold 国务院关于同意设立示范区的批复") for p in holder.problems)
    doc = build_document(holder.paragraphs, Evidence(Source("m.pdf", "sha", 1), split_problems=holder.problems))
    assert {f.field for f in doc.needs_review} >= {"body"}
    assert "自主创新示范区" in doc.text  # the unfound document's text is kept, not dropped


def test_a_count_mismatch_is_reported() -> None:
    from ingest.layout import Flow

    paras = (
        Paragraph("目录", 1, 16),
        Paragraph("甲关于某事的通知……1", 1, 16),
        Paragraph("乙关于某事的通知……2", 1, 16),
        Paragraph("丙关于某事的通知", 2, 22),
        Paragraph("一些文字。", 2, 16),
        Paragraph("更多文字。", 2, 16),
    )
    split = split_issue(Flow(paras, {}))
    assert "the contents list 2 documents, the split found 0" in split.problems
    assert (
        "甲关于某事的通知: listed in the contents (page 1) but not found as a document on the pages" in split.problems
    )
    assert any("belongs to no document" in p for p in split.problems)
    assert [p.text for piece in split.documents for p in piece.paragraphs] == [p.text for p in paras[3:]]


# -- the pages decide, the contents confirm ---------------------------------------------------


def _abbreviated(record: dict, at: str) -> dict:
    """``record`` listed with its title shortened as contents do: ``middle`` (……), ``end`` (cut, with ……) or ``cut``."""
    title = record["title"]
    short = {"middle": title[:9] + "……" + title[-7:], "end": title[:14] + "……", "cut": title[:16]}[at]
    number = f"（{record['doc_number']}）" if record["doc_number"] else ""
    return {**record, "contents": short + number}


def _split_records() -> list[dict]:
    records = load_records()
    return [records[5], records[8], without_number(records[18]), records[16], records[2]]


def _documents(path: Path) -> list:
    return list(process_file(FileTask(path.name, path, "sha", "pdf")).documents)


def test_contents_that_abbreviate_every_long_title_confirm_the_split(tmp_path: Path) -> None:
    records = [
        _abbreviated(r, at) for r, at in zip(_split_records(), ("middle", "end", "middle", "cut", "end"), strict=True)
    ]
    path = tmp_path / "abbreviated.pdf"
    truths = build_issue(records, path)
    split = split_issue(page_paragraphs(read_pdf(path, "sha")))
    assert split.problems == ()
    assert [piece.entry.page for piece in split.documents if piece.entry] == [e.page for e in split.contents]
    docs = _documents(path)
    assert [(d.doc_number, d.title) for d in docs] == [(t.doc_number, t.title) for t in truths]
    # An abbreviated title agrees with the page: no title goes to review, and the contents confirm it.
    assert [[f.field for f in d.needs_review] for d in docs] == [[], [], ["doc_number"], [], []]
    assert all(d.confidence["title"] >= 0.99 for d in docs)
    assert [d.confidence.get("doc_number") for d in docs] == [0.99, 0.99, None, 0.99, 0.99]  # confirmed


def test_an_issue_without_contents_is_split_by_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "no-contents.pdf"
    truths = build_issue(_split_records(), path, contents=False)
    docs = _documents(path)
    assert [(d.doc_number, d.title, d.date_written) for d in docs] == [
        (t.doc_number, t.title, t.date_written) for t in truths
    ]
    for truth, doc in zip(truths, docs, strict=True):
        assert cer(truth.body, doc.text) < 0.005, doc.id
    assert not any(f.field == "body" for d in docs for f in d.needs_review)


def test_contents_that_list_one_document_fewer_than_the_issue_prints(tmp_path: Path) -> None:
    records = _split_records()
    records[3] = {**records[3], "contents": None}
    path = tmp_path / "one-fewer.pdf"
    truths = build_issue(records, path)
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert [d.title for d in result.documents] == [t.title for t in truths]  # no document merged into another
    unlisted = result.documents[3]
    page = unlisted.pages[0] - 2  # printed page 1 is the third sheet
    assert [f.reason for f in unlisted.needs_review if f.field == "body"] == [
        f"{truths[3].title}: not in the issue's contents; the pages show it starting on page {page}"
    ]
    assert "the contents list 4 documents, the split found 5" in result.problems
    assert not any(f.field == "body" for k, d in enumerate(result.documents) if k != 3 for f in d.needs_review)


def test_contents_read_with_ocr_errors_still_pair_and_name_both_readings(tmp_path: Path) -> None:
    records = _split_records()
    misread = "国务院办公厅关于同意以哈尔滨市名义申办2009年第二十四届世界大学生冬李运动会的复涵"
    records[1] = {**records[1], "contents": f"{misread}（国办函〔2OO4〕36号）"}  # O for 0 in the 文号 too
    records[2] = {**records[2], "contents": "国务院关于同意乌鲁木齐、昌吉、石河子高新技术……示范区的批夏"}
    records[3] = {**records[3], "contents": f"{records[3]['title']}（国办发〔2004〕1号）"}  # 7 read as 1
    path = tmp_path / "ocr-contents.pdf"
    truths = build_issue(records, path, page_first=True, leaders=False)
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert result.problems == ()
    docs = result.documents
    assert [(d.doc_number, d.title) for d in docs] == [(t.doc_number, t.title) for t in truths]
    title_flags = {d.doc_number or d.title: f.reason for d in docs for f in d.needs_review if f.field == "title"}
    assert title_flags == {
        "国办函〔2004〕36号": f"title differs from the contents: the page prints {truths[1].title}, the contents list {misread}",
        truths[2].title: "title differs from the contents: the page prints "
        f"{truths[2].title}, the contents list 国务院关于同意乌鲁木齐、昌吉、石河子高新技术……示范区的批夏",
    }
    number_flags = {d.doc_number: f.reason for d in docs for f in d.needs_review if f.field == "doc_number"}
    assert number_flags == {
        None: "no 文号 printed on its own line near the title",  # the 批复, listed without one
        "国办发〔2004〕7号": "文号 differs from the contents: the page prints 国办发〔2004〕7号, the contents list 国办发〔2004〕1号",
    }


def test_a_document_the_pages_cannot_split_off_is_flagged_not_merged_unseen(tmp_path: Path) -> None:
    # No contents, no 文号, and a title that names no issuer: nothing on the pages says "a new
    # document" for sure, so it stays in the one above, whose body goes to review with the reason.
    records = load_records()
    bare = without_number(records[19])
    first, *rest = bare["body"].split("\n")
    bare = {**bare, "title": bare["title"].removeprefix("国务院办公厅"), "body": "\n".join([first[6:], *rest])}
    path = tmp_path / "unsplit.pdf"
    build_issue([records[8], bare], path, contents=False)
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    (doc,) = result.documents
    (flag,) = [f.reason for f in doc.needs_review if f.field == "body"]
    assert flag.startswith("关于调整国家教材委员会组成人员的通知: a title on page")
    assert flag in result.problems
    assert "国家教材委员会" in doc.text  # kept, in the document above


def test_a_title_whose_lines_ocr_measured_apart_stays_with_its_document() -> None:
    from ingest.layout import Flow

    paras = (
        Paragraph("目录", 1, 22, align="center"),
        Paragraph("国务院办公厅对全国政……提案的答复（国办函〔2005〕69号）……3", 1, 16),
        Paragraph("国务院办公厅对全国政协十届三次会议", 2, 22.0, align="center"),
        Paragraph("第2741号提案的答复", 2, 24.5, align="center"),  # its box measured 11% taller
        Paragraph("国办函〔2005〕69号", 2, 17.4, align="center"),
        Paragraph("邓乃扬、韩汝琦委员：", 2, 16),
        Paragraph("你们提出的关于完善与发展政府网站的提案，现答复如下。", 2, 16, indent=2),
        Paragraph("国务院办公厅", 2, 16, align="right"),
        Paragraph("二〇〇五年七月十四日", 2, 16, align="right"),
    )
    split = split_issue(Flow(paras, {2: 3}))
    assert split.problems == ()
    (piece,) = split.documents
    assert piece.paragraphs == paras[2:] and piece.entry is not None
    doc = build_document(piece.paragraphs, Evidence(Source("s.tif", "sha", 2), contents_title=piece.entry.title))
    assert doc.title == "国务院办公厅对全国政协十届三次会议第2741号提案的答复" and not doc.needs_review


def test_a_forwarded_document_printed_after_the_notice_stays_its_attachment(tmp_path: Path) -> None:
    # 国务院办公厅转发国家教委关于…请示的通知 prints the 请示 after its date, under a title that names
    # its issuer and type: the notice carries it, so it opens no document of its own.
    records = load_records()
    lines = records[17]["body"].split("\n")
    at = lines.index("关于内地西藏班（校）")
    forwarded = "国家教委关于内地西藏班（校）扩大规模有关问题的请示"
    notice = {**records[17], "body": "\n".join([*lines[:at], forwarded, *lines[at + 2 :]])}
    path = tmp_path / "forwarded.pdf"
    truths = build_issue([records[8], notice], path, contents=False)
    docs = _documents(path)
    assert [d.doc_number for d in docs] == [t.doc_number for t in truths]
    assert [b.text for b in docs[1].body if b.kind == "attachment"] == [forwarded]


# -- the printed page each document starts on -------------------------------------------------


def test_each_document_gets_the_printed_page_it_starts_on_from_its_folio_else_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "paged.pdf"
    truths = build_issue(_split_records(), path)
    assert len({t.page for t in truths}) > 2  # documents start on several pages, some mid-page
    flow = page_paragraphs(read_pdf(path, "sha"))
    assert [piece.page for piece in split_issue(flow).documents] == [t.page for t in truths]
    # Folios not read (a scan that lost its page numbers): the numbers the contents list.
    unread = split_issue(replace(flow, page_labels={}))
    assert [piece.page for piece in unread.documents] == [t.page for t in truths]
    assert [piece.page for piece in unread.documents] == [e.page for e in unread.contents]


def test_without_a_folio_or_a_contents_entry_a_document_has_no_printed_page(tmp_path: Path) -> None:
    path = tmp_path / "no-contents.pdf"
    truths = build_issue(_split_records(), path, contents=False)
    flow = page_paragraphs(read_pdf(path, "sha"))
    assert [piece.page for piece in split_issue(flow).documents] == [t.page for t in truths]
    # The folio of the page the second document starts on is lost: its neighbours' do not make one up.
    start = split_issue(flow).documents[1].paragraphs[0].page
    labels = {page: label for page, label in flow.page_labels.items() if page != start}
    pages = [piece.page for piece in split_issue(replace(flow, page_labels=labels)).documents]
    assert pages == [truths[0].page, None, *(t.page for t in truths[2:])]


def test_a_contents_page_number_the_folio_contradicts_goes_to_review_and_the_folio_is_kept(tmp_path: Path) -> None:
    records = _split_records()
    records[2] = {**records[2], "contents_page": 31}
    path = tmp_path / "misnumbered.pdf"
    truths = build_issue(records, path)
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert result.printed_pages == tuple(t.page for t in truths)  # what the page prints
    flags = [(k, f.reason) for k, d in enumerate(result.documents) for f in d.needs_review if f.field == "body"]
    reason = f"{truths[2].title}: contents say page 31, found on page {truths[2].page}"
    assert flags == [(2, reason)]
    assert reason in result.problems


def test_a_file_of_page_furniture_alone_has_no_printed_page_and_no_crash() -> None:
    from ingest.layout import Flow

    (piece,) = split_issue(Flow((), {1: 3})).documents  # the folio was all its page printed
    assert (piece.paragraphs, piece.page) == ((), None)
