"""`gazette publish` end to end: outputs, reproducibility, the archive, refusals."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import bagit
import pdfplumber

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import ExitCode
from tests.publish.conftest import ISSUE_TOML, make_issue


def test_outputs_and_sums(published: Path) -> None:
    names = sorted(path.relative_to(published).as_posix() for path in published.rglob("*.pdf"))
    assert names == [
        "documents/国办发〔2018〕109号.pdf",
        "documents/国发〔2019〕3号.pdf",
        "documents/粤办函〔2016〕629号.pdf",
        "documents/粤办函〔2026〕88号.pdf",
        "issue.pdf",
    ]
    for line in (published / "SHA256SUMS").read_text("utf-8").splitlines():
        sha, name = line.split("  ")
        assert hashlib.sha256((published / name).read_bytes()).hexdigest() == sha


def test_publishing_twice_gives_the_same_bytes_and_stores_once(tmp_path: Path) -> None:
    manifest, archive = make_issue(tmp_path)
    for out in ("a", "b"):
        assert run(["publish", str(manifest), "--out", str(tmp_path / out), "--archive", str(archive)]) == 0
    assert (tmp_path / "a" / "SHA256SUMS").read_bytes() == (tmp_path / "b" / "SHA256SUMS").read_bytes()
    for path in (tmp_path / "a").rglob("*.pdf"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    store = Archive.open_existing(archive)
    assert store.verify() == []
    bagit.Bag(str(store.root)).validate()  # any BagIt tool accepts the bag after publishing into it
    assert store.get_document("粤办函〔2026〕88号").gazette.issue == 12
    issue = next(issue for issue in store.issues() if issue.id == "政府公报样刊-2026-12")
    assert [entry.document_id for entry in issue.entries][:2] == ["粤办函〔2016〕629号", "粤办函〔2026〕88号"]
    published = store.data / "published" / "政府公报样刊-2026-12"
    assert (published / "issue.pdf").read_bytes() == (tmp_path / "a" / "issue.pdf").read_bytes()
    assert (published / "documents" / "粤办函〔2026〕88号.pdf").is_file()


def test_signed_run_verifies_and_is_reproducible_with_a_signing_time(tmp_path: Path, capsys) -> None:
    manifest, archive = make_issue(tmp_path)
    assert run(["keys", "create", "--out", str(tmp_path / "keys"), "--name", "广东省人民政府办公厅"]) == 0
    sign = ["--sign", str(tmp_path / "keys" / "signer.p12"), "--signing-time", "2026-06-30T10:00:00+08:00"]
    for out in ("s1", "s2"):
        assert run(["publish", str(manifest), "--out", str(tmp_path / out), "--archive", str(archive), *sign]) == 0
    assert (tmp_path / "s1" / "SHA256SUMS").read_bytes() == (tmp_path / "s2" / "SHA256SUMS").read_bytes()
    pdfs = [str(path) for path in sorted((tmp_path / "s1").rglob("*.pdf"))]
    capsys.readouterr()
    assert run(["verify", *pdfs, "--trust", str(tmp_path / "keys" / "signer.pem")]) == 0
    assert "covers the whole file" in capsys.readouterr().out
    damaged = tmp_path / "damaged.pdf"
    data = bytearray(Path(pdfs[0]).read_bytes())
    data[len(data) // 2] ^= 0x20
    damaged.write_bytes(bytes(data))
    assert run(["verify", str(damaged)]) == ExitCode.damaged
    assert "changed" in capsys.readouterr().err
    assert run(["verify", str(tmp_path / "s1" / "issue.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["covers_whole_file"] is True


def test_not_public_and_unknown_entries_are_refused(tmp_path: Path, capsys) -> None:
    manifest, archive = make_issue(tmp_path)
    store = Archive.open_existing(archive)
    from dataclasses import replace

    store.put_document(replace(store.get_document("国发〔2019〕3号"), disclosure="不予公开"))
    store.flush()
    assert (
        run(["publish", str(manifest), "--out", str(tmp_path / "o"), "--archive", str(archive)]) == ExitCode.bad_input
    )
    err = capsys.readouterr().err
    assert "不予公开" in err and len(err.strip().splitlines()) == 1
    manifest.write_text(ISSUE_TOML.replace("国发〔2019〕3号", "国发〔2099〕1号"), "utf-8")
    assert (
        run(["publish", str(manifest), "--out", str(tmp_path / "o"), "--archive", str(archive)]) == ExitCode.not_found
    )
    assert "国发〔2099〕1号" in capsys.readouterr().err
    assert not (tmp_path / "o" / "issue.pdf").exists()


def test_a_bad_manifest_is_one_line(tmp_path: Path, capsys) -> None:
    manifest = tmp_path / "issue.toml"
    manifest.write_text('[issue]\ngazette = "公报"\nyear = 2026\nnumber = 1\ndate = "June"\n', "utf-8")
    assert run(["publish", str(manifest), "--out", str(tmp_path / "o"), "--archive", str(tmp_path / "a")]) == 3
    assert "date" in capsys.readouterr().err


def test_the_issue_pdf(published: Path) -> None:
    with pdfplumber.open(published / "issue.pdf") as pdf:
        cover = pdf.pages[0].extract_text()
        assert (
            "政府公报样刊" in cover and "2026年第12期" in cover and "总第1234期" in cover and "2026年6月30日" in cover
        )
        contents = "".join(pdf.pages[1].extract_text().split())
        assert "目录" in contents and "【省政府文件】" in contents and "（粤办函〔2016〕629号）……" in contents
        first = pdf.pages[2].extract_text()
        assert re.search(r"政府公报样刊\s2026年第12期", first) and "— 1 —" in first
        assert "广东省人民政府办公厅关于推进阳光" in first.replace("\n", "") and "广东省人民政府办公厅文件" not in first
        outline = [item for item in pdf.doc.get_outlines()]
    titles = [title for _, title, *_ in outline]
    assert titles[:2] == ["省政府文件", "广东省人民政府办公厅关于推进阳光政务建设工作的通知"]
    assert "国务院文件" in titles and len(titles) == 2 + 4
