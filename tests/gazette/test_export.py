"""`gazette export`: public documents only, one per document, in id order; a report in the archive."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.export import export
from gazette.model import Source
from tests.gazette.conftest import make_document


@pytest.fixture
def mixed(archive: Archive) -> Archive:
    archive.put_document(make_document())
    archive.put_document(
        make_document(id="国发〔2019〕3号", doc_number="国发〔2019〕3号", title="国务院关于扶贫的通知")
    )
    archive.put_document(make_document(id="secret", doc_number=None, disclosure="不予公开"))
    archive.put_document(make_document(id="gone", doc_number=None, withdrawn="不是公报文件"))
    archive.put_document(
        make_document(
            id="粤办函〔2016〕629号~12345678", reading_of="粤办函〔2016〕629号", source=Source("scan.tif", "b" * 64, 2)
        )
    )
    archive.flush()
    return archive


def test_jsonl_holds_the_public_documents_in_id_order(mixed: Archive, tmp_path: Path) -> None:
    report = export(mixed, "jsonl", tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["国发〔2019〕3号", "粤办函〔2016〕629号"]
    assert rows[1]["issuer"] == ["广东省人民政府办公厅"] and "text" in rows[1]
    assert report.left_out == {"不予公开": 1, "withdrawn": 1, "reading": 1}
    assert "\\u" not in (tmp_path / "out.jsonl").read_text("utf-8")
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o044 == 0o044  # readable by the machine's other users
    (saved,) = (mixed.data / "reports").glob("*-export.json")
    text = saved.read_text("utf-8")
    assert "不予公开" in text and json.loads(text)["documents"] == 2 and "seconds" in text and "engine" in text
    assert saved.stat().st_mode & 0o044 == 0o044 and mixed.verify() == []


def test_csv_and_akn_zip(mixed: Archive, tmp_path: Path) -> None:
    export(mixed, "csv", tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    assert [row["id"] for row in rows] == ["国发〔2019〕3号", "粤办函〔2016〕629号"]
    assert rows[1]["title"] == "广东省人民政府办公厅关于推进阳光政务建设工作的通知"
    export(mixed, "akn-zip", tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as bundle:
        names = bundle.namelist()
        assert names == ["documents/国发〔2019〕3号.xml", "documents/粤办函〔2016〕629号.xml"]
        assert bundle.read(names[1]) == mixed.document_path("粤办函〔2016〕629号").read_bytes()


def test_export_from_the_command_line(mixed: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--archive", str(mixed.root)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["国发〔2019〕3号", "粤办函〔2016〕629号"]
    assert "exported 2 documents" in captured.err and "1 不予公开" in captured.err
    assert run(["export", "扶贫", "--archive", str(mixed.root)]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["国发〔2019〕3号"]
