"""The archivist's commands over stored documents: the review queue, edits, history,
revert, merge, join, split, withdraw and restore. Every change is a new version with its record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text
from typer._click import exceptions as typer_click

from gazette.archive import Archive
from gazette.cli_common import ArchiveOption, DamagedFiles, JsonOption, open_archive, out, print_json
from gazette.exceptions import BadInputError
from gazette.model import document_to_json

#: The top-level commands (edit, history, …); `gazette.cli` adds them and `review_app` to its app.
commands = typer.Typer()

ByOption = Annotated[
    str | None, typer.Option("--by", help="Who makes the change (default: your login name).", show_default=False)
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept with the change in the document's history.")]
IdArgument = Annotated[str, typer.Argument(metavar="ID", help="Document id, or its 文号 in any printed form.")]


def _by(by: str | None) -> str:
    from gazette.edits import default_user

    return (by or "").strip() or default_user()


def _with_changes(doc: Any) -> dict[str, Any]:
    """The document's ``--json`` object with the changes of its current version."""
    return document_to_json(doc) | {"changes": [vars(c) for c in doc.changes if c.version == doc.version]}


def _changed(store: Archive, doc: Any, as_json: bool, what: str) -> None:
    if as_json:
        print_json(_with_changes(doc))
    else:
        out.print(
            f"{doc.id}: {what} (version {doc.version}; `gazette history {doc.id}` lists every change)", markup=False
        )


review_app = typer.Typer(
    help="The review queue: fields a person should check, and the commands that accept or fix them.",
    no_args_is_help=False,
    invoke_without_command=True,
)


@review_app.callback()
def review(
    ctx: typer.Context,
    archive: ArchiveOption = None,
    html: Annotated[Path | None, typer.Option(help="Write a page per document under review into this folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the review queue (documents with fields a person should check); `review accept` and `review fix` settle them."""
    if ctx.invoked_subcommand is not None:
        return
    from ingest.review import queue_json, review_queue, write_review_html

    store = open_archive(archive)
    damaged = DamagedFiles()
    if html is not None:
        index = write_review_html(store, html, damaged)
        out.print(f"review pages written to {index}", markup=False)
    elif as_json:
        print_json(queue_json(store, damaged))
    else:
        items = review_queue(store, damaged)
        table = Table("document", "field", "value", "why", box=None, pad_edge=False)
        for item in items:
            table.add_row(*(Text(cell) for cell in (item.document, item.field, item.value or "—", item.why)))
        out.print(table)
        out.print(f"{len(items)} fields need review")
    damaged.done()


@review_app.command("accept")
def review_accept(
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]... [FIELD]", help="Documents, then the field (unless --field names it)."),
    ] = None,
    field: Annotated[str | None, typer.Option(help="The field to accept, for every document named.")] = None,
    batch: Annotated[
        str | None,
        typer.Option(
            help="Every document of this batch (an ingest report's name, as `review --html` groups them) "
            "flagged for --field."
        ),
    ] = None,
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """The machine's reading is right: take FIELD of each document out of the review queue, each recorded."""
    from gazette.edits import accept, accept_many
    from ingest.review import batches

    words = list(args or [])
    if field is None:
        if batch is not None or len(words) < 2:
            raise typer_click.UsageError("give ID FIELD, or IDs with --field FIELD, or --batch NAME --field FIELD")
        field = words.pop()
    store = open_archive(archive)
    if batch is not None:
        in_batch = [doc_id for doc_id, name in batches(store).items() if name == batch or name.startswith(batch)]
        if not in_batch:
            raise BadInputError(f"no batch {batch!r}; `gazette review --json` shows each document's batch")
        words.extend(doc_id for doc_id in in_batch if doc_id not in words)
    if not words:
        raise typer_click.UsageError("name at least one document, or --batch NAME")
    if len(words) == 1 and batch is None:
        done = [accept(store, words[0], field, by=_by(by), reason=reason)]
    else:
        done = accept_many(store, words, field, by=_by(by), reason=reason)
    if as_json:
        print_json([document_to_json(doc) for doc in done])
    else:
        for doc in done:
            out.print(f"{doc.id}: {field} accepted (version {doc.version})", markup=False)
        out.print(f"{len(done)} accepted, {len(words) - len(done)} not flagged for {field}", markup=False)


@review_app.command("fix")
def review_fix(
    ref: IdArgument,
    field: Annotated[str, typer.Argument(metavar="FIELD", help="The field to correct (title, issuer, date_written…).")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its right value (issuers comma-separated).")],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """The machine misread FIELD: set it to VALUE, recorded, and take it out of the review queue."""
    from gazette.edits import fix

    store = open_archive(archive)
    _changed(store, fix(store, ref, field, value, by=_by(by), reason=reason), as_json, f"{field} fixed")


@commands.command()
def edit(
    ref: IdArgument,
    assignments: Annotated[
        list[str],
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A field and its new value; repeat for several (issuer=A,B; status=已废止; status_by=ID).",
        ),
    ],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Correct a document's fields: a new version of its XML, the old one kept, every change recorded, fixity kept."""
    from gazette.edits import edit as run_edit
    from gazette.edits import parse_assignments

    store = open_archive(archive)
    doc = run_edit(store, ref, parse_assignments(assignments), by=_by(by), reason=reason)
    _changed(store, doc, as_json, "changed " + ", ".join(c.field for c in doc.changes if c.version == doc.version))


@commands.command()
def history(ref: IdArgument, archive: ArchiveOption = None, as_json: JsonOption = False) -> None:
    """List a document's versions: who changed what, when, from which value to which, and why."""
    from gazette.edits import LABELS
    from gazette.edits import history as run_history

    store = open_archive(archive)
    doc, versions = run_history(store, ref)
    if as_json:
        print_json(
            {
                "id": doc.id,
                "version": doc.version,
                "versions": [
                    {
                        "version": v.number,
                        "when": v.when,
                        "by": v.by,
                        "current": v.current,
                        "changes": [vars(c) for c in v.changes],
                    }
                    for v in versions
                ],
            }
        )
        return
    for v in versions:
        mark = "  (current)" if v.current else ""
        out.print(f"version {v.number}  {v.when}  {v.by}{mark}", markup=False)
        if v.number == 1:
            out.print("    as read by ingest", markup=False)
        for c in v.changes:
            why = f"  ({c.reason})" if c.reason else ""
            if not c.field:  # a whole-document action: withdraw, restore, merge, reading
                out.print(f"    {c.action}{why}", markup=False)
                continue
            values = f"{c.old or '—'} → {c.new or '—'}" if c.old != c.new else f"{c.new or '—'} (confirmed)"
            out.print(f"    {c.action}: {LABELS.get(c.field, c.field)} {values}{why}", markup=False)


@commands.command()
def revert(
    ref: IdArgument,
    to: Annotated[int, typer.Option("--to", min=1, help="The version to go back to (`gazette history` lists them).")],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Go back to an earlier version: recorded as a new version, the ones in between kept."""
    from gazette.edits import revert as run_revert

    store = open_archive(archive)
    _changed(store, run_revert(store, ref, to, by=_by(by), reason=reason), as_json, f"back to version {to}")


@commands.command()
def merge(
    first: IdArgument,
    second: Annotated[str, typer.Argument(metavar="ID", help="The other document or reading.")],
    keep: Annotated[str, typer.Option("--keep", metavar="ID", help="Which of the two is the document.")],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Make two documents one (or switch which reading is the document): the other becomes a reading of it."""
    from gazette.edits import merge as run_merge

    store = open_archive(archive)
    doc = run_merge(store, first, second, keep=keep, by=_by(by), reason=reason)
    _changed(store, doc, as_json, f"the document; readings: {', '.join(doc.readings)}")


@commands.command()
def withdraw(
    ref: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (a wrongly ingested file, a duplicate…).")],
    archive: ArchiveOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw a document from the index, pages, feeds and exports; its files stay, as a tombstone."""
    from gazette.edits import withdraw as run_withdraw

    store = open_archive(archive)
    _changed(store, run_withdraw(store, ref, reason=reason, by=_by(by)), as_json, "withdrawn")


@commands.command()
def restore(
    ref: IdArgument,
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Undo `gazette withdraw`."""
    from gazette.edits import restore as run_restore

    store = open_archive(archive)
    _changed(store, run_restore(store, ref, by=_by(by), reason=reason), as_json, "restored")


@commands.command()
def join(
    first: IdArgument,
    second: Annotated[str, typer.Argument(metavar="ID", help="The document whose text continues the first.")],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Two stored documents are one (a start found where none is): the second's text follows the
    first's (a new version), and the second is withdrawn, naming the first; `gazette restore` and
    `gazette revert` undo it. Both must come from one source and issue."""
    from gazette.splitjoin import join as run_join

    store = open_archive(archive)
    head, gone = run_join(store, first, second, by=_by(by), reason=reason)
    if as_json:
        print_json({"document": _with_changes(head), "withdrawn": _with_changes(gone)})
        return
    _changed(store, head, False, f"{gone.id} joined into it")
    _changed(store, gone, False, f"withdrawn, joined into {head.id}")


@commands.command()
def split(
    ref: IdArgument,
    at: Annotated[
        str,
        typer.Option(
            "--at",
            metavar="N|TEXT",
            help="Where the second document starts: the number of its first block, as"
            " `gazette show ID --numbered` prints it (2 or more), or the start of that block's text.",
        ),
    ],
    archive: ArchiveOption = None,
    by: ByOption = None,
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """A stored document holds two (a start missed): the blocks from --at on become a new document,
    its fields read as ingest reads them (doubtful ones to review), and the first a new version
    without them; `gazette revert` of the first and `gazette withdraw` of the new one undo it."""
    from gazette.splitjoin import split as run_split

    store = open_archive(archive)
    cut, new = run_split(store, ref, at, by=_by(by), reason=reason)
    if as_json:
        print_json({"document": _with_changes(cut), "new": _with_changes(new)})
        return
    _changed(store, cut, False, f"split; {new.id} starts where it ended")
    flagged = f"; to review: {', '.join(flag.field for flag in new.needs_review)}" if new.needs_review else ""
    out.print(f"{new.id}: new document「{new.title}」(`gazette show {new.id}`){flagged}", markup=False)
