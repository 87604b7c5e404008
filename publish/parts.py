"""A `Document`'s body taken apart into the parts GB/T 9704-2012 places differently.

The model keeps one body (`Document.body`) in reading order, as ingest and Word intake
write it; the signature and 成文日期 are apart (`Document.signature`, ``date_written``).
What comes after the date is found by the conventions both sides share
(`gazette.structure`, ``ingest.metadata``):

- 附件说明 (§7.3.3): ``附件：名称`` blocks before the date, with the ``2. 名称`` items after
  the first;
- the first bare ``附件`` / ``附件2`` label, short bracketed note or attachment title starts
  what follows the date: notes such as ``（此件公开发布）`` are 附注 (§7.3.6); an attachment
  (§7.3.7/§8) is its label, its title (the next block) and its content, up to the next
  label; what a notice prints or forwards (印发, 转发) has no label: an ``attachment``
  block that is no 附件 line is its title, and starts it;
- 版记 (§7.4) notes: ``抄送：…`` and the line ending in ``印发`` (印发机关和印发日期).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazette.model import Block, Document
from gazette.structure import is_bracketed_note

_LABEL = re.compile(r"^附件[0-9０-９]*[：:]?$")
_ATTACHMENT_NOTE = re.compile(r"^附件[：:]")
_ITEM = re.compile(r"^[0-9０-９]+[.．]")
_COPY_TO = re.compile(r"^抄送[：:]\s*")
_PRINTED = re.compile(r"印发$")


@dataclass(frozen=True)
class Attachment:
    label: str | None  # None: a document printed or forwarded by the notice, under its own title
    title: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Parts:
    main: tuple[Block, ...]
    attachment_notes: tuple[str, ...] = ()
    closing_notes: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    copy_to: str | None = None
    printed_by: str | None = None


def is_record_note(block: Block) -> bool:
    """A 版记 line kept as a note: 抄送 or 印发机关和印发日期."""
    return block.kind == "note" and bool(_COPY_TO.match(block.text) or _PRINTED.search(block.text))


def split_parts(doc: Document) -> Parts:
    body = list(doc.body)
    after = next((i for i, block in enumerate(body) if _starts_closing(block)), len(body))
    main: list[Block] = []
    notes: list[str] = []
    for block in body[:after]:
        if block.kind == "attachment" and _ATTACHMENT_NOTE.match(block.text) or notes and _ITEM.match(block.text):
            notes.append(block.text)
        else:
            main.append(block)
    closing: list[str] = []
    attachments: list[Attachment] = []
    copy_to = printed = None
    current: list[Block] | None = None
    label = title = None
    for block in body[after:]:
        if is_record_note(block):
            if _COPY_TO.match(block.text):
                copy_to = _COPY_TO.sub("", block.text)
            else:
                printed = block.text
        elif block.kind == "attachment" and _LABEL.match(block.text):
            if current is not None:
                attachments.append(Attachment(label, title, tuple(current)))
            label, title, current = block.text, None, []
        elif current is not None and label is not None and title is None and not current:
            title = block.text
        elif _is_own_title(block):
            if current is not None:
                attachments.append(Attachment(label, title, tuple(current)))
            label, title, current = None, block.text, []
        elif current is None:
            closing.append(block.text)  # 附注, and anything else set after the date
        else:
            current.append(block)
    if current is not None:
        attachments.append(Attachment(label, title, tuple(current)))
    return Parts(tuple(main), tuple(notes), tuple(closing), tuple(attachments), copy_to, printed)


def _is_own_title(block: Block) -> bool:
    """An attachment's title standing without a label: an attachment block that is no 附件
    line nor a 附件说明's further item (``2. 名称``)."""
    return block.kind == "attachment" and not block.text.startswith("附件") and not _ITEM.match(block.text)


def _starts_closing(block: Block) -> bool:
    if block.kind == "attachment" and (_LABEL.match(block.text) or _is_own_title(block)):
        return True
    return block.kind == "note" and (is_bracketed_note(block.text) or is_record_note(block))
