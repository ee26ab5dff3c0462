"""Time of day: seconds since the period start, opening hours, intraday profiles."""

from __future__ import annotations

import numpy as np

__all__ = ["DAY", "intraday", "into_hours"]

DAY = 86_400
"""Seconds per day; every generated time is an integer number of seconds since the start."""


def intraday(frac: np.ndarray, profile_rows: np.ndarray, rows: np.ndarray,
             first_hour: int) -> np.ndarray:
    """Map a fraction of a day in [0, 1) to seconds after midnight via an hourly profile.

    ``profile_rows[g]`` weighs the hours ``first_hour``, ``first_hour + 1``, … for the rows
    with ``rows == g``. Monotone in ``frac`` for a given profile, so it is a valid intraday
    time change.
    """
    cdf = np.cumsum(profile_rows, axis=1)
    cdf = cdf / cdf[:, -1:]
    lower = np.hstack([np.zeros((cdf.shape[0], 1)), cdf[:, :-1]])
    out = np.empty(frac.size, dtype=np.int64)
    for g in range(cdf.shape[0]):
        sel = np.flatnonzero(rows == g)
        f = frac[sel]
        idx = np.minimum(np.searchsorted(cdf[g], f, side="right"), cdf.shape[1] - 1)
        lo, hi = lower[g, idx], cdf[g, idx]
        pos = np.clip((f - lo) / np.maximum(hi - lo, 1e-12), 0.0, 1.0 - 1e-9)
        out[sel] = (first_hour + idx) * 3600 + np.floor(pos * 3600).astype(np.int64)
    return out


def into_hours(rng: np.random.Generator, seconds: np.ndarray, lo_h: int,
               hi_h: int) -> np.ndarray:
    """Move times outside [lo_h, hi_h) to the next opening (plus up to 2 h)."""
    sod = seconds % DAY
    day = seconds // DAY
    jitter = np.floor(rng.random(seconds.size) * 7200).astype(np.int64)
    early = sod < lo_h * 3600
    late = sod >= hi_h * 3600
    out = np.where(early, day * DAY + lo_h * 3600 + jitter, seconds)
    return np.where(late, (day + 1) * DAY + lo_h * 3600 + jitter, out)
