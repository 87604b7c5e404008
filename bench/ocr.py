"""OCR engines side by side on the same generated scan pages: pages/min, CER, lines lost, peak memory.

    python bench/ocr.py [--pages N] [--setting degraded|clean] [--workers N]

Pages are generated from ``../shared/corpus/documents.jsonl`` (`samples.scans`), written
as PNG, and read by the whole page step (`ingest.recognise.ocr_page`: clean-up, engine,
red ink, recovered gaps) in a pool of one process per core, each engine limited to one
thread. CER is per page against the lines drawn on it (NFKC on both sides), lines lost
as `samples.truth.lost_lines` counts them; peak memory is the largest resident set of
one worker process. Results go to ``bench/results/ocr.json``, one entry per setting.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.ocr import EngineOptions, cached_engine, parse_engine_spec  # noqa: E402
from ingest.raster import read_pages  # noqa: E402
from ingest.recognise import OcrSettings, ocr_page  # noqa: E402
from samples.truth import edit_distance, lost_lines, nfkc  # noqa: E402

# Engine specs (`ingest.ocr.parse_engine_spec`): the tuned engine on OpenVINO (its default
# where installed) and on ONNX Runtime, on the PP-OCRv4 mobile models, and the library's own pipeline.
ENGINES = ("rapidocr", "rapidocr:runtime=onnxruntime", "rapidocr:models=v4-mobile", "rapidocr-defaults", "tesseract")


@dataclass(frozen=True)
class PageCase:
    image: Path
    drawn: tuple[str, ...]


def make_pages(out: Path, limit: int, setting: str, workers: int) -> list[PageCase]:
    """Every corpus document scanned (or the first ``limit`` pages), one document per process."""
    from samples.corpus import iter_corpus_documents

    cases: list[PageCase] = []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        jobs = ((index, doc, out, setting) for index, doc in enumerate(iter_corpus_documents()))
        for pages in pool.imap(_scan_document, jobs):
            cases.extend(pages)
            if limit and len(cases) >= limit:
                break  # leaving the pool's block stops the documents still being scanned
    return cases[:limit] if limit else cases


def _scan_document(job: tuple[int, Any, Path, str]) -> list[PageCase]:
    from samples.scans import SETTINGS, scan_document, write_pages

    index, doc, out, setting = job
    cases = []
    for page in scan_document(doc, SETTINGS[setting], seed=0):
        (path,) = write_pages([page], out / f"{index:02d}-{page.number:02d}")
        cases.append(PageCase(path, tuple(line.text for line in page.lines)))
    return cases


def read_case(job: tuple[PageCase, str]) -> dict[str, float | str]:
    case, engine = job
    name, extra = parse_engine_spec(engine)
    settings = OcrSettings(engine=name, options=EngineOptions(threads=1, extra=extra))
    page = next(iter(read_pages(case.image)))
    text = ocr_page(page, "0" * 64, settings).text
    version = cached_engine(settings.engine, settings.options).version()
    got = [line.text for line in text.lines]
    truth = nfkc("".join(case.drawn)).replace(" ", "")
    seen = nfkc("".join(got)).replace(" ", "")
    return {
        "errors": edit_distance(truth, seen),
        "chars": len(truth),
        "lines": len(case.drawn),
        "lost": len(lost_lines(case.drawn, got)),
        "recovered": text.recovered_lines,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": version,
    }


def run_engine(cases: list[PageCase], engine: str, workers: int) -> dict[str, float | str]:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(read_case, [(case, engine) for case in cases]))
    seconds = time.perf_counter() - started
    chars = sum(r["chars"] for r in results)
    return {
        "engine": engine,
        "version": results[0]["version"],
        "pages": len(cases),
        "pages_per_min": round(len(cases) / seconds * 60, 1),
        "cer_percent": round(100 * sum(r["errors"] for r in results) / max(chars, 1), 3),
        "lines_lost": int(sum(r["lost"] for r in results)),
        "lines": int(sum(r["lines"] for r in results)),
        "lines_recovered": int(sum(r["recovered"] for r in results)),
        "peak_mb_per_worker": round(max(r["peak_mb"] for r in results)),
        "workers": workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (smoke run)")
    parser.add_argument("--setting", choices=("degraded", "clean"), default="degraded")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = make_pages(Path(folder), args.pages, args.setting, args.workers)
        rows = [run_engine(cases, engine, args.workers) for engine in args.engines.split(",")]
    header = f"{'engine':<30}{'pages':>6}{'pages/min':>11}{'CER %':>8}{'lost/lines':>12}{'recovered':>10}{'peak MB':>9}"
    print(f"{args.setting} pages, {args.workers} worker processes")
    print(header)
    for row in rows:
        print(
            f"{row['engine']:<30}{row['pages']:>6}{row['pages_per_min']:>11}{row['cer_percent']:>8}"
            f"{str(row['lines_lost']) + '/' + str(row['lines']):>12}{row['lines_recovered']:>10}{row['peak_mb_per_worker']:>9}"
        )
    out = ROOT / "bench" / "results" / "ocr.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # One entry per setting: a run of one setting keeps the other's last results.
    kept = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    settings = kept.get("settings", {}) if isinstance(kept, dict) else {}
    settings[args.setting] = {"workers": args.workers, "results": rows}
    out.write_text(json.dumps({"settings": settings}, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
