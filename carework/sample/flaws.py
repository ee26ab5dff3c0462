"""Export flaws injected into the transactions: return rows and verbatim duplicate lines."""

from __future__ import annotations

import numpy as np

from carework.sample.clock import DAY, into_hours

__all__ = ["inject"]


def inject(rng: np.random.Generator, cols: dict[str, np.ndarray],
           horizon: int) -> tuple[dict[str, np.ndarray], int, int]:
    """Add return rows (~0.5 %) and verbatim duplicate rows (~0.3 %) to the purchases.

    Returns the new columns, the number of return rows and the number of duplicate rows.
    """
    n_purch = cols["owner"].size
    eligible = np.flatnonzero(cols["seconds"] <= horizon - 11 * DAY)
    n_ret = int(min(rng.binomial(n_purch, 0.005), eligible.size))
    ret = np.sort(rng.choice(eligible, size=n_ret, replace=False))
    lag = np.floor(np.exp(rng.normal(np.log(3 * DAY), 0.6, n_ret))).astype(np.int64)
    lag = np.clip(lag, 3600, 10 * DAY)
    partial = rng.random(n_ret) < 0.35
    share = rng.uniform(0.2, 0.8, n_ret)
    amount = cols["amount"][ret]
    back = np.where(partial, np.maximum(np.round(amount * share / 1000), 1) * 1000, amount)
    returns = {key: v[ret] for key, v in cols.items()}
    returns["seconds"] = into_hours(rng, returns["seconds"] + lag, 8, 22)
    returns["amount"] = -back.astype(np.int64)
    cols = {key: np.concatenate([cols[key], returns[key]]) for key in cols}
    order = np.lexsort((cols["amount"] < 0, cols["order"], cols["seconds"]))
    cols = {key: v[order] for key, v in cols.items()}
    n_rows = cols["owner"].size
    n_dup = int(rng.binomial(n_rows, 0.003))
    dup = rng.choice(n_rows, size=n_dup, replace=False)
    take = np.sort(np.concatenate([np.arange(n_rows), dup]), kind="stable")
    return {key: v[take] for key, v in cols.items()}, n_ret, n_dup
