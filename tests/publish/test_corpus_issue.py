"""An issue of the 20 corpus documents: the page measured, and read back by `gazette ingest`'s pipeline."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from pathlib import Path

import pytest

from gazette.dates import parse_date
from publish import geometry as g
from publish.fonts import FontSet
from publish.issue_pdf import IssueData, issue_layout
from publish.linebreak import NO_END, NO_START
from publish.pdfa import Metadata, make_pdfa
from publish.pdfa_check import problems
from publish.render import render
from publish.typeset import Setter
from samples.corpus import iter_corpus_documents
from samples.truth import cer
from tests.publish.measure import MM, lines

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_issue(tmp_path_factory: pytest.TempPathFactory, fonts: FontSet) -> tuple[Path, list]:
    docs = tuple(iter_corpus_documents())
    issue = IssueData(
        "国务院公报",
        2019,
        5,
        "2019-02-20",
        "国务院办公厅",
        1650,
        (("国务院文件", docs[:10]), ("国务院办公厅文件", docs[10:])),
    )
    pages, _ = issue_layout(issue, Setter(fonts))
    path = tmp_path_factory.mktemp("corpus") / "issue.pdf"
    path.write_bytes(make_pdfa(render(pages, fonts.name("fangsong")), Metadata("国务院公报 2019年第5期")))
    return path, list(docs)


def test_the_page_of_the_corpus_issue(corpus_issue: tuple[Path, list]) -> None:
    path, _ = corpus_issue
    assert problems(path.read_bytes()) == []
    found = lines(path)
    body = [line for line in found if line.page > 2]
    assert min(line.x0 for line in body) == pytest.approx(28 * MM, abs=0.5 * MM)
    assert max(line.x1 for line in body) <= 184 * MM + 0.5
    per_page = Counter(line.page for line in body)
    assert max(per_page.values()) == 22
    tops = {line.page: line.baseline for line in reversed(body)}
    first_baseline = g.TOP + g.baseline_offset(16)
    assert Counter(round(base - first_baseline, 1) for base in tops.values()).most_common(1)[0][0] == 0.0
    for before, after in itertools.pairwise(found):
        if before.page == after.page and after.x0 < 30 * MM:
            assert after.text[0] not in NO_START and before.text[-1] not in NO_END


def test_ingest_reads_every_document_back(corpus_issue: tuple[Path, list]) -> None:
    from ingest.pipeline import FileTask, process_file

    path, docs = corpus_issue
    result = process_file(FileTask(path.name, path, hashlib.sha256(path.read_bytes()).hexdigest(), "pdf"))
    truth = {doc.id: doc for doc in docs}
    assert sorted(doc.id for doc in result.documents) == sorted(truth)
    for got in result.documents:
        want = truth[got.id]
        assert (got.doc_number, got.title, got.issuer) == (want.doc_number, want.title, want.issuer)
        assert want.date_written_printed, got.id  # every corpus document closes with its date
        # The printed date is the truth (one record's metadata differs from its page).
        assert got.date_written == parse_date(want.date_written_printed).iso, got.id
        assert cer(want.text, got.text) <= 0.001, (got.id, cer(want.text, got.text))
