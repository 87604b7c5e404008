"""Fixtures of the publish tests: the fonts, sample documents, a Word file, a published sample issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette import akn
from gazette.archive import Archive
from gazette.demo import load_samples, sample_xml_files
from gazette.model import Document
from publish.fonts import FontSet, load_fonts
from tests.publish.wordfile import write_docx

ISSUE_TOML = """\
[issue]
gazette = "政府公报样刊"
year = 2026
number = 12
total = 1234
date = 2026-06-30
publisher = "广东省人民政府办公厅"

[[sections]]
title = "省政府文件"
documents = ["粤办函[2016] 629号", "drafts/通知.docx"]

[[sections]]
title = "国务院文件"
documents = ["国发〔2019〕3号", "国办发〔2018〕109号"]
"""


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    return load_fonts()


@pytest.fixture(scope="session")
def samples() -> dict[str, Document]:
    return {
        path.stem: akn.document_from_xml(path.read_bytes(), path=str(path)) for path in sample_xml_files("documents")
    }


def make_issue(folder: Path, toml: str = ISSUE_TOML) -> tuple[Path, Path]:
    """An archive holding the samples and an ISSUE.toml beside a Word draft; returns (manifest, archive)."""
    archive_root = folder / "archive"
    load_samples(Archive.create(archive_root))
    (folder / "drafts").mkdir(parents=True, exist_ok=True)
    write_docx(folder / "drafts" / "通知.docx")
    manifest = folder / "issue.toml"
    manifest.write_text(toml, "utf-8")
    return manifest, archive_root


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample issue published (unsigned) into OUT; returns OUT."""
    from publish.run import publish_issue

    folder = tmp_path_factory.mktemp("issue")
    manifest, archive_root = make_issue(folder)
    publish_issue(manifest, folder / "out", Archive.open_existing(archive_root))
    return folder / "out"
