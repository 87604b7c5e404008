"""Word files for the tests, written with python-docx the way Word lays a 公文 out: the red
发文机关标志, the 文号, the title in the Title style, headings in Heading styles numbered by
Word (the label is not in the text), a table, 附件说明, 署名, 成文日期, 附注, an attachment
after a page break, and the 版记."""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

TITLE = "广东省人民政府办公厅关于开展政务公开标准化试点工作的通知"
NUMBER = "粤办函〔2026〕88号"
RECIPIENTS = "各地级以上市人民政府，省政府各部门"
PARAGRAPH = (
    "为深入贯彻落实政务公开工作部署，推进基层政务公开标准化规范化，经省人民政府同意，现就开展试点工作有关事项通知如下："
)
HEADING_1 = "工作目标"  # Word numbers it 一、
HEADING_2 = "试点范围"  # Word numbers it （一）
GOAL = (
    "到2026年底，试点地区基本建成政务公开标准目录，公开事项全面覆盖、公开流程规范统一、"
    "公开方式便民高效，群众满意度明显提升。"
)
TYPED = "1.各试点单位于2026年7月31日前报送工作方案。"
TABLE = (
    ("地区", "试点内容", "完成时限"),
    ("广州市", "重大建设项目", "2026年10月"),
    ("深圳市", "公共资源配置", "2026年11月"),
)
ATTACHMENT_NOTES = ("附件：1. 试点单位名单", "2. 工作进度安排表")
SIGNATURE = "广东省人民政府办公厅"
DATE = "2026年6月20日"
NOTE = "（此件公开发布）"
ATTACHMENT_TITLE = "试点单位名单"
ATTACHMENT_TEXT = "广州市越秀区、深圳市福田区、珠海市香洲区。"
COPY_TO = "抄送：省委办公厅，省人大常委会办公厅，省政协办公厅。"
PRINTED = "广东省人民政府办公厅秘书处　　2026年6月21日印发"


def _numbered(paragraph, level: int) -> None:
    """Word's automatic numbering on the paragraph (numPr): the label is drawn, not typed."""
    ppr = paragraph._p.get_or_add_pPr()
    num = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level - 1))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "1")
    num.append(ilvl)
    num.append(num_id)
    ppr.append(num)


def write_docx(
    path: Path,
    *,
    title: bool = True,
    date: bool = True,
    with_header: bool = True,
    mark: str = "广东省人民政府办公厅文件",
    signer: str | None = None,
) -> Path:
    word = WordDocument()
    if with_header:
        para = word.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(mark)
        run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
        run.font.size = Pt(36)
        # An 上行文 types its 签发人 on the 文号's line, pushed right with a tab.
        number = word.add_paragraph(NUMBER + (f"\t签发人：{signer}" if signer else ""))
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if title:
        heading = word.add_paragraph(TITLE, style="Title")
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(RECIPIENTS + "：")
    word.add_paragraph(PARAGRAPH)
    _numbered(word.add_paragraph(HEADING_1, style="Heading 1"), 1)
    _numbered(word.add_paragraph(HEADING_2, style="Heading 2"), 2)
    word.add_paragraph(GOAL)
    word.add_paragraph(TYPED)
    table = word.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    for note in ATTACHMENT_NOTES:
        word.add_paragraph(note)
    signature = word.add_paragraph(SIGNATURE)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if date:
        when = word.add_paragraph(DATE)
        when.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph(NOTE)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph("附件1")
    attachment = word.add_paragraph(ATTACHMENT_TITLE)
    attachment.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(ATTACHMENT_TEXT)
    word.add_paragraph(COPY_TO)
    word.add_paragraph(PRINTED)
    word.save(str(path))
    return path
