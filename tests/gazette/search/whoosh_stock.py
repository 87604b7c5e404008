"""A query plan as Whoosh's own query classes: the oracle the Whoosh tests compare the backend
with, and what the benchmark's `whoosh-stock` system searches with."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from gazette.search import plan


def stock(prim: plan.Prim) -> wq.Query:
    """The plan primitive as Whoosh's own query classes."""
    if isinstance(prim, plan.Term):
        return wq.Term(prim.field, prim.text, boost=prim.boost)
    if isinstance(prim, plan.Phrase):
        return wq.Phrase(prim.field, list(prim.terms), boost=prim.boost)
    if isinstance(prim, plan.Prefix):
        return wq.Prefix(prim.field, prim.prefix)
    if isinstance(prim, plan.Range):
        if prim.low:
            return wq.NumericRange(prim.field, prim.low, prim.high)
        # (whoosh-reloaded 2.7.5: a NumericRange from 0 or open below, on an unsigned field,
        # matches every document; the undated documents, 0, are asked for apart)
        return wq.Or([wq.NumericRange(prim.field, 1, prim.high), wq.Term(prim.field, 0)])
    if isinstance(prim, plan.All):
        return wq.Every()
    query = _positive(prim)
    if prim.must_not:
        query = wq.AndNot(query, wq.Or([stock(item) for item in prim.must_not]))
    return query


def _positive(prim: plan.Bool) -> wq.Query:
    if not prim.must:
        return wq.Or([stock(item) for item in prim.should]) if prim.should else wq.NullQuery
    query = wq.And([stock(item) for item in prim.must])
    return wq.AndMaybe(query, wq.Or([stock(item) for item in prim.should])) if prim.should else query


def stock_search(searcher: Any, prim: plan.Prim, **options: Any) -> Any:
    """`searcher.search` of the primitive as Whoosh's own queries. What a query excludes at its
    top is given as the search's `mask`: whoosh-reloaded 2.7.5's `AndNot` keeps the first
    document of its positive side when the excluded side starts before it (`AndNotMatcher.
    _find_first` compares the first ids for equality only), in every segment."""
    if isinstance(prim, plan.Bool) and prim.must_not:
        options["mask"] = wq.Or([stock(item) for item in prim.must_not])
        return searcher.search(_positive(prim), **options)
    return searcher.search(stock(prim), **options)
