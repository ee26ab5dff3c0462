"""Thread limits for the scikit-learn steps that use OpenMP.

OpenMP worker threads spin while they wait for each other. On a small machine shared with other
work (two cores and a notebook kernel beside a Voila server, a CI runner) a multi-threaded
fit of a few thousand rows can then take minutes instead of a second — measured here: a
gradient-boosting fit on 2,300 customers went from 1 s to 180 s with one other busy process.
Below :data:`PARALLEL_FROM` rows the work runs on one thread, where it is fastest anyway.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from threadpoolctl import threadpool_limits

PARALLEL_FROM = 200_000


def limit_threads(rows: int) -> AbstractContextManager:
    """One OpenMP thread for fewer than :data:`PARALLEL_FROM` rows, the default otherwise."""
    if rows < PARALLEL_FROM:
        return threadpool_limits(limits=1, user_api="openmp")
    return nullcontext()
