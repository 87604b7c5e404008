"""Whole-segment evaluation of a query plan over a Whoosh searcher, with numpy.

Whoosh's matchers find the top hits one posting at a time, several Python calls a
posting and more for each query node above it, and the facets need another pass over
every match (`groupedby`). Here every primitive of `plan` gives, per segment, a boolean
array (which documents match) and a float array (their scores, 0 elsewhere):

- a term's postings are read once through Whoosh's public matcher (document numbers
  and weights) and kept in a small per-segment cache; BM25F is computed over the whole
  array with the statistics of Whoosh's own scorer (`BM25FScorer`'s `idf`, `avgfl`, `B`,
  `K1`), so the scores are those of `searcher.search` (up to the order of additions);
- `Bool` is array logic: a match needs every `must` (scores added), `should` scores are
  added where they match (and one must match when there is no `must`), `must_not` clears;
  this is what `And`, `AndMaybe`, `Or` and `AndNot` compute;
- a phrase starts from its rarest bigram and narrows the candidates bigram by bigram,
  checking positions (`value_as("positions")`, skipping to each candidate) only in the
  candidates, until the chosen bigrams cover every character of the string; it scores,
  as Whoosh's `Phrase` does, the sum of every one of its bigrams' scores;
- a one-character prefix adds up the scores of every term it starts (as `Prefix` does);
- a date range comes from the date column, every document from the live documents.

The total, the top hits, the date order and the facets then come from the same arrays.
Everything read is kept in an `Evaluator`, made with a searcher and dropped with it:
nothing is stored on Whoosh's objects.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
from whoosh import scoring

from gazette.search import plan, whoosh_internals

Arrays = tuple[np.ndarray, np.ndarray]  # (mask: bool[n], score: float64[n], 0 where not matching)
Postings = tuple[np.ndarray, np.ndarray]  # (docnums, weights) of the live documents holding a term

# Term postings kept per segment, least recently used dropped past these.
_CACHED_TERMS = 512
_CACHED_POSTINGS = 8_000_000
_CACHED_PREFIXES = 64
_CACHED_RANGES = 64
# A phrase's other bigrams are intersected as whole posting lists while they have at most
# this many postings per candidate left (beyond that, positions are read by skipping to each).
_INTERSECT_RATIO = 32


class Evaluator:
    """Evaluates plan primitives over every segment of one searcher, keeping what it has read
    (postings, scorers, lengths, columns) for as long as the searcher stays open."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.segments = [SegmentEval(searcher, leaf) for leaf, _base in searcher.leaf_searchers()]
        self._columns: dict[str, np.ndarray] = {}

    def matches(self, prim: plan.Prim) -> Arrays:
        """The mask and scores of every document (by global docnum)."""
        parts = [segment.run(prim) for segment in self.segments]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([mask for mask, _ in parts]), np.concatenate([score for _, score in parts])

    def top(self, prim: plan.Prim, want: int) -> tuple[np.ndarray, list[tuple[float, int]]]:
        """The mask of every match and the `want` best (score, docnum), highest score first, the
        lower docnum first among equal scores (the order of `searcher.search`)."""
        mask, score = self.matches(prim)
        docnums = np.flatnonzero(mask)
        found = score[docnums]
        if want < len(docnums):
            # Everything scoring at least the want-th best (ties at the cut included), then ordered.
            cut = np.partition(found, len(found) - want)[len(found) - want]
            keep = found >= cut
            docnums, found = docnums[keep], found[keep]
        order = np.lexsort((docnums, -found))[:want]
        return mask, [(float(found[i]), int(docnums[i])) for i in order]

    def by_column(self, prim: plan.Prim, field: str, want: int, reverse: bool) -> tuple[np.ndarray, list[int]]:
        """The mask of every match and the first `want` docnums ordered by a numeric column, then by
        docnum (the order of `searcher.search(..., sortedby=field, reverse=reverse)`)."""
        mask = self.matches(prim)[0]
        docnums = np.flatnonzero(mask)
        order = np.lexsort((docnums, self.column(field)[docnums]))
        if reverse:
            order = order[::-1]
        return mask, docnums[order[:want]].tolist()

    def column(self, field: str) -> np.ndarray:
        """Every document's value of a numeric column, by global docnum."""
        if field not in self._columns:
            parts = [segment.column(field) for segment in self.segments]
            self._columns[field] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._columns[field]


class SegmentEval:
    """Evaluates plan primitives over one segment (a leaf searcher of `top`), with its caches."""

    def __init__(self, top: Any, leaf: Any) -> None:
        self.leaf = leaf
        self.reader = leaf.reader()
        self.schema = self.reader.schema
        self.size = self.reader.doc_count_all()
        self.weighting = top.weighting
        self.terms: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self.held = 0  # postings in `terms`
        self.scorers: OrderedDict[tuple[str, bytes], Any] = OrderedDict()
        self.prefixes: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self.ranges: OrderedDict[tuple[str, int | None, int | None], np.ndarray] = OrderedDict()
        self.lengths: dict[str, np.ndarray] = {}
        self.columns: dict[str, np.ndarray] = {}
        self._live: np.ndarray | None = None

    # -- primitives ------------------------------------------------------------------

    def run(self, prim: plan.Prim, within: np.ndarray | None = None) -> Arrays:
        """`prim`'s matches and scores (fresh arrays, the caller's to change); where `within` is
        given, documents outside it may be left out."""
        if not self.size:
            return self._empty()
        if isinstance(prim, plan.Term):
            return self._term(prim.field, prim.text, prim.boost)
        if isinstance(prim, plan.Phrase):
            return self._phrase(prim.field, prim.terms, prim.boost, within)
        if isinstance(prim, plan.Prefix):
            return self._prefix(prim.field, prim.prefix)
        if isinstance(prim, plan.Range):
            return self._listed(self._range(prim.field, prim.low, prim.high))
        if isinstance(prim, plan.All):
            mask = self.live().copy()
            return mask, mask.astype(np.float64)
        if isinstance(prim, plan.Bool):
            return self._bool(prim, within)
        raise TypeError(f"not a plan primitive: {prim!r}")

    def _bool(self, prim: plan.Bool, within: np.ndarray | None) -> Arrays:
        if prim.must:
            # Phrases last: they then check only the documents every other `must` leaves.
            first, *rest = sorted(prim.must, key=_has_phrase)
            mask, score = self.run(first, within)
            for item in rest:
                other, other_score = self.run(item, mask if within is None else mask & within)
                mask &= other
                score += other_score
            if prim.should:
                score += self._union(prim.should, mask)[1]
        elif prim.should:
            mask, score = self._union(prim.should, within)
        else:
            return self._empty()
        for item in prim.must_not:
            mask &= ~self.run(item, mask)[0]
        score[~mask] = 0.0
        return mask, score

    def _union(self, items: tuple[plan.Prim, ...], within: np.ndarray | None) -> Arrays:
        mask, score = self.run(items[0], within)
        for item in items[1:]:
            other, other_score = self.run(item, within)
            mask |= other
            score += other_score
        return mask, score

    def _term(self, field: str, text: str, boost: float) -> Arrays:
        postings = self.postings(field, text)
        if postings is None:
            return self._empty()
        ids, weights = postings
        mask, score = self._empty()
        mask[ids] = True
        score[ids] = self.scores(field, text, ids, weights) * boost
        return mask, score

    def _prefix(self, field: str, prefix: str) -> Arrays:
        """Every term starting with `prefix`, scores added (Whoosh's `Prefix` ORs the terms)."""
        if field not in self.schema:
            return self._empty()
        ids, scores = _recall(
            self.prefixes, (field, prefix), _CACHED_PREFIXES, lambda: self._prefix_postings(field, prefix)
        )
        return np.bincount(ids, minlength=self.size) > 0, np.bincount(ids, weights=scores, minlength=self.size).astype(
            np.float64
        )

    def _prefix_postings(self, field: str, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of every term starting with `prefix`, one term after the other."""
        ids, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for btext in self.reader.expand_prefix(field, prefix):
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            postings = self.postings(field, text, keep=False)
            if postings is not None:
                ids.append(postings[0])
                scores.append(self.scores(field, text, *postings))
        return np.concatenate(ids), np.concatenate(scores)

    def _phrase(self, field: str, words: tuple[str, ...], boost: float, within: np.ndarray | None) -> Arrays:
        """Documents (among `within`, when given) with `words` at consecutive positions."""
        if field not in self.schema or not self.schema[field].format.supports("positions"):
            return self._empty()
        frequencies = [self.reader.doc_frequency(field, word) for word in words]  # (a term-table lookup each)
        if not min(frequencies):
            return self._empty()
        chosen = sorted(_cover(frequencies), key=lambda i: (frequencies[i], i))  # rarest first
        docs = self._candidates(field, words, frequencies, chosen, within)
        keys: np.ndarray | None = None  # docnum << 32 | start, of every start still possible
        for i in chosen:
            starts = _starts(self.reader.postings(field, words[i]), docs, i)
            keys = starts if keys is None else keys[np.isin(keys, starts, assume_unique=True)]
            docs = np.unique(keys >> 32)
            if not len(docs):
                return self._empty()
        total = np.zeros(len(docs))
        for word in words:  # every bigram, as Whoosh's `Phrase` scores (an `And` of its terms)
            total += self.scores(field, word, docs, self._weights_at(field, word, docs))
        mask, score = self._empty()
        mask[docs] = True
        score[docs] = total * boost
        return mask, score

    def _candidates(
        self, field: str, words: tuple[str, ...], frequencies: list[int], chosen: list[int], within: np.ndarray | None
    ) -> np.ndarray:
        """The documents holding the rarest chosen bigram (and every other one whose posting
        list is short beside what is left, or already read), among `within`."""
        ids = self.postings(field, words[chosen[0]])[0]  # type: ignore[index]
        if within is not None:
            ids = ids[within[ids]]
        for i in chosen[1:]:
            btext = self.schema[field].to_bytes(words[i])
            if len(ids) and (frequencies[i] <= _INTERSECT_RATIO * len(ids) or (field, btext) in self.terms):
                ids = ids[np.isin(ids, self.postings(field, words[i])[0], assume_unique=True)]  # type: ignore[index]
        return ids

    def _weights_at(self, field: str, word: str, docs: np.ndarray) -> np.ndarray:
        """The term's weight (its frequency) in each of `docs` (sorted; each holds the term)."""
        btext = self.schema[field].to_bytes(word)
        if (field, btext) in self.terms or self.reader.doc_frequency(field, word) <= _INTERSECT_RATIO * len(docs):
            ids, weights = self.postings(field, word)  # type: ignore[misc]
            return weights[np.searchsorted(ids, docs)]
        matcher, found = self.reader.postings(field, btext), []
        for docnum in docs.tolist():
            matcher.skip_to(docnum)
            found.append(matcher.weight())
        return np.array(found, dtype=np.float64)

    def _listed(self, docnums: np.ndarray) -> Arrays:
        mask, score = self._empty()
        mask[docnums] = True
        score[docnums] = 1.0
        return mask, score

    def _range(self, field: str, low: int | None, high: int | None) -> np.ndarray:
        """The live documents whose column value is within the bounds, in order (cached)."""

        def inside() -> np.ndarray:
            values = self.column(field)
            kept = self.live().copy()
            if low is not None:
                kept &= values >= low
            if high is not None:
                kept &= values <= high
            return np.flatnonzero(kept)

        return _recall(self.ranges, (field, low, high), _CACHED_RANGES, inside)  # type: ignore[no-any-return]

    # -- reading -----------------------------------------------------------------------

    def _empty(self) -> Arrays:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)

    def live(self) -> np.ndarray:
        """Which documents are not deleted."""
        if self._live is None:
            self._live = np.ones(self.size, dtype=bool)
            if self.reader.has_deletions():
                self._live[np.fromiter(self.reader.deleted_docs_set, dtype=np.int64)] = False
        return self._live

    def column(self, field: str) -> np.ndarray:
        if field not in self.columns:
            self.columns[field] = whoosh_internals.numeric_column(self.reader, field)
        return self.columns[field]

    def postings(self, field: str, text: str, keep: bool = True) -> Postings | None:
        """The live documents holding the term and its weight in each (None: no such term)."""
        if field not in self.schema:
            return None
        btext = self.schema[field].to_bytes(text)
        key = (field, btext)
        if key in self.terms:
            self.terms.move_to_end(key)
            return self.terms[key]
        if key not in self.reader:
            return None
        postings = _read_postings(self.reader.postings(field, btext))  # (deleted documents skipped)
        if keep:
            self._keep(key, postings)
        return postings

    def _keep(self, key: tuple[str, bytes], postings: Postings) -> None:
        self.terms[key] = postings
        self.held += len(postings[0])
        while len(self.terms) > _CACHED_TERMS or self.held > _CACHED_POSTINGS and len(self.terms) > 1:
            _, (dropped, _) = self.terms.popitem(last=False)
            self.held -= len(dropped)

    def field_lengths(self, field: str) -> np.ndarray:
        if field not in self.lengths:
            self.lengths[field] = whoosh_internals.field_lengths(self.reader, field)
        return self.lengths[field]

    def scores(self, field: str, text: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The term's score in each of `ids` given its weight there, as the searcher's scorer gives it."""
        btext = self.schema[field].to_bytes(text)
        # A scorer looks the term's statistics up in every segment: kept per segment.
        scorer = _recall(
            self.scorers, (field, btext), _CACHED_TERMS, lambda: self.weighting.scorer(self.leaf, field, btext)
        )
        if isinstance(scorer, scoring.BM25FScorer):
            fl = self.field_lengths(field)[ids]
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            scores: np.ndarray = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
            return scores
        if isinstance(scorer, scoring.WeightScorer):
            return weights.copy()
        raise TypeError(f"no array form of {type(scorer).__name__}")


def _recall(cache: OrderedDict[Any, Any], key: Any, limit: int, make: Callable[[], Any]) -> Any:
    """`cache[key]`, made by `make` when missing; the least recently used dropped past `limit`."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = cache[key] = make()
    while len(cache) > limit:
        cache.popitem(last=False)
    return value


def _has_phrase(prim: plan.Prim) -> bool:
    if isinstance(prim, plan.Phrase):
        return True
    if isinstance(prim, plan.Bool):
        return any(map(_has_phrase, prim.must + prim.should + prim.must_not))
    return False


def _cover(frequencies: list[int]) -> list[int]:
    """The bigrams (indexes) to check for a string: bigram i covers characters i and i + 1, so
    the first and the last are needed and no two chosen may be more than 2 apart; of those
    sets, the one with the fewest documents to go through (a bigram costs its document
    frequency, plus a constant that favours fewer bigrams)."""
    costs = [frequency + 64 for frequency in frequencies]
    best: list[tuple[int, list[int]]] = [(costs[0], [0])]
    for i in range(1, len(frequencies)):
        options = [best[i - 1]] + ([best[i - 2]] if i >= 2 else [])
        cost, path = min(options, key=lambda option: option[0])
        best.append((cost + costs[i], path + [i]))
    return list(best[-1][1])


def _read_postings(matcher: Any) -> Postings:
    """(docnums, weights) of a posting list, through the matcher's public methods."""
    ids: list[int] = []
    weights: list[float] = []
    is_active, docnum, weight, advance = matcher.is_active, matcher.id, matcher.weight, matcher.next
    while is_active():
        ids.append(docnum())
        weights.append(weight())
        advance()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _starts(matcher: Any, docs: np.ndarray, offset: int) -> np.ndarray:
    """``docnum << 32 | position - offset`` for each of `docs` (sorted) in the matcher's posting
    list and each of its positions from `offset` on (where the phrase would start), skipping
    to each document (`skip_to` passes whole blocks by their last id without reading them)."""
    holders: list[int] = []
    counts: list[int] = []
    positions: list[list[int]] = []
    for docnum in docs.tolist():
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            found = matcher.value_as("positions")
            holders.append(docnum)
            counts.append(len(found))
            positions.append(found)
    total = sum(counts)
    starts = np.fromiter(itertools.chain.from_iterable(positions), dtype=np.int64, count=total) - offset
    owners = np.repeat(np.array(holders, dtype=np.int64), np.array(counts, dtype=np.int64))
    kept = starts >= 0
    return owners[kept] << 32 | starts[kept]
