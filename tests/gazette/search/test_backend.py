"""One suite, run on every backend: what a citizen searching the archive relies on."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest

from gazette.docnumber import parse_doc_number
from gazette.model import Block, Document
from gazette.search import Filters, SearchBackend, get_backend
from gazette.search.analysis import fold, stream
from gazette.search.backend import FACET_SIZE

from .conftest import BACKENDS, EXTRA, synthetic

SAMPLES = 200


def ids(backend: SearchBackend, query: str, filters: Filters = Filters(), **options: object) -> list[str]:
    return [hit.id for hit in backend.search(query, filters, limit=100, facets=False, **options).hits]  # type: ignore[arg-type]


def substrings(corpus: tuple[Document, ...], count: int, seed: int) -> list[tuple[str, str]]:
    """`count` random 4–12 character substrings of the bodies, each with at least two letters or digits."""
    rng = random.Random(seed)
    found: list[tuple[str, str]] = []
    while len(found) < count:
        doc = rng.choice(corpus)
        size = rng.randint(4, 12)
        start = rng.randrange(len(doc.text) - size)
        piece = doc.text[start : start + size]
        if len(stream(piece)) >= 2 and not any(quote in fold(piece) for quote in '"“”'):
            found.append((doc.id, piece))
    return found


def test_every_substring_of_a_body_finds_its_document(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    for doc_id, piece in substrings(corpus, SAMPLES, seed=5):
        assert doc_id in ids(built, f'"{piece}"'), piece


def test_an_unquoted_chinese_substring_finds_its_document(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    han = [
        (doc_id, piece)
        for doc_id, piece in substrings(corpus, 400, seed=6)
        if stream(piece) == piece and not piece.isascii()
    ]
    assert len(han) > 50
    for doc_id, piece in han:
        assert doc_id in ids(built, piece), piece


def test_a_phrase_that_does_not_occur_finds_nothing(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    streams = [stream(doc.text) + stream(doc.title) for doc in corpus]
    tried = 0
    for _, piece in substrings(corpus, 100, seed=7):
        absent = piece[::-1]
        if len(stream(absent)) >= 3 and not any(stream(absent) in text for text in streams):
            assert built.search(f'"{absent}"').total == 0, absent
            tried += 1
    assert tried > 30


def printed_forms(canonical: str) -> list[str]:
    number = parse_doc_number(canonical)
    assert number is not None
    code, year, seq = number.code, number.year, number.sequence
    return [
        canonical,
        f"{code}[{year}]{seq}号",
        f"{code}（{year}）{seq} 号",
        f"{code}〔{year}〕第{seq}号",
        f"{code} {year} {seq}",
    ]


def test_every_doc_number_in_five_printed_forms_is_rank_one(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    for doc in corpus:
        assert doc.doc_number
        for printed in printed_forms(doc.doc_number):
            assert built.search(printed, limit=1).hits[0].id == doc.id, printed
        assert ids(built, f"文号:{printed_forms(doc.doc_number)[1]}") == [doc.id]


def test_contiguous_string_ranks_above_its_parts(built: SearchBackend) -> None:
    assert ids(built, "数字政府建设") == ["contiguous", "in-parts"]
    assert ids(built, '"数字政府建设"') == ["contiguous"]


def test_title_matches_rank_higher(built: SearchBackend) -> None:
    assert ids(built, '"海绵城市"') == ["title-match", "body-match"]


def test_traditional_query_finds_simplified_text(built: SearchBackend) -> None:
    assert ids(built, "綜合保稅區") == ids(built, "综合保税区") == ["国发〔2019〕3号"]
    assert ids(built, '"國務院辦公廳關於印發"') == ids(built, '"国务院办公厅关于印发"') != []


def test_full_width_and_half_width_fold_together(built: SearchBackend) -> None:
    assert ids(built, "wto") == ids(built, "ＷＴＯ") == ["full-width"]
    assert ids(built, '"第123条"') == ["full-width"]
    assert ids(built, "2018年") == ids(built, "２０１８年") != []


def test_a_single_character_is_found(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    expected = {doc.id for doc in corpus if "遵" in doc.text or "遵" in doc.title}
    assert set(ids(built, "遵")) == expected != set()


def test_exclusion_and_or(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    def having(word: str) -> set[str]:
        return {doc.id for doc in corpus if word in doc.text or word in doc.title}

    assert set(ids(built, "扶贫 -脱贫")) == having("扶贫") - having("脱贫")
    assert set(ids(built, "扶贫 OR 瓦斯")) == having("扶贫") | having("瓦斯")
    assert set(ids(built, '-"国务院"')) == {doc.id for doc in EXTRA if doc.is_public}


def test_filters_in_the_query_and_as_options(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    state_council = {doc.id for doc in corpus if doc.issuer == ("国务院",)}
    assert set(ids(built, "机关:国务院")) == set(ids(built, "国务院", Filters(issuer="国务院"))) == state_council
    notices = {doc.id for doc in corpus if doc.doc_type == "通知"} | {doc.id for doc in EXTRA if doc.is_public}
    assert set(ids(built, "类型:通知")) == set(ids(built, "type:通知")) == notices
    in_2018 = {doc.id for doc in corpus if doc.date_written and doc.date_written.startswith("2018")}
    assert set(ids(built, "年份:2018")) == set(ids(built, "日期:2018-01..2018-12")) == in_2018
    december = {doc.id for doc in corpus if (doc.date_written or "").startswith("2018-12")}
    assert set(ids(built, "国务院", Filters(date_from="2018-12", date_to="2018-12"))) == december
    assert set(ids(built, "日期:2004..2005 机关:国务院办公厅 类型:函")) == {
        doc.id for doc in corpus if doc.doc_type in ("函", "复函") and (doc.date_written or "")[:4] in ("2004", "2005")
    }  # (a 复函 is a 函)


def test_facets_count_every_match(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    result = built.search('"国务院"')
    matching = [doc for doc in corpus if "国务院" in stream(doc.text + doc.title)]
    assert result.total == len(matching)
    assert result.facets["issuer"] == dict(Counter(doc.issuer[0] for doc in matching).most_common(FACET_SIZE))
    assert result.facets["year"] == {
        str(year): n
        for year, n in sorted(
            Counter(int(doc.date_written[:4]) for doc in matching).items(), key=lambda kv: (-kv[1], str(kv[0]))
        )
    }
    assert sum(result.facets["doc_type"].values()) == len(matching)
    assert built.search('"国务院"', facets=False).total == len(matching)  # (counted another way)


def test_an_undated_document_counts_in_the_total_but_shows_no_year(fresh: SearchBackend) -> None:
    fresh.update(
        [
            synthetic("dated", "关于甲的通知", "提到青蛙。"),
            synthetic("undated", "关于乙的通知", "也提到青蛙。", date_written=None),
        ]
    )
    result = fresh.search("青蛙")
    assert result.total == 2 and result.facets["year"] == {"2001": 1} and result.facets["doc_type"] == {"通知": 2}


def test_sort_by_date_and_pagination(built: SearchBackend, corpus: tuple[Document, ...]) -> None:
    dated = sorted(corpus, key=lambda doc: doc.date_written or "")
    assert ids(built, "机关:国务院办公厅 OR 机关:国务院", sort="date_asc") == [doc.id for doc in dated]
    assert ids(built, "机关:国务院办公厅 OR 机关:国务院", sort="date_desc") == [doc.id for doc in reversed(dated)]
    everything = ids(built, '"国务院"')
    pages = [built.search('"国务院"', page=page, limit=7) for page in (1, 2, 3, 4)]
    assert [hit.id for result in pages for hit in result.hits] == everything
    assert {result.total for result in pages} == {len(everything)}
    assert pages[-1].hits == ()


def test_hits_carry_metadata_and_a_highlighted_snippet(built: SearchBackend) -> None:
    hit = built.search("綜合保稅區").hits[0]
    assert (hit.title, hit.doc_number, hit.date_written, hit.issuer) == (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
        "国发〔2019〕3号",
        "2019-01-12",
        ("国务院",),
    )
    assert 1 <= len(hit.snippet.fragments) <= 3
    assert "<mark>综合保税区</mark>" in hit.snippet.html()
    assert set(hit.to_json()) == {"id", "score", "title", "doc_number", "date_written", "issuer", "snippet"}


def test_not_public_is_never_indexed(built: SearchBackend, all_docs: tuple[Document, ...]) -> None:
    assert built.search('"鹦鹉螺计划"').total == 0
    assert "private" not in built.ids()
    assert built.count() == sum(doc.is_public for doc in all_docs)


def test_an_index_of_no_documents_finds_nothing_and_counts_nothing(fresh: SearchBackend) -> None:
    # An archive whose only document is 不予公开: its index holds no document at all.
    assert fresh.rebuild([EXTRA[-1]]) == 0 and fresh.count() == 0
    for query in ("通知", '"鹦鹉螺计划"', "NOT 通知", "年份:2001", "遵", "wto"):
        for sort in ("relevance", "date_asc", "date_desc"):
            result = fresh.search(query, sort=sort)  # type: ignore[arg-type]
            assert (result.total, result.hits, result.facets) == (0, (), {"issuer": {}, "doc_type": {}, "year": {}}), (
                query
            )


def test_update_replace_make_private_and_delete(fresh: SearchBackend) -> None:
    first = synthetic("a", "关于甲的通知", "原来的正文提到青蛙。")
    fresh.update([first, synthetic("b", "关于乙的通知", "另一件提到青蛙。")])
    assert sorted(ids(fresh, "青蛙")) == ["a", "b"]
    fresh.update([dataclasses.replace(first, body=(Block("paragraph", "新的正文提到蝌蚪。"),))])
    assert ids(fresh, "青蛙") == ["b"] and ids(fresh, "蝌蚪") == ["a"]
    fresh.update([dataclasses.replace(first, disclosure="不予公开")])
    assert ids(fresh, "蝌蚪") == [] and fresh.count() == 1
    fresh.delete(["b"])
    assert fresh.count() == 0 and ids(fresh, "青蛙") == []


def test_both_backends_give_identical_results(
    tmp_path_factory: pytest.TempPathFactory, all_docs: tuple[Document, ...]
) -> None:
    backends = []
    for name in BACKENDS:
        backend = get_backend(name, tmp_path_factory.mktemp("same") / name)
        backend.rebuild(all_docs)
        backends.append(backend)
    queries = [
        "国务院",
        '"综合保税区"',
        "扶贫 OR 消防",
        "数字政府建设",
        "改革 -试点",
        "机关:国务院 年份:2018",
        "遵",
        "国办发 2018 128",
        "wto",
    ]
    for query in queries:
        results = [backend.search(query, limit=100) for backend in backends]
        assert len({result.total for result in results}) == 1, query
        assert len({frozenset(hit.id for hit in result.hits) for result in results}) == 1, query
        assert results[0].facets == results[1].facets, query
        dated = [[hit.id for hit in backend.search(query, sort="date_desc", limit=100).hits] for backend in backends]
        assert dated[0] == dated[1], query
