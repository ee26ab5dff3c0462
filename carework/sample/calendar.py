"""The purchase calendar: Tết and weekday seasonality as a time change.

Purchases are simulated in *operational time*, the integral of a daily intensity multiplier
(Tết build-up and holiday dip, busier weekends). A process with a constant rate in
operational time has the seasonal rate in calendar time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TET", "WEEKDAY", "Calendar"]

# Tết: ~2-3x the rate in the 3 weeks before, a dip in the holiday week.
TET = ("2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
       "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03")
"""Lunar New Year's days."""
WEEKDAY = np.array([0.85, 0.85, 0.9, 0.95, 1.05, 1.2, 1.2])
"""Purchase-rate multiplier per weekday, Monday..Sunday (mean 1)."""


@dataclass(frozen=True)
class Calendar:
    """Daily purchase-intensity multipliers and their integral (the operational time)."""

    start: pd.Timestamp
    days: int
    season: np.ndarray
    cum: np.ndarray
    weekday0: int

    @classmethod
    def build(cls, start: pd.Timestamp, end: pd.Timestamp) -> Calendar:
        """The calendar of the days from ``start`` up to (not including) ``end``."""
        days = int((end - start).days)
        weekday0 = int(start.day_of_week)
        season = WEEKDAY[(weekday0 + np.arange(days)) % 7].copy()
        offset = np.arange(days)
        for tet in TET:
            d = int((pd.Timestamp(tet) - start).days)
            before = (offset >= d - 21) & (offset < d - 1)
            season[before] *= 1.8 + 1.2 * (offset[before] - (d - 21)) / 19
            season[(offset >= d - 1) & (offset <= d + 5)] *= 0.35
            season[(offset > d + 5) & (offset <= d + 9)] *= 0.8
        cum = np.concatenate([[0.0], np.cumsum(season)])
        return cls(start, days, season, cum, weekday0)

    @property
    def total(self) -> float:
        """Operational length of the whole period."""
        return float(self.cum[-1])

    def op(self, t: np.ndarray) -> np.ndarray:
        """Operational time of calendar time ``t`` (days since the start, fractional)."""
        d = np.clip(np.floor(t).astype(np.int64), 0, self.days - 1)
        return self.cum[d] + self.season[d] * (t - d)

    def inv(self, op_time: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Calendar day and fraction of that day of an operational time."""
        d = np.searchsorted(self.cum, op_time, side="right") - 1
        d = np.clip(d, 0, self.days - 1)
        frac = np.clip((op_time - self.cum[d]) / self.season[d], 0.0, 1.0 - 1e-12)
        return d, frac

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """Weekday (0 = Monday) of day offsets from the start."""
        return (self.weekday0 + day) % 7
