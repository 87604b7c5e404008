import codecs
import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.exceptions import BadInputError
from ingest.batch import run_batch
from ingest.intake import Skipped, expand_paths, identify, sniff


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height``: enough to be measured, never decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def test_kind_comes_from_content() -> None:
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"II*\x00rest") == "tiff"
    assert sniff("索引号：1".encode("gb18030")) == "text"
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff(b'<?xml version="1.0"?><annotation/>') is None
    assert sniff(b"\x00\x01binary") is None


def test_wrong_extension_is_read_by_content_and_noted(pdf397: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "notice.txt"
    disguised.write_bytes(pdf397.read_bytes())
    found = identify(disguised)
    assert found.kind == "pdf" and "named .txt but is PDF" in found.note


def test_zero_byte_and_image_bomb_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(30000, 30000))
    with pytest.raises(BadInputError, match="0 bytes"):
        identify(empty)
    with pytest.raises(BadInputError, match="refused"):
        identify(bomb)


def test_folders_expand_recursively_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.pdf").write_bytes(b"%PDF-")
    (tmp_path / "a" / ".hidden").write_bytes(b"x")
    (tmp_path / "y.txt").write_text("y")
    files, skipped = expand_paths([tmp_path])
    assert files == [tmp_path / "a" / "b" / "x.pdf", tmp_path / "y.txt"]
    assert skipped == [Skipped(tmp_path / "a" / ".hidden", "hidden (a dot file)")]


def _reasons(skipped: list[Skipped], root: Path) -> dict[str, str]:
    return {entry.path.relative_to(root).as_posix(): entry.reason for entry in skipped}


def test_links_never_lead_out_of_the_input_folder(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0")
    scans = tmp_path / "scans"
    (scans / ".store").mkdir(parents=True)
    (scans / "page.txt").write_text("国务院")
    (scans / ".store" / "kept.txt").write_text("国务院")
    (scans / "passwd.txt").symlink_to(secret)
    (scans / "etc").symlink_to(secret.parent)
    (scans / "same.txt").symlink_to(scans / "page.txt")
    (scans / "stored.txt").symlink_to(scans / ".store" / "kept.txt")
    (scans / "loop").symlink_to(scans)
    (scans / "a.txt").symlink_to(scans / "b.txt")
    (scans / "b.txt").symlink_to(scans / "a.txt")
    (scans / "gone.txt").symlink_to(scans / "missing.txt")
    files, skipped = expand_paths([scans])
    assert files == [scans / "page.txt", scans / "stored.txt"]  # a link to a file inside the folder is read
    reasons = _reasons(skipped, scans)
    assert reasons["passwd.txt"] == f"a link leading outside the input folder (to {secret}); not followed"
    assert reasons["etc"].startswith("a link to a folder") and "outside the input" in reasons["etc"]
    assert "inside the input, read there" in reasons["loop"] and "not followed" in reasons["loop"]
    assert reasons["same.txt"] == f"a link to {scans / 'page.txt'}, which is read itself"
    assert reasons["a.txt"].startswith("a broken link") and reasons["gone.txt"].startswith("a broken link")
    assert reasons[".store"] == "hidden folder (a dot folder)"


def test_system_files_issue_data_and_the_archive_are_skipped(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    (scans / "__MACOSX").mkdir(parents=True)
    for name in ("Thumbs.db", "desktop.ini", "issue.toml", "0001.tif", "__MACOSX/0001.tif"):
        (scans / name).write_bytes(b"II*\x00")
    archive = scans / "archive"
    (archive / "data").mkdir(parents=True)
    (archive / "data" / "original.pdf").write_bytes(b"%PDF-")
    files, skipped = expand_paths([scans], skip=[archive])
    assert files == [scans / "0001.tif"]
    reasons = _reasons(skipped, scans)
    assert set(reasons) == {"Thumbs.db", "desktop.ini", "issue.toml", "__MACOSX", "archive"}
    assert reasons["issue.toml"].startswith("issue data") and "not a document" in reasons["issue.toml"]
    assert reasons["archive"] == f"is the archive ({archive}) or inside it: the archive's own files are never ingested"
    # Named, the archive and system files are skipped too; a dot file named is taken.
    (scans / ".named.pdf").write_bytes(b"%PDF-")
    named = [archive, archive / "data", scans / "Thumbs.db", scans / ".named.pdf"]
    files, skipped = expand_paths(named, skip=[archive])
    assert files == [scans / ".named.pdf"] and len(skipped) == 3


def test_ingesting_the_archive_into_itself_ingests_nothing(pdf397: Path, tmp_path: Path) -> None:
    from gazette.cli import run

    archive = tmp_path / "archive"
    assert run(["ingest", str(pdf397), "--archive", str(archive), "--engine", "null"]) == 0
    manifest = (archive / "manifest-sha256.txt").read_text("utf-8")
    report = run_batch([archive], Archive.open_existing(archive))
    assert [(f.status, Path(f.file)) for f in report.files] == [("skipped", archive)]
    assert report.summary()["documents"] == 0
    assert [
        line for line in (archive / "manifest-sha256.txt").read_text("utf-8").splitlines() if "reports/" not in line
    ] == [line for line in manifest.splitlines() if "reports/" not in line]


def test_include_and_exclude_patterns(tmp_path: Path) -> None:
    for name in ("2016/01/a.PDF", "2016/01/b.tif", "2016/drafts/c.pdf", "2017/d.pdf", "e.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-")
    files, skipped = expand_paths([tmp_path], include=["*.pdf"], exclude=["drafts", "2017/*"])
    assert files == [tmp_path / "2016/01/a.PDF", tmp_path / "e.pdf"]  # case ignored; * crosses folders
    assert _reasons(skipped, tmp_path) == {
        "2016/01/b.tif": "matches no --include pattern ('*.pdf')",
        "2016/drafts": "excluded by --exclude 'drafts'",  # a folder excluded whole, by its name
        "2017/d.pdf": "excluded by --exclude '2017/*'",  # by the path relative to the folder named
    }
    files, skipped = expand_paths([tmp_path / "e.pdf", tmp_path / "2017" / "d.pdf"], exclude=["d.*"])
    assert files == [tmp_path / "e.pdf"] and skipped[0].reason == "excluded by --exclude 'd.*'"


def _identify_within(path: Path, seconds: float) -> BaseException | None:
    """identify(path) in a thread: a FIFO opened for reading would block the test forever."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            identify(path)
            outcome.append(None)
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"identify({path}) blocked"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifos_and_devices_are_refused_unopened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    error = _identify_within(fifo, 5)
    assert isinstance(error, BadInputError)
    assert str(error) == f"{fifo}: is a FIFO, not a regular file; refused without opening it"
    device = _identify_within(Path("/dev/null"), 5)
    assert isinstance(device, BadInputError) and "is a character device" in str(device)
    files, skipped = expand_paths([tmp_path])
    assert files == [] and skipped == [Skipped(fifo, "is a FIFO, not a regular file; refused without opening it")]


def test_batch_reports_skipped_files_and_refuses_a_named_fifo(guangdong: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(guangdong.read_bytes())
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    os.mkfifo(tmp_path / "pipe")
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([folder, tmp_path / "pipe"], archive)
    by_name = {Path(f.file).name: f for f in report.files}
    assert by_name[".DS_Store"].status == "skipped" and by_name["page.txt"].status == "ingested"
    assert by_name["pipe"].status == "failed" and "is a FIFO" in by_name["pipe"].reason


def test_sniff_reads_text_in_any_encoding_and_html_by_content() -> None:
    assert sniff("\ufeff索引号：1".encode("utf-16-le")) == "text"
    assert sniff(codecs.BOM_UTF16_LE + "<html><body><p>国务院</p></body></html>".encode("utf-16-le")) == "html"
    assert sniff(b"<!-- saved from url=(0022)http://www.gov.cn/ -->\n<html><p>x</p></html>") == "html"
    assert sniff("另存为\n<html><body>国务院</body></html>".encode("gb18030")) == "html"
    assert sniff(b"<?xml version='1.0'?>\n<rss><channel/></rss>") is None
    assert sniff(bytes(range(256)) * 4) is None
