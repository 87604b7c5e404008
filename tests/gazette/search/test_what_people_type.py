"""What people type into the search box and the options, on both backends: 文号 prefixes,
two-digit and Chinese-numeral years, traditional characters, issuers as people shorten
them, type families, and what the command says when nothing (or no such page) is there."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import NotFoundError
from gazette.model import Document
from gazette.search import Filters, SearchBackend, get_backend, rebuild_index

from .conftest import BACKENDS, synthetic

#: Documents the corpus lacks: a provincial office, and a 文号 whose code starts with 国办函.
OTHERS = (
    dataclasses.replace(
        synthetic("粤办函〔2016〕629号", "广东省人民政府办公厅关于推进阳光政务建设工作的通知", "推进阳光政务建设。"),
        doc_number="粤办函〔2016〕629号",
        issuer=("广东省人民政府办公厅",),
        date_written="2016-12-12",
    ),
    dataclasses.replace(
        synthetic("国办函电〔2006〕1号", "国务院办公厅关于某事项的电报", "某事项。"),
        doc_number="国办函电〔2006〕1号",
        issuer=("国务院办公厅",),
        date_written="2006-01-05",
    ),
)

#: Every 国办函 document of the corpus, newest first.
GUOBANHAN = [
    "国办函〔2006〕71号",
    "国办函〔2005〕69号",
    "国办函〔2004〕71号",
    "国办函〔2004〕57号",
    "国办函〔2004〕36号",
    "国办函〔1996〕14号",
]


@pytest.fixture(scope="module", params=BACKENDS)
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, corpus: tuple[Document, ...]
) -> SearchBackend:
    backend = get_backend(request.param, tmp_path_factory.mktemp("typed") / request.param)
    backend.rebuild(corpus + OTHERS)
    return backend


def ids(index: SearchBackend, query: str, filters: Filters = Filters(), **options: object) -> list[str]:
    return [hit.id for hit in index.search(query, filters, limit=50, **options).hits]  # type: ignore[arg-type]


# -- 文号 prefixes ----------------------------------------------------------------------


def test_a_code_alone_finds_every_document_of_it_newest_first(index: SearchBackend) -> None:
    assert ids(index, "国办函") == GUOBANHAN  # not 国办函电〔2006〕1号: the code ends at the bracket
    assert ids(index, "國辦函") == GUOBANHAN
    assert ids(index, "文号:国办函") == GUOBANHAN


def test_a_code_with_a_year_finds_that_years_documents(index: SearchBackend) -> None:
    assert ids(index, "国办函〔2006〕") == ["国办函〔2006〕71号"]
    in_2004 = ["国办函〔2004〕71号", "国办函〔2004〕57号", "国办函〔2004〕36号"]
    for typed in (
        "国办函〔2004〕",
        "国办函[2004]",
        "国办函（04）",
        "国办函〔二〇〇四〕",
        "國辦函〔04〕",
        "文号:国办函〔2004〕",
    ):
        assert ids(index, typed) == in_2004, typed
    assert ids(index, "国办函 年份:2004") == ids(index, "年份:2004 国办函 -机关:国务院") == in_2004
    assert ids(index, "国办函", Filters(date_from="2004", date_to="2004")) == in_2004


def test_a_prefix_follows_sort_and_filters(index: SearchBackend) -> None:
    assert ids(index, "国办函", sort="date_asc") == GUOBANHAN[::-1]
    assert set(ids(index, "国办函", sort="relevance")) == set(GUOBANHAN)
    assert ids(index, "国办函", Filters(date_from="2005")) == GUOBANHAN[:2]
    result = index.search("国办函", limit=2, page=3)
    assert (result.total, [hit.id for hit in result.hits]) == (6, GUOBANHAN[4:])


def test_an_ordinary_word_is_not_taken_for_a_code(index: SearchBackend) -> None:
    # 国发 is a code the archive holds: its documents, not every text containing 国发 (全国发展 …)
    assert set(ids(index, "国发")) == {"国发〔2019〕3号", "国发〔2018〕42号", "国发〔2018〕41号", "国发〔2018〕39号"}
    # no 文号 starts with these, so they are searched in the text as before
    assert ids(index, "综合保税区") == ["国发〔2019〕3号"]
    assert ids(index, "粤府") == ids(index, '"粤府"')  # a known code the archive holds no document of
    assert ids(index, "阳光政务") == ["粤办函〔2016〕629号"]


# -- whole 文号 as people type them ----------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "国办函〔06〕71号",
        "国办函(06)71号",
        "国办函〔二〇〇六〕71号",
        "国办函〔二○○六〕第71号",
        "國辦函〔2006〕71號",
        "國辦函〔〇六〕71號",
    ],
)
def test_a_doc_number_with_a_short_chinese_or_traditional_year(index: SearchBackend, typed: str) -> None:
    assert ids(index, typed)[0] == "国办函〔2006〕71号"
    assert ids(index, f"文号:{typed}") == ["国办函〔2006〕71号"]


# -- issuers and types -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["广东省政府办公厅", "广东省人民政府办公厅", "廣東省政府辦公廳", "广东省府办公厅"])
def test_an_issuer_as_people_shorten_it(index: SearchBackend, typed: str) -> None:
    assert ids(index, "阳光政务", Filters(issuer=typed)) == ["粤办函〔2016〕629号"]
    assert ids(index, f"阳光政务 机关:{typed}") == ["粤办函〔2016〕629号"]


def test_an_alias_from_the_table(index: SearchBackend, corpus: tuple[Document, ...]) -> None:
    office = {doc.id for doc in corpus + OTHERS if doc.issuer == ("国务院办公厅",)}
    assert set(ids(index, "机关:国办")) == set(ids(index, "机关:国务院办公厅")) == office


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        (Filters(issuer="广东省政府办公室"), "unknown issuer '广东省政府办公室'.*closest known: 广东省人民政府办公厅"),
        (Filters(issuer="国务院办公室"), "unknown issuer.*closest known: 国务院办公厅"),
        (Filters(doc_type="通之"), "unknown document type '通之'.*closest known: 通知"),
    ],
)
def test_an_unknown_issuer_or_type_names_the_closest_known(index: SearchBackend, filters: Filters, says: str) -> None:
    with pytest.raises(NotFoundError, match=says):
        index.search("阳光政务", filters)


def test_a_known_issuer_without_documents_is_an_empty_result(index: SearchBackend) -> None:
    assert index.search("阳光政务", Filters(issuer="湖北省人民政府")).total == 0
    assert index.search("阳光政务", Filters(issuer="湖北省政府")).total == 0
    # an unknown name is reported only when the result is empty
    assert ids(index, "阳光政务 OR 机关:测试机关") == ["粤办函〔2016〕629号"]


def test_a_type_includes_its_family(index: SearchBackend, corpus: tuple[Document, ...]) -> None:
    letters = {doc.id for doc in corpus if doc.doc_type in ("函", "复函")}
    assert set(ids(index, "国务院", Filters(doc_type="函"))) == set(ids(index, "类型:函")) == letters
    assert set(ids(index, "类型:复函")) == {doc.id for doc in corpus if doc.doc_type == "复函"}
    assert "国办函〔2004〕36号" in ids(index, "国办函", Filters(doc_type="函"))  # a 复函


# -- nothing there -----------------------------------------------------------------------


def test_no_hits_and_a_page_past_the_end_keep_their_total(index: SearchBackend) -> None:
    assert index.search("独角兽企业").total == 0
    past = index.search("国办函", limit=5, page=9)
    assert (past.total, past.hits, past.pages(5)) == (6, (), 2)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[Document, ...]) -> Archive:
    store = Archive.create(tmp_path_factory.mktemp("typed-cli") / "archive")
    for doc in corpus + OTHERS:
        store.put_document(doc)
    for backend in BACKENDS:
        rebuild_index(store, backend)
    return store


def gazette(archive: Archive, *args: str) -> list[str]:
    return ["search", *args, "--archive", str(archive.root)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_command_line_reads_what_people_type(
    archive: Archive, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for typed, expected in (
        ("国办函", GUOBANHAN[:3]),
        ("国办函〔2006〕", ["国办函〔2006〕71号"]),
        ("国办函〔06〕71号", ["国办函〔2006〕71号"]),
        ("国办函〔二〇〇六〕71号", ["国办函〔2006〕71号"]),
        ("國辦函〔2006〕71號", ["国办函〔2006〕71号"]),
    ):
        assert run(gazette(archive, typed, "--json", "--limit", "3", "--backend", backend)) == 0
        assert [hit["id"] for hit in json.loads(capsys.readouterr().out)["hits"]][: len(expected)] == expected, typed
    assert run(gazette(archive, "阳光政务", "--issuer", "广东省政府办公厅", "--json", "--backend", backend)) == 0
    assert [hit["id"] for hit in json.loads(capsys.readouterr().out)["hits"]] == ["粤办函〔2016〕629号"]
    assert run(gazette(archive, "国办函", "--type", "函", "--json", "--backend", backend)) == 0
    assert "国办函〔2004〕36号" in [hit["id"] for hit in json.loads(capsys.readouterr().out)["hits"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_command_line_says_when_nothing_matches(
    archive: Archive, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(gazette(archive, '"独角兽企业"', "--type", "通知", "--backend", backend)) == 0
    shown = capsys.readouterr().out
    assert shown.splitlines()[0] == "no documents match"
    assert "--type narrows the search" in shown and "quoted phrase" in shown
    assert run(gazette(archive, "独角兽企业", "--json", "--backend", backend)) == 0
    assert json.loads(capsys.readouterr().out) == {
        "total": 0,
        "hits": [],
        "facets": {"issuer": {}, "doc_type": {}, "year": {}},
    }


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["国办函", "--page", "9"], 4, "page 9 is past the end: 6 documents, 1 page"),
        (["国办函", "--page", "4", "--limit", "2"], 4, "page 4 is past the end: 6 documents, pages 1–3"),
        (["国办函〔2006〕", "--page", "2", "--json"], 4, "page 2 is past the end: 1 document, 1 page"),
        (["阳光", "--issuer", "广东省政府办公室"], 4, "closest known: 广东省人民政府办公厅"),
        (["阳光", "--type", "通之"], 4, "closest known: 通知"),
    ],
)
def test_the_command_line_errors_are_one_line(
    archive: Archive, backend: str, args: list[str], code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(gazette(archive, *args, "--backend", backend)) == code
    captured = capsys.readouterr()
    assert captured.out == "" and says in captured.err and captured.err.count("\n") == 1


def test_the_help_shows_prefixes_and_families(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["search", "--help"]) == 0
    shown = capsys.readouterr().out
    for part in ("国办函〔2006〕", "newest first", "复函", "广东省政府办公厅"):
        assert part in shown, part
