"""Static site speed: seconds to build `gazette site` for 1,000 and 10,000 documents, to rebuild it
unchanged, and to rebuild it after one document's title changed.

    python bench/site.py [--sizes 1000,10000] [--keep DIR] [--out FILE]

The rebuilds are measured twice: as `gazette site` runs them (keeping the files of every
document whose page data did not change: `gazette/web/rendercache.py`) and, as the peer in
the same run, with the render cache removed first (every document rendered again).

The documents are the corpus's 20, repeated with their own 文号, dates over twenty years and
issues of 20 documents each, stored in a fresh archive (not timed). The site renders no PDF and
copies no file it can link. Results go to ``bench/results/site.json`` with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import describe, machine
from gazette.archive import Archive
from gazette.model import GazetteRef, Issue, IssueEntry
from gazette.web.rendercache import CACHE
from gazette.web.site import BuildReport, build_site
from samples.corpus import iter_corpus_documents

T = TypeVar("T")

RESULTS = Path(__file__).parent / "results" / "site.json"
PER_ISSUE = 20


def make_archive(root: Path, count: int) -> Archive:
    """``count`` documents made from the corpus's 20, in issues of `PER_ISSUE`."""
    archive = Archive.create(root)
    corpus = list(iter_corpus_documents())
    entries: list[IssueEntry] = []
    for i in range(count):
        doc = corpus[i % len(corpus)]
        year = 2000 + (i // PER_ISSUE) % 20
        number = i // (PER_ISSUE * 20) + 1
        code = (doc.doc_number or "国发〔2019〕1号").split("〔")[0]
        doc_number = f"{code}〔{year}〕{i + 1}号"
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        ref = GazetteRef(name="国务院公报", year=year, issue=number, total=i // PER_ISSUE + 1)
        doc = replace(
            doc,
            id=doc_number,
            doc_number=doc_number,
            doc_number_printed=doc_number,
            date_written=date,
            date_published=date,
            gazette=ref,
            title=f"{doc.title}（第{i + 1}件）",
        )
        with archive.locked():  # one lock for the writes of a document
            archive.put_document(doc)
        entries.append(IssueEntry(doc.id, doc.title, doc.doc_number))
        if len(entries) == PER_ISSUE or i == count - 1:
            archive.put_issue(
                Issue(
                    id=f"国务院公报-{year}-{number}",
                    name="国务院公报",
                    year=year,
                    number=number,
                    date=f"{year}-12-28",
                    total_number=ref.total,
                    publisher="国务院办公厅",
                    entries=tuple(entries),
                )
            )
            entries = []
    archive.flush()
    return archive


CPU: list[float] = []  # CPU seconds (this process and its workers) of each `timed` action, in order


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Wall-clock seconds of ``action``; its CPU seconds go to `CPU` (steadier than the wall
    clock on a machine others load: waiting for a core costs no CPU time)."""
    start, cpu = time.perf_counter(), _cpu()
    result = action()
    CPU.append(round(_cpu() - cpu, 2))
    return time.perf_counter() - start, result


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def uncached_build(archive: Archive, out: Path) -> BuildReport:
    (out / CACHE).unlink(missing_ok=True)
    return build_site(archive, out, "https://gazette.example.gov.cn/")


def change_one_title(archive: Archive, doc_id: str, out: Path, *, cache: bool = True) -> BuildReport:
    doc = archive.get_document(doc_id)
    archive.put_document(replace(doc, title=doc.title + "（修订）"))
    archive.flush()
    return build_site(archive, out, "https://gazette.example.gov.cn/") if cache else uncached_build(archive, out)


def measure(count: int, folder: Path) -> dict[str, object]:
    CPU.clear()
    setup_s, archive = timed(lambda: make_archive(folder / "archive", count))
    load = os.getloadavg()[0]  # other processes on this machine's cores slow every number
    out = folder / "site"
    full_s, report = timed(lambda: build_site(archive, out, "https://gazette.example.gov.cn/"))
    files = report.files
    same_s, same = timed(lambda: build_site(archive, out, "https://gazette.example.gov.cn/"))
    same_peer_s, _ = timed(lambda: uncached_build(archive, out))
    docs = iter(archive.document_paths())
    one_s, one = timed(lambda: change_one_title(archive, next(docs).stem, out))
    one_peer_s, _ = timed(lambda: change_one_title(archive, next(docs).stem, out, cache=False))
    return {
        "documents": count,
        "files": files,
        "setup_s": round(setup_s, 1),
        "build_s": round(full_s, 2),
        "unchanged_rebuild_s": round(same_s, 2),
        "unchanged_written": len(same.written),
        "unchanged_rebuild_without_cache_s": round(same_peer_s, 2),
        "one_change_s": round(one_s, 2),
        "one_change_written": len(one.written),
        "one_change_without_cache_s": round(one_peer_s, 2),
        "load_average_before": round(load, 2),
        "cpu_s": dict(
            zip(
                (
                    "build",
                    "unchanged_rebuild",
                    "unchanged_rebuild_without_cache",
                    "one_change",
                    "one_change_without_cache",
                ),
                CPU[1:],
                strict=True,
            )
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="document counts, comma-separated")
    parser.add_argument("--keep", type=Path, help="build here and keep the archives and sites")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args()
    rows = []
    for count in (int(size) for size in args.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix=f"site-bench-{count}-", dir=args.keep))
        try:
            rows.append(measure(count, folder))
        finally:
            if args.keep is None:
                shutil.rmtree(folder, ignore_errors=True)
        row = rows[-1]
        print(
            f"{row['documents']:>6} documents  {row['files']:>6} files  build {row['build_s']:>6} s  "
            f"unchanged {row['unchanged_rebuild_s']:>6} s ({row['unchanged_written']} written; "
            f"without the cache {row['unchanged_rebuild_without_cache_s']} s)  "
            f"one title changed {row['one_change_s']:>6} s ({row['one_change_written']} written; "
            f"without the cache {row['one_change_without_cache_s']} s)  "
            f"load {row['load_average_before']}; CPU s {row['cpu_s']}",
            flush=True,
        )
    info = machine()
    print(f"machine: {describe(info)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": info, "results": rows}, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
