"""The `gazette` command: the front door to ingest, archive, search and publish.

Only this module turns errors into exit codes and one-line messages: click's usage
errors exit 2, `GazetteError`s with their own codes, and anything else (a bug) exits 1
with its traceback written to ``ARCHIVE/logs/``. `ingest` and `publish` are imported
lazily, inside the commands that need them.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import typer
from rich.table import Table
from rich.text import Text
from typer._click import exceptions as typer_click
from typer.core import TyperCommand, TyperOption

from gazette.archive import Archive, resolve_archive_path
from gazette.cli_common import (
    ArchiveOption,
    DamagedFiles,
    JsonOption,
    archive_root,
    err,
    open_archive,
    out,
    print_json,
)
from gazette.cli_review import commands, review_app
from gazette.errorlog import format_traceback, write_traceback
from gazette.exceptions import BadInputError, ExitCode, GazetteError
from gazette.model import document_to_json
from gazette.settings import read_settings, write_setting
from gazette.textview import ProgressBar, document_as_text, documents_table, notes, summary_table

# typer (pinned) drives a copy of click bundled as typer._click; stock click's exceptions are
# caught too, since code may raise them.
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


@app.command("list")
def list_documents(
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
    show_all: Annotated[bool, typer.Option("--all", help="Each reading on a line of its own too.")] = False,
) -> None:
    """List the archive's documents, one per line: id, 成文日期, title; other readings and withdrawals marked."""
    damaged = DamagedFiles()
    docs = [doc for doc in open_archive(archive).documents(damaged) if show_all or doc.reading_of is None]
    if as_json:
        print_json([document_to_json(doc) for doc in docs])
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
    numbered: Annotated[
        bool,
        typer.Option(
            "--numbered", help="The text with each body block's number, [N], as `gazette split --at N` takes it."
        ),
    ] = False,
) -> None:
    """Show one document as text (default), JSON or its Akoma Ntoso XML."""
    if sum((as_xml, as_json, as_text or numbered)) > 1:
        raise typer_click.UsageError("choose one of --xml, --json, --text (or --numbered)")
    store = open_archive(archive)
    doc = store.get(ref)
    if as_xml:
        sys.stdout.write(store.document_path(doc.id).read_text("utf-8"))
    elif as_json:
        print_json(document_to_json(doc) | {"text": doc.text})
    else:
        for line in notes(doc):
            err.print(line, markup=False)
        sys.stdout.write(document_as_text(doc, numbered=numbered))


@app.command()
def verify(
    pdfs: Annotated[list[Path] | None, typer.Argument(metavar="[PDF]...", help="Signed PDFs to check.")] = None,
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
    trust: Annotated[
        list[Path] | None, typer.Option(help="A trusted signer's certificate (PEM); the signer must chain to one.")
    ] = None,
) -> None:
    """Check the archive's fixity (every file against its SHA-256, every XML against the schema), or PDFs' signatures."""
    if pdfs:
        from publish.cli import verify_pdfs

        raise typer.Exit(verify_pdfs(pdfs, trust or [], as_json, out, err))
    store = open_archive(archive)
    problems = store.verify()
    if as_json:
        print_json({"ok": not problems, "problems": [vars(problem) for problem in problems]})
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
    workers: Annotated[int | None, typer.Option(min=1, help="OCR worker processes (default: all cores).")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler ADDRESS (tcp://host:8786): OCR pages run on that cluster.")
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB",
            help="Take only files matching GLOB (repeatable): matched, ignoring case, against a file's path "
            "relative to the folder named and against its name; * also matches /.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB", help="Leave out files, and whole folders, matching GLOB (repeatable; matched as --include)."
        ),
    ] = None,
    group: Annotated[
        str,
        typer.Option(
            metavar="auto|file|stem|folder",
            help="Which files are pages of one source, read as one file in natural order (p10 after p9): "
            "auto, images in a folder named as pages of one stem (name-p1.jpg, name_0002.tif, 0001.png); "
            "file, none; stem, as auto and PDFs named so too; folder, every image and PDF of a folder.",
        ),
    ] = "auto",
    gazette: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="The issue's gazette (with --year and --number); wins over an issue.toml beside the pages "
            "([issue] gazette, year, number, total, date) and over what is read from the cover.",
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(metavar="Y", help="The issue's year (with --gazette).")] = None,
    number: Annotated[int | None, typer.Option(metavar="N", help="The issue's number, 第N期 (with --gazette).")] = None,
    total: Annotated[int | None, typer.Option(metavar="M", help="The issue's running number, 总第M期.")] = None,
    date: Annotated[str | None, typer.Option(metavar="D", help="The issue's date (1996-03-20 or as printed).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest scans and born-digital gazettes into the archive; a killed run started again resumes.

    Each issue whose gazette, year and number are known gets its <officialGazette> in data/issues/."""
    from gazette.issuedata import issue_from_options
    from ingest.batch import check_options
    from ingest.grouping import check_mode

    check_options(workers or 0, scheduler)
    grouping = check_mode(group)
    issue = issue_from_options(gazette, year, number, total, date)
    store = Archive.create(archive_root(archive))
    with ProgressBar(err) as bar:
        report = store.ingest(
            paths,
            engine=engine,
            workers=workers or 0,
            scheduler=scheduler,
            include=include or (),
            exclude=exclude or (),
            group=grouping,
            issue=issue,
            on_progress=bar,
        )
    if as_json:
        print_json(report.to_json())
    for outcome in report.files:
        if outcome.status == "failed":
            err.print(f"failed: {outcome.reason}", markup=False)
        elif outcome.status == "skipped":
            err.print(f"skipped: {outcome.file}: {outcome.reason}", markup=False)
        for note in outcome.notes:
            err.print(f"note: {outcome.file}: {note}", markup=False)
    if not as_json:
        out.print(summary_table(report))
    if report.failed and not any(f.status == "ingested" for f in report.files):
        raise BadInputError(f"no file could be ingested ({len(report.failed)} failed); see the report above")


@app.command()
def index(
    archive: ArchiveOption = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the index from the archive's XML.")] = False,
    backend: Annotated[
        str | None,
        typer.Option(help="whoosh or tantivy; the archive remembers it (setting search.backend).", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Update the search index (in ARCHIVE/index/BACKEND) incrementally: only documents whose XML is new, changed or gone; --rebuild starts it afresh from the XML, as is done (and said) to an index made by another version of gazette."""
    from gazette.search import rebuild_index, update_index
    from gazette.search.service import IndexReport, backend_hint, chosen_backend

    store = open_archive(archive)
    if backend is not None:
        write_setting(store.root, "search.backend", backend)
    damaged = DamagedFiles()
    if rebuild:
        report = IndexReport(chosen_backend(store), rebuild_index(store, None, damaged), 0, True)
    else:
        report = update_index(store, None, damaged)
    if as_json:
        print_json(vars(report) | {"damaged": damaged.errors})
    else:
        done = "rebuilt" if report.rebuilt else "updated"
        why = f" ({report.reason})" if report.reason else ""
        out.print(
            f"{report.backend} index {done}{why}: {report.indexed} documents indexed, {report.removed} removed",
            markup=False,
        )
    if hint := backend_hint(store, report.backend):
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
    query: Annotated[str, typer.Argument(help='Words, "quoted phrases", -excluded, OR, field:value filters.')],
    archive: ArchiveOption = None,
    issuer: Annotated[
        str | None,
        typer.Option(help="Only documents of this issuer (as people shorten it too: 国办, 广东省政府办公厅)."),
    ] = None,
    doc_type: Annotated[
        str | None, typer.Option("--type", help="Only this type (通知, 意见, …; 函 includes 复函).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="成文日期 on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="成文日期 on or before.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page of hits (from 1).")] = 1,
    sort: Annotated[
        str | None,
        typer.Option(
            help="relevance, date (oldest first) or -date (newest first); by default relevance, newest first for a 文号 prefix."
        ),
    ] = None,
    backend: Annotated[
        str | None, typer.Option(help="whoosh or tantivy (default: the archive's search.backend).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Search the archive in full text, by 文号, issuer, type and date.

    QUERY language (see docs/search.md):

      综合保税区  —  a Chinese string: documents holding it contiguously first, then those holding all its parts

      "阳光政务"  —  a quoted phrase: exactly that string ("…" or “…”)

      covid 19  —  Latin letters and digits match whole words; several terms must all match

      -通报  -"试点方案"  —  exclude (also NOT 通报);   扶贫 OR 脱贫  —  either;   AND may be written

      粤办函〔2016〕629号  —  a 文号 in any printed form (粤办函[2016]629号, 粤办函 2016 629, 國辦函〔06〕71號, 〔二〇〇六〕): that document first

      国办函, 国办函〔2006〕  —  every 文号 of that 机关代字 (and year) the archive holds, newest first

      文号:/docno:  机关:/issuer:  类型:/type:  年份:/year:2016..2018  日期:/date:2016-01..2016-12  —  filters

    Traditional and simplified characters, full- and half-width forms fold together; punctuation and spaces are ignored inside a string.

    The index is built when there is none, and rebuilt (with a warning) when it is damaged or was made by another version of gazette.
    """
    from gazette.search import Filters
    from gazette.search.render import check_page, empty_hints, parse_sort, result_view

    filters = Filters(issuer=issuer, doc_type=doc_type, date_from=date_from, date_to=date_to)
    store = open_archive(archive)
    result = store.search(
        query,
        issuer=issuer,
        doc_type=doc_type,
        date_from=date_from,
        date_to=date_to,
        backend=backend,
        sort=parse_sort(sort),
        page=page,
        limit=limit,
    )
    check_page(result, page, limit)
    if as_json:
        print_json(result.to_json())
    else:
        out.print(result_view(result, page, limit, empty_hints(query, filters)))


@app.command()
def publish(
    source: Annotated[Path, typer.Argument(metavar="ISSUE.toml", help="The issue: cover data, sections, documents.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder: issue.pdf, documents/, SHA256SUMS.")],
    archive: ArchiveOption = None,
    sign: Annotated[
        Path | None, typer.Option(metavar="SIGNER.p12", help="Sign every PDF with this PKCS#12 key (PAdES B-B).")
    ] = None,
    password_env: Annotated[
        str | None, typer.Option(metavar="VAR", help="Environment variable holding the PKCS#12 password.")
    ] = None,
    signing_time: Annotated[
        str | None, typer.Option(help="Signing time (ISO 8601) for a reproducible signed run; default now.")
    ] = None,
    seal: Annotated[
        Path | None, typer.Option(metavar="IMAGE", help="Seal image centred over each document's date.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Publish an issue: standard-text PDFs by GB/T 9704-2012 and the gazette issue, PDF/A-2b, signed when asked."""
    from publish.cli import run_publish

    run_publish(source, out_dir, archive_root(archive), sign, password_env, signing_time, seal, as_json, out)


keys_app = typer.Typer(help="Signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for signer.p12 and signer.pem.")],
    name: Annotated[str, typer.Option(help="The signing organisation (the certificate's name).")],
) -> None:
    """Make a self-signed signer for tests and demos: DIR/signer.p12 (no password) and DIR/signer.pem."""
    from publish.signing import create_signer

    p12, pem = create_signer(out_dir, name)
    out.print(f"signer: {p12}\ncertificate: {pem}", markup=False)


@app.command()
def site(
    out_dir: Annotated[Path, typer.Option("--out", help="The site's folder (made when missing).")],
    base_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL", help="Where the site is served (https://…/): absolute URLs in feeds, sitemap, JSON-LD."
        ),
    ] = None,
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the static HTML edition: pages, feeds, the disclosure catalogue, open data; only what changed."""
    from gazette.web.site import build_site

    damaged = DamagedFiles()
    report = build_site(open_archive(archive), out_dir, base_url, damaged)
    if as_json:
        print_json(report.to_json())
    else:
        out.print(
            f"site of {report.documents} public documents in {out_dir}: {report.files} files, "
            f"{len(report.written)} written, {report.unchanged} unchanged, {len(report.removed)} removed",
            markup=False,
        )
        for path in report.kept:
            err.print(f"gazette: kept {path}: changed since the site wrote it", markup=False)
        if base_url is None:
            out.print("without --base-url, feed links are relative and the sitemap holds URL paths", markup=False)
    damaged.done()


@app.command()
def serve(
    archive: ArchiveOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes, all over the same index.")] = 1,
    backend: Annotated[
        str | None, typer.Option(help="Search backend (whoosh|tantivy); default: the archive's search.backend.")
    ] = None,
) -> None:
    """Serve the citizens' portal: the HTML edition, search, feeds and a JSON API; the archive is only read (a search index made by another version of gazette stops it: run `gazette index` first)."""
    from gazette.web.serve import serve as run_portal

    run_portal(archive_root(archive), host=host, port=port, workers=workers, backend=backend)


config_app = typer.Typer(
    help="The archive's settings (ARCHIVE/gazette.toml): each value in force and where it comes from.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(config_app, name="config")


@config_app.callback()
def config(ctx: typer.Context, archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """Show every setting in force, its value and where it comes from (default or gazette.toml)."""
    if ctx.invoked_subcommand is not None:
        return
    values = read_settings(open_archive(archive).root)
    if as_json:
        print_json({key: {"value": v.value, "from": v.origin, "help": v.setting.help} for key, v in values.items()})
        return
    table = Table("setting", "value", "from", "meaning", box=None, pad_edge=False)
    for key, value in values.items():
        table.add_row(*(Text(str(cell)) for cell in (key, value.value, value.origin, value.setting.help)))
    out.print(table)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="A setting, as `gazette config` lists them (search.backend …).")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
    archive: ArchiveOption = None,
) -> None:
    """Set one setting in the archive's gazette.toml."""
    store = open_archive(archive)
    write_setting(store.root, key, value)
    out.print(f"{key} = {read_settings(store.root)[key].value}", markup=False)


@app.command()
def upgrade(archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """Migrate an archive written by an older gazette to this one's format, through the journal (resumable)."""
    from gazette.upgrade import upgrade as run_upgrade

    report = run_upgrade(archive_root(archive))
    if as_json:
        print_json(vars(report))
    elif report.from_version == report.to_version:
        out.print(f"archive format {report.to_version}: already current")
    else:
        out.print(
            f"archive format {report.from_version} → {report.to_version}: "
            f"{report.renamed} originals renamed, {report.rewritten} XML files rewritten"
        )


app.add_typer(review_app, name="review")
app.add_typer(commands)


@app.command()
def export(
    query: Annotated[str | None, typer.Argument(help="Only the hits of this search (as `gazette search`).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or akn-zip.")] = "jsonl",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="File to write (else stdout; akn-zip needs one).")
    ] = None,
    archive: ArchiveOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export the public documents, one per document in id order: never 不予公开, withdrawn or second readings."""
    from gazette.export import export as run_export

    store = open_archive(archive)
    damaged = DamagedFiles()
    report = run_export(
        store,
        fmt,
        out_file,
        query,
        on_damaged=damaged,
        stdout=sys.stdout.buffer if isinstance(sys.stdout.buffer, io.BufferedIOBase) else None,
    )
    if as_json:
        err.print(json.dumps(report.to_json(), ensure_ascii=False), markup=False)
    else:
        left = ", ".join(f"{n} {why}" for why, n in report.left_out.items() if n)
        err.print(
            f"exported {report.documents} documents ({fmt}) to {report.out}" + (f"; left out: {left}" if left else ""),
            markup=False,
        )
    damaged.done()


def run(argv: list[str]) -> int:
    """Run the command line and return its exit code; errors become one line on stderr."""
    _configure_logging(debug="--debug" in argv)
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
        return int(getattr(error, "exit_code", ExitCode.failure))
    except Exception as error:  # noqa: BLE001  (a bug: one line here, the traceback in the archive's logs)
        return _unexpected(error, argv)
    return result if isinstance(result, int) else ExitCode.ok


#: Libraries whose warnings are verdicts the command reports itself (a self-signed signer), not news.
_QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


def _configure_logging(debug: bool) -> None:
    """The library logs through `logging`; the command line owns the handler: warnings on
    stderr as one line each, everything with --debug."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "gazette: %(levelname)s: %(name)s: %(message)s" if debug else "gazette: %(levelname)s: %(message)s"
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)


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
