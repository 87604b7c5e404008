"""Plain-text views of documents for the terminal (`gazette show --text`, `gazette list`)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from gazette.model import Block, Document

_INDENT = "\u3000\u3000"  # two full-width spaces: the 2-character paragraph indent


def block_as_text(block: Block) -> str:
    if block.kind == "paragraph":
        return _INDENT + block.text
    return block.text


def document_as_text(doc: Document) -> str:
    """The document as a reader sees it printed: number, title, recipients, body, signature and date."""
    lines: list[str] = []
    if doc.doc_number_printed or doc.doc_number:
        lines.append(doc.doc_number_printed or doc.doc_number or "")
    lines.append(doc.title)
    if doc.recipients:
        lines.append(doc.recipients + ("" if doc.recipients.endswith("：") else "："))
    lines.extend(block_as_text(block) for block in doc.body)
    lines.extend(doc.signature)
    if doc.date_written_printed or doc.date_written:
        lines.append(doc.date_written_printed or doc.date_written or "")
    return "\n".join(lines) + "\n"



def documents_table(docs: list[Document]) -> Table:
    """A terminal table of documents; 文号 (the id when there is none) and dates never wrap, titles fold.

    Cells are `Text`, never strings Rich would read as markup: a title may hold `[/]`.
    """
    table = Table(box=None, pad_edge=False)
    for name in ("文号 / id", "成文日期", "发布日期"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="fold", min_width=20)
    for doc in docs:
        cells = (doc.doc_number or doc.id, doc.date_written or "—", doc.date_published or "—", doc.title)
        table.add_row(*(Text(cell) for cell in cells))
    return table
