"""Pages per second of born-digital ingest, end to end, beside pdfplumber's bare `extract_words`.

Builds issue PDFs from the corpus's ``documents.jsonl`` with the tests' typesetter (cover,
contents, running heads, documents starting mid-page), then times on the same pages:
``extract_words`` alone, and `ingest.pipeline.process_file` (text layer, layout, split,
metadata). Prints a table and writes ``bench/results/ingest_pdf.json``.

    .venv/bin/python bench/ingest_pdf.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import describe, machine
from ingest.pipeline import FileTask, process_file
from samples.corpus import load_records
from samples.truth import cer
from tests.ingest.issue_pdf import build_issue


def bare_words(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    records = load_records()
    with tempfile.TemporaryDirectory() as folder:
        issues = []
        for name, part in (("a.pdf", records[:10]), ("b.pdf", records[10:])):
            issues.append((Path(folder) / name, build_issue(part, Path(folder) / name)))
        pages = sum(bare_words(path) for path, _ in issues)
        timings: dict[str, float] = {}
        for label, run in (
            ("pdfplumber extract_words", lambda: [bare_words(path) for path, _ in issues]),
            ("ingest end to end", lambda: [process_file(FileTask(p.name, p, "bench", "pdf")) for p, _ in issues]),
        ):
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                run()
                best = min(best, time.perf_counter() - start)
            timings[label] = best
        results = [process_file(FileTask(p.name, p, "bench", "pdf")) for p, _ in issues]
        truths = [t for _, ts in issues for t in ts]
        docs = [d for r in results for d in r.documents]
        exact = sum(
            (d.doc_number, d.title, d.issuer, d.date_written) == (t.doc_number, t.title, (t.issuer,), t.date_written)
            for t, d in zip(truths, docs, strict=False)
        )
        body_cer = sum(cer(t.body, d.text) * len(t.body) for t, d in zip(truths, docs, strict=False)) / sum(
            len(t.body) for t in truths
        )
    rates = {label: pages / seconds for label, seconds in timings.items()}
    ratio = rates["ingest end to end"] / rates["pdfplumber extract_words"]
    here = machine()
    print(f"on {describe(here)}")
    print(f"{'':28}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
    for label, seconds in timings.items():
        print(f"{label:28}{pages:>7}{seconds:>10.2f}{rates[label]:>10.1f}")
    print(f"ingest / bare extraction: {ratio:.2f} (target ≥ 0.5)")
    print(f"documents: {len(docs)}/{len(truths)}, metadata exact: {exact}, body CER: {body_cer:.4%}")
    out = ROOT / "bench" / "results" / "ingest_pdf.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": here,
                "peer": "pdfplumber extract_words",
                "pages": pages,
                "seconds": timings,
                "pages_per_second": rates,
                "ratio": ratio,
                "documents": len(docs),
                "expected_documents": len(truths),
                "metadata_exact": exact,
                "body_cer": body_cer,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
