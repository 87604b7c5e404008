from pathlib import Path

from gazette.model import Box
from ingest.layout import PlacedLine, page_paragraphs, paragraphs, reading_order, strip_furniture
from ingest.textlayer import read_pdf
from ingest.types import Line, PageText


def _line(text: str, x0: float, y0: float, size: float = 10.0, page: int = 1) -> Line:
    return Line(text, Box(page, x0, y0, x0 + size * len(text), y0 + size), size=size)


def test_red_header_reads_issuer_by_issuer_then_wenjian(pdf397: Path) -> None:
    flow = page_paragraphs([p for p in read_pdf(pdf397, "sha") if isinstance(p, PageText)])
    assert [p.text for p in flow.paragraphs[:3]] == ["发展改革委办公厅", "税务总局办公厅", "文件"]


def test_page_numbers_are_removed_and_remembered(pdf397: Path) -> None:
    flow = page_paragraphs([p for p in read_pdf(pdf397, "sha") if isinstance(p, PageText)])
    assert not any("—" in p.text and len(p.text) < 8 for p in flow.paragraphs)
    assert flow.page_labels == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}


def test_paragraph_broken_across_pages_is_joined(pdf397: Path) -> None:
    flow = page_paragraphs([p for p in read_pdf(pdf397, "sha") if isinstance(p, PageText)])
    joined = next(p for p in flow.paragraphs if p.text.startswith("税务总局以自然人纳税人识别号"))
    assert joined.text.endswith("并与全国信用信息共享平台建立数据共享机制。")
    assert {box.page for box in joined.boxes} == {2, 3}


def test_two_columns_are_read_one_after_the_other() -> None:
    lines = [_line("左栏第一行文字内容很长", 0, y) for y in (0, 20, 40, 60)]
    lines += [_line("右栏第一行文字内容很长", 150, y) for y in (0, 20, 40, 60)]
    lines[0] = _line("左栏开头行文字内容很长", 0, 0)
    lines[4] = _line("右栏开头行文字内容很长", 150, 0)
    order = [placed.line.text for placed in reading_order(PageText("s", 1, 300, 100, tuple(lines)))]
    assert order[0].startswith("左栏开头") and order[4].startswith("右栏开头")
    assert all(text.startswith("左") for text in order[:4])


def test_note_under_the_signature_is_read_after_it_even_with_a_page_number_below() -> None:
    # The note sits left of the signature's column but below it: stacked, not a column.
    lines = [
        _line("正文最后一行文字内容很长", 10, 0),
        _line("国务院办公厅", 200, 40),
        _line("二〇〇四年八月十二日", 180, 60),
        _line("（本文有删减）", 40, 80),
        _line("— 5 —", 220, 400),
    ]
    order = [placed.line.text for placed in reading_order(PageText("s", 1, 300, 420, tuple(lines)))]
    assert order == ["正文最后一行文字内容很长", "国务院办公厅", "二〇〇四年八月十二日", "（本文有删减）", "— 5 —"]


def test_table_cells_on_one_row_join_with_tabs() -> None:
    rows = [[_line("江苏", 0, y), _line("100", 80, y), _line("120", 160, y)] for y in (0, 20, 40)]
    page = PageText("s", 1, 300, 100, tuple(line for row in rows for line in row))
    assert [placed.line.text for placed in reading_order(page)] == ["江苏\t100\t120"] * 3


def test_running_heads_repeat_and_page_number_forms_are_removed() -> None:
    def page(number: int, head: str, foot: str) -> list[PlacedLine]:
        body = [_line(f"正文第{number}页第{k}行", 10, 100 + 20 * k, page=number) for k in range(5)]
        lines = [_line(head, 10, 5, page=number), *body, _line(foot, 10, 990, page=number)]
        return [PlacedLine(line, (10, 200), 1000.0) for line in lines]

    pages = [
        page(1, "广东省人民政府公报·第3期", "— 12 —"),
        page(2, "广东省人民政府公报·第3期", "·13·"),
        page(3, "广东省人民政府公报·第3期", "- 14 -"),
    ]
    cleaned, labels = strip_furniture(pages)
    assert all(len(lines) == 5 for lines in cleaned)
    assert labels == {1: 12, 2: 13, 3: 14}


def test_spaces_between_han_are_removed_and_indent_starts_a_paragraph() -> None:
    column = (0.0, 100.0)
    lines = [
        PlacedLine(Line("为贯彻 落实", Box(1, 20, 0, 100, 10), size=10), column),
        PlacedLine(Line("有关精神。", Box(1, 0, 20, 50, 30), size=10), column),
        PlacedLine(Line("二、工作", Box(1, 20, 40, 60, 50), size=10), column),
    ]
    assert [p.text for p in paragraphs(lines)] == ["为贯彻落实有关精神。", "二、工作"]
