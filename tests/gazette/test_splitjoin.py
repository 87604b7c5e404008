"""Correcting a wrong split (`gazette.splitjoin`) on issues ingested from typeset PDFs: one whose
second document the pages could not split off (a start missed), and one of three documents
(two of which a person joins, as when a start was found where none is)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from gazette import edits, splitjoin
from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import BadInputError, NotFoundError
from gazette.model import Block, Box, ReviewFlag
from gazette.search import rebuild_index
from ingest.batch import run_batch
from ingest.review import queue_json, review_queue
from samples.corpus import load_records
from tests.gazette.conftest import make_document
from tests.ingest.issue_pdf import Truth, build_issue, without_number

ROOT = Path(__file__).parents[2]
FIRST = "国办函〔2004〕36号"  # the document printed first in the unsplit issue
BY = "档案员甲"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, list[Truth], list[Truth]]:
    """Both issues ingested into one archive, indexed; the truths of each."""
    folder = tmp_path_factory.mktemp("splitjoin")
    records = load_records()
    bare = without_number(records[19])
    first, *rest = bare["body"].split("\n")
    # No contents, no 文号, a title naming no issuer: the pages cannot tell it from an attachment.
    bare = {**bare, "title": bare["title"].removeprefix("国务院办公厅"), "body": "\n".join([first[6:], *rest])}
    unsplit = build_issue([records[8], bare], folder / "unsplit.pdf", contents=False)
    three = build_issue([records[5], records[2], records[16]], folder / "three.pdf", contents=False)
    archive = Archive.create(folder / "archive")
    report = run_batch([folder / "unsplit.pdf", folder / "three.pdf"], archive)
    assert [f.status for f in report.files] == ["ingested", "ingested"]
    rebuild_index(archive)
    return archive, unsplit, three


@pytest.fixture
def archive(ingested: tuple[Archive, list[Truth], list[Truth]], tmp_path: Path) -> Archive:
    shutil.copytree(ingested[0].root, tmp_path / "archive")
    return Archive.open_existing(tmp_path / "archive")


def _hits(archive: Archive, query: str) -> list[str]:
    return [hit.id for hit in archive.search(f'"{query}"', limit=50).hits]


def _ids(truths: list[Truth], archive: Archive) -> list[str]:
    by_title = {doc.title: doc.id for doc in archive.documents()}
    return [by_title[truth.title] for truth in truths]


# -- split ------------------------------------------------------------------------------------


def test_a_missed_start_is_split_off_read_as_ingest_reads_it(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]]
) -> None:
    truth = ingested[1][1]
    merged = archive.get(FIRST)
    assert [flag.field for flag in merged.needs_review] == ["body"] and truth.title in merged.text
    at = next(k for k, block in enumerate(merged.body, 1) if block.text == truth.title)
    # The review item names the title the pages could not split off, and offers the split there.
    (item,) = queue_json(archive)
    assert item["commands"]["split"] == shlex.join(
        ["gazette", "split", "--archive", str(archive.root), FIRST, "--at", str(at)]
    )

    cut, new = splitjoin.split(archive, FIRST, str(at), by=BY, reason="两个文件")

    # The new document: its fields read from its own blocks, with confidences, doubtful ones flagged.
    assert (new.title, new.date_written, new.issuer, new.doc_type) == (
        truth.title,
        truth.date_written,
        ("国务院办公厅",),
        "通知",
    )
    assert new.recipients == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert new.doc_number is None and new.id.startswith("2018-11-20-")  # ingest's rule for ids without 文号
    assert "doc_number" in {flag.field for flag in new.needs_review} and new.confidence["title"] >= 0.9
    assert new.source == merged.source and new.gazette == merged.gazette and new.pages[0] >= merged.pages[0]
    assert truth.body.split("\n")[0] in new.text and "哈尔滨" not in new.text
    # The first: a new version without those blocks, its split flag settled, the old version kept.
    assert cut.version == 2 and cut.body == merged.body[: at - 1] and not cut.needs_review
    assert archive.read_document(archive.versions(FIRST)[1]) == merged
    assert cut.pages == (merged.pages[0],)  # the short first document is printed on its first page
    # Found where they are, once; both histories say who split what, when and why.
    assert _hits(archive, "国家教材委员会办公室") == [new.id]
    assert _hits(archive, "国际大体联") == [FIRST]
    _, versions = edits.history(archive, new.id)
    (made,) = versions[-1].changes
    assert (made.action, made.old, made.new, made.by) == ("split", FIRST, new.id, BY) and "两个文件" in made.reason
    assert {(c.action, c.field, c.by) for c in edits.history(archive, FIRST)[1][-1].changes} == {
        ("split", "", BY),
        ("split", "body", BY),
    }
    # The issue lists the new document after the first; the archive checks out.
    listed = [[entry.document_id for entry in issue.entries] for issue in archive.issues()]
    assert [FIRST, new.id] in listed
    assert archive.verify() == []


def test_a_split_is_undone_by_revert_and_withdraw(archive: Archive) -> None:
    merged = archive.get(FIRST)
    _, new = splitjoin.split(archive, FIRST, "关于调整国家教材委员会", by=BY)
    back = edits.revert(archive, FIRST, 1, by=BY)
    edits.withdraw(archive, new.id, reason="split by mistake", by=BY)
    assert back.body == merged.body and back.needs_review == merged.needs_review  # the split flag is back too
    assert _hits(archive, "国家教材委员会办公室") == [FIRST]
    assert archive.verify() == []


def test_split_at_takes_a_number_or_the_start_of_a_block(archive: Archive) -> None:
    doc = archive.get(FIRST)
    assert splitjoin.block_number(doc, "关于调整 国家教材委员会") == 3  # spaces do not count
    assert splitjoin.block_number(doc, " 3 ") == 3
    with pytest.raises(BadInputError, match="blocks 8, 12, 21 of .* start so; give more of the text"):
        splitjoin.block_number(doc, "（")  # （一）部门委员, （二）专家委员, （此件公开发布）
    with pytest.raises(BadInputError, match="--at takes the number of a block"):
        splitjoin.block_number(doc, "\u3000 ")
    with pytest.raises(BadInputError, match="no block of .* starts so; `gazette show .* --numbered`"):
        splitjoin.block_number(doc, "不存在的文字")


@pytest.mark.parametrize("at", ["1", "0", "22", "999"])
def test_split_out_of_range_is_refused_and_nothing_written(archive: Archive, at: str) -> None:
    manifest = archive.manifest()
    with pytest.raises(BadInputError, match=f"--at {int(at)}: out of range; .* from 2 to 21 of {FIRST}"):
        splitjoin.split(archive, FIRST, at, by=BY)
    assert archive.manifest() == manifest


def test_a_split_stopped_after_its_first_write_is_finished_by_running_it_again(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(self: Archive, doc: object) -> None:
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(Archive, "put_new_version", killed)
        with pytest.raises(RuntimeError):
            splitjoin.split(archive, FIRST, "3", by=BY)
    archive.flush()
    assert archive.verify() == []
    (made,) = [doc for doc in archive.documents() if doc.id != FIRST and "国家教材" in doc.title]
    assert "国家教材委员会办公室" in archive.get(FIRST).text  # nothing lost: both texts stored
    cut, new = splitjoin.split(archive, FIRST, "3", by=BY)
    assert new.id == made.id and len([d for d in archive.documents() if "国家教材" in d.title]) == 1
    assert "国家教材委员会办公室" not in cut.text and archive.verify() == []


def test_blocks_that_print_no_document_are_split_off_with_every_field_to_review(tmp_path: Path) -> None:
    store = Archive.create(tmp_path / "bare")
    store.put_document(make_document(source=None, disclosure="不予公开"))  # no source, boxes on one block only
    cut, new = splitjoin.split(store, "粤办函〔2016〕629号", "3", by=BY)
    assert new.title == "" and new.text.startswith("2017年上半年") and new.disclosure == "不予公开"
    assert {"doc_number", "title", "issuer", "date_written"} <= {flag.field for flag in new.needs_review}
    assert cut.pages == (3, 4) and store.verify() == []  # a block without a box: its pages stay as they were
    with pytest.raises(BadInputError, match="names no source file: only documents read from one source"):
        splitjoin.join(store, cut.id, new.id, by=BY)


def test_closing_fields_read_below_the_new_start_go_to_review(tmp_path: Path) -> None:
    store = Archive.create(tmp_path / "boxed")
    body = (
        Block("paragraph", "第一份文件的正文。", origin=(Box(3, 80, 100, 500, 120),)),
        Block("attachment", "关于另一事项的通知", origin=(Box(3, 100, 400, 480, 430),)),
        Block("paragraph", "另一份文件的正文。", origin=(Box(4, 80, 100, 500, 120),)),
    )
    origins = {"title": (Box(3, 100, 40, 480, 70),), "date_written": (Box(4, 300, 600, 500, 620),)}
    store.put_document(make_document(body=body, field_origins=origins, needs_review=()))
    cut, new = splitjoin.split(store, "粤办函〔2016〕629号", "关于另一事项", by=BY)
    assert [(flag.field, flag.reason) for flag in cut.needs_review] == [
        ("date_written", f"read below where {new.id} starts, which was split off: check it is this document's")
    ]
    assert cut.pages == (3, 4) and new.pages == (3, 4) and new.title == "关于另一事项的通知"


# -- join -------------------------------------------------------------------------------------


def test_join_appends_the_second_text_and_withdraws_it_naming_the_first(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]]
) -> None:
    one, two, three = _ids(ingested[2], archive)
    a, b = archive.get(two), archive.get(three)
    unique = ingested[2][2].body.split("\n")[-1][:12]
    assert _hits(archive, unique) == [three]

    head, gone = splitjoin.join(archive, two, three, by=BY, reason="附件，不是另一文件")

    assert head.id == two and head.version == 2 and head.body[: len(a.body)] == a.body
    assert [block.text for block in head.body[len(a.body) :]][:2] == [b.doc_number_printed, b.title]
    assert head.body[-len(b.body) - 2 : -2] == b.body  # then its signature and date
    assert head.pages == tuple(sorted({*a.pages, *b.pages})) and head.source == a.source
    assert gone.withdrawn == f"joined into {two} (version 2): 附件，不是另一文件" and not gone.is_public
    assert archive.document_path(three).exists()  # a tombstone: nothing deleted
    assert _hits(archive, unique) == [two]  # found once, under the first
    assert [c.action for c in edits.history(archive, three)[1][-1].changes] == ["withdraw"]
    joined = {(c.action, c.field, c.old, c.new) for c in edits.history(archive, two)[1][-1].changes}
    assert ("join", "", None, three) in joined
    assert archive.verify() == []
    # Undone: restore the second, revert the first.
    edits.restore(archive, three, by=BY)
    edits.revert(archive, two, 1, by=BY)
    assert archive.get(two).body == a.body and _hits(archive, unique) == [three]
    assert archive.get(one).version == 1 and archive.verify() == []


def test_join_settles_the_split_flags_of_both(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]]
) -> None:
    _, two, three = _ids(ingested[2], archive)
    for doc_id in (two, three):
        doc = archive.get(doc_id)
        flagged = (*doc.needs_review, ReviewFlag("body", "not in the issue's contents"))
        archive.put_document(replace(doc, needs_review=flagged))
    head, gone = splitjoin.join(archive, two, three, by=BY)
    assert not any(flag.field == "body" for doc in (head, gone) for flag in doc.needs_review)
    assert [item.field for item in review_queue(archive) if item.document == two] == []


def test_join_refuses_what_it_cannot_do_and_writes_nothing(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]]
) -> None:
    one, two, three = _ids(ingested[2], archive)
    edits.withdraw(archive, one, reason="重复", by=BY)
    manifest = archive.manifest()
    cases = [
        ((two, "nothere"), NotFoundError, "no document 'nothere'"),
        ((two, two), BadInputError, "is one document: join takes two"),
        ((two, one), BadInputError, f"{one} is withdrawn \\(重复\\); `gazette restore {one}` first"),
        (
            (FIRST, two),
            BadInputError,
            "is from unsplit.pdf and .* from three.pdf: only documents read from one source",
        ),
        ((three, two), BadInputError, f"name them in the order they are printed \\(`gazette join {two} {three}`\\)"),
    ]
    for (first, second), error, message in cases:
        with pytest.raises(error, match=message):
            splitjoin.join(archive, first, second, by=BY)
    assert archive.manifest() == manifest


def test_a_join_stopped_after_its_first_write_leaves_a_verifiable_archive_and_is_finished_again(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, two, three = _ids(ingested[2], archive)
    b = archive.get(three)
    writes = []
    put = Archive.put_new_version

    def killed_after_one(self: Archive, doc: object) -> Path:
        if writes:
            raise RuntimeError("killed")
        writes.append(doc)
        return put(self, doc)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(Archive, "put_new_version", killed_after_one)
        with pytest.raises(RuntimeError):
            splitjoin.join(archive, two, three, by=BY)
    archive.flush()
    assert archive.verify() == []
    # Nothing lost: the first has both texts, the second is still there, whole, not withdrawn.
    assert archive.get(three) == b and b.text in archive.get(two).text
    assert len(archive.versions(two)) == 1
    head, gone = splitjoin.join(archive, two, three, by=BY)
    assert head.version == 2 and head.text.count(b.body[0].text) == 1 and gone.withdrawn is not None
    assert archive.verify() == []


def test_two_processes_joining_the_same_pair_join_it_once(
    archive: Archive, ingested: tuple[Archive, list[Truth], list[Truth]]
) -> None:
    _, two, three = _ids(ingested[2], archive)
    b = archive.get(three)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "gazette", "join", two, three, "--archive", str(archive.root), "--by", BY]
    racing = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    done = sorted((process.wait(), process.stderr.read() if process.stderr else "") for process in racing)
    assert [code for code, _ in done] == [0, 3], done
    assert "is withdrawn (joined into" in done[1][1] and "Traceback" not in done[1][1]
    assert archive.get(two).text.count(b.body[0].text) == 1 and archive.get(two).version == 2
    assert archive.verify() == []


# -- the command line -------------------------------------------------------------------------


def test_the_commands_print_one_line_each_and_json(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--archive", str(archive.root)]
    assert run(["show", FIRST, "--numbered", *where]) == 0
    shown = capsys.readouterr().out
    assert "[3] 关于调整国家教材委员会组成人员的通知" in shown and "\n[1] \u3000\u3000" in shown
    assert run(["show", FIRST, "--text", *where]) == 0
    assert "[1]" not in capsys.readouterr().out  # --text stays as it was
    assert run(["split", FIRST, "--at", "3", "--by", BY, "--json", *where]) == 0
    made = json.loads(capsys.readouterr().out)
    new = made["new"]["id"]
    assert made["document"]["version"] == 2 and made["new"]["title"] == "关于调整国家教材委员会组成人员的通知"
    assert run(["join", FIRST, new, "--by", BY, *where]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"{FIRST}: {new} joined into it (version 3;") and len(printed) == 2
    assert run(["history", new, *where]) == 0
    assert f"withdraw  (joined into {FIRST} (version 3))" in capsys.readouterr().out
    assert run(["verify", *where]) == 0
