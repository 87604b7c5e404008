"""Pages of scans read by a pool of workers, resumable after any crash, locally or on a Dask cluster.

Every page is one picklable `PageJob`. A worker reads just that page from the staged
original (memory stays at a few pages per worker however large the file), cleans and
recognises it, leaves what the archive keeps of the upright page (`ingest.pageimage`) in
``work/pages/`` (the batch keeps it in the archive with the file's documents), and writes the page's
`PageText` as a checkpoint, atomically, to ``<archive>/work/ocr/<settings>/<sha>/<page>.json``.
A job whose checkpoint exists and was made by the same reader (`readerversion.reader_version`:
this code and this engine version) returns it without reading the page again, so a run
killed with SIGKILL and started again redoes no finished page; after an upgrade the page
is read again and its checkpoint replaced. The checkpoint folder
sits beside the bag's ``data/``, so `gazette verify` judges only the payload.
`ingest.batch.run_batch` (``gazette ingest``) hands its pages here.

Local workers are started with ``spawn`` (they share no pipe with their siblings) and
watch their parent: when it dies, even by SIGKILL, they exit instead of waiting on a
pipe forever with a model in memory.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gazette.archive import Archive
from gazette.exceptions import BadInputError, GazetteError, MissingDependencyError
from gazette.fsutil import atomic_write, sha256_file
from gazette.model import Box
from ingest.ocr import EngineOptions, cached_engine, engine_names, parse_engine_spec
from ingest.ocr.base import unknown_engine
from ingest.pageimage import MAX_RATIO, geometry_from_steps, kept_files
from ingest.raster import count_pages, page_problem, read_pages
from ingest.readerversion import reader_version
from ingest.recognise import OcrSettings, ocr_page
from ingest.types import Line, PageText


@dataclass(frozen=True)
class PageJob:
    archive: Path
    source: Path
    source_sha256: str
    number: int
    settings: OcrSettings


@dataclass(frozen=True)
class PageOutcome:
    """A page's text, or why there is none (``problem``: blank and the like; ``error``: unreadable)."""

    job: PageJob
    text: PageText | None = None
    problem: str = ""
    error: str = ""
    resumed: bool = False
    seconds: float = 0.0


def checkpoint_path(job: PageJob) -> Path:
    return job.archive / "work" / "ocr" / job.settings.key() / job.source_sha256 / f"{job.number:04d}.json"


def page_text_to_json(text: PageText) -> dict[str, Any]:
    return asdict(text)


def page_text_from_json(data: dict[str, Any]) -> PageText:
    lines = tuple(
        Line(**{**line, "box": Box(**line["box"]), "low_confidence": tuple(line["low_confidence"])})
        for line in data["lines"]
    )
    return PageText(**{**data, "lines": lines, "steps": tuple(data["steps"])})


def run_page(job: PageJob) -> PageOutcome:
    """One page, start to end, in whatever process runs it; never raises for a bad page."""
    started = time.perf_counter()
    checkpoint = checkpoint_path(job)
    reader = reader_version(cached_engine(job.settings.engine, job.settings.options))
    if (saved := _checkpoint(checkpoint)) is not None and saved.get("reader") == reader:
        text = page_text_from_json(saved["text"]) if saved["text"] else None
        return PageOutcome(job, text, saved["problem"], resumed=True)
    try:
        page = next(iter(read_pages(job.source, [job.number])))
    except GazetteError as error:
        return PageOutcome(job, error=str(error))
    problem = page_problem(page) or ""
    text = None
    if not problem:
        done = ocr_page(page, job.source_sha256, job.settings)
        staged = Archive(job.archive).staged_page_images(job.source_sha256)
        height, width = done.image.shape[:2]
        geometry = geometry_from_steps(job.number, (width, height), done.text.steps)
        budget = _page_budget(job.source, job.source.stat().st_size)
        for name, data in kept_files(done.image, geometry, budget).items():
            atomic_write(staged / name, data)
        text = done.text
    record = {"reader": reader, "text": page_text_to_json(text) if text else None, "problem": problem}
    atomic_write(checkpoint, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return PageOutcome(job, text, problem, seconds=time.perf_counter() - started)


def _checkpoint(path: Path) -> dict[str, Any] | None:
    """A page's checkpoint record, or None when there is none (or it cannot be read: the page is read again)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@functools.lru_cache(maxsize=64)
def _page_budget(source: Path, size: int) -> float:
    """The most bytes a page's reading copy may take: `MAX_RATIO` × the original's bytes per page
    (cached: a worker reads many pages of one original, and counting a TIFF's frames reads them all)."""
    return MAX_RATIO * size / max(count_pages(source), 1)


def page_jobs(archive: Path, source: Path, settings: OcrSettings, sha256: str | None = None) -> Iterator[PageJob]:
    """One job per page of a stored scan; pages are counted from headers, never decoded here."""
    sha = sha256 or sha256_file(source)
    for number in range(1, count_pages(source) + 1):
        yield PageJob(archive, source, sha, number, settings)


def _bounded(
    submit: Callable[[PageJob], Future[PageOutcome]], jobs: Iterable[PageJob], limit: int
) -> Iterator[PageOutcome]:
    """At most ``limit`` pages in flight: memory stays bounded whatever the number of jobs."""
    pending: set[Future[PageOutcome]] = set()
    for job in jobs:
        pending.add(submit(job))
        if len(pending) >= limit:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from (future.result() for future in done)


def run_pages(jobs: Iterable[PageJob], workers: int = 0, scheduler: str | None = None) -> Iterator[PageOutcome]:
    """Outcomes as pages finish, from a local process pool (``workers``, default all cores) or a
    Dask distributed scheduler at ``scheduler``."""
    if scheduler:
        yield from _run_on_cluster(jobs, scheduler)
        return
    count = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
    ) as pool:
        yield from _bounded(lambda job: pool.submit(run_page, job), jobs, 2 * count)


def connect(scheduler: str, timeout: float = 10.0) -> Any:
    """A client of the Dask scheduler at ``scheduler``; BadInputError when it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise MissingDependencyError("--scheduler needs Dask: pip install 'gazette[dask]'") from None
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BadInputError(f"cannot reach the Dask scheduler ({reason})", path=scheduler) from None


def _run_on_cluster(jobs: Iterable[PageJob], scheduler: str) -> Iterator[PageOutcome]:
    from distributed import as_completed

    with connect(scheduler) as client:
        pending = as_completed()
        limit = 4 * max(sum(client.nthreads().values()), 1)
        for job in jobs:
            pending.add(client.submit(run_page, job, pure=False))
            if pending.count() >= limit:
                yield next(pending).result()
        for future in pending:
            yield future.result()


def _watch_parent(parent: int) -> None:
    """In each worker: exit as soon as the process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def settings_for(engine: str, workers: int) -> OcrSettings:
    """Settings from an engine spec (`parse_engine_spec`). Several workers each take one
    core: the runtime's own threads would fight over them."""
    name, extra = parse_engine_spec(engine)
    if name not in engine_names():
        raise unknown_engine(name)
    return OcrSettings(engine=name, options=EngineOptions(threads=1 if workers != 1 else 0, extra=extra))
