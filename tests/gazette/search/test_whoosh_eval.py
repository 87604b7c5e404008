"""The Whoosh backend's array evaluation gives what Whoosh's own matchers give, posting by posting."""

from __future__ import annotations

import heapq
import random
from pathlib import Path
from typing import Any

import pytest

from gazette.model import Document
from gazette.search import get_backend, plan
from gazette.search import query as q
from gazette.search.analysis import stream
from gazette.search.whoosh_backend import _compile, _range_docnums
from gazette.search.whoosh_eval import _cover, evaluate

QUERIES = [
    "国务院", "数字政府建设", "扶贫 OR 消防", "改革 -试点", "机关:国务院 年份:2018", "遵", "国办发 2018 128",
    "wto", '"综合保税区" 年份:2019', "日期:2018-01..2018-12 通知", "海绵城市试点",
]


def walk(searcher: Any, prim: plan.Prim, want: int) -> tuple[set[int], list[tuple[float, int]]]:
    """Every match and the top `want` as Whoosh's matchers give them (what the backend did before)."""
    compiled, context, found, heap = _compile(prim), searcher.context(), set(), []
    for leaf, base in searcher.leaf_searchers():
        matcher = compiled.matcher(leaf, context)
        while matcher.is_active():
            docnum = base + matcher.id()
            found.add(docnum)
            item = (matcher.score(), -docnum)
            if len(heap) < want:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
            matcher.next()
    return found, [(score, -negated) for score, negated in sorted(heap, reverse=True)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, all_docs: tuple[Document, ...]) -> Any:
    backend = get_backend("whoosh", Path(tmp_path_factory.mktemp("eval")) / "whoosh")
    backend.rebuild(all_docs)
    backend.delete([all_docs[3].id])  # a deletion: arrays must leave the document out too
    return backend._current()  # type: ignore[attr-defined]


def lowered(text: str) -> plan.Prim:
    return plan.lower(q.with_filters(q.parse_query(text), q.Filters()))


@pytest.mark.parametrize("text", QUERIES)
def test_same_matches_top_and_scores_as_whoosh(searcher: Any, text: str) -> None:
    prim = lowered(text)
    mask, top = evaluate(searcher, prim, 10, _range_docnums)
    found, expected = walk(searcher, prim, 10)
    assert set(mask.nonzero()[0].tolist()) == found
    assert [docnum for _, docnum in top] == [docnum for _, docnum in expected]
    assert [score for score, _ in top] == pytest.approx([score for score, _ in expected], rel=1e-9)


def test_phrases_match_what_whoosh_matches(searcher: Any, corpus: tuple[Document, ...]) -> None:
    rng = random.Random(7)
    for _ in range(60):
        text = stream(rng.choice(corpus).text)
        size = rng.randint(3, 12)
        start = rng.randrange(len(text) - size)
        prim = lowered(f'"{text[start : start + size]}"')
        assert set(evaluate(searcher, prim, 10, _range_docnums)[0].nonzero()[0].tolist()) == walk(searcher, prim, 10)[0]


def test_cover_keeps_the_ends_and_no_gap_over_one() -> None:
    assert _cover([5]) == [0]
    assert _cover([1, 1]) == [0, 1]
    assert _cover([9, 1000, 1, 1000, 9]) == [0, 2, 4]
    for frequencies in ([3, 1, 4, 1, 5, 9, 2, 6], [1000] * 9, list(range(12, 0, -1))):
        chosen = _cover(frequencies)
        assert chosen[0] == 0 and chosen[-1] == len(frequencies) - 1
        assert all(b - a <= 2 for a, b in zip(chosen, chosen[1:]))
