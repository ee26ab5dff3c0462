"""The hidden per-customer truth: persona, pattern and the parameters behind the purchases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.calendar import Calendar
from carework.sample.clock import DAY
from carework.sample.columns import text, timestamps
from carework.sample.personas import PERSONAS

__all__ = ["PATTERNS", "frame"]

PATTERNS = ("none", "slowed_regular", "fading_big_spender")
"""Cross-cutting purchase patterns clustering should find."""


def frame(c: dict[str, np.ndarray], tr: dict[str, np.ndarray], cid: pa.Array,
          ticket_propensity: np.ndarray, cal: Calendar, start: pd.Timestamp) -> pd.DataFrame:
    """One row per customer (see :attr:`carework.sample.SampleData.truth`).

    ``c`` are the simulated customers, ``tr`` the per-customer purchase truth.
    """
    n = c["persona"].size
    bought = tr["n_purchases"] > 0
    dead = tr["dead"] & bought
    slow_cal = np.full(n, -1, dtype=np.int64)
    has_slow = np.isfinite(tr["slow_at_op"]) & bought
    if has_slow.any():
        d, f = cal.inv(tr["slow_at_op"][has_slow])
        slow_cal[has_slow] = d * DAY + np.floor(f * DAY).astype(np.int64)
    slow_cal[dead & (tr["last"] < slow_cal)] = -1  # dropped out before slowing down
    return pd.DataFrame({
        "customer_id": text(np.arange(n), cid),
        "persona": text(c["persona"], PERSONAS),
        "pattern": text(c["pattern"], PATTERNS),
        "prospect": ~bought,
        "lambda": tr["lam"],
        "gap_shape": tr["gap_shape"],
        "p_dropout": tr["p"],
        "dropout_at": timestamps(start, np.maximum(tr["last"], 0), ~dead),
        "slowdown_at": timestamps(start, np.maximum(slow_cal, 0), slow_cal < 0),
        "slowdown_factor": np.where(slow_cal >= 0, tr["slow_factor"], 1.0),
        "mean_spend": tr["mean_spend"],
        "satisfaction": tr["sat"],
        "ticket_propensity": ticket_propensity,
        "first_purchase_at": timestamps(start, np.where(bought, tr["first"], 0), ~bought),
        "n_purchases": tr["n_purchases"],
    })
