"""The gazette-document screen: files beside the scans are not documents, real documents always are."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gazette.archive import Archive
from gazette.model import Block, Document
from ingest.batch import run_batch
from ingest.pipeline import IngestConfig
from ingest.screen import MIN_HAN_CHARACTERS, not_a_gazette_document
from samples.corpus import corpus_file, load_records

ROOT = Path(__file__).resolve().parents[2]


def _doc(text: str, **fields: object) -> Document:
    title = str(fields.pop("title", ""))
    return Document(id="x", title=title, body=(Block("paragraph", text),), **fields)  # type: ignore[arg-type]


def test_a_field_or_enough_han_text_keeps_a_source() -> None:
    short = "国务院办公厅关于同意的复函"  # a dozen Han characters
    assert not_a_gazette_document([_doc(short, title="关于同意的复函")]) is None
    assert not_a_gazette_document([_doc(short, doc_number="国办函〔1996〕14号")]) is None
    assert not_a_gazette_document([_doc(short, issuer=("国务院办公厅",))]) is None
    assert not_a_gazette_document([_doc(short, date_published="2016-12-16")]) is None
    assert not_a_gazette_document([_doc("政" * MIN_HAN_CHARACTERS)]) is None
    reason = not_a_gazette_document([_doc("政" * (MIN_HAN_CHARACTERS - 1) + " and English words")])
    assert reason == (
        f"not a gazette document: no 文号, title, issuer or date, and only {MIN_HAN_CHARACTERS - 1} "
        f"Han characters (threshold {MIN_HAN_CHARACTERS})"
    )
    assert not_a_gazette_document([]) is not None  # nothing was read at all


def _photo(path: Path) -> Path:
    """A photo-like picture: soft gradients and sensor noise, no text."""
    rows, cols = np.mgrid[0:1600, 0:1200]
    sky = 200 - rows / 16 + 30 * np.sin(cols / 90.0)
    noise = np.random.default_rng(3).normal(0, 6, sky.shape)
    pixels = np.clip(np.stack([sky + noise, sky * 0.9 + noise, sky * 0.7 + noise], axis=2), 0, 255)
    Image.fromarray(pixels.astype(np.uint8)).save(path)
    return path


def test_files_beside_scans_are_not_stored_as_documents(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "README.txt").write_text("# 2016 scans\n\nScanned 2017-03-01 by the team. 整理：张三\n", "utf-8")
    (folder / "notes.md").write_text("## 笔记\n\n- 第3期缺页，待补扫\n- 联系人：李四\n", "utf-8")
    names = ("国办函〔1996〕14号.pdf", "国发〔2019〕3号.pdf", "粤办函〔2016〕629号.pdf")  # sha256sum's format
    sums = "".join(f"{hashlib.sha256(name.encode()).hexdigest()}  scans/{name}\n" for name in names)
    (folder / "SHA256SUMS").write_text(sums, "utf-8")
    (folder / "english.txt").write_text(
        "The State Council issued a notice on comprehensive bonded zones. This translation is unofficial.\n", "utf-8"
    )
    _photo(folder / "holiday.png")
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([folder], archive, IngestConfig(engine="null"), workers=1)
    assert {Path(f.file).name: f.status for f in report.files} == dict.fromkeys(
        ("README.txt", "notes.md", "SHA256SUMS", "english.txt", "holiday.png"), "skipped"
    )
    assert all(f.reason.startswith("not a gazette document: no 文号, title, issuer or date") for f in report.files)
    assert not list(archive.documents())


def test_real_documents_pass_the_screen(pdf397: Path, guangdong: Path, tmp_path: Path) -> None:
    shortest = min(load_records(), key=lambda record: len(record["body"]))  # 252 Han characters
    page = tmp_path / "shortest.txt"
    page.write_text(f"文号: {shortest['doc_number']}\n\n{shortest['body']}\n", "utf-8")
    archive = Archive.create(tmp_path / "archive")
    report = run_batch([pdf397, guangdong, page], archive)
    assert [f.status for f in report.files] == ["ingested"] * 3
    assert report.summary()["documents"] == 3


@pytest.mark.parametrize("name", ["000_20060089da20eb48.txt", "govdoc397/397.txt"])
def test_corpus_plain_texts_pass(name: str, tmp_path: Path) -> None:
    body = corpus_file(name).read_text("utf-8").split("\n\n", 1)[-1]  # the Guangdong page without its header
    page = tmp_path / "body.txt"
    page.write_text(body, "utf-8")
    report = run_batch([page], Archive.create(tmp_path / "archive"))
    assert report.files[0].status == "ingested"
