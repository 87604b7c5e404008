"""bench/search.py at a smoke size: it runs, and phrases are found exactly on real law articles."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from samples.corpus import has_corpus_file

BENCH = Path(__file__).resolve().parents[3] / "bench" / "search.py"


@pytest.mark.slow
@pytest.mark.skipif(
    not has_corpus_file("laws.jsonl"), reason="laws.jsonl(.gz) is not in the repository; it is in ../shared/corpus"
)
def test_bench_smoke_finds_every_phrase_and_doc_number(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    out = tmp_path / "search.json"
    bench.main(["--sizes", "500", "--systems", "tantivy,whoosh,whoosh-stock", "--out", str(out)])
    rows = json.loads(out.read_text())
    for system in ("tantivy", "whoosh", "whoosh-stock"):
        row = rows[f"{system}@500"]
        assert (row["phrase_recall"], row["phrase_precision"], row["docno_rank1"]) == (1.0, 1.0, "40/40")
        assert sum(stats["n"] for stats in row["latency_ms"].values()) >= 200
        assert not Path("/proc/cpuinfo").exists() or set(row["cpu"]["flags"]) == {
            "avx2",
            "avx512f",
            "avx512_vnni",
            "amx_tile",
        }
