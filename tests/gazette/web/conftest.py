"""Archives to build sites from: the samples with documents that test every rule, and helpers
to read every file of a built site."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gazette.archive import Archive, file_name_for_id
from gazette.demo import load_samples
from gazette.model import Block, Document, Issue, IssueEntry, Provenance, Source
from gazette.web.rendercache import CACHE
from gazette.web.site import build_site
from tests.gazette.conftest import make_document

SCRIPT_TITLE = "关于<script>alert('标题')</script>“引号”&的通知"
INTERPRETATION_TITLE = "《关于促进综合保税区高水平开放高质量发展的若干意见》政策解读"
#: Documents no public output may name: their titles and ids are searched for in every file.
ON_REQUEST = make_document(
    id="测办发〔2020〕7号",
    doc_number="测办发〔2020〕7号",
    title="依申请公开的内部事项甲的通知",
    disclosure="依申请公开",
    index_number="000000001/2020-00007",
    gazette=None,
    date_published="2020-02-01",
    source=None,
    pages=(),
)
#: An original holding a public document (page 1) and NOT_PUBLIC (page 2), and one of a public document alone.
SHARED_BYTES = b"%PDF-1.4 a bound volume: one public document, one not"
SHARED_SOURCE = hashlib.sha256(SHARED_BYTES).hexdigest()
OWN_BYTES = b"%PDF-1.4 one public document"
OWN_SOURCE = hashlib.sha256(OWN_BYTES).hexdigest()
NOT_PUBLIC = make_document(
    id="测密函〔2020〕8号",
    doc_number="测密函〔2020〕8号",
    title="不予公开的敏感事项乙的函",
    disclosure="不予公开",
    index_number="000000001/2020-00008",
    gazette=None,
    date_published="2020-02-02",
    issuer=("测试保密局",),
    pages=(2,),
    source=Source(file="合订本.pdf", sha256=SHARED_SOURCE, pages=2),
)
HIDDEN = (ON_REQUEST, NOT_PUBLIC)
SECOND_ISSUE = Issue(
    id="测试公报-2020-2",
    name="测试公报",
    year=2020,
    number=2,
    date="2020-03-01",
    total_number=12,
    publisher="测试市人民政府办公室",
    entries=(
        IssueEntry("测政发〔2020〕1号", "测试市人民政府关于表格和列表的通知", "测政发〔2020〕1号", 1, "市政府文件"),
        IssueEntry(NOT_PUBLIC.id, NOT_PUBLIC.title, NOT_PUBLIC.doc_number, 5, "市政府文件"),
    ),
)
LOCAL_ROOT = "/home/clerk/扫描件/2020"  # an input's local path: never in a public output


def extra_documents() -> list[Document]:
    """Documents beside the samples: a table and list, a hostile title, an interpretation, hidden ones."""
    structured = make_document(
        id="测政发〔2020〕1号",
        doc_number="测政发〔2020〕1号",
        title="测试市人民政府关于表格和列表的通知",
        issuer=("测试市人民政府",),
        date_written="2020-02-20",
        date_published="2020-03-01",
        disclosure=None,
        index_number=None,
        category=None,
        subject_words=("表格", "列表"),
        gazette=None,
        pages=(1,),
        source=Source(file="合订本.pdf", sha256=SHARED_SOURCE, pages=2),
        provenance=Provenance(engine="test", created="2026-01-01", input_path=f"{LOCAL_ROOT}/合订本.pdf"),
        body=(
            Block("paragraph", "现将有关事项通知如下："),
            Block("heading", "一、总体要求", level=1),
            Block("heading", "（一）基本原则", level=2),
            Block("list_item", "1. 第一项"),
            Block("list_item", "2. 第二项"),
            Block("heading", "1. 细则", level=3),
            Block("heading", "（1）条款", level=4),
            Block("table", "地区\t数量\n甲\t1", rows=(("地区", "数量"), ("甲", "1"))),
            Block("attachment", "附件：统计表"),
        ),
        signature=("测试市人民政府",),
    )
    hostile = make_document(
        id="2020-01-05-hostile",
        doc_number=None,
        doc_number_printed=None,
        title=SCRIPT_TITLE,
        issuer=("测试<b>机关</b>",),
        date_written="2020-01-05",
        date_published=None,
        gazette=None,
        source=Source(file="来文.pdf", sha256=OWN_SOURCE, pages=1),
        pages=(1,),
        disclosure="主动公开",
    )
    interpretation = make_document(
        id="2019-01-26-interpretation",
        doc_number=None,
        doc_number_printed=None,
        title=INTERPRETATION_TITLE,
        issuer=("国务院办公厅",),
        date_written="2019-01-26",
        date_published="2019-01-26",
        gazette=None,
        source=None,
        pages=(),
        disclosure=None,
        index_number=None,
    )
    return [structured, hostile, interpretation, *HIDDEN]


def make_site_archive(root: Path) -> Archive:
    """The samples, `extra_documents`, a second issue, published PDFs, an original and page images."""
    archive = Archive.create(root)
    load_samples(archive)
    for doc in extra_documents():
        archive.put_document(doc)
    archive.put_issue(SECOND_ISSUE)
    for issue_id, doc_ids in (
        ("政府公报样刊-2019-1", ["国发〔2019〕3号"]),
        (SECOND_ISSUE.id, ["测政发〔2020〕1号", NOT_PUBLIC.id]),
    ):
        folder = f"published/{file_name_for_id(issue_id)}"
        archive.put_file(f"{folder}/issue.pdf", f"%PDF-1.7 issue {issue_id}".encode())
        for doc_id in doc_ids:
            archive.put_file(f"{folder}/documents/{file_name_for_id(doc_id)}.pdf", f"%PDF-1.7 {doc_id}".encode())
    for page in (1, 2):
        archive.put_file(f"pages/{SHARED_SOURCE}/{page:04d}.png", f"png page {page}".encode())
    archive.put_file(f"pages/{OWN_SOURCE}/0001.png", b"png page of its own")
    for name, content in (("合订本.pdf", SHARED_BYTES), ("来文.pdf", OWN_BYTES)):
        original = root.parent / name
        original.write_bytes(content)
        archive.store_original(original)
    archive.flush()
    return archive


@pytest.fixture(scope="module")
def site_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return make_site_archive(tmp_path_factory.mktemp("archive") / "archive")


@pytest.fixture(scope="module")
def site(site_archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of `site_archive`, built with a base URL."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(site_archive, out, "https://gazette.example.gov.cn/")
    return out


def site_files(out: Path) -> Iterator[Path]:
    """Every file a build wrote (the manifest and lock included)."""
    return (path for path in sorted(out.rglob("*")) if path.is_file())


@dataclass(frozen=True)
class Tree:
    files: dict[str, bytes]

    @classmethod
    def of(cls, out: Path) -> Tree:
        """The site's files; not the render cache, which records its files' mtimes (`rendercache`)."""
        return cls(
            {path.relative_to(out).as_posix(): path.read_bytes() for path in site_files(out) if path.name != CACHE}
        )
