"""Rebuild the bundled sample XML from ``../shared/corpus``: ``python -m samples.build``.

The samples are real documents: the Guangdong notice saved from its government page
(read by `ingest.webpage`, the same path `gazette ingest` takes) and State Council
documents from ``documents.jsonl``, gathered into one sample issue.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from gazette import akn
from gazette.fsutil import atomic_write, sha256_file
from gazette.model import Document, GazetteRef, Issue, IssueEntry
from samples.corpus import corpus_file, iter_corpus_documents

HERE = Path(__file__).resolve().parent
# Documents of documents.jsonl in the sample issue: short ones of several types and decades.
SAMPLE_IDS = ("国发〔2019〕3号", "国办函〔2004〕57号", "国办函〔1996〕14号", "国函〔2018〕145号", "国办发〔2018〕109号")
SAMPLE_ISSUE = GazetteRef(name="政府公报样刊", year=2019, issue=1, total=1)


def ingest_without_archive(path: Path) -> list[Document]:
    """Documents from one input file by the same pipeline `gazette ingest` runs, without storing anything."""
    from ingest.intake import identify
    from ingest.pipeline import FileTask, process_file

    found = identify(path)
    result = process_file(FileTask(path.name, path, sha256_file(path), found.kind))
    return list(result.documents)


def sample_documents() -> list[Document]:
    [guangdong] = ingest_without_archive(corpus_file("000_20060089da20eb48.txt"))
    chosen = [doc for doc in iter_corpus_documents() if doc.id in SAMPLE_IDS]
    return [dataclasses.replace(doc, gazette=SAMPLE_ISSUE) for doc in [guangdong, *chosen]]


def sample_issue(docs: list[Document]) -> Issue:
    return Issue(
        id="政府公报样刊-2019-1",
        name=SAMPLE_ISSUE.name,
        year=2019,
        number=1,
        total_number=1,
        date="2019-01-31",
        jurisdiction="cn",
        publisher="gazette samples",
        entries=tuple(IssueEntry(doc.id, doc.title, doc.doc_number) for doc in docs),
    )


def main() -> None:
    docs = sample_documents()
    for doc in docs:
        atomic_write(HERE / "documents" / f"{doc.id}.xml", akn.document_to_xml(doc))
    issue = sample_issue(docs)
    atomic_write(HERE / "issues" / f"{issue.id}.xml", akn.issue_to_xml(issue))
    print(f"wrote {len(docs)} documents and 1 issue under {HERE}")


if __name__ == "__main__":
    main()
