"""The `gazette` command: the front door to ingest, archive, search and publish.

Only this module turns errors into exit codes and one-line messages: click's usage
errors exit 2, `GazetteError`s with their own codes, and anything else (a bug) exits 1
with its traceback written to ``ARCHIVE/logs/``. `ingest` and `publish` are imported
lazily, inside the commands that need them.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import click
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperOption

from gazette.archive import Archive, resolve_archive_path
from gazette.errorlog import format_traceback, write_traceback
from gazette.exceptions import BadInputError, ExitCode, GazetteError, NotImplementedYetError
from gazette.model import document_to_json
from gazette.textview import document_as_text, documents_table

try:  # typer 0.2x and later drive a copy of click bundled as typer._click, older ones stock click
    from typer._click import exceptions as typer_click
except ImportError:
    from click import exceptions as typer_click

# Stock click's exceptions too: code may raise them, and typer before its bundled copy raises only those.
_CLICKS = {typer_click, click.exceptions}
_NO_ARGS = tuple(module.NoArgsIsHelpError for module in _CLICKS if hasattr(module, "NoArgsIsHelpError"))
_USAGE_ERRORS = tuple(module.UsageError for module in _CLICKS)
_CLICK_ERRORS = tuple(module.ClickException for module in _CLICKS)
_ABORTS = tuple({typer.Abort, click.exceptions.Abort})
_EXITS = tuple({typer.Exit, click.exceptions.Exit})

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
    debug: Annotated[
        bool, typer.Option("--debug", help="On an unexpected error, print its traceback on stderr too.")
    ] = False,
) -> None:
    """Digitise, search and publish government gazettes (政府公报) as Akoma Ntoso XML."""
    # `run` reads --debug from argv itself: once a command has failed its click context is gone.


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _not_built(what: str) -> NoReturn:
    raise NotImplementedYetError(f"{what} is not built yet")


def _archive_root(archive: Path | None) -> Path:
    """The archive folder the options name; a file there is bad input, not a missing archive."""
    root = resolve_archive_path(archive)
    try:
        not_a_folder = root.exists() and not root.is_dir()
    except OSError as error:  # a name too long for the file system, a parent that cannot be searched
        raise BadInputError(f"cannot be the archive: {error.strerror}", path=str(root)) from None
    if not_a_folder:
        raise BadInputError("is not a folder; --archive takes the archive's folder", path=str(root))
    return root


def _open_archive(archive: Path | None) -> Archive:
    return Archive.open_existing(_archive_root(archive))


class _DamagedFiles:
    """Document files that could not be read: the command goes on without them, names each
    on stderr at the end and exits 5 (`done`)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def __call__(self, path: Path, error: GazetteError) -> None:
        self.errors.append(str(error))

    def done(self) -> None:
        for error in self.errors:
            err.print(f"gazette: damaged: {error}", markup=False)
        if self.errors:
            raise typer.Exit(ExitCode.damaged)


@app.command("list")
def list_documents(archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """List the archive's documents, one per line: id, 文号, 成文日期, title."""
    damaged = _DamagedFiles()
    docs = list(_open_archive(archive).documents(damaged))
    if as_json:
        _print_json([document_to_json(doc) for doc in docs])
    else:
        out.print(documents_table(docs))
        out.print(f"{len(docs)} documents")
    damaged.done()


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
        raise typer_click.UsageError("choose one of --xml, --json, --text")
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
        _not_built("PDF signature verification")
    store = _open_archive(archive)
    problems = store.verify()
    if as_json:
        _print_json({"ok": not problems, "problems": [vars(problem) for problem in problems]})
    else:
        for problem in problems:
            err.print(f"gazette verify: {store.root / problem.path}: {problem.kind}: {problem.detail}", markup=False)
        if not problems:
            out.print(f"{store.root}: ok, {len(store.manifest())} files match the manifest", markup=False)
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
    workers: Annotated[Optional[int], typer.Option(min=1, help="OCR worker processes (default: all cores).")] = None,
    scheduler: Annotated[
        Optional[str], typer.Option(help="Dask scheduler ADDRESS (tcp://host:8786): OCR pages run on that cluster.")
    ] = None,
) -> None:
    """Ingest scans and born-digital gazettes into the archive; a killed run started again resumes."""
    from gazette.search import index_documents
    from ingest.batch import check_options, run_batch, summary_table
    from ingest.pipeline import IngestConfig

    check_options(workers or 0, scheduler)
    store = Archive.create(_archive_root(archive))
    report = run_batch(
        paths, store, IngestConfig(engine=engine), console=err,
        on_documents=lambda docs: index_documents(store, docs),
        workers=workers or 0, scheduler=scheduler,
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
    from gazette.search.service import IndexReport, backend_hint

    store = _open_archive(archive)
    damaged = _DamagedFiles()
    if rebuild:
        report = IndexReport(backend, rebuild_index(store, backend, damaged), 0, True)
    else:
        report = update_index(store, backend, damaged)
    if as_json:
        _print_json(vars(report) | {"damaged": damaged.errors})
    else:
        done = "rebuilt" if report.rebuilt else "updated"
        out.print(f"{backend} index {done}: {report.indexed} documents indexed, {report.removed} removed", markup=False)
    if hint := backend_hint(store, backend):
        err.print(f"note: {hint}", markup=False)
    damaged.done()


class _SearchCommand(TyperCommand):
    """`gazette search -通报 保税`: click would read a query that starts with an exclusion as
    short options; `search` has none, so every word that is not an option goes after `--`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _arguments_last(self, args))


def _arguments_last(command: TyperCommand, args: list[str]) -> list[str]:
    """``args`` with the options (and their values) first, then ``--`` and the arguments in their order."""
    takes_value = {
        name for param in command.params if isinstance(param, TyperOption) and not param.is_flag for name in param.opts
    }
    options: list[str] = []
    arguments: list[str] = []
    words = iter(args)
    for word in words:
        if word == "--":
            arguments.extend(words)
        elif word.startswith("--"):
            options.append(word)
            if word in takes_value:
                options.extend(itertools.islice(words, 1))
        else:
            arguments.append(word)
    return [*options, "--", *arguments] if arguments else options


@app.command(cls=_SearchCommand)
def search(
    query: Annotated[str, typer.Argument(help="Words, \"quoted phrases\", -excluded, OR, field:value filters.")],
    archive: ArchiveOption = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only documents of this issuer.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this type (通知, 意见, …).")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="成文日期 on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="成文日期 on or before.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page of hits (from 1).")] = 1,
    sort: Annotated[str, typer.Option(help="relevance, date (oldest first) or -date (newest first).")] = "relevance",
    backend: Annotated[str, typer.Option(help="whoosh or tantivy.")] = "whoosh",
    as_json: JsonOption = False,
) -> None:
    """Search the archive in full text, by 文号, issuer, type and date.

    QUERY language (see docs/search.md):

      综合保税区  —  a Chinese string: documents holding it contiguously first, then those holding all its parts

      "阳光政务"  —  a quoted phrase: exactly that string ("…" or “…”)

      covid 19  —  Latin letters and digits match whole words; several terms must all match

      -通报  -"试点方案"  —  exclude (also NOT 通报);   扶贫 OR 脱贫  —  either;   AND may be written

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
    _not_built("publish")


@app.command()
def serve(
    archive: ArchiveOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the search portal."""
    _not_built("the web portal")


@app.command()
def review(
    archive: ArchiveOption = None,
    html: Annotated[Optional[Path], typer.Option(help="Write a page per item into this folder.")] = None,
) -> None:
    """Print the review queue: documents with fields a person should check."""
    from ingest.review import review_queue, write_review_html

    store = _open_archive(archive)
    damaged = _DamagedFiles()
    if html is not None:
        index = write_review_html(store, html, damaged)
        out.print(f"review pages written to {index}", markup=False)
        damaged.done()
        return
    items = review_queue(store, damaged)
    table = Table("document", "field", "value", "why", box=None, pad_edge=False)
    for item in items:
        table.add_row(*(Text(cell) for cell in (item.document, item.field, item.value or "—", item.why)))
    out.print(table)
    out.print(f"{len(items)} fields need review")
    damaged.done()


def run(argv: list[str]) -> int:
    """Run the command line and return its exit code; errors become one line on stderr."""
    command = typer.main.get_command(app)
    try:
        # Outside standalone mode click returns a command's `typer.Exit` code instead of raising it.
        result = command.main(args=argv, prog_name="gazette", standalone_mode=False)
    except GazetteError as error:
        return _fail(str(error), error.exit_code)
    except _NO_ARGS as error:  # `gazette` alone: the help, which typer has already printed when Rich renders it
        if error.format_message():
            error.show()
        return ExitCode.usage
    except _USAGE_ERRORS as error:
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
        return _fail(error.format_message() + hint, ExitCode.usage)
    except _CLICK_ERRORS as error:
        return _fail(error.format_message(), error.exit_code)
    except _ABORTS:
        return _fail("aborted", ExitCode.failure)
    except _EXITS as error:  # stock click's, raised by code typer does not know of
        return error.exit_code
    except Exception as error:  # a bug: one line here, the traceback in the archive's logs
        return _unexpected(error, argv)
    return result if isinstance(result, int) else ExitCode.ok


def _fail(message: str, code: int) -> int:
    err.print(f"gazette: error: {_one_line(message)}", markup=False)
    return code


def _one_line(message: str) -> str:
    return re.sub(r"\s*\n\s*", " ", message.strip())


def _unexpected(error: Exception, argv: list[str]) -> int:
    """Log the traceback in ``ARCHIVE/logs/`` (on stderr where it cannot be, and with --debug)."""
    logged = write_traceback(_archive_named(argv), error)
    # --debug is an option of the app itself, so it stands before the command's name.
    if logged is None or "--debug" in itertools.takewhile(lambda word: word.startswith("-"), argv):
        sys.stderr.write(format_traceback(error))
    where = f"traceback written to {logged}" if logged is not None else "traceback above"
    return _fail(f"unexpected {type(error).__name__}: {error} ({where})", ExitCode.failure)


def _archive_named(argv: list[str]) -> Path:
    """The archive of a command line, read from argv: a failed command's options are gone with its context."""
    option: str | None = None
    for word, following in itertools.zip_longest(argv, argv[1:]):
        if word == "--":
            break
        if word == "--archive" and following is not None:
            option = following
        elif word.startswith("--archive="):
            option = word.partition("=")[2]
    return resolve_archive_path(option)


def main() -> NoReturn:
    sys.exit(run(sys.argv[1:]))
