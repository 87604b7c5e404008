from __future__ import annotations

from pathlib import Path

import pytest

from gazette import akn
from gazette.exceptions import BadInputError
from publish.docx_intake import read_docx
from publish.parts import split_parts
from tests.publish import wordfile as w


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory):
    return read_docx(w.write_docx(tmp_path_factory.mktemp("word") / "通知.docx"))


def test_header_title_recipients_and_closing(doc) -> None:
    assert doc.id == doc.doc_number == "粤办函〔2026〕88号"
    assert doc.title == w.TITLE and doc.recipients == w.RECIPIENTS
    assert doc.issuer == ("广东省人民政府办公厅",) and doc.signature == (w.SIGNATURE,)
    assert (doc.date_written, doc.date_written_printed) == ("2026-06-20", w.DATE)
    assert doc.doc_type == "通知" and doc.jurisdiction == "cn-gd"
    assert doc.source is not None and doc.source.file == "通知.docx" and len(doc.source.sha256) == 64


def test_body_headings_numbered_by_word_table_and_parts(doc) -> None:
    headings = [(b.level, b.text) for b in doc.body if b.kind == "heading"]
    assert headings[:3] == [(1, "一、" + w.HEADING_1), (2, "（一）" + w.HEADING_2), (3, w.TYPED)]
    table = next(b for b in doc.body if b.kind == "table")
    assert table.rows == w.TABLE
    parts = split_parts(doc)
    assert parts.attachment_notes == w.ATTACHMENT_NOTES
    assert parts.closing_notes == (w.NOTE,)
    assert [(a.label, a.title) for a in parts.attachments] == [("附件1", w.ATTACHMENT_TITLE)]
    assert parts.attachments[0].blocks[0].text == w.ATTACHMENT_TEXT
    assert parts.copy_to == w.COPY_TO.removeprefix("抄送：")
    assert parts.printed_by == "广东省人民政府办公厅秘书处　2026年6月21日印发"


def test_the_document_round_trips_through_akn(doc) -> None:
    assert akn.document_from_xml(akn.document_to_xml(doc)) == doc


def test_the_header_keeps_its_mark_and_signer_and_prints_them(tmp_path: Path, fonts) -> None:
    """The 发文机关标志's own text and an 上行文's 签发人 are stored, and set in the 版头: the
    文号 one character in from the left, 签发人 one character in from the right on its line."""
    from publish.document_pdf import document_pdf
    from tests.publish.measure import MM, lines

    path = w.write_docx(tmp_path / "请示.docx", mark="广东省人民政府办公厅", signer="张三")
    doc = read_docx(path)
    assert (doc.signer, doc.issuer_mark) == ("张三", "广东省人民政府办公厅")
    assert doc.issuer == ("广东省人民政府办公厅",)
    assert akn.document_from_xml(akn.document_to_xml(doc)) == doc
    pdf = tmp_path / "请示.pdf"
    pdf.write_bytes(document_pdf(doc, fonts))
    found = lines(pdf)
    assert found[0].text == "广东省人民政府办公厅"  # the mark as typed, no 文件 added
    number = next(line for line in found if line.text.startswith(w.NUMBER))
    assert number.text.endswith("签发人：张三")
    assert number.x0 == pytest.approx(28 * MM + 156 / 28 * MM, abs=0.5)
    assert number.x1 == pytest.approx(184 * MM - 156 / 28 * MM, abs=0.5)


def test_a_file_without_a_title_is_one_line_naming_it(tmp_path: Path) -> None:
    path = w.write_docx(tmp_path / "无标题.docx", title=False, with_header=False)
    with pytest.raises(BadInputError, match="no title") as error:
        read_docx(path)
    assert "\n" not in str(error.value) and "无标题.docx" in str(error.value)


def test_a_file_without_a_date_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no 成文日期") as error:
        read_docx(w.write_docx(tmp_path / "无日期.docx", date=False))
    assert "无日期.docx" in str(error.value)


def test_a_broken_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BadInputError, match="cannot read this Word file"):
        read_docx(path)
