from pathlib import Path

import pikepdf

from gazette.archive import Archive
from gazette.cli import run
from ingest.batch import run_batch
from tests.ingest.test_intake import png_header


def test_bad_inputs_fail_one_line_each_and_the_batch_goes_on(pdf397: Path, guangdong: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    run_batch([pdf397], archive)
    before = {path: sha for path, sha in archive.manifest().items()}

    bad = tmp_path / "in"
    bad.mkdir()
    with pikepdf.open(pdf397) as pdf:
        pdf.save(bad / "1-locked.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    (bad / "2-cut.pdf").write_bytes(pdf397.read_bytes()[:30000])
    (bad / "3-empty.pdf").write_bytes(b"")
    (bad / "4-bomb.png").write_bytes(png_header(30000, 30000))
    (bad / "5-page.pdf").write_bytes(guangdong.read_bytes())  # a text page named .pdf
    report = run_batch([bad], archive)

    failed = {Path(f.file).name: f.reason for f in report.failed}
    assert set(failed) == {"1-locked.pdf", "2-cut.pdf", "3-empty.pdf", "4-bomb.png"}
    assert all("\n" not in reason and name in reason for name, reason in failed.items())
    page = next(f for f in report.files if f.file.endswith("5-page.pdf"))
    assert page.status == "ingested" and any("named .pdf but is TEXT" in note for note in page.notes)
    after = archive.manifest()
    assert all(after[path] == sha for path, sha in before.items())
    assert not [p for p in archive.verify() if p.kind != "unexpected" or "reports" not in p.path]
    assert report.summary()["documents"] == 1


def test_a_file_already_ingested_is_skipped(pdf397: Path, tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "archive")
    assert run_batch([pdf397], archive).summary()["documents"] == 1
    again = run_batch([pdf397], archive)
    assert again.summary()["skipped"] == 1 and again.summary()["documents"] == 0


def test_cli_ingest_and_review(pdf397: Path, guangdong: Path, tmp_path: Path, capsys) -> None:
    archive = str(tmp_path / "archive")
    assert run(["ingest", str(pdf397), str(guangdong), "--archive", archive]) == 0
    assert run(["list", "--archive", archive, "--json"]) == 0
    assert "发改办财金规〔2019〕860号" in capsys.readouterr().out
    assert run(["review", "--archive", archive]) == 0
    assert "0 fields need review" in capsys.readouterr().out
    assert run(["ingest", str(tmp_path / "missing.pdf"), "--archive", archive]) != 0


def test_two_originals_with_one_doc_number_both_stay(guangdong: Path, tmp_path: Path) -> None:
    # A second printing of the same 文号 (here: the saved page with one more line) must not replace the first.
    reprint = tmp_path / "reprint.txt"
    reprint.write_text(guangdong.read_text("utf-8") + "\n（此件公开发布）\n", "utf-8")
    archive = Archive.create(tmp_path / "archive")
    (first,) = run_batch([guangdong], archive).files[0].documents
    (second,) = run_batch([reprint], archive).files[0].documents
    assert first == "粤办函〔2016〕629号" and second.startswith("粤办函〔2016〕629号~")
    assert archive.get_document(first).source.file == guangdong.name
    kept = archive.get_document(second)
    assert kept.doc_number == "粤办函〔2016〕629号"
    assert any(flag.field == "doc_number" and first in flag.reason for flag in kept.needs_review)
    assert run_batch([reprint], archive).summary()["skipped"] == 1
    assert not archive.verify()
