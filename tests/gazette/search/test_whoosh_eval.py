"""whoosh_eval against stock Whoosh as the oracle.

On indexes of several segments (committed apart, never merged), with many posting blocks
and deleted documents, every query must give what Whoosh's own `searcher.search` gives for
the same query built from Whoosh's own query classes (`Term`, `Phrase`, `Prefix`,
`NumericRange`, `Every`, `And`, `Or`, `AndMaybe`, and the search's `mask` for what is
excluded): the same matches, scores and order, totals, facet counts (`groupedby`) and
date order (`sortedby`).
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from typing import Any

import pytest
from whoosh import sorting

from gazette.model import Document
from gazette.search import SearchBackend, plan
from gazette.search import query as q
from gazette.search.analysis import stream
from gazette.search.backend import count_facets
from gazette.search.whoosh_eval import _cover

from .conftest import segmented_whoosh, varied
from .whoosh_stock import stock_search

QUERIES = [
    "国务院",
    "工作",
    "数字政府建设",
    "扶贫 OR 消防",
    "改革 -试点",
    "机关:国务院 年份:2018",
    "遵",
    "国办发 2018 128",
    "wto",
    '"综合保税区" 年份:2019',
    "日期:2018-01..2018-12 通知",
    "海绵城市试点",
    '"人民政府"',
    "类型:意见 -机关:国务院",
    "NOT 通知",
    "年份:2010..2015",
    "关于 OR 意见 OR 办法",
    "日期:..2000",
    "机关:测试机关 -类型:通知",
    "国务院办公厅关于",
]


def lowered(text: str) -> plan.Prim:
    return plan.lower(q.with_filters(q.parse_query(text), q.Filters()))


def tie_groups(hits: list[tuple[float, int]]) -> list[frozenset[int]]:
    """The docnums in rank order, those of equal scores (to rounding) together."""
    groups: list[set[int]] = []
    last: float | None = None
    for score, docnum in hits:
        if last is None or score != pytest.approx(last, rel=1e-9):
            groups.append(set())
        groups[-1].add(docnum)
        last = score
    return [frozenset(group) for group in groups]


def assert_as_whoosh(backend: SearchBackend, text: str) -> None:
    """Matches, scores, ranking, top hits, total, facets and date order: ours and stock Whoosh's."""
    current = backend._current()  # type: ignore[attr-defined]
    searcher, evaluator = current.searcher, current.evaluator
    prim = lowered(text)
    expected = [(hit.score, hit.docnum) for hit in stock_search(searcher, prim, limit=None)]
    mask, ours = evaluator.top(prim, max(1, len(expected)))
    assert sorted(mask.nonzero()[0].tolist()) == sorted(docnum for _, docnum in expected), text
    assert [score for score, _ in ours] == pytest.approx([score for score, _ in expected], rel=1e-9), text
    assert tie_groups(ours) == tie_groups(expected), text
    # The top ten through the backend, as `searcher.search(limit=10)` ranks them.
    result = backend.search(text, limit=10)
    by_docnum = {docnum: score for score, docnum in expected}
    top = [(hit.score, hit.docnum) for hit in stock_search(searcher, prim, limit=10)]
    assert [hit.score for hit in result.hits] == pytest.approx([score for score, _ in top], rel=1e-9), text
    docnums = {searcher.document_number(id=hit.id): hit for hit in result.hits}
    assert all(hit.score == pytest.approx(by_docnum[docnum], rel=1e-9) for docnum, hit in docnums.items()), text
    assert result.total == len(expected), text
    assert result.facets == stock_facets(searcher, prim), text
    # Date order, both ways, every match.
    for reverse, sort in ((False, "date_asc"), (True, "date_desc")):
        dated = [hit.docnum for hit in stock_search(searcher, prim, limit=None, sortedby="date", reverse=reverse)]
        assert evaluator.by_column(prim, "date", len(dated), reverse)[1] == dated, text
        found = backend.search(text, sort=sort, limit=max(1, len(dated)), facets=False)
        assert [searcher.document_number(id=hit.id) for hit in found.hits] == dated, text


def stock_facets(searcher: Any, prim: plan.Prim) -> dict[str, dict[str, int]]:
    """Issuer, type and year counts of every match by Whoosh's `groupedby`, kept as the backend keeps them."""
    facets = {
        "issuer": sorting.FieldFacet("issuer", allow_overlap=True),
        "doc_type": sorting.FieldFacet("doc_type"),
        "date": sorting.FieldFacet("date"),
    }
    results = stock_search(searcher, prim, limit=None, groupedby=facets, maptype=sorting.Count)
    years: Counter[int] = Counter()
    for date, n in results.groups("date").items():
        years[date // 10000] += n
    return count_facets(
        {
            "issuer": results.groups("issuer").items(),
            "doc_type": results.groups("doc_type").items(),
            "year": years.items(),
        }
    )


def random_strings(docs: list[Document], count: int, seed: int) -> list[str]:
    """Strings of 2–12 characters cut from the documents' text, quoted and not."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        text = stream(rng.choice(docs).text)
        size = rng.randint(2, 12)
        if len(text) > size:
            start = rng.randrange(len(text) - size)
            found.append(f'"{text[start : start + size]}"' if rng.random() < 0.7 else text[start : start + size])
    return found


@pytest.mark.parametrize("text", QUERIES)
def test_queries_give_what_whoosh_gives(segmented: SearchBackend, text: str) -> None:
    assert_as_whoosh(segmented, text)


def test_strings_from_the_documents_give_what_whoosh_gives(
    segmented: SearchBackend, corpus: tuple[Document, ...]
) -> None:
    for text in random_strings(varied(corpus, 600, seed=1), 40, seed=7):
        assert_as_whoosh(segmented, text)


@pytest.mark.slow
def test_a_large_index_of_many_segments_gives_what_whoosh_gives(
    tmp_path_factory: pytest.TempPathFactory, corpus: tuple[Document, ...]
) -> None:
    docs = varied(corpus, 6000, seed=2)
    backend = segmented_whoosh(tmp_path_factory.mktemp("large") / "whoosh", docs, 5, 150)
    current = backend._current()  # type: ignore[attr-defined]
    assert len(current.evaluator.segments) == 5 and current.searcher.reader().has_deletions()
    # Common bigrams have postings in hundreds of documents, many blocks of 128 postings each.
    assert current.searcher.doc_frequency("body", "国务") > 4 * 128
    for text in QUERIES + random_strings(docs, 40, seed=3):
        assert_as_whoosh(backend, text)


def test_cover_keeps_the_ends_and_no_gap_over_one() -> None:
    assert _cover([5]) == [0]
    assert _cover([1, 1]) == [0, 1]
    assert _cover([9, 1000, 1, 1000, 9]) == [0, 2, 4]
    for frequencies in ([3, 1, 4, 1, 5, 9, 2, 6], [1000] * 9, list(range(12, 0, -1))):
        chosen = _cover(frequencies)
        assert chosen[0] == 0 and chosen[-1] == len(frequencies) - 1
        assert all(b - a <= 2 for a, b in itertools.pairwise(chosen))
