"""`gazette site` on an archive of the 20 corpus documents, printed in one issue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.model import GazetteRef, Issue, IssueEntry
from gazette.web.site import build_site
from samples.corpus import iter_corpus_documents
from tests.gazette.web import checks

GAZETTE = GazetteRef(name="国务院公报", year=2019, issue=5, total=1650)


def corpus_archive(root: Path) -> Archive:
    archive = Archive.create(root)
    docs = list(iter_corpus_documents(GAZETTE))
    for doc in docs:
        archive.put_document(doc)
    entries = tuple(
        IssueEntry(doc.id, doc.title, doc.doc_number, None, "国务院文件" if i < 10 else "国务院办公厅文件")
        for i, doc in enumerate(docs)
    )
    archive.put_issue(
        Issue(
            id="国务院公报-2019-5",
            name="国务院公报",
            year=2019,
            number=5,
            date="2019-02-20",
            total_number=1650,
            publisher="国务院办公厅",
            entries=entries,
        )
    )
    archive.flush()
    return archive


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    archive = corpus_archive(folder / "archive")
    build_site(archive, folder / "site", "https://www.gov.example/gazette/")
    return archive, folder / "site"


def test_the_corpus_site(corpus_site: tuple[Archive, Path], capsys: pytest.CaptureFixture[str]) -> None:
    archive, out = corpus_site
    docs = list(archive.documents())
    assert len(docs) == 20
    assert checks.check_pages(out) >= 20 + 1 + 1 + 1 + 1
    checks.check_document_pages(out, docs)
    assert all(doc.doc_number for doc in docs)  # so every JSON-LD carried its 文号
    checks.check_feeds(out, docs)
    assert len(checks.catalogue_rows(out)) == 20
    assert run(["list", "--json", "--archive", str(archive.root)]) == 0
    checks.check_open_data(out, json.loads(capsys.readouterr().out))
