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
from gazette.exceptions import ExitCode, GazetteError, NotImplementedYetError
from gazette.model import document_to_json
from gazette.textview import document_as_text

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
    table = Table("id", "文号", "成文日期", "发布日期", "title", box=None, pad_edge=False)
    for doc in docs:
        table.add_row(doc.id, doc.doc_number or "—", doc.date_written or "—", doc.date_published or "—", doc.title)
    out.print(table)
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
    """Run the whole flow on the bundled samples/: load them into a fresh archive, list them and show one."""
    from gazette.demo import run_demo

    run_demo(out_dir, out)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (PDF, TIFF, JPEG, PNG, saved pages).")],
    archive: ArchiveOption = None,
    engine: Annotated[str, typer.Option(help="OCR engine: rapidocr, paddle or tesseract.")] = "rapidocr",
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (default: all cores).")] = None,
) -> None:
    """Ingest scans and born-digital gazettes into the archive."""
    _not_built("ingest", 3)


@app.command()
def index(
    archive: ArchiveOption = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the index from the archive's XML.")] = False,
    backend: Annotated[str, typer.Option(help="whoosh or tantivy.")] = "whoosh",
) -> None:
    """Build or update the search index."""
    _not_built("the search index", 5)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words, \"quoted phrases\", -excluded, OR, field:value filters.")],
    archive: ArchiveOption = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only documents of this issuer.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this type (通知, 意见, …).")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="成文日期 on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="成文日期 on or before.")] = None,
    limit: Annotated[int, typer.Option(help="Hits per page.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Search the archive in full text, by 文号, issuer, type and date."""
    _not_built("search", 5)


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
    _not_built("the review queue", 3)


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
