from pathlib import Path

import pytest

from ingest.layout import Paragraph, page_paragraphs
from ingest.pipeline import FileTask, process_file
from ingest.split import read_contents, read_cover, split_issue
from ingest.textlayer import read_pdf
from samples.corpus import load_records
from samples.truth import cer
from tests.ingest.issue_pdf import Truth, build_issue


def _check(path: Path, truths: list[Truth]) -> None:
    result = process_file(FileTask(path.name, path, "sha", "pdf"))
    assert result.problems == ()
    assert [d.doc_number for d in result.documents] == [t.doc_number for t in truths]
    for truth, doc in zip(truths, result.documents):
        assert (doc.title, doc.issuer, doc.date_written) == (truth.title, (truth.issuer,), truth.date_written)
        assert cer(truth.body, doc.text) < 0.005, doc.id
        assert doc.gazette is not None and (doc.gazette.year, doc.gazette.issue) == (2019, 5)


def test_small_issue_is_split_into_its_documents(small_issue: tuple[Path, list[Truth]]) -> None:
    _check(*small_issue)


@pytest.mark.slow
def test_every_corpus_document_is_recovered_from_issues(tmp_path: Path) -> None:
    records = load_records()
    for name, part in (("a.pdf", records[:10]), ("b.pdf", records[10:])):
        truths = build_issue(part, tmp_path / name)
        _check(tmp_path / name, truths)


def test_cover_and_contents_are_read(small_issue: tuple[Path, list[Truth]]) -> None:
    path, truths = small_issue
    flow = page_paragraphs([p for p in read_pdf(path, "sha")])
    cover = read_cover(flow.paragraphs)
    assert cover is not None
    assert (cover.name, cover.year, cover.number, cover.total, cover.date) == (
        "中华人民共和国国务院公报", 2019, 5, 1650, "2019-02-20")
    entries, _ = read_contents(flow.paragraphs)
    assert [e.doc_number for e in entries] == [t.doc_number for t in truths]
    assert entries[0].page == 1 and entries[0].section == "国务院文件"
    split = split_issue(flow)
    assert [piece.entry for piece in split.documents] == list(entries)


def test_a_file_without_numbered_titles_is_one_document() -> None:
    from ingest.layout import Flow

    flow = Flow((Paragraph("一些文字。", 1), Paragraph("另一些文字。", 2)), {})
    assert len(split_issue(flow).documents) == 1
