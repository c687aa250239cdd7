"""Spread expensive per-document work over processes.

Every analysis that calls a slow per-text function (textstat, VADER, ftfy) goes through
:func:`map_texts`, so that all of them gain from more cores at once and none of them has to
think about process pools.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

#: Below this many texts a process pool costs more (start-up, pickling) than it saves.
SERIAL_BELOW = 400
#: Above this many items, loading and cleaning show a progress bar unless told otherwise.
PROGRESS_ABOVE = 500


def default_workers() -> int:
    """Number of worker processes to use: ``CORPUSUTILS_WORKERS`` or the usable cores.

    >>> default_workers() >= 1
    True
    """
    configured = os.environ.get("CORPUSUTILS_WORKERS")
    if configured:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_texts(
    func: Callable[[Any], T],
    items: Sequence[Any],
    *,
    workers: int | None = None,
    chunksize: int | None = None,
    progress: str | None = None,
) -> list[T]:
    """Apply ``func`` to every item, in order, over several processes when it pays.

    ``func`` must be a top-level (picklable) function. Small inputs, or ``workers=1``, run in
    this process, which keeps tracebacks simple and notebooks quick. ``progress`` names a
    progress bar to show (on stderr) while the items are worked through.

    >>> map_texts(len, ["a", "bb", "ccc"])
    [1, 2, 3]
    """
    items = list(items)
    n_workers = default_workers() if workers is None else max(1, workers)
    if n_workers == 1 or len(items) < SERIAL_BELOW:
        return _collect(map(func, items), len(items), progress)
    if chunksize is None:
        chunksize = max(1, len(items) // (n_workers * 8))
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        return _collect(pool.map(func, items, chunksize=chunksize), len(items), progress)


def _collect(results: Iterable[T], total: int, progress: str | None) -> list[T]:
    if progress is None:
        return list(results)
    from tqdm.auto import tqdm

    return list(tqdm(results, total=total, desc=progress, unit="doc"))
