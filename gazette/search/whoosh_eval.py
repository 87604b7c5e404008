"""Whole-segment evaluation of a query plan over a Whoosh index, with numpy.

Whoosh's matchers walk the matches one posting at a time, several Python calls each:
at 100,000 documents a common word matches tens of thousands and that walk, not the
reading, is most of a query. Here every primitive of `plan` gives, per segment, a
boolean array (which documents match) and a float array (their scores, 0 elsewhere):

- a term's postings are read block by block (ids and term frequencies, never a
  posting at a time) and kept in a small per-reader cache; BM25F is computed over
  the whole array with the formula and statistics of Whoosh's own `BM25FScorer`,
  so scores are those of the matcher walk (up to the order of additions);
- `Bool` is array logic: a match needs every `must` (scores added), `should`
  scores are added where they match (and one must match when there is no `must`),
  `must_not` clears;
- a phrase starts from its rarest bigram, then narrows the candidates bigram by
  bigram, rarest first, checking positions only in the candidates (a block's at once,
  as arrays), until the chosen bigrams cover every character of the string (a document
  has the string exactly when it has those bigrams at those offsets); its score is the
  sum of the chosen bigrams' BM25F scores;
- a one-character prefix adds up the scores of every term it starts (kept per reader);
- a date range comes from the date column, every document from the live documents.

The total, the top hits and the facets then come from the same arrays.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length

from gazette.search import plan

Arrays = tuple[np.ndarray, np.ndarray]  # (mask: bool[n], score: float64[n], 0 where not matching)

# Term postings kept per segment reader, least recently used dropped past these.
_CACHED_TERMS = 512
_CACHED_POSTINGS = 8_000_000
_CACHED_PREFIXES = 64
_BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)


class SegmentEval:
    """Evaluates plan primitives over one segment (a leaf searcher of `top`)."""

    def __init__(self, top: Any, leaf: Any, column_docnums: Any) -> None:
        self.top, self.leaf = top, leaf
        self.reader = leaf.reader()
        self.size = self.reader.doc_count_all()
        self.weighting = top.weighting
        self._column_docnums = column_docnums  # (reader, Range) -> the docnums in range
        self.cache: dict[str, Any] = self.reader.__dict__.setdefault("_gazette_eval", {})

    # -- primitives ------------------------------------------------------------------

    def run(self, prim: plan.Prim, within: np.ndarray | None = None) -> Arrays:
        """`prim`'s matches and scores; where `within` is given, documents outside it may be left out."""
        if isinstance(prim, plan.Term):
            return self._term(prim.field, prim.text, prim.boost)
        if isinstance(prim, plan.Phrase):
            return self._phrase(prim.field, prim.terms, prim.boost, within)
        if isinstance(prim, plan.Prefix):
            return self._prefix(prim.field, prim.prefix)
        if isinstance(prim, plan.Range):
            return self._listed(self._column_docnums(self.reader, prim))
        if isinstance(prim, plan.All):
            mask = self._live().copy()
            return mask, mask.astype(np.float64)
        if isinstance(prim, plan.Bool):
            return self._bool(prim, within)
        return self._walk(prim)

    def _bool(self, prim: plan.Bool, within: np.ndarray | None) -> Arrays:
        if prim.must:
            # Phrases last: they then check only the documents every other `must` leaves.
            first, *rest = sorted(prim.must, key=_has_phrase)
            mask, score = self.run(first, within)  # (fresh arrays, as every `run` gives: changed in place)
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
        postings = self._postings(field, text)
        if postings is None:
            return self._empty()
        ids, tf = postings
        mask, score = self._empty()
        mask[ids] = True
        score[ids] = self._scores(field, text, ids, tf) * boost if boost != 1.0 else self._scores(field, text, ids, tf)
        return mask, score

    def _prefix(self, field: str, prefix: str) -> Arrays:
        """Every term starting with `prefix`, scores added (as Whoosh's `Prefix` does: its
        `constantscore` falls back to the searcher's weighting); kept per reader."""
        if field not in self.reader.schema:
            return self._empty()
        prefixes = self.cache.setdefault("prefixes", OrderedDict())
        ids, scores = _recall(prefixes, (field, prefix), _CACHED_PREFIXES, lambda: self._prefix_postings(field, prefix))
        return np.bincount(ids, minlength=self.size) > 0, np.bincount(ids, weights=scores, minlength=self.size).astype(np.float64)

    def _prefix_postings(self, field: str, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of every term starting with `prefix`, one term after the other."""
        ids, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for btext in self.reader.expand_prefix(field, prefix):
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            postings = self._postings(field, text, keep=False)
            if postings is not None:
                ids.append(postings[0])
                scores.append(self._scores(field, text, *postings))
        return np.concatenate(ids), np.concatenate(scores)

    def _phrase(self, field: str, words: tuple[str, ...], boost: float, within: np.ndarray | None = None) -> Arrays:
        """Documents (among `within`, when given) with `words` at consecutive positions."""
        reader, schema = self.reader, self.reader.schema
        if field not in schema or not schema[field].format.supports("positions"):
            return self._empty()
        frequencies = [reader.doc_frequency(field, word) for word in words]  # (a term-table lookup each)
        if not min(frequencies):
            return self._empty()
        chosen = sorted(_cover(frequencies), key=lambda i: (frequencies[i], i))  # rarest first
        # 1. Documents holding every chosen bigram whose postings are cheap to have (few
        #    beside the documents left, or cached), from the rarest one's postings.
        ids = self._postings(field, words[chosen[0]])[0]  # type: ignore[index]
        if within is not None:
            ids = ids[within[ids]]
        cached = self.cache.get("terms", ())
        left_out = []
        for i in chosen[1:]:
            if len(ids) and (frequencies[i] <= 32 * len(ids) or (field, schema[field].to_bytes(words[i])) in cached):
                ids = ids[np.isin(ids, self._postings(field, words[i])[0], assume_unique=True)]  # type: ignore[index]
            else:
                left_out.append(i)
        if not len(ids):
            return self._empty()
        # 2. Positions, only in those documents: each chosen bigram at its offset from a common
        #    start. The bigrams left out above come first: they drop the documents that lack them
        #    (reading only the blocks that hold the documents) before more positions are decoded.
        chosen = left_out + [i for i in chosen if i not in left_out]
        keys: np.ndarray | None = None  # docnum << 32 | start, of every start still possible
        tfs = []
        docs = ids
        for i in chosen:
            found, counts, starts = _starts(reader.postings(field, words[i]), docs, i)
            keys = starts if keys is None else keys[np.isin(keys, starts, assume_unique=True)]
            if not len(keys):
                return self._empty()
            docs = np.unique(keys >> 32)
            tfs.append((found, counts))
        at = docs
        total = np.zeros(len(at))
        for i, (found, counts) in zip(chosen, tfs):
            total += self._scores(field, words[i], at, counts[np.searchsorted(found, at)].astype(np.float64))
        mask, score = self._empty()
        mask[at] = True
        score[at] = total * boost if boost != 1.0 else total
        return mask, score

    def _walk(self, prim: plan.Prim) -> Arrays:
        """Any other primitive, through Whoosh's own matcher (compiled by the backend)."""
        from gazette.search.whoosh_backend import _compile

        matcher = _compile(prim).matcher(self.leaf, self.top.context())
        ids: list[int] = []
        scores: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        mask, score = self._empty()
        at = np.asarray(ids, dtype=np.int64)
        mask[at] = True
        score[at] = scores
        return mask, score

    def _listed(self, docnums: Any) -> Arrays:
        mask, score = self._empty()
        at = np.asarray(docnums, dtype=np.int64)
        mask[at] = True
        score[at] = 1.0
        return mask, score

    # -- reading -----------------------------------------------------------------------

    def _empty(self) -> Arrays:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)

    def _live(self) -> np.ndarray:
        live = self.cache.get("live")
        if live is None:
            live = np.ones(self.size, dtype=bool)
            if self.reader.has_deletions():
                live[np.fromiter(self.reader.deleted_docs_set, dtype=np.int64)] = False
            self.cache["live"] = live
        return live

    def _postings(self, field: str, text: str, keep: bool = True) -> tuple[np.ndarray, np.ndarray] | None:
        """The live documents holding the term and its frequency in each (None: no such term)."""
        if field not in self.reader.schema:
            return None
        btext = self.reader.schema[field].to_bytes(text)
        terms: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = self.cache.setdefault("terms", OrderedDict())
        key = (field, btext)
        if key in terms:
            terms.move_to_end(key)
            return terms[key]
        if key not in self.reader:
            return None
        ids, tf = _read_postings(self.reader._terms.matcher(field, btext, self.reader.schema[field].format))
        if self.reader.has_deletions():
            live = self._live()[ids]
            ids, tf = ids[live], tf[live]
        if not keep:
            return ids, tf
        terms[key] = (ids, tf)
        held = self.cache["held"] = self.cache.get("held", 0) + len(ids)
        while len(terms) > _CACHED_TERMS or held > _CACHED_POSTINGS and len(terms) > 1:
            _, (dropped, _) = terms.popitem(last=False)
            held = self.cache["held"] = held - len(dropped)
        return ids, tf

    def _lengths(self, field: str) -> np.ndarray:
        """Every document's length of `field` as `doc_field_length` gives it (0 for none)."""
        lengths: dict[str, np.ndarray] = self.cache.setdefault("lengths", {})
        if field not in lengths:
            column = self.reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            if column is None:
                lengths[field] = np.ones(self.size)
            elif getattr(column, "_typecode", None) == "B" and getattr(column, "_fixedlen", None) == 1:
                # One length byte a document: decoded through a table, not a call each.
                # (a column stops at its last written document: the rest read as its default)
                stored = min(column._count, self.size)
                raw = np.full(self.size, column._default, dtype=np.uint8)
                raw[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
                lengths[field] = _BYTE_LENGTHS[raw]
            else:
                length = self.reader.doc_field_length
                lengths[field] = np.array([length(docnum, field, 1) or 0 for docnum in range(self.size)], dtype=np.float64)
        return lengths[field]

    def _scores(self, field: str, text: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        btext = self.reader.schema[field].to_bytes(text)
        # A scorer looks the term's statistics up in every segment (~0.1 ms): kept per reader.
        scorers = self.cache.setdefault("scorers", OrderedDict())
        scorer = _recall(scorers, (field, btext), _CACHED_TERMS, lambda: self._scorer(field, btext))
        if isinstance(scorer, scoring.BM25FScorer):
            fl = self._lengths(field)[ids]
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        if isinstance(scorer, scoring.WeightScorer):
            return tf.copy()
        raise TypeError(f"no vectorised form of {type(scorer).__name__}")

    def _scorer(self, field: str, btext: bytes) -> Any:
        weighting = self.weighting
        # (BM25F's own `scorer`: the backend's subclass would also list every field length)
        make = scoring.BM25F.scorer if isinstance(weighting, scoring.BM25F) else type(weighting).scorer
        return make(weighting, self.leaf, field, btext)


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
    count = len(frequencies)
    costs = [frequency + 64 for frequency in frequencies]
    best: list[tuple[int, list[int]]] = [(costs[0], [0])]
    for i in range(1, count):
        options = [best[i - 1]] + ([best[i - 2]] if i >= 2 else [])
        cost, path = min(options, key=lambda option: option[0])
        best.append((cost + costs[i], path + [i]))
    return list(best[-1][1])


def _starts(matcher: Any, docs: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For those of `docs` (sorted) in the matcher's posting list: their docnums, their number
    of positions, and ``docnum << 32 | position - offset`` for every position from `offset` on
    (where the phrase would start). On disk, a block at a time, each block's positions decoded
    in one piece (`_BigramPositions.decode_many`); blocks holding none of `docs` are passed by
    their last id without being read."""
    found: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    counts: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    positions: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    if isinstance(matcher, W3LeafMatcher):
        k, count = 0, len(docs)
        while k < count and matcher.is_active():
            if matcher._maxid < docs[k]:
                matcher._next_block()
                continue
            end = int(np.searchsorted(docs, matcher._maxid, side="right"))
            if matcher._data is None:
                matcher._read_data()
            block = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
            picked = np.flatnonzero(_among(block, docs[k:end]))
            if len(picked):
                many, flat = matcher.format.decode_many([matcher._data[2][j] for j in picked.tolist()])
                found.append(block[picked])
                counts.append(many)
                positions.append(flat)
            k = end
            matcher._next_block()
    else:  # (a list filtered for deletions): posting by posting
        for docnum in docs.tolist():
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                listed = matcher.value_as("positions")
                found.append(np.array([docnum]))
                counts.append(np.array([len(listed)]))
                positions.append(np.array(listed, dtype=np.int64))
    docnums, many = np.concatenate(found), np.concatenate(counts)
    starts = np.concatenate(positions) - offset
    owners = np.repeat(docnums, many)
    kept = starts >= 0
    return docnums, many, owners[kept] << 32 | starts[kept]


def _among(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of `values` are in `wanted` (sorted, not empty): `np.isin` without its ~50 µs of
    setting up, which a block of 128 postings does not repay."""
    at = np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)
    return wanted[at] == values


def _read_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a raw posting list, a block at a time."""
    if isinstance(matcher, W3LeafMatcher):
        deltas: list[Any] = []
        weights: list[Any] = []
        last_ids: list[int] = []
        sizes: list[int] = []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            data, size = matcher._data, matcher._blocklength
            deltas.append(data[0])
            found = data[1]
            weights.append(np.ones(size) if found is None else np.full(size, found) if isinstance(found, float) else found)
            last_ids.append(matcher._maxid)
            sizes.append(size)
            matcher._next_block()
        if not sizes:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        flat = np.fromiter(itertools.chain.from_iterable(deltas), dtype=np.int64, count=sum(sizes))
        # Each block's ids are deltas from 0: make them deltas from the previous block's last id.
        flat[np.cumsum(np.asarray(sizes[:-1], dtype=np.int64))] -= np.asarray(last_ids[:-1], dtype=np.int64)
        return np.cumsum(flat), np.concatenate([np.asarray(w, dtype=np.float64) for w in weights])
    ids, tfs = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)


def evaluate(searcher: Any, prim: plan.Prim, want: int, column_docnums: Any) -> tuple[np.ndarray, list[tuple[float, int]]]:
    """The mask of every matching document (by global docnum) and the `want` best
    (score, docnum), highest score first, the lower docnum first among equal scores."""
    masks, scores = [], []
    for leaf, _base in searcher.leaf_searchers():
        mask, score = SegmentEval(searcher, leaf, column_docnums).run(prim)
        masks.append(mask)
        scores.append(score)
    mask = np.concatenate(masks) if len(masks) > 1 else masks[0]
    score = np.concatenate(scores) if len(scores) > 1 else scores[0]
    docnums = np.flatnonzero(mask)
    found = score[docnums]
    if want < len(docnums):
        # Everything scoring at least the want-th best (ties at the cut included), then ordered.
        cut = np.partition(found, len(found) - want)[len(found) - want]
        keep = found >= cut
        docnums, found = docnums[keep], found[keep]
    order = np.lexsort((docnums, -found))[:want]
    return mask, [(float(found[i]), int(docnums[i])) for i in order]

