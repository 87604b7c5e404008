"""The `gazette` command: the front door to ingest, archive, search and publish.

Only this module turns `GazetteError`s into exit codes and one-line messages.
`ingest` and `publish` are imported lazily, inside the commands that need them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import click
import typer
from rich.console import Console
from rich.table import Table

from gazette.archive import Archive, resolve_archive_path
from gazette.exceptions import BadInputError, ExitCode, GazetteError, NotImplementedYetError
from gazette.model import document_to_json
from gazette.textview import document_as_text, documents_table

app = typer.Typer(
    name="gazette",
    help="Digitise, search and publish government gazettes (政府公报) as Akoma Ntoso XML.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ArchiveOption = Annotated[
    Optional[Path],
    typer.Option(
        "--archive",
        envvar="GAZETTE_ARCHIVE",
        help="Archive folder (else $GAZETTE_ARCHIVE, else ./gazette-archive).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"gazette {version('gazette')}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Digitise, search and publish government gazettes (政府公报) as Akoma Ntoso XML."""


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _not_built(what: str, issue: int) -> NoReturn:
    raise NotImplementedYetError(f"{what} is not built yet (tracked in issue #{issue})")


def _open_archive(archive: Path | None) -> Archive:
    return Archive.open_existing(resolve_archive_path(archive))


@app.command("list")
def list_documents(archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """List the archive's documents, one per line: id, 文号, 成文日期, title."""
    docs = list(_open_archive(archive).documents())
    if as_json:
        _print_json([document_to_json(doc) for doc in docs])
        return
    out.print(documents_table(docs))
    out.print(f"{len(docs)} documents")


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="ID", help="Document id, or its 文号 in any printed form.")],
    archive: ArchiveOption = None,
    as_xml: Annotated[bool, typer.Option("--xml", help="The stored Akoma Ntoso XML.")] = False,
    as_json: JsonOption = False,
    as_text: Annotated[bool, typer.Option("--text", help="The text as printed (the default).")] = False,
) -> None:
    """Show one document as text (default), JSON or its Akoma Ntoso XML."""
    if sum((as_xml, as_json, as_text)) > 1:
        raise click.UsageError("choose one of --xml, --json, --text")
    store = _open_archive(archive)
    doc = store.get_document(ref)
    if as_xml:
        sys.stdout.write(store.document_path(doc.id).read_text("utf-8"))
    elif as_json:
        _print_json(document_to_json(doc) | {"text": doc.text})
    else:
        sys.stdout.write(document_as_text(doc))


@app.command()
def verify(
    pdfs: Annotated[Optional[list[Path]], typer.Argument(metavar="[PDF]...", help="Signed PDFs to check.")] = None,
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check the archive's fixity (every file against its SHA-256, every XML against the schema), or PDFs' signatures."""
    if pdfs:
        _not_built("PDF signature verification", 7)
    store = _open_archive(archive)
    problems = store.verify()
    if as_json:
        _print_json({"ok": not problems, "problems": [vars(problem) for problem in problems]})
    else:
        for problem in problems:
            err.print(f"gazette verify: {store.root / problem.path}: {problem.kind}: {problem.detail}")
        if not problems:
            out.print(f"{store.root}: ok, {len(store.manifest())} files match the manifest")
    if problems:
        raise typer.Exit(ExitCode.damaged)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where the demo writes its archive.")] = Path("demo-out"),
) -> None:
    """Run the whole flow on the bundled samples/: load, ingest (PDF, saved page, OCR of a scan), list, search, verify."""
    from gazette.demo import run_demo

    run_demo(out_dir, out)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (PDF, TIFF, JPEG, PNG, saved pages).")],
    archive: ArchiveOption = None,
    engine: Annotated[
        str,
        typer.Option(
            help="OCR engine: rapidocr, paddle or tesseract, with options as ENGINE:KEY=VALUE,... "
            "(rapidocr: runtime=openvino|onnxruntime, models=v6-small|v4-mobile)."
        ),
    ] = "rapidocr",
    workers: Annotated[Optional[int], typer.Option(help="OCR worker processes (default: all cores).")] = None,
    scheduler: Annotated[
        Optional[str], typer.Option(help="Dask scheduler ADDRESS (tcp://host:8786): OCR pages run on that cluster.")
    ] = None,
    include: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="GLOB",
            help="Take only files matching GLOB (repeatable): matched, ignoring case, against a file's path "
            "relative to the folder named and against its name; * also matches /.",
        ),
    ] = None,
    exclude: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="GLOB", help="Leave out files, and whole folders, matching GLOB (repeatable; matched as --include)."
        ),
    ] = None,
) -> None:
    """Ingest scans and born-digital gazettes into the archive; a killed run started again resumes."""
    from gazette.search import index_documents
    from ingest.batch import run_batch, summary_table
    from ingest.pipeline import IngestConfig

    store = Archive.create(resolve_archive_path(archive))
    report = run_batch(
        paths, store, IngestConfig(engine=engine), console=err,
        on_documents=lambda docs: index_documents(store, docs),
        workers=workers or 0, scheduler=scheduler, include=include or (), exclude=exclude or (),
    )
    for outcome in report.files:
        if outcome.status == "failed":
            err.print(f"failed: {outcome.reason}", markup=False)
        for note in outcome.notes:
            err.print(f"note: {outcome.file}: {note}", markup=False)
    out.print(summary_table(report))
    if report.failed and len(report.failed) == len(report.files):
        raise BadInputError(f"no file could be ingested ({len(report.failed)} failed); see the report above")


@app.command()
def index(
    archive: ArchiveOption = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the index from the archive's XML.")] = False,
    backend: Annotated[str, typer.Option(help="whoosh or tantivy.")] = "whoosh",
    as_json: JsonOption = False,
) -> None:
    """Update the search index (in ARCHIVE/index/BACKEND) incrementally: only documents whose XML is new, changed or gone; --rebuild starts it afresh from the XML."""
    from gazette.search import rebuild_index, update_index
    from gazette.search.service import IndexReport

    store = _open_archive(archive)
    report = IndexReport(backend, rebuild_index(store, backend), 0, True) if rebuild else update_index(store, backend)
    if as_json:
        _print_json(vars(report))
    else:
        done = "rebuilt" if report.rebuilt else "updated"
        out.print(f"{backend} index {done}: {report.indexed} documents indexed, {report.removed} removed")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words, \"quoted phrases\", -excluded, OR, field:value filters.")],
    archive: ArchiveOption = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only documents of this issuer.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this type (通知, 意见, …).")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="成文日期 on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="成文日期 on or before.")] = None,
    limit: Annotated[int, typer.Option(help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(help="Page of hits (from 1).")] = 1,
    sort: Annotated[str, typer.Option(help="relevance, date (oldest first) or -date (newest first).")] = "relevance",
    backend: Annotated[str, typer.Option(help="whoosh or tantivy.")] = "whoosh",
    as_json: JsonOption = False,
) -> None:
    """Search the archive in full text, by 文号, issuer, type and date.

    QUERY language (see docs/search.md):

      综合保税区  —  a Chinese string: documents holding it contiguously first, then those holding all its parts

      "阳光政务"  —  a quoted phrase: exactly that string ("…" or “…”)

      covid 19  —  Latin letters and digits match whole words; several terms must all match

      -通报  -"试点方案"  —  exclude;   扶贫 OR 脱贫  —  either

      粤办函〔2016〕629号  —  a 文号 in any printed form (粤办函[2016]629号, 粤办函 2016 629): that document first

      文号:/docno:  机关:/issuer:  类型:/type:  年份:/year:2016..2018  日期:/date:2016-01..2016-12  —  filters

    Traditional and simplified characters, full- and half-width forms fold together; punctuation and spaces are ignored inside a string.
    """
    from gazette.search import Filters
    from gazette.search import search as run_search
    from gazette.search.render import parse_sort, result_view

    filters = Filters(issuer=issuer, doc_type=doc_type, date_from=date_from, date_to=date_to)
    store = _open_archive(archive)
    result = run_search(store, query, filters, backend=backend, sort=parse_sort(sort), page=page, limit=limit)
    if as_json:
        _print_json(result.to_json())
    else:
        out.print(result_view(result, page, limit))


@app.command()
def publish(
    source: Annotated[Path, typer.Argument(help="Issue source: a folder or issue file.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")],
    sign: Annotated[Optional[Path], typer.Option(help="Private key to sign with.")] = None,
    cert: Annotated[Optional[Path], typer.Option(help="Certificate for the key.")] = None,
) -> None:
    """Publish an issue: GB/T 9704 PDFs (PDF/A, signed) and an HTML edition with feeds."""
    _not_built("publish", 6)


@app.command()
def serve(
    archive: ArchiveOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the search portal."""
    _not_built("the web portal", 8)


@app.command()
def review(
    archive: ArchiveOption = None,
    html: Annotated[Optional[Path], typer.Option(help="Write a page per item into this folder.")] = None,
) -> None:
    """Print the review queue: documents with fields a person should check."""
    from ingest.review import review_queue, write_review_html

    store = _open_archive(archive)
    items = review_queue(store)
    if html is not None:
        index = write_review_html(store, html)
        out.print(f"{len(items)} items written to {index}")
        return
    table = Table("document", "field", "value", "why", box=None, pad_edge=False)
    for item in items:
        table.add_row(item.document, item.field, item.value or "—", item.why)
    out.print(table)
    out.print(f"{len(items)} fields need review")


def run(argv: list[str]) -> int:
    """Run the command line and return its exit code; errors become one line on stderr."""
    command = typer.main.get_command(app)
    try:
        # Outside standalone mode click returns a command's `typer.Exit` code instead of raising it.
        result = command.main(args=argv, prog_name="gazette", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        err.print("gazette: aborted")
        return ExitCode.failure
    except GazetteError as error:
        err.print(f"gazette: error: {error}", markup=False)
        return error.exit_code
    return result if isinstance(result, int) else ExitCode.ok


def main() -> NoReturn:
    sys.exit(run(sys.argv[1:]))
