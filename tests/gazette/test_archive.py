from __future__ import annotations

import os
from pathlib import Path

import bagit
import pytest

from gazette.archive import Archive, file_name_for_id
from gazette.exceptions import BadInputError, NotFoundError
from tests.gazette.conftest import make_document


def test_create_refuses_a_folder_that_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(BadInputError, match="not a gazette archive"):
        Archive.create(tmp_path)


def test_open_existing_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="gazette demo"):
        Archive.open_existing(tmp_path / "nothing")


def test_originals_are_content_addressed_read_only_and_stored_once(archive: Archive, tmp_path: Path) -> None:
    original = tmp_path / "issue.PDF"
    original.write_bytes(b"%PDF-1.4 fake")
    source, new = archive.store_original(original)
    again, new_again = archive.store_original(original)
    stored = archive.find_original(source.sha256)
    assert new and not new_again and again.sha256 == source.sha256
    assert stored is not None and stored.read_bytes() == original.read_bytes()
    assert stored.name == f"{source.sha256}.pdf"
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0
    assert stored.stat().st_mode & 0o222 == 0
    assert list(archive.manifest().values()).count(source.sha256) == 1


def test_a_rerun_adds_nothing_twice(archive: Archive) -> None:
    doc = make_document()
    archive.put_document(doc)
    archive.put_document(doc)
    journal = (archive.root / ".gazette" / "journal").read_text().splitlines()
    assert len(journal) == 1
    assert [d.id for d in archive.documents()] == [doc.id]


def test_get_document_by_any_printed_doc_number(archive: Archive) -> None:
    archive.put_document(make_document())
    assert archive.get_document("粤办函（2016）629 号").title.endswith("的通知")
    with pytest.raises(NotFoundError, match="gazette list"):
        archive.get_document("国发〔2099〕1号")


def test_flush_writes_a_valid_bagit_manifest(archive: Archive, tmp_path: Path) -> None:
    original = tmp_path / "scan.png"
    original.write_bytes(b"\x89PNG fake")
    archive.store_original(original)
    archive.put_document(make_document())
    archive.flush()
    assert not (archive.root / ".gazette" / "journal").exists()
    assert bagit.Bag(str(archive.root)).is_valid()
    assert archive.verify() == []


def test_verify_names_every_missing_altered_and_unexpected_file(archive: Archive, tmp_path: Path) -> None:
    original = tmp_path / "scan.png"
    original.write_bytes(b"\x89PNG fake")
    source, _ = archive.store_original(original)
    xml = archive.put_document(make_document())
    other = archive.put_document(make_document(id="国发〔2019〕3号", doc_number="国发〔2019〕3号"))
    archive.flush()

    stored = archive.find_original(source.sha256)
    assert stored is not None
    stored.chmod(0o644)
    stored.unlink()
    xml.write_bytes(xml.read_bytes()[:100])  # a truncated document
    (archive.data / "documents" / "stray.xml").write_text("<x/>")
    problems = {(p.path, p.kind) for p in archive.verify()}

    rel = lambda path: path.relative_to(archive.root).as_posix()
    assert problems == {
        (rel(stored), "missing"),
        (rel(xml), "altered"),
        ("data/documents/stray.xml", "unexpected"),
    }
    assert (rel(other), "altered") not in problems


def test_verify_reports_an_invalid_xml_even_when_its_hash_matches(archive: Archive) -> None:
    bad = b"<akomaNtoso/>"
    archive._put_bytes(archive.data / "documents" / "bad.xml", bad)
    [problem] = archive.verify()
    assert problem.kind == "invalid" and problem.path == "data/documents/bad.xml"


def test_a_failed_write_leaves_the_stored_file_intact(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive.put_document(make_document())
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        archive.put_document(make_document(title="改过的标题的通知"))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


@pytest.mark.parametrize("identifier", ["a/b", "../x", "."])
def test_ids_never_become_paths(identifier: str) -> None:
    if identifier == ".":
        with pytest.raises(BadInputError):
            file_name_for_id(identifier)
    else:
        assert "/" not in file_name_for_id(identifier)


def test_originals_get_names_the_archive_chooses(archive: Archive, tmp_path: Path) -> None:
    odd = tmp_path / "issue.pdf\nrm -rf"
    odd.write_bytes(b"%PDF-1.4 fake")
    source, _ = archive.store_original(odd, ".pdf")
    stored = archive.find_original(source.sha256)
    assert stored is not None and stored.name == f"{source.sha256}.pdf"
    weird = tmp_path / "scan.t\u2028if"
    weird.write_bytes(b"II*\x00 fake")
    other, _ = archive.store_original(weird)  # no detected type given: a name that is not plain is dropped
    assert archive.find_original(other.sha256).name == other.sha256  # type: ignore[union-attr]
    assert archive.verify() == []
    assert not list((archive.root / "work" / "staging").iterdir())


def test_a_long_id_names_a_file_within_the_limit(archive: Archive) -> None:
    long_id = "国" * 300
    name = file_name_for_id(long_id)
    assert len(name.encode("utf-8")) <= 255 and name != file_name_for_id("国" * 299)
    doc = make_document(id=long_id, doc_number=None)
    archive.put_document(doc)
    assert archive.get_document(long_id).id == long_id


def test_add_document_keeps_a_second_original_apart(archive: Archive) -> None:
    from gazette.model import Source

    first = archive.add_document(make_document())
    second = archive.add_document(make_document(source=Source("b.pdf", "b" * 64, 3)))
    again = archive.add_document(make_document(source=Source("b.pdf", "b" * 64, 3)))
    assert first.id == "粤办函〔2016〕629号" and second.id.startswith("粤办函〔2016〕629号~")
    assert again.id == second.id and len(list(archive.documents())) == 2


def test_create_takes_a_folder_another_process_is_making_into_an_archive(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / ".gazette").mkdir(parents=True)
    (root / "data" / "originals").mkdir(parents=True)  # another process got this far
    assert (Archive.create(root).root / "bagit.txt").exists()
    with pytest.raises(BadInputError, match="is a file"):
        Archive.create(tmp_path / "archive" / "bagit.txt")


def test_documents_can_go_on_past_a_damaged_file(archive: Archive) -> None:
    archive.put_document(make_document())
    bad = archive.put_document(make_document(id="国发〔2019〕3号", doc_number="国发〔2019〕3号"))
    bad.write_bytes(b"<akomaNtoso")
    damaged: list[Path] = []
    assert [d.id for d in archive.documents(lambda path, error: damaged.append(path))] == ["粤办函〔2016〕629号"]
    assert damaged == [bad]
    with pytest.raises(BadInputError):
        list(archive.documents())


def test_put_file_keeps_derived_files_inside_the_payload(archive: Archive) -> None:
    path = archive.put_file("published/x/issue.pdf", b"%PDF-1.7")
    assert path == archive.data / "published" / "x" / "issue.pdf" and archive.verify() == []
    for bad in ("../outside.pdf", "originals/ab/x.pdf", "documents/x.xml", "/etc/x"):
        with pytest.raises(BadInputError):
            archive.put_file(bad, b"x")


def test_files_the_archive_writes_are_readable_by_everyone(archive: Archive) -> None:
    path = archive.put_document(make_document())
    report = archive.write_report("ingest", {"summary": {}})
    for written in (path, report, archive.root / "bag-info.txt"):
        assert written.stat().st_mode & 0o444 == 0o444, written
