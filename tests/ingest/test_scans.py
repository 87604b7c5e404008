"""Generated scans of real documents, read back by OCR through the shared layout, split and metadata steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gazette.model import Document
from ingest import pipeline
from ingest.raster import PageImage, read_pages
from ingest.recognise import ocr_page
from samples.corpus import iter_corpus_documents
from samples.scans import (
    BILEVEL,
    CLEAN,
    DEGRADED,
    GREY,
    SETTINGS,
    closing_position,
    render_document,
    scan_document,
    write_pages,
)
from samples.truth import cer, lost_lines

# Short documents of two decades, one with a Chinese-numeral date under the seal: small enough for CI.
SUBSET = ("国办函〔2004〕36号", "国办函〔1996〕14号")


def _doc(doc_id: str) -> Document:
    return next(doc for doc in iter_corpus_documents() if doc.id == doc_id)


def test_scans_are_deterministic_and_settings_differ() -> None:
    doc = _doc(SUBSET[1])
    first, again = scan_document(doc, DEGRADED, seed=3), scan_document(doc, DEGRADED, seed=3)
    assert all(np.array_equal(a.pixels, b.pixels) for a, b in zip(first, again, strict=True))
    clean = scan_document(doc, CLEAN, seed=3)
    assert not np.array_equal(first[0].pixels, clean[0].pixels)
    assert first[0].pixels.shape == (3508, 2480, 3)
    drawn = [line.text for line in clean[0].lines]
    assert drawn[0] == "国务院办公厅文件" and drawn[1] == "国办函〔1996〕14号"


def test_a_table_is_set_in_columns_with_each_cell_drawn_alone() -> None:
    doc = next(doc for doc in iter_corpus_documents() if doc.doc_number == "国办发〔1996〕32号")
    drawn = [line for page in render_document(doc) for line in page.lines]
    total, jiangsu = (next(i for i, line in enumerate(drawn) if line.text == name) for name in ("总计", "江苏"))
    assert [line.text for line in drawn[total : total + 6]] == ["总计", "1445", "555", "1600", "1800", "2000"]
    assert [line.box[0] for line in drawn[total : total + 6]] == [line.box[0] for line in drawn[jiangsu : jiangsu + 6]]
    assert len({line.box[1] for line in drawn[total : total + 6]}) == 1


def test_the_signature_and_date_are_drawn_before_what_follows_the_date() -> None:
    # A 转发 notice closes before the request it forwards, which has its own 署名 and date.
    doc = next(doc for doc in iter_corpus_documents() if doc.doc_number == "国办发〔1996〕32号")
    drawn = [line.text for page in render_document(doc) for line in page.lines]
    dates = [i for i, text in enumerate(drawn) if text in ("一九九六年七月十七日", "一九九六年五月十三日")]
    assert [drawn[i] for i in dates] == ["一九九六年七月十七日", "一九九六年五月十三日"]
    assert drawn[dates[0] - 1] == "国务院办公厅"
    assert dates[0] < drawn.index("关于内地西藏班（校）扩大规模有关问题的请示") < dates[1]


def test_the_closing_stands_after_an_attachment_list_and_before_notes_and_attachments() -> None:
    by_number = {doc.doc_number: doc for doc in iter_corpus_documents()}
    listed = by_number["国办发〔2018〕114号"].body  # 附件：… in the text, then （此件公开发布）, 附件, its title
    assert listed[closing_position(listed) - 1].text.startswith("附件：")
    assert listed[closing_position(listed)].kind == "note"
    issued = by_number["国办发〔2018〕128号"].body  # 印发: the note, then the plan it issues
    assert closing_position(issued) == 1
    plain = by_number["国办函〔2004〕36号"].body
    assert closing_position(plain) == len(plain)


def test_scans_write_tiff_pdf_and_png_that_read_back(tmp_path: Path) -> None:
    pages = scan_document(_doc(SUBSET[1]), CLEAN)
    for target in (tmp_path / "doc.tif", tmp_path / "doc.pdf", tmp_path / "png"):
        written = write_pages(pages, target)
        read = [page for path in written for page in read_pages(path)]
        assert len(read) == len(pages) and round(read[0].dpi) == 300


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["clean", "degraded"])
@pytest.mark.parametrize("doc_id", SUBSET)
def test_ocr_of_generated_scans_gives_the_document(doc_id: str, setting: str) -> None:
    truth = _doc(doc_id)
    scans = scan_document(truth, SETTINGS[setting], seed=0)
    texts = [ocr_page(PageImage(page.number, page.pixels, 300.0), "0" * 64).text for page in scans]
    lost = [
        line
        for page, text in zip(scans, texts, strict=True)
        for line in lost_lines([drawn.text for drawn in page.lines], [line.text for line in text.lines])
    ]
    assert lost == []
    task = pipeline.FileTask(f"{doc_id}.tif", Path("unused.tif"), "0" * 64, "tiff")
    (got,) = pipeline.documents_from_pages(task, texts).documents
    assert (got.doc_number, got.title, got.issuer, got.date_written) == (
        truth.doc_number,
        truth.title,
        truth.issuer,
        truth.date_written,
    )
    assert cer(truth.text, got.text) <= 0.003


def test_grey_and_bilevel_scans_keep_no_colour_and_bilevel_tiff_is_g4(tmp_path: Path) -> None:
    from PIL import Image

    doc = _doc(SUBSET[0])
    grey, bilevel = scan_document(doc, GREY), scan_document(doc, BILEVEL)
    assert grey[0].pixels.ndim == 2 and len(np.unique(grey[0].pixels)) > 2
    assert bilevel[0].pixels.ndim == 2 and set(np.unique(bilevel[0].pixels)) == {0, 255}
    (tif,) = write_pages(bilevel, tmp_path / "doc.tif")
    with Image.open(tif) as image:
        assert image.mode == "1" and image.info["compression"] == "group4" and image.n_frames == len(bilevel)
    read = list(read_pages(tif))
    assert len(read) == len(bilevel) and round(read[0].dpi) == 300
    # The red header prints black when thresholded: nothing tells it from text but its shape.
    header = bilevel[0].lines[0]
    x0, y0, x1, y1 = header.box
    assert header.color == "red" and (bilevel[0].pixels[y0:y1, x0:x1] == 0).mean() > 0.1


@pytest.mark.slow
@pytest.mark.parametrize("doc_id", ["国办函〔2005〕69号", "国办发〔2018〕128号"])
def test_grey_and_bilevel_scans_give_the_fields_of_the_colour_scan(doc_id: str) -> None:
    """Without colour the header is told by its layout and the seal by its shape. A date
    under the seal's ring (二〇〇五 read 二〇五 where it crosses a 〇, 十四 read 十日) is read
    again from other images of its line and right, sent to review where the readings differed."""
    truth = _doc(doc_id)
    expected = (truth.doc_number, truth.title, truth.issuer, truth.date_written)
    for setting in ("degraded", "grey", "bilevel"):
        scans = scan_document(truth, SETTINGS[setting], seed=0)
        texts = [ocr_page(PageImage(page.number, page.pixels, 300.0), "0" * 64).text for page in scans]
        task = pipeline.FileTask(f"{doc_id}.tif", Path("unused.tif"), "0" * 64, "tiff")
        (got,) = pipeline.documents_from_pages(task, texts).documents
        assert (got.doc_number, got.title, got.issuer) == expected[:3], setting
        assert got.date_written == truth.date_written, setting
        assert got.field_origins.get("date_written"), setting


@pytest.mark.parametrize("doc_id", ["国发〔2018〕41号", "国办发〔2018〕124号", "国办函〔2006〕71号"])
def test_a_header_printed_black_is_told_by_its_layout_and_the_title_stays_the_title(doc_id: str) -> None:
    """The lines as drawn (no OCR), every one black as on a grey or bilevel scan."""
    from gazette.model import Box
    from ingest.types import Line, PageText

    truth = _doc(doc_id)
    points = 72 / 300
    texts = [
        PageText(
            "0" * 64,
            page.number,
            page.pixels.shape[1] * points,
            page.pixels.shape[0] * points,
            tuple(
                Line(
                    line.text,
                    Box(page.number, *(v * points for v in line.box)),
                    origin="ocr",
                    color="black",
                    size=(line.box[3] - line.box[1]) * points,
                )
                for line in page.lines
            ),
        )
        for page in render_document(truth)
    ]
    assert texts[0].lines[0].text.endswith("文件")
    task = pipeline.FileTask(f"{doc_id}.tif", Path("unused.tif"), "0" * 64, "tiff")
    (got,) = pipeline.documents_from_pages(task, texts).documents
    assert (got.title, got.issuer, got.doc_number) == (truth.title, truth.issuer, truth.doc_number)
