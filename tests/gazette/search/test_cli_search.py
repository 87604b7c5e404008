"""`gazette index` and `gazette search` as a person or a script uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.model import Document


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[Document, ...]) -> Archive:
    store = Archive.create(tmp_path_factory.mktemp("cli") / "archive")
    for doc in corpus:
        store.put_document(doc)
    return store


def gazette(archive: Archive, *args: str) -> list[str]:
    return [*args, "--archive", str(archive.root)]


@pytest.mark.parametrize("backend", ["whoosh", "tantivy"])
def test_index_then_search_json(archive: Archive, backend: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(gazette(archive, "index", "--rebuild", "--backend", backend)) == 0
    assert "20 documents" in capsys.readouterr().out
    assert (
        run(gazette(archive, "search", "粤办函 2016 629 OR 国办发（2018）128 号", "--json", "--backend", backend)) == 0
    )
    capsys.readouterr()
    assert run(gazette(archive, "search", "国办发（2018）128 号", "--json", "--backend", backend, "--limit", "3")) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"total", "hits", "facets"}
    assert set(result["hits"][0]) == {"id", "score", "title", "doc_number", "date_written", "issuer", "snippet"}
    assert result["hits"][0]["id"] == "国办发〔2018〕128号"
    assert set(result["facets"]) == {"issuer", "doc_type", "year"}


def test_index_says_when_tantivy_is_faster(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gazette.search import service

    assert run(gazette(archive, "index", "--backend", "whoosh")) == 0
    assert "tantivy" not in capsys.readouterr().err  # 20 documents: under the threshold
    monkeypatch.setattr(service, "TANTIVY_FROM", 19)
    assert run(gazette(archive, "index", "--backend", "whoosh")) == 0
    notes = capsys.readouterr().err.strip().splitlines()
    assert notes == ["note: 20 documents: tantivy is faster past 19 (gazette index --backend tantivy)"]
    assert run(gazette(archive, "index", "--backend", "tantivy", "--json")) == 0
    assert "tantivy is faster" not in capsys.readouterr().err


def test_options_filter_sort_and_page(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "search",
        "国务院",
        "--issuer",
        "国务院办公厅",
        "--from",
        "2004",
        "--to",
        "2005-12",
        "--sort",
        "-date",
        "--json",
    ]
    assert run(gazette(archive, *args, "--limit", "2", "--page", "2")) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 5
    assert [hit["date_written"] for hit in result["hits"]] == ["2004-08-12", "2004-04-17"]
    assert result["facets"]["doc_type"] == {"函": 2, "复函": 1, "答复": 1, "通报": 1}
    assert run(gazette(archive, *args, "--type", "函")) == 0
    # (a 复函 is a 函)
    assert [hit["id"] for hit in json.loads(capsys.readouterr().out)["hits"]] == [
        "国办函〔2004〕71号",
        "国办函〔2004〕57号",
        "国办函〔2004〕36号",
    ]


def test_human_output_has_highlights_and_facets(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(gazette(archive, "search", "綜合保稅區")) == 0
    shown = capsys.readouterr().out
    assert "国务院关于促进综合保税区高水平开放高质量发展的若干意见" in shown
    assert "国发〔2019〕3号 · 2019-01-12 · 国务院" in shown
    assert "1–1 of 1 documents" in shown and "年份 year: 2019 (1)" in shown


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["search", '"综合保税区'], "unbalanced quote"),
        (["search", "日期:2016-13"], "month 13"),
        (["search", "保税", "--sort", "oldest"], "--sort takes"),
        (["search", "保税", "--from", "May"], "is not a date"),
        (["search", "保税", "--backend", "lucene"], "one of whoosh, tantivy"),
    ],
)
def test_malformed_input_is_one_line_and_a_nonzero_exit(archive: Archive, args: list[str], says: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gazette", *gazette(archive, *args)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and says in done.stderr and "Traceback" not in done.stderr


def test_help_documents_the_query_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["search", "--help"]) == 0
    shown = capsys.readouterr().out
    for part in (
        '"阳光政务"',
        "-通报",
        "OR",
        "文号:",
        "docno:",
        "机关:",
        "issuer:",
        "类型:",
        "type:",
        "年份:",
        "year:",
        "日期:",
    ):
        assert part in shown, part
