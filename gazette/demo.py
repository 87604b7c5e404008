"""`gazette demo`: the whole flow on the bundled samples, end to end, into a fresh archive.

1. load the sample documents (Akoma Ntoso) and the sample issue;
2. ingest the bundled inputs: a born-digital red-header PDF, a page saved from a
   government site, and a scan of one sample document (bilevel G4 TIFF: header and
   seal as black as the text), read by OCR and compared with the sample;
3. list the archive and show one ingested document;
4. index it and search: a Chinese phrase, and a 文号 typed the way sources print it;
5. print the review queue and check the archive's fixity;
6. publish the sample issue, with a Word draft (``samples/drafts``) beside the samples, as
   GB/T 9704 standard texts and the issue PDF (PDF/A-2b), signed with a self-signed key
   made as `gazette keys create` makes one, and verify every PDF against that key.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from gazette import akn
from gazette.archive import Archive
from gazette.exceptions import BadInputError
from gazette.fsutil import atomic_write
from gazette.model import Issue
from gazette.textview import ProgressBar, document_as_text, documents_table, summary_table

if TYPE_CHECKING:
    from ingest.batch import BatchReport

#: Marks an archive the demo made, which a later demo may replace.
DEMO_MARK = Path(".gazette") / "demo"
DEMO_QUERIES = ('"阳光政务"', "发改办财金规[2019]860 号", "纳税信用 年份:2019")
_SHOWN_CHARS = 600


def sample_path(*parts: str) -> Path:
    return Path(str(resources.files("samples").joinpath(*parts)))


def sample_xml_files(kind: str) -> list[Path]:
    """The bundled sample XML files of one kind: ``documents`` or ``issues``."""
    return sorted(sample_path(kind).glob("*.xml"))


def load_samples(archive: Archive) -> tuple[int, int]:
    """Store every sample document and issue in ``archive``; returns (documents, issues)."""
    documents = sample_xml_files("documents")
    issues = sample_xml_files("issues")
    for path in documents:
        archive.put_document(akn.document_from_xml(path.read_bytes(), path=str(path)))
    for path in issues:
        archive.put_issue(akn.issue_from_xml(path.read_bytes(), path=str(path)))
    archive.flush()
    return len(documents), len(issues)


SCANNED_SAMPLE = "国办函〔1996〕14号"
DRAFT_ISSUER = "广东省人民政府办公厅"  # the issuer of the Word draft in samples/drafts


def compare_scan(report: BatchReport, archive: Archive, console: Console) -> None:
    """The bundled scan of a sample (300 dpi bilevel G4: its header and seal told by shape,
    not colour), read by OCR, compared field by field with the sample it was printed from."""
    from samples.truth import cer

    path = sample_path("documents", f"{SCANNED_SAMPLE}.xml")
    truth = akn.document_from_xml(path.read_bytes(), path=str(path))
    scans = [outcome for outcome in report.files if outcome.ocr_pages]
    for doc_id in (doc for outcome in scans for doc in outcome.documents):
        got = archive.get_document(doc_id)
        same = [
            name
            for name in ("doc_number", "title", "issuer", "date_written")
            if getattr(got, name) == getattr(truth, name)
        ]
        console.print(
            f"read by {got.provenance.engine if got.provenance else '?'}: {got.doc_number}  {got.title}  "
            f"{got.date_written}; fields as printed: {', '.join(same)}; "
            f"body CER {100 * cer(truth.text, got.text):.2f}%",
            markup=False,
        )


def clear_demo_archive(root: Path) -> None:
    """Remove an archive an earlier demo made at ``root``; refuse anything else that is there."""
    if not root.exists() or (root.is_dir() and not any(root.iterdir())):
        return
    if not (root / DEMO_MARK).is_file():
        raise BadInputError(
            "exists and is not an archive `gazette demo` made; the demo deletes nothing it did not write:"
            " choose another --out, or move that folder away",
            path=str(root),
        )
    shutil.rmtree(root)


def run_demo(out_dir: Path, console: Console) -> Archive:
    """Run every step into ``out_dir/archive`` (made anew: an archive an earlier demo made is
    replaced, anything else there is refused) and print what each step did."""
    from gazette.search import Filters, rebuild_index, search
    from gazette.search.render import result_view
    from ingest.batch import run_batch

    root = out_dir / "archive"
    clear_demo_archive(root)
    archive = Archive.create(root)
    atomic_write(root / DEMO_MARK, b"made by `gazette demo`; a later demo replaces this archive\n")

    console.rule("[bold]1. Load the sample documents into a fresh archive")
    documents, issues = load_samples(archive)
    console.print(f"stored {documents} documents and {issues} issue in {root}")

    console.rule("[bold]2. Ingest the bundled inputs (born-digital PDF, saved government page, a scan by OCR)")
    with ProgressBar(console) as bar:
        report = run_batch([sample_path("inputs")], archive, on_progress=bar)
    console.print(summary_table(report))
    compare_scan(report, archive, console)

    console.rule("[bold]3. List the archive, show one ingested document")
    docs = list(archive.documents())
    console.print(documents_table(docs))
    ingested = archive.get_document(next(o for o in report.files if o.file.endswith(".pdf")).documents[0])
    console.print(f"\n[bold]{ingested.id}[/]  issuers: {'、'.join(ingested.issuer)}  type: {ingested.doc_type}")
    text = document_as_text(ingested)
    console.print(text[:_SHOWN_CHARS] + ("…" if len(text) > _SHOWN_CHARS else ""), markup=False)

    console.rule("[bold]4. Index and search")
    console.print(f"indexed {rebuild_index(archive)} documents")
    for query in DEMO_QUERIES:
        console.print(f"\n[bold]gazette search {query!r}")
        console.print(result_view(search(archive, query, Filters(), limit=3), 1, 3))

    console.rule("[bold]5. Review queue and fixity")
    # The scan reprints a loaded sample: its text agrees, so it is kept as a second reading of it.
    console.print(f"{len(report.review)} fields need a person's check (gazette review --archive {root})")
    problems = archive.verify()
    console.print("ok: every file matches its SHA-256 and every XML validates" if not problems else problems)

    console.rule("[bold]6. Publish the sample issue, signed, and verify it")
    publish_samples(archive, out_dir, console)
    console.print(f"\nArchive: {root}   (try: gazette list --archive {root})")
    console.print(
        f"Serve it to citizens: gazette serve --archive {root}   (then open http://127.0.0.1:8000/)", markup=False
    )
    return archive


def issue_toml(issue: Issue, sections: dict[str, list[str]]) -> str:
    """The ISSUE.toml of ``issue`` with its documents in ``sections`` (title → entries)."""

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string

    lines = ["[issue]", f"gazette = {quoted(issue.name)}", f"year = {issue.year}", f"number = {issue.number}"]
    lines += [f"total = {issue.total_number}"] if issue.total_number else []
    lines += [f"date = {issue.date}", f"publisher = {quoted(issue.publisher)}"]
    for title, entries in sections.items():
        lines += [
            "",
            "[[sections]]",
            f"title = {quoted(title)}",
            f"documents = [{', '.join(quoted(entry) for entry in entries)}]",
        ]
    return "\n".join(lines) + "\n"


def publish_samples(archive: Archive, out_dir: Path, console: Console) -> Path:
    """Publish the sample issue and a Word draft into ``out_dir/published``, signed with a key
    made in ``out_dir/keys``; verify each PDF against it. Returns the published folder."""
    from publish.run import SignOptions, publish_issue
    from publish.signing import create_signer, verify_pdf

    [issue_path] = sample_xml_files("issues")
    issue = akn.issue_from_xml(issue_path.read_bytes(), path=str(issue_path))
    draft = next(iter(sorted(sample_path("drafts").glob("*.docx"))))
    atomic_write(out_dir / "drafts" / draft.name, draft.read_bytes())
    # Sections by issuing body, as gazettes print them (国务院文件, 国务院办公厅文件 …).
    sections: dict[str, list[str]] = {}
    for entry in issue.entries:
        doc = archive.get_document(entry.document_id)
        sections.setdefault(f"{doc.issuer[0] if doc.issuer else '其他'}文件", []).append(doc.id)
    sections.setdefault(f"{DRAFT_ISSUER}文件", []).append(f"drafts/{draft.name}")
    manifest = out_dir / "issue.toml"
    atomic_write(manifest, issue_toml(issue, sections).encode("utf-8"))
    p12, pem = create_signer(out_dir / "keys", issue.publisher or issue.name)
    console.print(f"signer (self-signed, as `gazette keys create` makes one): {p12}", markup=False)
    published = out_dir / "published"
    result = publish_issue(manifest, published, archive, sign=SignOptions(p12))
    documents = sorted(name for name in result.files if name.startswith("documents/"))
    console.print(
        f"{result.issue.name} {result.issue.year}年第{result.issue.number}期 from {manifest}: "
        f"{len(documents)} documents ({', '.join(result.new_documents)} from Word), signed",
        markup=False,
    )
    if result.font_note:
        console.print(f"note: {result.font_note}", markup=False)
    anchors = [pem.read_bytes()]
    verdicts = [verify_pdf((published / name).read_bytes(), name, anchors) for name in ["issue.pdf", *documents]]
    bad = [f"{v.path}: {'; '.join(v.problems)}" for v in verdicts if not v.ok]
    if bad:
        console.print("\n".join(bad), markup=False)
    else:
        console.print(
            f"verified {len(verdicts)} PDFs as `gazette verify --trust {pem}` does: signed by "
            f"{verdicts[0].signer}; each signature covers its whole file, nothing changed after signing, "
            "signer trusted",
            markup=False,
        )
    console.print(
        f"issue:     {published / 'issue.pdf'}\n"
        f"documents: {published / 'documents'}/ ({len(documents)} standard texts)\n"
        f"checksums: {published / 'SHA256SUMS'}",
        markup=False,
    )
    return published
