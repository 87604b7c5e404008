"""Search benchmark on real text: the articles (第N条) of the laws in ../shared/corpus/laws.jsonl.gz.

For each size and system: documents indexed per second, index size, p50/p95 latency per
query class over a fixed mix of queries, after a warm-up pass of other queries (wall clock; the JSON also holds the process's CPU
time per query and the load average, to tell waiting for a core on a shared machine from
work), phrase recall and precision, 文号 rank-1 accuracy.
Systems: our `whoosh` and `tantivy` backends; `whoosh-stock`, Whoosh on its public API alone
(stock field types, codec and writer, the same bigram tokens, the same queries as Whoosh's
query classes through `searcher.search`, facets by `groupedby`); and `whoosh+jieba`, a
plain Whoosh index with jieba's ChineseAnalyzer and the stock QueryParser. Every row records
the CPU it ran on. Prints a table and writes bench/results/search.json.

    python bench/search.py                     # 10,000 and 100,000 articles
    python bench/search.py --sizes 1000        # a smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/search.py`: the repository's bench/ and tests/

from bench.machine import machine
from gazette.docnumber import parse_doc_number
from gazette.model import Block, Document
from gazette.search import Filters, get_backend, plan
from gazette.search import query as q
from gazette.search.analysis import stream
from gazette.search.backend import record_for
from gazette.search.whoosh_analysis import BigramTokenizer, LatinWordTokenizer
from samples.corpus import corpus_file, corpus_lines
from tests.gazette.search.whoosh_stock import stock

RESULTS = Path(__file__).resolve().parent / "results" / "search.json"
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百千零〇两]+条)")
_HEADING = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两]+[章节编]")
QUERY_MIX = {"phrase": 60, "common": 50, "docno": 40, "phrase_year": 30, "facets": 30}


# -- documents ---------------------------------------------------------------------------


def articles(limit: int) -> Iterator[Document]:
    """The first `limit` articles, in file order; real 文号 from docnumbers.jsonl lent to the first ones."""
    numbers = _doc_numbers()
    count = 0
    for line in corpus_lines("laws.jsonl"):
        law = json.loads(line)
        folder = law["path"].split("/")[1]
        for label, text in _split(law["body"]):
            number = numbers[count] if count < len(numbers) else None
            yield Document(
                id=f"{law['id']}-{label}",
                title=f"{law['title']}{label}",
                doc_number=number,
                issuer=(folder if folder.endswith("法规") else law["category"],),
                doc_type=law["category"],
                date_written=law["date"],
                body=(Block("paragraph", text),),
            )
            count += 1
            if count == limit:
                return


def _split(body: str) -> Iterator[tuple[str, str]]:
    label, lines = None, []
    for line in body.split("\n"):
        match = _ARTICLE.match(line)
        if match or _HEADING.match(line):
            if label is not None:
                yield label, "\n".join(lines)
            label, lines = (match[1], [line]) if match else (None, [])
        elif label is not None:
            lines.append(line)
    if label is not None:
        yield label, "\n".join(lines)


def _doc_numbers() -> list[str]:
    seen: dict[str, None] = {}
    for line in corpus_lines("docnumbers.jsonl"):
        parsed = parse_doc_number(json.loads(line)["doc_number"] or "")
        if parsed is not None and "〔" in parsed.canonical:
            seen[parsed.canonical] = None
    return list(seen)


# -- queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str
    filters: Filters = Filters()
    truth: frozenset[str] | None = None  # every document the query must find (phrases)
    expected_first: str | None = None  # 文号 queries


def queries(docs: list[Document], seed: int = 42, *, warmup: bool = False) -> list[BenchQuery]:
    """The measured mix, or with `warmup` a mix of the same kinds that shares none of its
    common words (the next most common ones) and draws its phrases from another seed."""
    rng = random.Random(seed)
    streams = [(doc.id, stream(doc.title), stream(doc.text)) for doc in docs]
    mix: list[BenchQuery] = []

    def rare_phrase() -> tuple[Document, str]:
        while True:
            doc = rng.choice(docs)
            text = stream(doc.text)
            size = rng.randint(6, 10)
            if len(text) > size and not re.search(
                r"[0-9a-z]", piece := text[(start := rng.randrange(len(text) - size)) : start + size]
            ):
                return doc, piece

    def truth(piece: str) -> frozenset[str]:
        return frozenset(doc_id for doc_id, title, body in streams if piece in title or piece in body)

    for _ in range(QUERY_MIX["phrase"]):
        _, piece = rare_phrase()
        mix.append(BenchQuery("phrase", f'"{piece}"', truth=truth(piece)))
    for _ in range(QUERY_MIX["phrase_year"]):
        doc, piece = rare_phrase()
        year = (doc.date_written or "2000")[:4]
        in_year = frozenset(d.id for d in docs if (d.date_written or "")[:4] == year)
        mix.append(BenchQuery("phrase_year", f'"{piece}" 年份:{year}', truth=truth(piece) & in_year))
    ranked = [word for word, _ in _bigram_counts(docs).most_common(2 * QUERY_MIX["common"])]
    common = ranked[QUERY_MIX["common"] :] if warmup else ranked[: QUERY_MIX["common"]]
    mix += [BenchQuery("common", word) for word in common]
    mix += [BenchQuery("facets", word) for word in rng.sample(common, QUERY_MIX["facets"])]
    numbered = [doc for doc in docs if doc.doc_number]
    for doc in rng.sample(numbered, min(QUERY_MIX["docno"], len(numbered))):
        mix.append(BenchQuery("docno", _printed(doc.doc_number or "", rng), expected_first=doc.id))
    return mix


def _bigram_counts(docs: list[Document]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in docs[:5000]:
        text = stream(doc.text)
        counts.update({text[i : i + 2] for i in range(len(text) - 1) if not re.search(r"[0-9a-z]", text[i : i + 2])})
    return counts


def _printed(canonical: str, rng: random.Random) -> str:
    number = parse_doc_number(canonical)
    assert number is not None
    code, year, seq = number.code, number.year, number.sequence
    return rng.choice(
        [
            canonical,
            f"{code}[{year}]{seq}号",
            f"{code}（{year}）{seq} 号",
            f"{code}〔{year}〕第{seq}号",
            f"{code} {year} {seq}",
        ]
    )


# -- systems -----------------------------------------------------------------------------

Search = Callable[[BenchQuery, bool], tuple[int, list[str]]]


def ours(name: str, folder: Path, docs: list[Document]) -> tuple[float, Search, Callable[[BenchQuery], set[str]]]:
    backend = get_backend(name, folder)
    start = time.perf_counter()
    backend.rebuild(docs)
    elapsed = time.perf_counter() - start

    def run(query: BenchQuery, facets: bool) -> tuple[int, list[str]]:
        result = backend.search(query.text, query.filters, limit=10, facets=facets)
        return result.total, [hit.id for hit in result.hits]

    def everything(query: BenchQuery) -> set[str]:
        total = backend.search(query.text, query.filters, limit=1, facets=False).total
        result = backend.search(query.text, query.filters, limit=max(1, total), facets=False)
        return {hit.id for hit in result.hits}

    return elapsed, run, everything


def plain_jieba(folder: Path, docs: list[Document]) -> tuple[float, Search, Callable[[BenchQuery], set[str]]]:
    """Whoosh as usually set up for Chinese: jieba's ChineseAnalyzer and the stock QueryParser."""
    import logging

    import jieba
    import whoosh.index
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, sorting
    from whoosh import query as wq
    from whoosh.qparser import QueryParser

    jieba.setLogLevel(logging.WARNING)
    schema = fields.Schema(
        id=fields.ID(stored=True),
        body=fields.TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        issuer=fields.ID(sortable=True),
        year=fields.NUMERIC(int, sortable=True),
    )
    folder.mkdir(parents=True)
    index = whoosh.index.create_in(str(folder), schema)
    start = time.perf_counter()
    writer = index.writer()
    for doc in docs:
        year = int((doc.date_written or "0")[:4])
        writer.add_document(id=doc.id, body=doc.title + "\n" + doc.text, issuer=doc.issuer[0], year=year)
    writer.commit()
    elapsed = time.perf_counter() - start
    parser = QueryParser("body", schema)
    searcher = index.searcher()

    def compile_(query: BenchQuery) -> Any:
        text, _, year = query.text.partition(" 年份:")
        parsed = parser.parse(text)
        return wq.And([parsed, wq.Term("year", int(year))]) if year else parsed

    def run(query: BenchQuery, facets: bool) -> tuple[int, list[str]]:
        compiled = compile_(query)
        results = searcher.search(compiled, limit=10)
        ids = [hit["id"] for hit in results]
        if facets:  # a second, unscored pass, as our backend does
            searcher.search(
                compiled, limit=None, scored=False, groupedby=[sorting.FieldFacet("issuer"), sorting.FieldFacet("year")]
            )
        return len(results), ids

    def everything(query: BenchQuery) -> set[str]:
        return {hit["id"] for hit in searcher.search(compile_(query), limit=None)}

    return elapsed, run, everything


def plain_whoosh(folder: Path, docs: list[Document]) -> tuple[float, Search, Callable[[BenchQuery], set[str]]]:
    """Whoosh on its public API alone: stock field types and codec with the bigram tokens our
    backends index, Whoosh's own writer (as many processes as our whoosh backend uses), each
    query as Whoosh's query classes through `searcher.search`, and its total (`len`) and facets
    (`groupedby`, in the same pass as the top hits)."""
    import whoosh.index
    from whoosh import fields, sorting

    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        doc_number=fields.ID(),
        title=fields.TEXT(analyzer=BigramTokenizer(), phrase=True),
        body=fields.TEXT(analyzer=BigramTokenizer(), phrase=True),
        words=fields.TEXT(analyzer=LatinWordTokenizer(), phrase=False),
        issuer=fields.KEYWORD(lowercase=False, scorable=False),
        doc_type=fields.ID(),
        date=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
        year=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
    )
    folder.mkdir(parents=True)
    index = whoosh.index.create_in(str(folder), schema)
    start = time.perf_counter()
    procs = min(4, os.cpu_count() or 1)
    writer = (
        index.writer(procs=procs, multisegment=True, limitmb=2048)
        if len(docs) >= 5000 and procs > 1
        else index.writer(limitmb=2048)
    )
    for doc in docs:
        record = record_for(doc)
        writer.add_document(
            id=record.id,
            doc_number=record.doc_number,
            title=record.title,
            body=record.body,
            words=record.title + "\n" + record.body,
            issuer=" ".join(record.issuers),
            doc_type=record.doc_type,
            date=record.date,
            year=record.date // 10000,
        )
    writer.commit()
    elapsed = time.perf_counter() - start
    searcher = index.searcher()
    facets = {
        "issuer": sorting.FieldFacet("issuer", allow_overlap=True),
        "doc_type": sorting.FieldFacet("doc_type"),
        "year": sorting.FieldFacet("year"),
    }

    def compile_(query: BenchQuery) -> Any:
        return stock(plan.lower(q.with_filters(q.parse_query(query.text), query.filters)))

    def run(query: BenchQuery, with_facets: bool) -> tuple[int, list[str]]:
        # (the facets are counted while the hits are collected: `results.groups(name)` reads them)
        results = searcher.search(
            compile_(query), limit=10, groupedby=facets if with_facets else None, maptype=sorting.Count
        )
        return len(results), [hit["id"] for hit in results]

    def everything(query: BenchQuery) -> set[str]:
        return {hit["id"] for hit in searcher.search(compile_(query), limit=None)}

    return elapsed, run, everything


# -- measuring ---------------------------------------------------------------------------


def measure(
    system: str, size: int, docs: list[Document], mix: list[BenchQuery], warmup: list[BenchQuery], workdir: Path
) -> dict[str, Any]:
    folder = workdir / f"{system}-{size}"
    builders = {"whoosh+jieba": plain_jieba, "whoosh-stock": plain_whoosh}
    build = builders.get(system) or (lambda f, d: ours(system, f, d))
    elapsed, run, everything = build(folder, docs)
    # Latency as a running search service sees it: the index's files in the page cache and
    # its searcher open, warmed by other queries of the same kinds (none of the measured ones).
    for query in warmup:
        if not (system == "whoosh+jieba" and query.kind == "docno"):
            run(query, query.kind == "facets")
    load_before = os.getloadavg()[0]
    latencies: dict[str, list[float]] = {}
    # CPU time of this process beside the wall clock: on a shared machine the difference is
    # time spent waiting for a core, not work.
    cpu: dict[str, list[float]] = {}
    for query in mix:
        if system == "whoosh+jieba" and query.kind == "docno":
            continue
        start, start_cpu = time.perf_counter(), time.process_time()
        run(query, query.kind == "facets")
        latencies.setdefault(query.kind, []).append((time.perf_counter() - start) * 1000)
        cpu.setdefault(query.kind, []).append((time.process_time() - start_cpu) * 1000)
    load_after = os.getloadavg()[0]
    found = relevant = correct = 0
    for query in mix:
        if query.truth is not None:
            hits = everything(query)
            found += len(hits & query.truth)
            relevant += len(query.truth)
            correct += len(hits)
    docno = [q for q in mix if q.kind == "docno"]
    rank1 = sum(run(q, False)[1][:1] == [q.expected_first] for q in docno) if system != "whoosh+jieba" else None
    return {
        "system": system,
        "documents": len(docs),
        "docs_per_s": round(len(docs) / elapsed),
        "index_mb": round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1),
        "latency_ms": {
            kind: {"p50": round(_pct(v, 50), 2), "p95": round(_pct(v, 95), 2), "n": len(v)}
            for kind, v in latencies.items()
        },
        "cpu_ms": {kind: {"p50": round(_pct(v, 50), 2), "p95": round(_pct(v, 95), 2)} for kind, v in cpu.items()},
        "load_average": [round(load_before, 2), round(load_after, 2)],  # 1-minute, before and after the queries
        "phrase_recall": round(found / relevant, 4) if relevant else None,
        "phrase_precision": round(found / correct, 4) if correct else None,
        "docno_rank1": None if rank1 is None else f"{rank1}/{len(docno)}",
        "cpu": cpu_info(),
    }


def cpu_info() -> dict[str, Any]:
    """The processor's model and whether it has the vector and matrix instructions that matter
    to numpy and tantivy (`bench.machine`)."""
    here = machine()
    return {
        "model": here["cpu"],
        "cores": here["cores"],
        "flags": {flag: flag in here["instruction_sets"] for flag in ("avx2", "avx512f", "avx512_vnni", "amx_tile")},
    }


def _pct(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if len(values) > 1 else values[0]


def table(rows: list[dict[str, Any]]) -> str:
    kinds = list(QUERY_MIX)
    head = ["system", "docs", "docs/s", "MB"] + [f"{k} p50/p95" for k in kinds] + ["recall", "precision", "文号@1"]
    lines = [" | ".join(head)]
    for row in rows:
        cells = [row["system"], str(row["documents"]), str(row["docs_per_s"]), str(row["index_mb"])]
        for kind in kinds:
            stats = row["latency_ms"].get(kind)
            cells.append(f"{stats['p50']}/{stats['p95']}" if stats else "—")
        cells += [str(row["phrase_recall"]), str(row["phrase_precision"]), str(row["docno_rank1"] or "—")]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated article counts")
    parser.add_argument(
        "--systems",
        default="tantivy,whoosh,whoosh-stock,whoosh+jieba",
        help="comma-separated: tantivy, whoosh, whoosh-stock, whoosh+jieba",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--corpus",
        type=Path,
        help="folder holding laws.jsonl(.gz) and docnumbers.jsonl(.gz) "
        "(default: the repository's tests/data/corpus, then ../shared/corpus)",
    )
    args = parser.parse_args(argv)
    if args.corpus:
        os.environ["GAZETTE_CORPUS"] = str(args.corpus)
    try:
        corpus_file("laws.jsonl")
    except FileNotFoundError as missing:
        raise SystemExit(f"bench/search.py: {missing}; the laws corpus is ../shared/corpus/laws.jsonl.gz") from None
    rows: list[dict[str, Any]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        docs = list(articles(size))
        mix, warmup = queries(docs), queries(docs, seed=7, warmup=True)
        for system in args.systems.split(","):
            with tempfile.TemporaryDirectory() as workdir:
                row = measure(system, size, docs, mix, warmup, Path(workdir))
            rows.append(row)
            print(table([row]).splitlines()[1], flush=True)
    print(table(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    previous.update({f"{row['system']}@{row['documents']}": row for row in rows})
    args.out.write_text(json.dumps(previous, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
