"""Title blocks: the lines of one title, in its size and colour."""

from ingest.layout import Paragraph
from ingest.preface import title_block

TITLE = 22.6


def _title(*lines: tuple[str, float]) -> list[Paragraph]:
    return [Paragraph(text, 1, size, align="center") for text, size in lines] + [Paragraph("各省人民政府：", 1, 16.0)]


def test_a_short_last_line_read_by_ocr_larger_still_ends_the_title() -> None:
    # OCR measures a lone character from its padded box: 知 at 31.7 pt under a 22.6 pt title.
    paras = _title(("国务院办公厅关于对真抓实干成效明", TITLE), ("显地方进一步加大激励支持力度的通", TITLE), ("知", 31.7))
    assert title_block(paras, 0, 16.0) == (0, 1, 2)


def test_a_long_line_in_another_size_is_not_the_title() -> None:
    paras = _title(("国务院办公厅关于印发若干规定的通知", TITLE), ("一、总体要求和基本原则", 30.0))
    assert title_block(paras, 0, 16.0) == (0,)
