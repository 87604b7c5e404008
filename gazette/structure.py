"""Rules for the parts of an official document's body: heading levels, attachments, tables.

GB/T 9704-2012 numbers headings 一、 （一） 1. （1）; 附件 notes name attachments;
these are rules of the documents themselves, so both ingest and the samples use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gazette.model import Block, Box

_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^[0-9０-９]+[.．、](?![0-9０-９])")),
    (4, re.compile(r"^[（(][0-9０-９]+[）)]")),
)
_ARTICLE = re.compile(rf"^第[{_CN_NUM}]+[条章节]")
_ATTACHMENT = re.compile(r"^附件[0-9０-９]*[：:]?")
# An attachment's label on a line of its own (附件, 附件2：), printed above the attachment after the date.
_ATTACHMENT_LABEL = re.compile(r"^附件[0-9０-９]*[：:]?$")
# 附注 (§7.3.6): a short bracketed line set after the date, such as （此件公开发布） or a contact line.
_NOTE = re.compile(r"^[（(].{1,30}[）)]$")
# A heading stands alone: short, and no sentence inside it ends before its last character.
_MAX_HEADING_CHARS = 40
_SENTENCE_END = "。！？；"
# A line ending with one of these ends its paragraph; any other is continued by the next line.
PARAGRAPH_END = "。！？：；…”」』）)"


def heading_level(text: str) -> int:
    """1–4 for a line numbered 一、 （一） 1. （1）, else 0."""
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def is_standalone_heading(text: str) -> bool:
    """A numbered line that is a heading on its own, not a paragraph that starts with a run-in heading."""
    if not heading_level(text) and not _ARTICLE.match(text):
        return False
    inner = text.rstrip(_SENTENCE_END)
    return len(text) <= _MAX_HEADING_CHARS and not any(mark in inner for mark in _SENTENCE_END)


def is_attachment_note(text: str) -> bool:
    return bool(_ATTACHMENT.match(text))


def is_attachment_label(text: str) -> bool:
    """附件 or 附件2： alone: the label over an attachment, not the 附件说明 that lists it in the text."""
    return bool(_ATTACHMENT_LABEL.match(text))


def is_bracketed_note(text: str) -> bool:
    """A 附注 as printed after the date: （此件公开发布）, （联系人：…）."""
    return bool(_NOTE.match(text))


def block_from_line(text: str, origin: tuple[Box, ...] = ()) -> Block:
    """Classify one paragraph of text: heading with its level, attachment note, or paragraph."""
    if is_attachment_note(text):
        return Block("attachment", text, origin=origin)
    if is_standalone_heading(text):
        return Block("heading", text, level=heading_level(text) or 1, origin=origin)
    return Block("paragraph", text, origin=origin)


def table_block(rows: Iterable[Iterable[str]], origin: tuple[Box, ...] = ()) -> Block:
    cells = tuple(tuple(cell.strip() for cell in row) for row in rows)
    return Block("table", "\n".join("\t".join(row) for row in cells), rows=cells, origin=origin)


def blocks_from_paragraphs(paragraphs: Iterable[str]) -> tuple[Block, ...]:
    """Blocks from paragraphs of text; consecutive tab-separated lines form one table."""
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    for paragraph in paragraphs:
        if "\t" in paragraph:
            table_rows.append(paragraph.split("\t"))
            continue
        if table_rows:
            blocks.append(table_block(table_rows))
            table_rows = []
        blocks.append(block_from_line(paragraph))
    if table_rows:
        blocks.append(table_block(table_rows))
    return tuple(blocks)


def join_broken_paragraphs(lines: Iterable[str]) -> list[str]:
    """Join lines that a line or page break split: a line that does not end a sentence continues.

    A numbered heading or attachment note always starts a new paragraph.
    """
    paragraphs: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        starts_new = heading_level(line) or _ARTICLE.match(line) or is_attachment_note(line) or "\t" in line
        previous = paragraphs[-1] if paragraphs else ""
        continues = previous and not previous.endswith(tuple(PARAGRAPH_END))
        if continues and not starts_new and "\t" not in previous and not is_standalone_heading(previous):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs
