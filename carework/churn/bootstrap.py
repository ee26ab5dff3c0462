"""Bootstrap intervals for expected purchases and CLV, per segment and for the whole base.

Resampling customers with replacement is a multinomial redraw of how many customers each
distinct cell — (frequency, recency, T, monetary value, segment) — holds. Each draw refits the
models on the redrawn weights of the compressed data (from the full-data estimate, a few Newton
steps), so 200 draws cost seconds at the sizes where refitting every customer would take hours.

Examples
--------
>>> result = bootstrap(s, horizon_days=90, groups=segments, n_boot=200)   # doctest: +SKIP
>>> result.totals                                                          # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carework.churn import gamma_gamma
from carework.churn.base import UNIT_DAYS, Triples, first_of_each
from carework.churn.clv import discounted_purchases
from carework.churn.gamma_gamma import SpendData, SpendModel
from carework.churn.models import MODELS

ALL = "__all__"


@dataclass
class BootstrapResult:
    """``totals``: per group (and ``ALL``) the point estimate and interval of the expected
    purchases and predicted CLV over the horizon, and the number of customers; ``params``: the
    parameters of every draw (one row per draw)."""

    totals: pd.DataFrame
    params: pd.DataFrame


def _cells(summary: pd.DataFrame, groups: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    frame = summary[["frequency", "recency", "T", "monetary_value"]].assign(
        group=groups.reindex(summary.index).astype(str).to_numpy())
    codes = frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy()
    return frame.iloc[first_of_each(codes)].reset_index(drop=True), np.bincount(codes)


def bootstrap(summary: pd.DataFrame, *, horizon_days: float, groups: pd.Series | None = None,
              n_boot: int = 200, annual_discount: float = 0.10, step_days: float = 30.0,
              level: float = 0.95, penalizer: float = 0.0, seed: int = 0,
              model: str = "bgnbd") -> BootstrapResult:
    """Percentile bootstrap of the expected purchases and CLV (``model`` × Gamma-Gamma).

    Parameters
    ----------
    summary : from :func:`carework.rfm.summary`.
    horizon_days : the prediction horizon.
    groups : a segment label per customer (indexed like ``summary``); totals are reported per
        segment and for everyone (``ALL``).
    n_boot : number of redraws.
    model : ``"bgnbd"``, ``"pnbd"`` or ``"mbgnbd"``, as in :func:`carework.churn.fit`.
    """
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    if model not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, not {model!r}")
    fit_model = MODELS[model]
    groups = pd.Series(ALL, index=summary.index) if groups is None else groups
    cells, counts = _cells(summary, groups)
    n = int(counts.sum())
    triples = Triples.from_summary(cells)
    spend_pairs = cells[cells["frequency"] > 0]
    pair_codes = spend_pairs.groupby(["frequency", "monetary_value"], sort=True).ngroup()
    pair_first = spend_pairs.assign(code=pair_codes.to_numpy()).drop_duplicates("code")
    pair_first = pair_first.sort_values("code")
    repeat = cells["frequency"].to_numpy() > 0
    group_codes, group_names = pd.factorize(cells["group"], sort=True)
    per_unit = UNIT_DAYS[summary.attrs.get("unit", "D")]
    x, m = cells["frequency"].to_numpy(float), cells["monetary_value"].to_numpy(float)

    def totals_for(weights: np.ndarray, start: tuple[dict, dict] | None) -> tuple:
        data = Triples(triples.x, triples.t_x, triples.T,
                       np.bincount(triples.inverse, weights=weights, minlength=len(triples.x)),
                       triples.inverse, triples.freq_values, triples.freq_index)
        fitted = fit_model(data, penalizer=penalizer, start=start and start[0])
        pair_weights = np.bincount(pair_codes.to_numpy(), weights=weights[repeat],
                                   minlength=len(pair_first))
        spend_data = SpendData(pair_first["frequency"].to_numpy(float),
                               pair_first["monetary_value"].to_numpy(float), pair_weights,
                               *np.unique(pair_first["frequency"].to_numpy(float),
                                          return_inverse=True))
        spend: SpendModel = gamma_gamma.fit_data(spend_data, penalizer=penalizer,
                                                 start=start and start[1])
        purchases, discounted = discounted_purchases(
            fitted, triples.x, triples.t_x, triples.T, horizon_days, per_unit, annual_discount,
            step_days)
        p, q, v = (spend.params[k] for k in gamma_gamma.PARAMS)
        avg_spend = np.where(x > 0, p * (v + x * m) / (p * x + q - 1), p * v / (q - 1))
        cell_purchases = purchases[triples.inverse] * weights
        cell_clv = discounted[triples.inverse] * avg_spend * weights
        by_group = np.stack([
            np.bincount(group_codes, weights=cell_purchases, minlength=len(group_names)),
            np.bincount(group_codes, weights=cell_clv, minlength=len(group_names)),
            np.bincount(group_codes, weights=weights, minlength=len(group_names))])
        return fitted, spend, by_group

    base_model, base_spend, base = totals_for(counts.astype(float), None)
    rng = np.random.default_rng(seed)
    draws, params = [], []
    start = (base_model.params, base_spend.params)
    for _ in range(n_boot):
        weights = rng.multinomial(n, counts / n).astype(float)
        fitted, spend, by_group = totals_for(weights, start)
        draws.append(by_group)
        params.append({**fitted.params, **spend.params})
    stack = np.stack(draws)  # draw × (purchases, clv, customers) × group
    low_q, high_q = (1 - level) / 2, (1 + level) / 2
    rows = {}
    names = list(group_names) + ([ALL] if ALL not in group_names else [])
    for j, name in enumerate(names):
        if name == ALL and ALL not in group_names:
            point, sample = base.sum(axis=1), stack.sum(axis=2)
        else:
            point, sample = base[:, j], stack[:, :, j]
        rows[name] = {
            "customers": int(point[2]),
            "expected_purchases": point[0],
            "expected_purchases_low": np.quantile(sample[:, 0], low_q),
            "expected_purchases_high": np.quantile(sample[:, 0], high_q),
            "predicted_clv": point[1],
            "predicted_clv_low": np.quantile(sample[:, 1], low_q),
            "predicted_clv_high": np.quantile(sample[:, 1], high_q),
        }
    totals = pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")
    return BootstrapResult(totals=totals, params=pd.DataFrame(params))
