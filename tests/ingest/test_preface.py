"""Title blocks (the lines of one title, in its size and colour) and closings."""

from ingest.layout import Paragraph
from ingest.preface import Closing, find_closing, title_block

TITLE = 22.6


def _title(*lines: tuple[str, float]) -> list[Paragraph]:
    return [Paragraph(text, 1, size, align="center") for text, size in lines] + [Paragraph("各省人民政府：", 1, 16.0)]


def test_a_short_last_line_read_by_ocr_larger_still_ends_the_title() -> None:
    # OCR measures a lone character from its padded box: 知 at 31.7 pt under a 22.6 pt title.
    paras = _title(
        ("国务院办公厅关于对真抓实干成效明", TITLE), ("显地方进一步加大激励支持力度的通", TITLE), ("知", 31.7)
    )
    assert title_block(paras, 0, 16.0) == (0, 1, 2)


def test_a_long_line_in_another_size_is_not_the_title() -> None:
    paras = _title(("国务院办公厅关于印发若干规定的通知", TITLE), ("一、总体要求和基本原则", 30.0))
    assert title_block(paras, 0, 16.0) == (0,)


def test_a_last_line_that_gives_the_title_its_type_joins_though_measured_larger() -> None:
    paras = _title(
        ("国务院办公厅关于辽宁省在曾培炎副", TITLE), ("总理考察工作时所提问题和建议办理", TITLE), ("情况的函", 23.9)
    )
    assert title_block(paras, 0, 16.0) == (0, 1, 2)


def test_a_larger_line_after_a_title_that_has_its_type_stays_out() -> None:
    paras = _title(("国务院办公厅关于印发若干规定的通知", TITLE), ("（此件公开发布）", 23.9))
    assert title_block(paras, 0, 16.0) == (0,)


def test_a_table_row_above_the_signature_is_not_signed() -> None:
    paras = [Paragraph(text, 1, 16.0) for text in ("山西\t80\t0\t80", "安徽\t45\t0\t45", "国务院办公厅")]
    paras.append(Paragraph("一九九六年七月十七日", 1, 16.0, align="right"))
    assert find_closing(paras, 0) == Closing((2,), 3)


def test_read_parts_reads_each_part_once() -> None:
    from ingest.layout import Paragraph
    from ingest.preface import read_parts

    paras = [
        Paragraph("国办函〔2019〕6号", 1, 16.0, align="center"),
        Paragraph("国务院办公厅关于同意建立某某制度的函", 1, 22.0, align="center"),
        Paragraph("各省、自治区、直辖市人民政府：", 1, 16.0),
        Paragraph("现将有关事项函告如下。", 1, 16.0, indent=2),
        Paragraph("国务院办公厅", 1, 16.0, align="right"),
        Paragraph("2019年1月12日", 1, 16.0, align="right"),
        Paragraph("（此件公开发布）", 1, 16.0),
    ]
    parts = read_parts(paras)
    assert parts.preface.number == 0 and parts.preface.title == (1,)
    assert parts.recipients == 2 and list(parts.body) == [3]
    assert parts.closing is not None and parts.closing.signature == (4,) and parts.closing.date == 5
    assert list(parts.after) == [6]


def test_a_title_found_upward_from_its_number_keeps_the_lines_above_a_larger_last_line() -> None:
    # Seeded at the line above the 文号: OCR measured 第2741号提案的答复 11% larger than the line above it.
    paras = [
        Paragraph("国务院办公厅对全国政协十届三次会议", 1, 22.0, align="center"),
        Paragraph("第2741号提案的答复", 1, 24.5, align="center"),
        Paragraph("国办函〔2005〕69号", 1, 16.0, align="center"),
    ]
    assert title_block(paras, 1, 16.0, step=-1) == (0, 1)


def test_a_header_without_colour_is_told_by_its_layout_and_is_never_the_title() -> None:
    from ingest.preface import find_preface

    paras = [
        Paragraph("国务院办公厅文件", 1, 35.0, align="center"),  # black: a grey or bilevel scan
        Paragraph("国办函〔2005〕69号", 1, 16.0, align="center"),
        Paragraph("国务院办公厅关于同意建立", 1, TITLE, align="center"),
        Paragraph("煤矿安全生产联席会议制度的函", 1, TITLE, align="center"),
        Paragraph("安全监管总局：", 1, 16.0),
        Paragraph("你局关于建立煤矿安全生产联席会议制度的请示收悉。现函复如下：", 1, 16.0),
    ]
    preface = find_preface(paras)
    assert preface.header == (0,) and preface.number == 1 and preface.title == (2, 3)


def test_a_large_centred_title_ending_in_another_word_is_still_a_title() -> None:
    from ingest.preface import find_preface

    paras = [
        Paragraph("国办函〔2005〕69号", 1, 16.0, align="center"),
        Paragraph("国务院关于发布政府公报工作的通知", 1, 36.0, align="center"),
        Paragraph("各省人民政府：", 1, 16.0),
        Paragraph("现将有关事项通知如下。", 1, 16.0),
    ]
    assert find_preface(paras).title == (1,)


def test_a_date_line_that_spells_no_date_still_closes_the_document() -> None:
    paras = [Paragraph(text, 1, 16.0) for text in ("请认真贯彻执行。", "国务院办公厅", "二〇四年四月十七日")]
    assert find_closing(paras, 0) == Closing((1,), 2)
