"""The Word draft the demo publishes: ``python -m samples.drafts`` writes ``samples/drafts/*.docx``.

A 公文 as an office types it in Word from its template: the red 发文机关标志 and the
文号 (版头), the title in the Title style, 主送, headings in Heading styles, a table, the
附件说明, 署名 and 成文日期 set right, 附注, the attachment after a page break, and the
版记. The text is a made-up notice written for the demo in the style of the sample
issue's documents; its 文号 names no real document. It lives in ``samples/drafts``,
not ``samples/inputs``: it is a source to publish, not a gazette to ingest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent
DRAFT = HERE / "drafts" / "粤办函〔2019〕6号.docx"

MARK = "广东省人民政府办公厅文件"
NUMBER = "粤办函〔2019〕6号"
TITLE = "广东省人民政府办公厅关于做好2019年政务公开工作的通知"
RECIPIENTS = "各地级以上市人民政府，省政府各部门、各直属机构："
OPENING = (
    "为贯彻落实国家和省关于全面推进政务公开工作的部署要求，进一步提升政务公开质量和实效，"
    "经省人民政府同意，现就做好2019年政务公开工作有关事项通知如下："
)
SECTIONS = (
    (
        "着力推进决策、执行、管理、服务、结果公开",
        (
            (
                "各地各部门要围绕稳增长、促改革、调结构、惠民生、防风险，及时准确公开重大决策部署的执行措施、"
                "实施进度和落实结果。涉及群众切身利益的重大决策，要在决策前向社会公开征求意见。"
            ),
        ),
    ),
    (
        "加强政策解读和回应关切",
        (
            (
                "政策文件与解读方案、解读材料应同步组织、同步审签、同步部署。对涉及本地区本部门的重要舆情和"
                "社会热点，要及时回应，说明情况，解疑释惑。"
            ),
        ),
    ),
    (
        "夯实政务公开工作基础",
        (
            (
                "各地各部门要在2019年6月底前完成政府信息公开指南和目录的更新，规范政府网站信息公开专栏，"
                "并于2019年12月31日前报送本年度工作总结。"
            ),
        ),
    ),
)
TABLE = (
    ("工作任务", "牵头单位", "完成时限"),
    ("更新政府信息公开指南和目录", "各地级以上市人民政府", "2019年6月"),
    ("规范政府网站信息公开专栏", "省政务服务数据管理局", "2019年9月"),
    ("报送年度工作总结", "省政府各部门", "2019年12月"),
)
ATTACHMENT_NOTE = "附件：2019年政务公开重点工作任务分工"
SIGNATURE = "广东省人民政府办公厅"
DATE = "2019年1月18日"
NOTE = "（此件公开发布）"
ATTACHMENT_TITLE = "2019年政务公开重点工作任务分工"
COPY_TO = "抄送：省委办公厅，省人大常委会办公厅，省政协办公厅。"
PRINTED = "广东省人民政府办公厅秘书处　　2019年1月18日印发"
# Word stamps its own clock into docProps/core.xml; a fixed one keeps rebuilt files equal.
_WRITTEN = dt.datetime(2019, 1, 18, 9, 0, 0)


def write_draft(path: Path = DRAFT) -> Path:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt, RGBColor

    word = WordDocument()
    mark = word.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = mark.add_run(MARK)
    run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    run.font.size = Pt(36)
    word.add_paragraph(NUMBER).alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(TITLE, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(RECIPIENTS)
    word.add_paragraph(OPENING)
    for n, (heading, paragraphs) in enumerate(SECTIONS):
        word.add_paragraph("一二三"[n] + "、" + heading, style="Heading 1")
        for text in paragraphs:
            word.add_paragraph(text)
    word.add_paragraph(ATTACHMENT_NOTE)
    word.add_paragraph(SIGNATURE).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph(DATE).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph(NOTE)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph("附件")
    word.add_paragraph(ATTACHMENT_TITLE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = word.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    word.add_paragraph(COPY_TO)
    word.add_paragraph(PRINTED)
    word.core_properties.author = SIGNATURE
    word.core_properties.title = TITLE
    word.core_properties.created = word.core_properties.modified = _WRITTEN
    word.core_properties.last_modified_by = SIGNATURE
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


def main() -> None:
    path = write_draft()
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
