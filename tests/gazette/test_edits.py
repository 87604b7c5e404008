"""Changes through the library (`gazette.edits`): versions kept, every change recorded, fixity kept."""

from __future__ import annotations

from pathlib import Path

import bagit
import pytest

from gazette import edits
from gazette.archive import Archive
from gazette.exceptions import BadInputError, NotFoundError
from gazette.fsutil import sha256_file
from gazette.model import ReviewFlag, Source
from tests.gazette.conftest import make_document

ID = "粤办函〔2016〕629号"


@pytest.fixture
def stored(archive: Archive) -> Archive:
    archive.put_document(
        make_document(
            needs_review=(ReviewFlag("date_written", "date under a seal"), ReviewFlag("title", "confidence 0.70"))
        )
    )
    archive.flush()
    return archive


def test_an_edit_is_a_new_version_with_the_old_one_kept_and_fixity_clean(stored: Archive) -> None:
    before = stored.document_path(ID).read_bytes()
    doc = edits.edit(
        stored,
        ID,
        {"title": "新标题的通知", "issuer": "甲厅、乙厅", "date_written": "2016年12月13日"},
        by="张三",
        reason="核对原件",
    )
    assert doc.version == 2 and doc.title == "新标题的通知" and doc.issuer == ("甲厅", "乙厅")
    assert doc.date_written == "2016-12-13" and doc.date_written_printed == "2016年12月13日"
    assert {(c.field, c.old, c.new, c.by, c.reason) for c in doc.changes} >= {
        ("title", "广东省人民政府办公厅关于推进阳光政务建设工作的通知", "新标题的通知", "张三", "核对原件"),
        ("issuer", "广东省人民政府办公厅", "甲厅,乙厅", "张三", "核对原件"),
    }
    assert stored.versions(ID)[1].read_bytes() == before
    assert [f.field for f in doc.needs_review] == [] and doc.confidence["title"] == 1.0
    assert stored.verify() == [] and stored.get_document(ID) == doc
    bagit.Bag(str(stored.root)).validate()  # any BagIt tool accepts the bag after an edit


def test_an_iso_date_drops_a_printed_form_that_says_another_date(stored: Archive) -> None:
    doc = edits.edit(stored, ID, {"date_written": "2016-12-14"}, by="x")
    assert doc.date_written == "2016-12-14" and doc.date_written_printed is None
    same = edits.edit(stored, ID, {"date_written": "2016年12月15日"}, by="x")
    assert same.date_written_printed == "2016年12月15日"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"bogus": "x"}, "cannot set 'bogus'"),
        ({"title": ""}, "title cannot be empty"),
        ({"doc_number": "not a number"}, "is not a 文号"),
        ({"date_written": "someday"}, "is not a date"),
        ({"status": "作废"}, "status is one of 有效、已修改、已废止"),
        ({"disclosure": "公开"}, "disclosure is one of"),
        ({"recipients": "各地级以上市人民政府"}, "nothing to change"),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_is_written(stored: Archive, values: dict[str, str], message: str) -> None:
    manifest = stored.manifest()
    with pytest.raises(BadInputError, match=message):
        edits.edit(stored, ID, values, by="x")
    assert stored.manifest() == manifest and not stored.versions(ID)


def test_legal_status_is_a_field_and_not_withdrawal(stored: Archive) -> None:
    doc = edits.edit(stored, ID, {"status": "已废止", "status_by": "粤府〔2020〕1号"}, by="x")
    assert (doc.status, doc.status_by, doc.withdrawn, doc.is_public) == ("已废止", "粤府〔2020〕1号", None, True)


def test_accept_clears_the_flag_and_records_the_unchanged_value(stored: Archive) -> None:
    doc = edits.accept(stored, ID, "date_written", by="李四")
    (change,) = doc.changes
    assert (change.action, change.old, change.new, change.reason) == (
        "accept",
        "2016-12-12",
        "2016-12-12",
        "date under a seal",
    )
    assert [f.field for f in doc.needs_review] == ["title"]
    with pytest.raises(NotFoundError, match="not in the review queue"):
        edits.accept(stored, ID, "date_written", by="李四")
    with pytest.raises(BadInputError, match="not a field under review"):
        edits.accept(stored, ID, "colour", by="李四")


def test_accept_many_records_each_document_on_its_own(stored: Archive) -> None:
    stored.put_document(make_document(id="b", doc_number=None, needs_review=(ReviewFlag("title", "x"),)))
    stored.put_document(make_document(id="c", doc_number=None, needs_review=()))
    done = edits.accept_many(stored, [ID, "b", "c"], "title", by="x")
    assert [doc.id for doc in done] == [ID, "b"] and all(len(doc.changes) == 1 for doc in done)
    assert stored.verify() == []


def test_history_and_revert_keep_every_version(stored: Archive) -> None:
    edits.edit(stored, ID, {"title": "第二版的通知"}, by="a")
    edits.edit(stored, ID, {"title": "第三版的通知"}, by="b")
    doc = edits.revert(stored, ID, 1, by="c")
    assert doc.title == "广东省人民政府办公厅关于推进阳光政务建设工作的通知" and doc.version == 4
    assert [f.field for f in doc.needs_review] == ["date_written", "title"]  # back as it was read
    _, versions = edits.history(stored, ID)
    assert [(v.number, v.by) for v in versions] == [(1, "test"), (2, "a"), (3, "b"), (4, "c")]
    assert sorted(stored.versions(ID)) == [1, 2, 3] and stored.verify() == []
    with pytest.raises(NotFoundError, match="has no version 9"):
        edits.revert(stored, ID, 9, by="c")


def test_withdraw_keeps_the_files_and_restore_undoes_it(stored: Archive) -> None:
    doc = edits.withdraw(stored, ID, reason="重复收录", by="x")
    assert doc.withdrawn == "重复收录" and not doc.is_public and stored.document_path(ID).exists()
    with pytest.raises(BadInputError, match="withdrawn already"):
        edits.withdraw(stored, ID, reason="again", by="x")
    assert edits.restore(stored, ID, by="x").is_public
    with pytest.raises(BadInputError, match="not withdrawn"):
        edits.restore(stored, ID, by="x")
    assert stored.verify() == []


def test_the_original_is_never_touched(archive: Archive, tmp_path) -> None:
    original = tmp_path / "gd.pdf"
    original.write_bytes(b"%PDF-1.7 original")
    source, _ = archive.store_original(original, ".pdf")
    archive.put_document(make_document(source=source))
    archive.flush()
    kept = archive.find_original(source.sha256)
    edits.edit(archive, ID, {"title": "改过的通知"}, by="x")
    edits.withdraw(archive, ID, reason="r", by="x")
    assert sha256_file(kept) == source.sha256 and archive.verify() == []


# -- readings ---------------------------------------------------------------------------------


def test_the_same_text_from_another_original_is_a_linked_reading(archive: Archive) -> None:
    first = archive.add_document(make_document(confidence={"title": 0.9}))
    second = archive.add_document(make_document(source=Source("scan.tif", "b" * 64, 2), confidence={"title": 0.5}))
    assert second.id.startswith(ID + "~") and second.reading_of == ID
    assert archive.get_document(ID).readings == (second.id,) and not second.is_public
    # Read again from the same original: the reading replaces itself, links kept.
    again = archive.add_document(make_document(source=Source("scan.tif", "b" * 64, 2), confidence={"title": 0.5}))
    assert again.id == second.id and again.reading_of == ID and len(list(archive.documents())) == 2
    assert first.id == ID and archive.verify() == []


def test_a_better_reading_becomes_the_document_and_the_first_moves_beside_it(archive: Archive) -> None:
    archive.add_document(make_document(confidence={"title": 0.5}))
    better = archive.add_document(make_document(source=Source("b.pdf", "b" * 64, 2), confidence={"title": 0.99}))
    assert better.id == ID and better.source.file == "b.pdf" and better.version == 2
    (moved,) = better.readings
    assert archive.get_document(moved).source.file == "gd.pdf" and archive.get_document(moved).reading_of == ID
    assert better.changes[0].action == "reading" and 1 in archive.versions(ID)


def test_a_person_edited_document_is_not_replaced_by_a_machine_reading(archive: Archive) -> None:
    archive.add_document(make_document())
    edited = edits.edit(archive, ID, {"title": "人改过的通知"}, by="x")
    assert archive.add_document(make_document()) == edited  # read again from the same original
    other = archive.add_document(
        make_document(source=Source("b.pdf", "b" * 64, 2), confidence={"title": 1.0}, title="人改过的通知")
    )
    assert other.reading_of == ID and archive.get_document(ID).title == "人改过的通知"


def test_different_texts_under_one_doc_number_are_a_conflict(archive: Archive) -> None:
    from gazette.model import Block

    archive.add_document(make_document())
    other = archive.add_document(
        make_document(
            source=Source("b.pdf", "b" * 64, 2),
            title="关于做好汛期值班工作的通知",
            body=(Block("paragraph", "各地要严格执行二十四小时值班制度，遇有重大汛情险情要及时报告。"),),
        )
    )
    assert other.reading_of is None and other.is_public
    head = archive.get_document(ID)
    assert any(f.reason.startswith("冲突") and other.id in f.reason for f in head.needs_review)
    assert any(f.reason.startswith("冲突") and ID in f.reason for f in other.needs_review)
    # A person decides they are one document: the conflict flags go.
    merged = edits.merge(archive, ID, other.id, keep=ID, by="x")
    assert merged.readings == (other.id,) and archive.get_document(other.id).reading_of == ID
    assert not [f for d in archive.documents() for f in d.needs_review if f.reason.startswith("冲突")]


def test_merge_refuses_what_it_cannot_do(archive: Archive) -> None:
    archive.add_document(make_document())
    second = archive.add_document(make_document(source=Source("b.pdf", "b" * 64, 2)))
    archive.put_document(make_document(id="c", doc_number=None))
    with pytest.raises(BadInputError, match="neither"):
        edits.merge(archive, ID, second.id, keep="c", by="x")
    with pytest.raises(BadInputError, match="one document"):
        edits.merge(archive, ID, ID, keep=ID, by="x")
    with pytest.raises(BadInputError, match="a reading of .* already"):
        edits.merge(archive, ID, second.id, keep=ID, by="x")


def test_similarity_is_high_for_misreadings_and_low_for_other_documents() -> None:
    from dataclasses import replace

    from gazette.model import Block
    from gazette.readings import SAME_TEXT, similarity

    doc = make_document()
    misread = replace(doc, body=tuple(replace(b, text=b.text.replace("公开", "公幵")) for b in doc.body))
    other = replace(doc, title="关于做好汛期值班工作的通知", body=(Block("paragraph", "各地要严格执行值班制度。"),))
    assert similarity(doc, doc) == 1.0
    assert similarity(doc, misread) >= SAME_TEXT > similarity(doc, other)


def test_interprets_is_set_by_edit_and_kept_in_the_xml(tmp_path: Path) -> None:
    assert edits.parse_value("interprets", "国发〔2019〕3号，国办发〔2018〕109号") == {
        "interprets": ("国发〔2019〕3号", "国办发〔2018〕109号")
    }
    archive = Archive.create(tmp_path / "archive")
    archive.put_document(make_document(interprets=("国发〔2019〕3号",)))
    assert archive.get_document("粤办函〔2016〕629号").interprets == ("国发〔2019〕3号",)
