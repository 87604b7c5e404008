"""OCR engines side by side on the same generated scan pages: pages/min, CER, lines lost, peak memory.

    python bench/ocr.py [--pages N] [--setting degraded|clean|grey|bilevel] [--workers N] [--engines SPEC,...]
                        [--documents ID,...]

Pages are generated from ``../shared/corpus/documents.jsonl`` (`samples.scans`: colour
``degraded`` and ``clean``, ``grey`` and ``bilevel`` where the red header and seal have
no colour to be told by), written as PNG, and read by the whole page step (`ingest.recognise.ocr_page`: clean-up, engine,
red ink, recovered gaps) in a pool of one process per core, each engine limited to one
thread. CER is per page against the lines drawn on it (NFKC on both sides), lines lost
as `samples.truth.lost_lines` counts them; peak memory is the largest resident set of
one worker process. Each document whose every page was read then goes through layout,
split and metadata: its 文号, title, issuers and 成文日期 are compared with the corpus
and its body's CER counted. Results go to ``bench/results/ocr.json``, one entry per
setting, from its last run; ``--documents`` (corpus ids, such as 国办发〔1996〕32号) reads only
those documents, to look into them, and keeps the results file as it is.
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

from bench.machine import describe, machine
from ingest.ocr import EngineOptions, cached_engine, parse_engine_spec
from ingest.raster import read_pages
from ingest.recognise import OcrSettings, ocr_page
from ingest.types import PageText
from samples.scans import SETTINGS
from samples.truth import edit_distance, lost_lines, nfkc

# Engine specs (`ingest.ocr.parse_engine_spec`): the tuned engine on OpenVINO (its default
# where installed) and on ONNX Runtime, on the PP-OCRv4 mobile models, and the library's own pipeline.
ENGINES = ("rapidocr", "rapidocr:runtime=onnxruntime", "rapidocr:models=v4-mobile", "rapidocr-defaults", "tesseract")
#: Every speed is read as a ratio to this engine's, measured in the same run on the same machine.
PEER = "tesseract"


@dataclass(frozen=True)
class PageCase:
    image: Path
    drawn: tuple[str, ...]
    document: int  # index in the corpus
    document_pages: int


def make_pages(
    out: Path, limit: int, setting: str, workers: int, documents: frozenset[str] = frozenset()
) -> list[PageCase]:
    """Every corpus document scanned (or those with the ids in ``documents``, or the first
    ``limit`` pages), one document per process."""
    from samples.corpus import iter_corpus_documents

    cases: list[PageCase] = []
    chosen = [(index, doc) for index, doc in enumerate(iter_corpus_documents()) if not documents or doc.id in documents]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        jobs = ((index, doc, out, setting) for index, doc in chosen)
        for pages in pool.imap(_scan_document, jobs):
            cases.extend(pages)
            if limit and len(cases) >= limit:
                break  # leaving the pool's block stops the documents still being scanned
    return cases[:limit] if limit else cases


def _scan_document(job: tuple[int, Any, Path, str]) -> list[PageCase]:
    from samples.scans import scan_document, write_pages

    index, doc, out, setting = job
    cases = []
    pages = scan_document(doc, SETTINGS[setting], seed=0)
    for page in pages:
        (path,) = write_pages([page], out / f"{index:02d}-{page.number:02d}")
        cases.append(PageCase(path, tuple(line.text for line in page.lines), index, len(pages)))
    return cases


@dataclass(frozen=True)
class CaseResult:
    """One page read by one engine (made in a worker process, so picklable)."""

    errors: int
    chars: int
    lines: int
    lost: int
    recovered: int
    peak_mb: float
    version: str
    text: PageText


def read_case(job: tuple[PageCase, str]) -> CaseResult:
    case, engine = job
    name, extra = parse_engine_spec(engine)
    settings = OcrSettings(engine=name, options=EngineOptions(threads=1, extra=extra))
    page = next(iter(read_pages(case.image)))
    text = ocr_page(page, "0" * 64, settings).text
    version = cached_engine(settings.engine, settings.options).version()
    got = [line.text for line in text.lines]
    truth = nfkc("".join(case.drawn)).replace(" ", "")
    seen = nfkc("".join(got)).replace(" ", "")
    return CaseResult(
        errors=edit_distance(truth, seen),
        chars=len(truth),
        lines=len(case.drawn),
        lost=len(lost_lines(case.drawn, got)),
        recovered=text.recovered_lines,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        version=version,
        text=text,
    )


def check_documents(cases: list[PageCase], texts: list[Any]) -> dict[str, Any]:
    """Each fully scanned document through the layout, split and metadata steps: its 文号,
    title, issuers and 成文日期 against the corpus, and its body's CER (NFKC both sides)."""
    from ingest import pipeline
    from samples.corpus import iter_corpus_documents
    from samples.truth import cer

    corpus = list(iter_corpus_documents())
    pages: dict[int, list[Any]] = {}
    for case, text in zip(cases, texts, strict=True):
        pages.setdefault(case.document, []).append(text)
    whole = sorted({case.document for case in cases if case.document_pages == len(pages[case.document])})
    wrong, errors, chars = [], 0.0, 0
    for index in whole:
        truth = corpus[index]
        task = pipeline.FileTask(f"{index:02d}.png", Path("unused.png"), "0" * 64, "png")
        found = pipeline.documents_from_pages(task, pages[index]).documents
        got = found[0] if len(found) == 1 else None
        fields = ("doc_number", "title", "issuer", "date_written")
        if got is None or any(getattr(got, name) != getattr(truth, name) for name in fields):
            wrong.append(truth.id)
        if got is not None:
            errors += cer(truth.text, got.text) * len(truth.text)
            chars += len(truth.text)
    return {
        "documents": len(whole),
        "documents_fields_exact": len(whole) - len(wrong),
        "documents_wrong": wrong,
        "body_cer_percent": round(100 * errors / max(chars, 1), 3),
    }


def run_engine(cases: list[PageCase], engine: str, workers: int) -> dict[str, Any]:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(read_case, [(case, engine) for case in cases]))
    seconds = time.perf_counter() - started
    chars = sum(r.chars for r in results)
    return {
        "engine": engine,
        "version": results[0].version,
        "pages": len(cases),
        "pages_per_min": round(len(cases) / seconds * 60, 1),
        "cer_percent": round(100 * sum(r.errors for r in results) / max(chars, 1), 3),
        "lines_lost": sum(r.lost for r in results),
        "lines": sum(r.lines for r in results),
        "lines_recovered": sum(r.recovered for r in results),
        "peak_mb_per_worker": round(max(r.peak_mb for r in results)),
        "workers": workers,
        **check_documents(cases, [r.text for r in results]),
    }


def _corpus() -> list[Any]:
    from samples.corpus import iter_corpus_documents

    return list(iter_corpus_documents())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (smoke run)")
    parser.add_argument("--setting", choices=sorted(SETTINGS), default="degraded")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument(
        "--documents", default="", help="only these corpus documents (comma-separated ids); results are not saved"
    )
    args = parser.parse_args()
    documents = frozenset(filter(None, (part.strip() for part in args.documents.split(","))))
    unknown = documents - {doc.id for doc in _corpus()}
    if unknown:
        parser.error(f"--documents: not in the corpus: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as folder:
        cases = make_pages(Path(folder), args.pages, args.setting, args.workers, documents)
        rows = [run_engine(cases, engine, args.workers) for engine in args.engines.split(",")]
    header = (
        f"{'engine':<30}{'pages':>6}{'pages/min':>11}{'CER %':>8}{'lost/lines':>12}{'recovered':>10}{'peak MB':>9}"
        f"{'fields exact':>14}{'body CER %':>12}"
    )
    peer = next((row for row in rows if row["engine"] == PEER), None)
    for row in rows:
        row["pace_vs_" + PEER] = round(row["pages_per_min"] / peer["pages_per_min"], 2) if peer else None
    here = machine()
    print(f"{args.setting} pages, {args.workers} worker processes, on {describe(here)}")
    print(header)
    for row in rows:
        print(
            f"{row['engine']:<30}{row['pages']:>6}{row['pages_per_min']:>11}{row['cer_percent']:>8}"
            f"{str(row['lines_lost']) + '/' + str(row['lines']):>12}{row['lines_recovered']:>10}{row['peak_mb_per_worker']:>9}"
            f"{str(row['documents_fields_exact']) + '/' + str(row['documents']):>14}{row['body_cer_percent']:>12}"
            + (f"  {row['pace_vs_' + PEER]}× {PEER}" if peer else "")
        )
    if documents:
        return  # a few documents are not the benchmark: its results stay as they are
    out = ROOT / "bench" / "results" / "ocr.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # One entry per setting, its last run's whole: speeds compare only within one run on one
    # machine, so an engine left out of this run loses its older row rather than sit beside it.
    kept = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    settings = kept.get("settings", {}) if isinstance(kept, dict) else {}
    settings[args.setting] = {"workers": args.workers, "machine": here, "results": rows}
    out.write_text(json.dumps({"settings": settings}, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
