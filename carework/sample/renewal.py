"""Per-customer renewal processes: the repeat-purchase times of buy-till-you-die customers."""

from __future__ import annotations

import numpy as np

__all__ = ["renewal"]


def renewal(rng: np.random.Generator, rate: np.ndarray, shape: np.ndarray,
            horizon: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Event times of per-customer renewal processes with Gamma(shape, mean 1/rate) gaps.

    Returns (owner, time) for the events with time <= horizon, at most ``cap`` per owner,
    grouped by owner and increasing within an owner. Vectorised: each round draws a
    generous batch per unfinished owner, rarely more than one round is needed.
    """
    n = rate.size
    owners: list[np.ndarray] = []
    times: list[np.ndarray] = []
    pos = np.zeros(n)
    got = np.zeros(n, dtype=np.int64)
    todo = np.flatnonzero((cap > 0) & (horizon > 0) & (rate > 0))
    while todo.size:
        mu = rate[todo] * (horizon[todo] - pos[todo])
        m = np.ceil(mu + 3.0 * np.sqrt(mu / shape[todo]) + 3.0).astype(np.int64)
        m = np.minimum(m, cap[todo] - got[todo])
        own = np.repeat(todo, m)
        k = shape[own]
        gaps = rng.gamma(k, 1.0 / (k * rate[own]))
        cs = np.cumsum(gaps)
        ends = np.cumsum(m)
        starts = ends - m
        t = pos[own] + cs - np.repeat(cs[starts] - gaps[starts], m)
        ok = t <= horizon[own]
        owners.append(own[ok])
        times.append(t[ok])
        got[todo] += np.add.reduceat(ok.astype(np.int64), starts)
        last = t[ends - 1]
        pos[todo] = last
        todo = todo[(last <= horizon[todo]) & (got[todo] < cap[todo])]
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    owner = np.concatenate(owners)
    time = np.concatenate(times)
    order = np.lexsort((time, owner))
    return owner[order], time[order]
