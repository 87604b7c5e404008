"""bench/serve.py at smoke size: it starts the server, sends both loops and the peer, nothing fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samples.corpus import has_corpus_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not has_corpus_file("laws.jsonl"), reason="laws.jsonl(.gz) is only in ../shared/corpus"),
]


def test_bench_serve_smoke(tmp_path: Path) -> None:
    from bench.serve import main

    out = tmp_path / "serve.json"
    assert main(["--docs", "100", "--rate", "10", "--seconds", "1", "--clients", "3", "--out", str(out)]) == 0
    result = json.loads(out.read_text("utf-8"))
    assert {row["backend"] for row in result["rows"]} == {"whoosh", "tantivy"}
    for row in result["rows"]:
        assert row["open_loop"]["failures"] == [] and row["closed_loop"]["failures"] == []
        assert row["closed_loop"]["per_second"] > 0 and row["peer_static_file"]["per_second"] > 0
    assert result["machine"]
