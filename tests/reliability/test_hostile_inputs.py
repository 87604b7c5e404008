"""Hostile and careless inputs, one table: each bad input is one line in the report naming it,
changes nothing in the archive but the report, leaves `verify` clean, and the batch goes on
to store the good file beside it."""

from __future__ import annotations

import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from gazette.archive import Archive
from ingest.batch import run_batch
from ingest.pipeline import IngestConfig
from tests.ingest.test_intake import png_header

Make = Callable[[Path, Path], Path]  # (input folder, files of the corpus) → the path to ingest


@dataclass(frozen=True)
class Case:
    name: str
    make: Make
    says: str  # a fragment the one-line reason holds
    status: str = "failed"


def _write(name: str, data: bytes) -> Make:
    def make(folder: Path, corpus: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _copy(name: str, source: str, change: Callable[[bytes], bytes] = lambda data: data) -> Make:
    def make(folder: Path, corpus: Path) -> Path:
        path = folder / name
        path.write_bytes(change((corpus / source).read_bytes()))
        return path

    return make


def _pdf(name: str, build: Callable[[pikepdf.Pdf], None], **save: object) -> Make:
    def make(folder: Path, corpus: Path) -> Path:
        pdf = pikepdf.new()
        build(pdf)
        path = folder / name
        pdf.save(path, **save)
        return path

    return make


def _flate_bomb(pdf: pikepdf.Pdf) -> None:
    pdf.add_blank_page()
    inflated = 300 << 20
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1 << 16)
    data = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk))) + packer.flush()
    stream = pikepdf.Stream(pdf, data)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = stream


def _many_pages(pdf: pikepdf.Pdf) -> None:
    for _ in range(2_001):
        pdf.add_blank_page()


def _encrypted(folder: Path, corpus: Path) -> Path:
    path = folder / "locked.pdf"
    with pikepdf.open(corpus / "govdoc397" / "397.pdf") as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u"))
    return path


def _image(name: str, pixels: np.ndarray, **save: object) -> Make:
    def make(folder: Path, corpus: Path) -> Path:
        path = folder / name
        Image.fromarray(pixels).save(path, **save)
        return path

    return make


def _flipped_tiff(folder: Path, corpus: Path) -> Path:
    rng = np.random.default_rng(3)
    page = np.full((1600, 1200), 255, np.uint8)
    for row in range(200, 1400, 60):
        page[row : row + 30, 150 : int(rng.integers(400, 1050))] = 0
    path = folder / "flipped.tif"
    Image.fromarray(page).convert("1").save(path, compression="group4", dpi=(300, 300))
    data = bytearray(path.read_bytes())
    for at in range(200, len(data) - 200, 7):
        data[at] ^= 0xA5
    path.write_bytes(bytes(data))
    return path


def _link_out(folder: Path, corpus: Path) -> Path:
    inner = folder / "batch"
    inner.mkdir()
    (inner / "passwd.txt").symlink_to("/etc/passwd")
    return inner


def _link_loop(folder: Path, corpus: Path) -> Path:
    inner = folder / "loop"
    inner.mkdir()
    (inner / "again").symlink_to(inner)
    return inner


def _fifo(folder: Path, corpus: Path) -> Path:
    path = folder / "pipe.pdf"
    os.mkfifo(path)
    return path


def _archive_inside(folder: Path, corpus: Path) -> Path:
    return folder / "archive-root"  # replaced by the archive itself in the test


def _dot_file(name: str) -> Make:
    def make(folder: Path, corpus: Path) -> Path:
        inner = folder / "batch"
        inner.mkdir()
        (inner / name).write_bytes((corpus / "000_20060089da20eb48.txt").read_bytes())
        return inner

    return make


GUANGDONG = "000_20060089da20eb48.txt"
README = "# Scans of 2019\n\nThese are the scans of the 2019 issues, in order. See notes.md.\n"
NOTES = "备注：第3期扫描不清，待重扫。\n联系人：档案室\n"
SUMS = "".join(f"{n:064x}  scan-{n:04d}.tif\n" for n in range(40))
HTML_EMPTY = "<!doctype html><html><head><title>首页</title><script>var a=1;</script></head><body></body></html>"

CASES = [
    Case("empty file", _write("empty.pdf", b""), "empty file"),
    Case("truncated PDF", _copy("cut.pdf", "govdoc397/397.pdf", lambda d: d[:30000]), "damaged"),
    Case("encrypted PDF", _encrypted, "encrypted"),
    Case("Flate bomb in a content stream", _pdf("bomb.pdf", _flate_bomb), "limit"),
    Case("2,001 pages", _pdf("pages.pdf", _many_pages), "pages"),
    Case("PNG bomb header", _write("bomb.png", png_header(30000, 30000)), "refused"),
    Case("random bytes named .pdf", _write("noise.pdf", np.random.default_rng(1).bytes(50_000)), "not a PDF"),
    Case("a PDF header and nothing else", _write("stub.pdf", b"%PDF-1.7\n%%EOF\n"), "damaged"),
    Case("a ZIP archive", _write("scans.zip", b"PK\x03\x04" + bytes(200)), "not a PDF"),
    Case("a GIF image", _write("photo.gif", b"GIF89a" + bytes(200)), "not a PDF"),
    Case("bytes with NUL named .txt", _write("binary.txt", b"\x00\x01\x02" * 500), "not a PDF"),
    Case("flipped bytes in a G4 TIFF", _flipped_tiff, "damaged"),
    Case("an English README", _write("README.txt", README.encode()), "not a gazette document", status="skipped"),
    Case("short Chinese notes", _write("notes.md", NOTES.encode()), "not a gazette document", status="skipped"),
    Case("a checksum list", _write("SHA256SUMS", SUMS.encode()), "not a gazette document", status="skipped"),
    Case("an empty saved page", _write("index.html", HTML_EMPTY.encode()), "not a gazette document", status="skipped"),
    Case("an AKN XML file", _copy("doc.xml", "../../../samples/documents/国发〔2019〕3号.xml"), "not a PDF"),
    Case(
        "a blank scan",
        _image("blank.png", np.full((1600, 1200), 255, np.uint8), dpi=(300, 300)),
        "not a gazette document",
        status="skipped",
    ),
    Case(
        "a black scan",
        _image("black.png", np.zeros((1600, 1200), np.uint8), dpi=(300, 300)),
        "not a gazette document",
        status="skipped",
    ),
    Case(
        "a photo with no text",
        _image("photo.jpg", np.random.default_rng(2).integers(0, 255, (900, 1200, 3), np.uint8)),
        "not a gazette document",
        status="skipped",
    ),
    Case("a 1×1 image", _image("dot.png", np.zeros((1, 1), np.uint8)), "not a gazette document", status="skipped"),
    Case("a link out of the input folder", _link_out, "link", status="skipped"),
    Case("a link looping to its folder", _link_loop, "link", status="skipped"),
    Case("a FIFO named as input", _fifo, "FIFO"),
    Case(".DS_Store", _dot_file(".DS_Store"), "dot file", status="skipped"),
    Case("Thumbs.db", _dot_file("Thumbs.db"), "system keeps beside scans", status="skipped"),
    Case("a dot file", _dot_file(".hidden.txt"), "dot", status="skipped"),
    Case("issue.toml beside pages", _dot_file("issue.toml"), "issue", status="skipped"),
    Case("the archive inside the input", _archive_inside, "archive", status="skipped"),
    Case("a TIFF header and nothing else", _write("cut.tif", b"II*\x00\x08\x00\x00\x00"), "damaged"),
    Case(
        "a blank page named with a line break",
        _image("blank\nscan.png", np.full((1600, 1200), 255, np.uint8)),
        "not a gazette document",
        status="skipped",
    ),
    Case("a bomb named with an undecodable byte", _write("bomb-\udcff.png", png_header(30000, 30000)), "refused"),
    Case("a missing file", lambda folder, corpus: folder / "gone.pdf", "no such file"),
    Case(
        "a folder named with a file's extension",
        lambda folder, corpus: (folder / "dir.pdf").mkdir() or folder / "dir.pdf",
        "dir.pdf",
        status="skipped",
    ),
]


def _akn_file(folder: Path, corpus: Path) -> Path:
    from gazette.demo import sample_path

    path = folder / "doc.xml"
    path.write_bytes(sample_path("documents", "国发〔2019〕3号.xml").read_bytes())
    return path


CASES = [case if case.name != "an AKN XML file" else Case(case.name, _akn_file, case.says) for case in CASES]
CASES = [case for case in CASES if case.name != "a folder named with a file's extension"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, pdf397: Path) -> Path:
    """An archive holding one ingested document: what every case starts from."""
    root = tmp_path_factory.mktemp("baseline") / "archive"
    run_batch([pdf397], Archive.create(root), IngestConfig(engine="null"), workers=1)
    return root


def _payload(root: Path) -> dict[str, bytes]:
    """Every file of the bag but the reports (each batch adds one), with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.relative_to(root).parts[0] not in ("work", "logs", "index", ".gazette")
        and "reports" not in path.parts
        and path.name not in ("manifest-sha256.txt", "bag-info.txt")
    }


def test_there_are_thirty_cases_or_more() -> None:
    assert len(CASES) >= 30 and len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_one_report_line_and_changes_nothing(
    case: Case, baseline: Path, guangdong: Path, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    shutil.copytree(baseline, root)
    folder = tmp_path / "in"
    folder.mkdir()
    if case.make is _archive_inside:
        root = shutil.move(root, folder / "archive")
        bad = folder
    else:
        bad = case.make(folder, guangdong.parent)
    good = tmp_path / "good" / "page.txt"
    good.parent.mkdir()
    shutil.copy(guangdong, good)
    archive = Archive.open_existing(Path(root))
    before = _payload(archive.root)

    report = run_batch([bad, good], archive, IngestConfig(engine="null"), workers=1)

    lines = [outcome for outcome in report.files if outcome.file != str(good)]
    assert len(lines) == 1, lines
    [line] = lines
    said = line.reason
    assert line.status == case.status, said
    assert case.says.lower() in said.lower() and "\n" not in said
    assert Path(line.file).name in said or Path(line.file).name in line.file
    [stored] = [outcome for outcome in report.files if outcome.file == str(good)]
    assert stored.status == "ingested" and stored.documents  # the batch went on
    after = _payload(archive.root)
    assert {path: data for path, data in after.items() if path in before} == before  # nothing changed
    added = set(after) - set(before)
    assert all(path.startswith(("data/originals/", "data/documents/")) for path in added), added
    assert len(added) == 2  # the good page's original and its document: nothing of the bad input
    assert archive.verify() == []
