"""The Word draft the demo publishes: committed, small, and read by Word intake as it was written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from publish.docx_intake import read_docx
from publish.parts import split_parts
from samples import drafts as d


def test_the_committed_draft_reads_as_its_builder_wrote_it() -> None:
    assert d.DRAFT.is_file() and d.DRAFT.stat().st_size < 100_000
    doc = read_docx(d.DRAFT)
    assert (doc.id, doc.title, doc.issuer, doc.issuer_mark) == (d.NUMBER, d.TITLE, (d.SIGNATURE,), d.MARK)
    assert (doc.date_written, doc.date_written_printed, doc.signer) == ("2019-01-18", d.DATE, None)
    assert [b.text for b in doc.body if b.kind == "heading"] == [
        f"{n}、{h}" for n, (h, _) in zip("一二三", d.SECTIONS, strict=False)
    ]
    parts = split_parts(doc)
    assert parts.attachment_notes == (d.ATTACHMENT_NOTE,) and parts.closing_notes == (d.NOTE,)
    assert [(a.label, a.title, a.blocks[0].rows) for a in parts.attachments] == [("附件", d.ATTACHMENT_TITLE, d.TABLE)]
    assert parts.copy_to == d.COPY_TO.removeprefix("抄送：")


def test_the_builder_writes_the_same_document(tmp_path: Path) -> None:
    """The same document, not the same bytes: a .docx is a ZIP that stamps the time it was written."""
    rebuilt = read_docx(d.write_draft(tmp_path / d.DRAFT.name))
    assert replace(rebuilt, source=None) == replace(read_docx(d.DRAFT), source=None)
