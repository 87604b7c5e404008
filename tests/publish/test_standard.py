"""The standard text by GB/T 9704-2012, measured with pdfplumber on the published documents."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from gazette.model import Block, Document
from publish import geometry as g
from publish.document_pdf import document_pdf
from publish.fonts import FontSet
from publish.linebreak import NO_END, NO_START
from publish.parts import split_parts
from tests.publish.measure import MM, is_han_line, lines, page_numbers
from tests.publish.wordfile import write_docx

FIRST_BASELINE = g.TOP + (g.LINE_PITCH - 16) / 2 + g.EM_ASCENT * 16


def documents(published: Path) -> list[Path]:
    return sorted((published / "documents").glob("*.pdf"))


def test_text_block_left_edge_and_first_baseline(published: Path) -> None:
    for path in documents(published):
        found = lines(path)
        assert min(line.x0 for line in found) == pytest.approx(28 * MM, abs=0.5 * MM), path.name
        second = [line for line in found if line.page == 2]
        if second:
            assert second[0].baseline == pytest.approx(FIRST_BASELINE, abs=0.2), path.name
            assert 37 * MM < second[0].baseline - 16 * g.EM_ASCENT < 37 * MM + g.LINE_PITCH


def test_full_body_pages_hold_22_lines_within_the_block(published: Path) -> None:
    path = published / "documents" / "国发〔2019〕3号.pdf"
    found = lines(path)
    per_page = Counter(line.page for line in found)
    pages = max(per_page)
    assert all(per_page[page] == 22 for page in range(2, pages)), per_page
    for line in found:
        assert line.x1 <= (28 + 156) * MM + 0.5, line.text
        assert line.baseline <= (37 + 225) * MM


def test_sizes_title_22_body_16(published: Path) -> None:
    found = lines(published / "documents" / "国发〔2019〕3号.pdf")
    sizes = Counter(line.size for line in found)
    assert sizes[22.0] >= 1 and sizes.most_common(1)[0][0] == 16.0


def test_a_full_han_line_holds_28_characters(fonts: FontSet, tmp_path: Path) -> None:
    text = "政务公开是建设法治政府的重要制度安排" * 12
    doc = Document(
        id="X",
        title="测试",
        body=(Block("paragraph", text),),
        date_written="2026-06-30",
        issuer=("广东省人民政府",),
        signature=("广东省人民政府",),
    )
    path = tmp_path / "x.pdf"
    path.write_bytes(document_pdf(doc, fonts))
    body = [line for line in lines(path) if is_han_line(line.text) and line.size == 16]
    full = [line for line in body if line.x0 == pytest.approx(28 * MM, abs=0.2)][:-1]
    assert full and all(len(line.text) == 28 for line in full)
    assert all(line.x1 == pytest.approx(184 * MM, abs=0.3) for line in full)


def test_no_line_breaks_a_line_breaking_rule(published: Path) -> None:
    for path in [published / "issue.pdf", *documents(published)]:
        found = lines(path)
        for before, after in itertools.pairwise(found):
            if before.page == after.page and after.x0 < 30 * MM:  # a continuation line of a paragraph
                assert after.text[0] not in NO_START, (path.name, after.text)
                assert before.text[-1] not in NO_END, (path.name, before.text)


def test_page_numbers_by_parity(published: Path) -> None:
    for path in documents(published):
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
        numbers = page_numbers(path)
        assert [label for _, label, _, _ in numbers] == [f"— {n} —" for n in range(1, count + 1)]
        for page, _, x0, x1 in numbers:
            if page % 2:
                assert x1 == pytest.approx((184) * MM - 14, abs=1)  # one 4号 character in from the right
            else:
                assert x0 == pytest.approx(28 * MM + 14, abs=1)
        with pdfplumber.open(path) as pdf:
            chars = [c for c in pdf.pages[0].chars if c["text"] == "1" and c["top"] > 262 * MM]
            assert chars and chars[0]["size"] == pytest.approx(14)


def test_header_title_and_closing_of_the_standard_text(published: Path) -> None:
    with pdfplumber.open(published / "documents" / "粤办函〔2016〕629号.pdf") as pdf:
        first = pdf.pages[0]
        red = [c for c in first.chars if c["non_stroking_color"] and tuple(c["non_stroking_color"])[:1] == (0.9,)]
        assert "".join(c["text"] for c in red) == "广东省人民政府办公厅"
        assert min(c["top"] for c in red) == pytest.approx((37 + 35) * MM, abs=2)
        rules = [edge for edge in first.lines if edge["stroking_color"] and tuple(edge["stroking_color"])[:1] == (0.9,)]
        assert rules and rules[0]["x0"] == pytest.approx(28 * MM) and rules[0]["x1"] == pytest.approx(184 * MM)
        text = "".join(pdf.pages[-1].extract_text().split())
    assert "省府办公厅2016年12月12日" in text
    found = lines(published / "documents" / "粤办函〔2016〕629号.pdf")
    date = next(line for line in found if line.text == "2016年12月12日")
    assert date.x1 == pytest.approx((184 - 4 * 156 / 28) * MM, abs=0.3)  # four characters in from the right
    signer = next(line for line in found if line.text == "省府办公厅")
    assert (signer.x0 + signer.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=0.5)


def test_extracted_text_equals_the_source(published: Path, samples: dict[str, Document]) -> None:
    for name, doc in samples.items():
        path = published / "documents" / f"{name}.pdf"
        if not path.exists():
            continue
        with pdfplumber.open(path) as pdf:
            text = "".join(page.extract_text() for page in pdf.pages)
        got = "".join(re.sub(r"— \d+ —", "", text).split())
        parts = split_parts(doc)
        want = "".join(
            [
                doc.issuer[0] if "函" in (doc.doc_number or "") else doc.issuer[0] + "文件",
                doc.doc_number or "",
                doc.title,
                (doc.recipients or "") + "：",
                *(b.text for b in parts.main),
                *parts.attachment_notes,
                *doc.signature,
                doc.date_written_printed or "",
                *parts.closing_notes,
            ]
        )
        assert got == "".join(want.split()), name


def test_attachments_start_a_page_and_the_record_sits_at_the_foot(tmp_path: Path, fonts: FontSet) -> None:
    from publish.docx_intake import read_docx

    doc = read_docx(write_docx(tmp_path / "a.docx"))
    path = tmp_path / "a.pdf"
    path.write_bytes(document_pdf(doc, fonts))
    found = lines(path)
    last = max(line.page for line in found)
    label = next(line for line in found if line.text == "附件1")
    assert label.page == last and label.baseline == pytest.approx(FIRST_BASELINE, abs=0.2)
    title = next(line for line in found if line.text == "试点单位名单" and line.size == 22)
    assert title.baseline == pytest.approx(g.baseline(2, 22), abs=0.2)  # on the third line
    printed = next(line for line in found if line.text.endswith("印发"))
    assert printed.page == last and printed.baseline == pytest.approx(g.baseline(21, 14), abs=0.2)
    with pdfplumber.open(path) as pdf:
        rules = [edge for edge in pdf.pages[-1].lines if edge["x1"] - edge["x0"] > 150 * MM]
    assert max(edge["top"] for edge in rules) == pytest.approx((37 + 225) * MM, abs=0.5)


def test_what_a_notice_prints_opens_a_page_under_its_own_title(tmp_path: Path, fonts: FontSet) -> None:
    """印发: the printed documents have no 附件 label; each attachment block that is no 附件
    line is a title that starts a page, after the date and its 附注."""
    body = (
        Block("paragraph", "《甲规定》和《乙规定》已经国务院同意，现印发给你们，请认真贯彻执行。"),
        Block("note", "（此件公开发布）"),
        Block("attachment", "甲规定"),
        Block("paragraph", "第一条　为规范甲事项，制定本规定。"),
        Block("attachment", "乙规定"),
        Block("paragraph", "第一条　为规范乙事项，制定本规定。"),
    )
    doc = Document(
        id="国办发〔2018〕124号",
        title="国务院办公厅关于印发两个规定的通知",
        doc_number="国办发〔2018〕124号",
        issuer=("国务院办公厅",),
        date_written="2018-12-18",
        body=body,
        signature=("国务院办公厅",),
    )
    parts = split_parts(doc)
    assert [b.text for b in parts.main] == [body[0].text] and parts.closing_notes == ("（此件公开发布）",)
    assert [(a.label, a.title, [b.text for b in a.blocks]) for a in parts.attachments] == [
        (None, "甲规定", [body[3].text]),
        (None, "乙规定", [body[5].text]),
    ]
    path = tmp_path / "n.pdf"
    path.write_bytes(document_pdf(doc, fonts))
    found = lines(path)
    date = next(line for line in found if line.text == "2018年12月18日")
    titles = [line for line in found if line.text in ("甲规定", "乙规定") and line.size == 22]
    assert [t.page for t in titles] == [date.page + 1, date.page + 2]
    assert all(t.baseline == pytest.approx(g.baseline(0, 22), abs=0.2) for t in titles)  # on the page's first line
