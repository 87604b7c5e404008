"""Work spread over the machine's cores: reading documents and rendering their pages.

Workers are forked (they inherit the site's data instead of receiving it), so this runs in
parallel where ``fork`` exists (Linux) and the work is large enough to pay for it, and in
this process otherwise; the results are the same either way, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
#: Below this many items a pool costs more than it saves.
MIN_ITEMS = 400
_CHUNKS_PER_WORKER = 4
_task: Callable[[Any], Any] | None = None


def _run(chunk: Sequence[Any]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in chunk]


def parallel_map(task: Callable[[T], R], items: Sequence[T], *, min_items: int = MIN_ITEMS) -> list[R]:
    """``[task(item) for item in items]``, in forked workers when there are ``min_items`` or more.
    ``task`` may be a closure over anything: the workers inherit it."""
    global _task
    workers = os.cpu_count() or 1
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]
    size = max(1, len(items) // (workers * _CHUNKS_PER_WORKER))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    _task = task
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for results in pool.map(_run, chunks) for result in results]
    finally:
        _task = None
