import pytest

from ingest.contents import ContentsEntry, read_contents, title_agreement
from ingest.layout import Paragraph

LONG = "国务院办公厅关于印发文化体制改革中经营性文化事业单位转制为企业和进一步支持文化企业发展两个规定的通知"


def _contents(*lines: str) -> tuple[ContentsEntry, ...]:
    paras = (Paragraph("目　　录", 1, 22, align="center"), *(Paragraph(line, 1, 16) for line in lines))
    title = Paragraph("国务院关于某事的通知", 2, 22, align="center")
    entries, end = read_contents((*paras, title, Paragraph("正文。", 2, 16)))
    assert end == len(paras)
    return entries


def test_an_abbreviation_inside_a_title_is_no_leader() -> None:
    (entry,) = _contents("【国务院文件】", "国务院办公厅关于印发……两个规定的通知（国办发", "〔2018〕124号）…………………1")
    assert entry == ContentsEntry("国务院办公厅关于印发……两个规定的通知", "国办发〔2018〕124号", 1, "国务院文件")


def test_entries_that_print_their_page_on_the_first_line() -> None:
    first, second = _contents(
        "国务院关于同意乌鲁木齐、昌吉、石河子高新技术……………… 5",
        "　　产业开发区建设国家自主创新示范区的批复（国函〔2018〕145号）",
        "国务院办公厅关于调整国家教材委员会组成人员的通知\t12",
        "　　（国办发〔2018〕109号）",
    )
    assert first.title == "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复"
    assert (first.doc_number, first.page) == ("国函〔2018〕145号", 5)
    assert (second.title, second.doc_number, second.page) == (
        "国务院办公厅关于调整国家教材委员会组成人员的通知",
        "国办发〔2018〕109号",
        12,
    )


def test_a_page_after_a_gap_without_dots_ends_an_entry() -> None:
    # OCR often reads a dotted leader as nothing: the page stands after a gap (a tab between cells).
    entries = _contents("国务院关于某事的通知（国发〔2019〕3号）\t3", "国务院办公厅关于另一事的通知\t7")
    assert [(e.title, e.doc_number, e.page) for e in entries] == [
        ("国务院关于某事的通知", "国发〔2019〕3号", 3),
        ("国务院办公厅关于另一事的通知", None, 7),
    ]


def test_a_scanned_contents_page_without_dots_ends_at_the_next_page() -> None:
    paras = (
        Paragraph("目录", 1, 22, align="center"),
        Paragraph("国务院关于某事的通知", 1, 16),  # its page number lost
        Paragraph("国务院关于某事的通知", 2, 22, align="center"),
        Paragraph("国发〔2019〕3号", 2, 16, align="center"),
    )
    assert read_contents(paras)[1] == 2


@pytest.mark.parametrize(
    ("listed", "agreement"),
    [
        (LONG, 1.0),
        ("国务院办公厅关于印发……两个规定的通知", 1.0),  # abbreviated in the middle
        ("国务院办公厅关于印发文化体制改革中经营性……", 1.0),  # abbreviated at the end
        ("国务院办公厅关于印发文化体制改革中经营性文化事业单位", 1.0),  # cut where the page number is printed
        ("国务院办公厅关于印发文化体制改革中经营性文化亊业单位转制为企业和进一步支持文化企业发展两个规定的通和", 0.96),
        ("国务院办公厅关于印友……两个规定的通知", 0.94),  # OCR errors in an abbreviated title
        ("国务院办公厅关于调整国家教材委员会组成人员的通知", 0.0),
        ("……两个规定的通知", 0.0),  # too little left to tell
        ("国务院办公厅", 0.0),  # a cut that could begin any of its titles
    ],
)
def test_title_agreement(listed: str, agreement: float) -> None:
    assert title_agreement(listed, LONG) == pytest.approx(agreement, abs=0.01)


def test_short_titles_one_character_apart_do_not_agree() -> None:
    assert title_agreement("甲关于某事的通知", "丙关于某事的通知") == 0.0
    assert title_agreement("“无废城市”建设试点工作方案", '"无废城市"建设试点工作方案') == 1.0


@pytest.mark.parametrize("leader", ["。。。。。。", "------ ", " ———————— ", "……", "．．．．"])
def test_leaders_as_ocr_reads_them(leader: str) -> None:
    (entry,) = _contents(f"国务院关于某事的通知（国发〔2019〕3号）{leader}１５")
    assert (entry.title, entry.doc_number, entry.page) == ("国务院关于某事的通知", "国发〔2019〕3号", 15)


def test_contents_that_lost_their_page_numbers_end_before_a_red_header_document() -> None:
    paras = (
        Paragraph("目录", 1, 22, align="center"),
        Paragraph("国务院办公厅关于某事的通知", 1, 16),
        Paragraph("国务院关于另一事的批复", 1, 16),
        Paragraph("国务院办公厅文件", 2, 40, color="red", align="center"),  # not a title: red
        Paragraph("国办发〔2019〕5号", 2, 16, align="center"),
        Paragraph("国务院办公厅关于某事的通知", 2, 22, align="center"),
    )
    assert read_contents(paras)[1] == 4  # where the 文号 opens a page no entry ended on


def test_a_number_wrapped_in_a_narrow_column_stays_with_its_entry() -> None:
    entries = _contents(
        "国务院关于某事的通知（国发〔2019〕3号）……1",
        "国务院办公厅关于印发“无废城市”建设试点工作方案的通知（",
        "国办发〔2018〕128号",
        "）……………7",
    )
    assert [(e.doc_number, e.page) for e in entries] == [("国发〔2019〕3号", 1), ("国办发〔2018〕128号", 7)]
