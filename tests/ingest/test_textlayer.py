from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from gazette.exceptions import BadInputError
from ingest.textlayer import lines_from_chars, read_pdf, text_layer_problem
from ingest.types import NeedsOcr, PageText
from tests.ingest.issue_pdf import FONT, register_font


def test_red_header_issuers_and_wenjian_are_separate_red_fragments(pdf397: Path) -> None:
    page = read_pdf(pdf397, "sha", [1])[0]
    assert isinstance(page, PageText)
    red = [line.text.replace(" ", "") for line in page.lines if line.color == "red"]
    assert sorted(red) == sorted(["发展改革委办公厅", "文件", "税务总局办公厅"])
    assert all(line.size > 30 for line in page.lines if line.color == "red")


def test_soft_hyphen_is_read_as_the_hyphen_it_prints(pdf397: Path) -> None:
    page = read_pdf(pdf397, "sha", [1])[0]
    assert isinstance(page, PageText)
    assert any("2014-2020" in line.text for line in page.lines)


def test_overprinted_bold_is_read_once(tmp_path: Path) -> None:
    register_font()
    path = tmp_path / "bold.pdf"
    canvas = Canvas(str(path))
    canvas.setFont(FONT, 16)
    for dx in (0.0, 0.25, 0.5):  # bold simulated by printing the line three times
        canvas.drawString(100 + dx, 700, "一、总体要求")
    canvas.save()
    page = read_pdf(path, "sha")[0]
    assert isinstance(page, PageText)
    assert [line.text for line in page.lines] == ["一、总体要求"]


def test_unmapped_glyphs_send_the_page_to_ocr() -> None:
    chars = [{"text": "(cid:123)", "x0": 0, "x1": 1, "top": 0, "bottom": 1}] * 20
    chars += [{"text": "国", "x0": 0, "x1": 1, "top": 0, "bottom": 1}] * 5
    assert "unmapped" in (text_layer_problem(chars, 100.0, 0.0) or "")


def test_a_scanned_page_without_text_needs_ocr_but_a_blank_page_does_not() -> None:
    assert text_layer_problem([], 100.0, 90.0) == "no text layer (scanned page)"
    assert text_layer_problem([], 100.0, 0.0) is None


def test_a_scan_pdf_page_comes_back_as_needs_ocr(tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (200, 280), 255).save(image)
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), pagesize=(200, 280))
    canvas.drawImage(str(image), 0, 0, 200, 280)
    canvas.save()
    assert isinstance(read_pdf(path, "sha")[0], NeedsOcr)


def test_fragments_split_at_wide_gaps_and_keep_spaces_in_latin() -> None:
    def char(text: str, x0: float) -> dict:
        return {"text": text, "x0": x0, "x1": x0 + 10, "top": 0, "bottom": 10, "size": 10, "page_number": 1}

    row = [char("文", 0), char("件", 10), char("A", 24), char("B", 34), char("号", 60)]
    assert [line.text for line in lines_from_chars(row)] == ["文件 AB", "号"]


def test_encrypted_and_truncated_pdfs_are_one_line_errors(pdf397: Path, tmp_path: Path) -> None:
    encrypted = tmp_path / "locked.pdf"
    with pikepdf.open(pdf397) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user="u"))
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(pdf397.read_bytes()[:30000])
    for path, words in ((encrypted, "encrypted"), (truncated, "damaged or truncated")):
        with pytest.raises(BadInputError) as error:
            read_pdf(path, "sha")
        assert words in str(error.value) and str(path) in str(error.value)
        assert "\n" not in str(error.value)
