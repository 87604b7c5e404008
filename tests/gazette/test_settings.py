from __future__ import annotations

from pathlib import Path

import bagit
import pytest

from gazette import baginfo
from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import BadInputError
from gazette.settings import SETTINGS, read_settings, setting, write_setting
from tests.gazette.conftest import make_document


def test_defaults_then_the_file_then_the_option(archive: Archive) -> None:
    assert {key: v.origin for key, v in read_settings(archive.root).items()} == {s.key: "default" for s in SETTINGS}
    write_setting(archive.root, "search.backend", "tantivy")
    write_setting(archive.root, "ingest.max_pages", "300")
    values = read_settings(archive.root)
    assert (values["search.backend"].value, values["search.backend"].origin) == ("tantivy", "gazette.toml")
    assert values["ingest.max_pages"].value == 300
    assert setting(archive.root, "search.backend", "whoosh") == "whoosh"
    assert "[search]" in (archive.root / "gazette.toml").read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[search]\nbackend = "lucene"\n', "one of whoosh, tantivy"),
        ("[ingest]\nmax_pages = -1\n", "1 or more"),
        ("[nope]\nx = 1\n", "unknown setting 'nope.x'"),
        ("backend = 'x'\n", r"must be a \[section\] table"),
        ("[search\n", "cannot read the archive's settings"),
    ],
)
def test_a_bad_settings_file_is_one_line_naming_it(archive: Archive, text: str, message: str) -> None:
    (archive.root / "gazette.toml").write_text(text)
    with pytest.raises(BadInputError, match=message) as raised:
        read_settings(archive.root)
    assert "\n" not in str(raised.value)


def test_index_backend_is_remembered(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    archive.put_document(make_document())
    archive.flush()
    root = str(archive.root)
    assert run(["index", "--backend", "tantivy", "--archive", root]) == 0
    assert run(["search", "阳光政务", "--archive", root]) == 0
    assert run(["config", "--archive", root]) == 0
    printed = capsys.readouterr().out
    assert "tantivy index" in printed and "gazette.toml" in printed
    assert (archive.root / "index" / "tantivy").is_dir() and not (archive.root / "index" / "whoosh").exists()
    assert run(["config", "set", "search.backend", "whoosh", "--archive", root]) == 0
    assert run(["config", "set", "search.bogus", "1", "--archive", root]) == 3


def test_a_new_bag_is_bagit_1_0_with_oxum_and_the_organisation(archive: Archive) -> None:
    write_setting(archive.root, "archive.source_organization", "广东省人民政府办公厅")
    archive.put_document(make_document())
    archive.flush()
    bag = bagit.Bag(str(archive.root))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert bag.info["Source-Organization"] == "广东省人民政府办公厅"
    assert bag.info["Gazette-Format"] == str(baginfo.FORMAT_VERSION) and bag.info["Payload-Oxum"].endswith(".1")


def test_a_newer_format_is_refused(archive: Archive) -> None:
    info = (archive.root / "bag-info.txt").read_text().replace("Gazette-Format: 2", "Gazette-Format: 99")
    (archive.root / "bag-info.txt").write_text(info)
    with pytest.raises(baginfo.FormatError, match="newer than this gazette reads"):
        Archive.open_existing(archive.root)
    assert run(["list", "--archive", str(archive.root)]) == 1


def _format_1(archive: Archive, tmp_path: Path) -> Path:
    """The archive as gazette wrote it before format 2: odd original names, the placeholder namespace."""
    original = tmp_path / "scan.pdf"
    original.write_bytes(b"%PDF-1.4 fake")
    source, _ = archive.store_original(original, ".pdf")
    archive.put_document(make_document())
    archive.flush()
    root = archive.root
    stored = archive.find_original(source.sha256)
    assert stored is not None
    odd = stored.with_name(stored.name + ".x\u2028y")
    stored.rename(odd)
    xml = archive.document_path("粤办函〔2016〕629号")
    xml.write_bytes(xml.read_bytes().replace(b"urn:gazette:ns:1", b"https://gazette.example/ns/1"))
    manifest = {}
    for path in (odd, xml):
        from gazette.fsutil import sha256_file

        manifest[path.relative_to(root).as_posix()] = sha256_file(path)
    (root / "manifest-sha256.txt").write_text("".join(f"{sha}  {rel}\n" for rel, sha in sorted(manifest.items())))
    (root / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    (root / "bag-info.txt").write_text("Source-Organization: gazette\n")
    return root


def test_upgrade_migrates_a_format_1_archive_through_the_journal(
    archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _format_1(archive, tmp_path)
    old = Archive.open_existing(root)
    assert [d.title for d in old.documents()] == [make_document().title]  # an older format still reads
    with pytest.raises(baginfo.FormatError, match="gazette upgrade"):
        old.put_document(make_document(id="x", doc_number=None))
    assert run(["upgrade", "--archive", str(root)]) == 0
    assert "1 originals renamed, 1 XML files rewritten" in capsys.readouterr().out
    upgraded = Archive.open_existing(root)
    assert upgraded.verify() == []
    bagit.Bag(str(root)).validate()
    assert b"urn:gazette:ns:1" in upgraded.document_path("粤办函〔2016〕629号").read_bytes()
    assert all("\u2028" not in path for path in upgraded.manifest())
    assert run(["upgrade", "--archive", str(root)]) == 0
    assert "already current" in capsys.readouterr().out


def test_storing_a_reading_again_gives_the_same_bytes(archive: Archive) -> None:
    from dataclasses import replace

    from gazette.model import Provenance

    first = archive.add_document(make_document())
    before = archive.document_path(first.id).read_bytes()
    later = make_document(provenance=Provenance(engine="test", steps=("deskew",), created="2030-01-01T00:00:00+00:00"))
    archive.add_document(later)
    assert archive.document_path(first.id).read_bytes() == before
    assert replace(later).provenance.created != first.provenance.created  # type: ignore[union-attr]
