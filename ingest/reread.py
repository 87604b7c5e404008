"""Stored body blocks read again as a document of their own (`gazette split`).

When a person says that a document holds a second one from a given block on, those blocks
are read by the same metadata step that ingest uses (`ingest.metadata.build_document`),
so the new document's fields carry confidences and its doubtful ones go to review like
any ingested document's. A stored block keeps its text and the boxes of its lines, not
their font sizes or alignment: the blocks are read as text, as a saved web page is read
(文号 on a line of its own, a title that ends with its document type, the date and the
signature above it), each on the page its first box names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gazette.model import Block, Document, Provenance, Source
from ingest.layout import Paragraph
from ingest.metadata import Evidence, build_document


def paragraphs_from_blocks(blocks: Sequence[Block], first_page: int) -> list[Paragraph]:
    """One paragraph per block (per row of a table, its cells tab-separated, as layout gives
    them): on the page of its first box, else on the page of the block before it."""
    paras: list[Paragraph] = []
    page = first_page
    for block in blocks:
        page = block.origin[0].page if block.origin else page
        rows = block.text.split("\n") if block.kind == "table" else [block.text]
        for k, row in enumerate(rows):
            if row.strip():
                paras.append(Paragraph(row, page, boxes=block.origin if k == 0 else ()))
    return paras


def document_from_blocks(
    blocks: Sequence[Block], part_of: Document, provenance: Provenance | None, first_page: int
) -> Document:
    """The document ``blocks`` print (from ``first_page`` on, where a block names no page), read
    as ingest reads one, with what it shares with the document it was part of: the source, the
    gazette issue and the issue's date."""
    evidence = Evidence(
        source=part_of.source or Source(),
        gazette=part_of.gazette,
        issue_date=part_of.date_published if part_of.gazette is not None else None,
        provenance=provenance,
    )
    return replace(build_document(paragraphs_from_blocks(blocks, first_page), evidence), source=part_of.source)
