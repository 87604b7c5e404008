from __future__ import annotations

from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.model import Block, Box, Document, GazetteRef, Provenance, ReviewFlag, Source


def make_document(**changes: object) -> Document:
    """A small but complete document; keyword arguments replace fields."""
    fields: dict[str, object] = {
        "id": "粤办函〔2016〕629号",
        "title": "广东省人民政府办公厅关于推进阳光政务建设工作的通知",
        "doc_number": "粤办函〔2016〕629号",
        "doc_number_printed": "粤办函[2016]629号",
        "issuer": ("广东省人民政府办公厅",),
        "doc_type": "通知",
        "date_written": "2016-12-12",
        "date_written_printed": "2016年12月12日",
        "date_published": "2016-12-16",
        "index_number": "006939748/2016-01043",
        "category": "综合政务、通知",
        "recipients": "各地级以上市人民政府",
        "disclosure": "主动公开",
        "jurisdiction": "cn-gd",
        "gazette": GazetteRef(name="广东省人民政府公报", year=2016, issue=35, total=None),
        "pages": (3, 4),
        "source": Source(file="gd.pdf", sha256="a" * 64, pages=12),
        "body": (
            Block(
                "paragraph",
                "为贯彻落实省阳光政务建设经验推介现场会精神，现将有关事项通知如下：",
                origin=(Box(3, 10, 20, 300, 40),),
            ),
            Block("heading", "一、推动决策公开", level=1),
            Block("paragraph", "2017年上半年省直部门要全面完成本部门本系统主动公开基本目录的编制工作。"),
        ),
        "signature": ("省府办公厅",),
        "confidence": {"doc_number": 0.99, "date_written": 0.7},
        "needs_review": (ReviewFlag("date_written", "date under a seal"),),
        "provenance": Provenance(engine="test", steps=("deskew",), created="2026-11-29"),
    }
    fields.update(changes)
    return Document(**fields)  # type: ignore[arg-type]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive.create(tmp_path / "archive")
