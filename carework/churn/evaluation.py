"""Holdout evaluation: do the models predict what customers did next?

The log is split at ``calibration_end``: models learn from the calibration period and are judged
on the holdout period that follows. Three views:

* :func:`holdout_by_frequency` — mean actual vs predicted holdout purchases per calibration
  frequency (the classic BTYD check);
* :func:`period_transactions` — customers by repeat purchases in the calibration period,
  actual vs the model's exact expectation (does the model describe the data it learnt from?);
* :func:`ranking` — how well ``churn_risk`` ranks customers who did not buy in the holdout
  (ROC AUC, and the lift of the riskiest fifth);
* :func:`compare_models` — both for every model, next to a supervised scikit-learn classifier
  trained the way predictive-CRM products do it: on a time-shifted window (features as of
  ``calibration_end − holdout``, label "no purchase in the following holdout-length period").

Examples
--------
>>> compare_models(tx, calibration_end="2026-03-31", observation_end="2026-09-29")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

from carework.churn import MODELS, fit
from carework.churn.base import FittedModel
from carework.rfm import summary
from carework.threads import limit_threads

FEATURES = ["frequency", "recency", "T", "monetary_value", "days_since_last"]


def holdout_by_frequency(model: FittedModel, cal: pd.DataFrame, max_bucket: int = 7
                         ) -> pd.DataFrame:
    """Customers, mean actual and mean predicted holdout purchases per calibration frequency
    (``max_bucket`` collects that many and more)."""
    horizon = cal["duration_holdout"].iloc[0] * (7.0 if cal.attrs.get("unit") == "W" else 1.0)
    predicted = model.predict(cal, horizon)["expected_purchases"]
    bucket = cal["frequency"].clip(upper=max_bucket).astype(int)
    table = pd.DataFrame({"bucket": bucket, "actual": cal["frequency_holdout"],
                          "predicted": predicted}).groupby("bucket").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean"))
    return table


def period_transactions(model: FittedModel, s: pd.DataFrame, max_frequency: int = 7
                        ) -> pd.DataFrame:
    """Customers by number of repeat purchases in the period the model learnt from: actual vs
    expected (the period-transactions check; ``max_frequency`` collects that many and more).

    Expected: each customer adds P(X(T) = n), the model's chance of exactly n repeat purchases in
    a period as long as theirs, so both columns sum to the number of customers. Unlike
    lifetimes' ``plot_period_transactions``, which simulates, the expectation is exact.
    """
    if max_frequency < 1:
        raise ValueError("max_frequency must be at least 1")
    T_values, counts = np.unique(s["T"].to_numpy(dtype=float), return_counts=True)
    n = np.arange(max_frequency)
    with np.errstate(all="ignore"):
        p = model.probability_of_n_purchases_up_to_time(T_values[:, None], n[None, :])
    expected = counts @ p
    expected = np.append(expected, len(s) - expected.sum())
    actual = np.bincount(s["frequency"].clip(upper=max_frequency).astype(int),
                         minlength=max_frequency + 1)
    return pd.DataFrame({"actual": actual.astype(float), "expected": expected},
                        index=pd.RangeIndex(max_frequency + 1, name="frequency"))


def ranking(churn_risk: pd.Series, no_purchase: pd.Series, top: float = 0.2) -> dict[str, float]:
    """ROC AUC of ``churn_risk`` for ``no_purchase``, and the lift of the riskiest ``top``
    share (their no-purchase rate over the base rate)."""
    no_purchase = no_purchase.reindex(churn_risk.index).astype(bool)
    cut = churn_risk.quantile(1 - top)
    riskiest = churn_risk >= cut
    base_rate = no_purchase.mean()
    return {"auc": float(roc_auc_score(no_purchase, churn_risk)),
            "lift_top": float(no_purchase[riskiest].mean() / base_rate) if base_rate else np.nan}


def _features(s: pd.DataFrame) -> pd.DataFrame:
    return s.assign(days_since_last=s["T"] - s["recency"])[FEATURES]


def training_window(transactions: pd.DataFrame, calibration_end: pd.Timestamp,
                    holdout_days: int) -> int:
    """The label window of the time-shifted training set: the holdout length, or half of the
    calibration history when that is shorter (a young cohort has no earlier window)."""
    first = transactions["purchased_at"].min().normalize()
    return int(min(holdout_days, max((calibration_end - first).days // 2, 1)))


def supervised_churn_risk(transactions: pd.DataFrame, calibration_end: pd.Timestamp,
                          holdout_days: int, seed: int = 0) -> pd.Series:
    """Churn risk from a gradient-boosted classifier trained on a time-shifted window.

    Trained on features as of ``calibration_end − window`` with the label "no purchase in the
    next ``window`` days" (both inside the calibration period, so nothing from the holdout
    leaks in; ``window`` from :func:`training_window`), then applied to features as of
    ``calibration_end``.
    """
    window = training_window(transactions, calibration_end, holdout_days)
    shift_end = calibration_end - pd.Timedelta(days=window)
    train = summary(transactions[transactions["purchased_at"] < calibration_end
                                 + pd.Timedelta(days=1)],
                    calibration_end=shift_end, observation_end=calibration_end)
    label = train["frequency_holdout"] == 0
    classifier = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05,
                                                random_state=seed)
    now = summary(transactions[transactions["purchased_at"] < calibration_end
                               + pd.Timedelta(days=1)], observation_end=calibration_end)
    with limit_threads(len(train)):
        classifier.fit(_features(train), label)
        risk = classifier.predict_proba(_features(now))[:, 1]
    return pd.Series(risk, index=now.index, name="churn_risk")


def calibration_fit(transactions: pd.DataFrame, calibration_end: pd.Timestamp,
                    observation_end: pd.Timestamp, model: str, cache: dict | None = None
                    ) -> tuple[pd.DataFrame, FittedModel]:
    """The calibration summary and ``model`` fitted to it; with ``cache`` (a dict the caller
    keeps, e.g. :attr:`carework.customer_base.CustomerBase.fits`), each summary is made and
    each model fitted once for the same transactions and dates."""
    cache = {} if cache is None else cache
    key = ("summary", calibration_end, observation_end)
    if key not in cache:
        cache[key] = summary(transactions, calibration_end=calibration_end,
                             observation_end=observation_end)
    cal = cache[key]
    fitted_key = ("model", calibration_end, observation_end, model)
    if fitted_key not in cache:
        cache[fitted_key] = fit(cal, model=model)
    return cal, cache[fitted_key]


def compare_models(transactions: pd.DataFrame, *, calibration_end: str | pd.Timestamp,
                   observation_end: str | pd.Timestamp,
                   models: tuple[str, ...] | None = None, cache: dict | None = None
                   ) -> pd.DataFrame:
    """One row per model: holdout AUC and top-fifth lift of churn risk, and predicted vs actual
    holdout purchases (BTYD models), on the customers of the calibration period. The fits are
    kept in ``cache`` (see :func:`calibration_fit`) for the diagnostics that follow."""
    cal_end, obs_end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    holdout_days = int((obs_end - cal_end).days)
    rows = []
    for name in models or tuple(MODELS):
        cal, model = calibration_fit(transactions, cal_end, obs_end, name, cache)
        no_purchase = cal["frequency_holdout"] == 0
        predicted = model.predict(cal, holdout_days)
        rows.append({"model": name, **ranking(predicted["churn_risk"], no_purchase),
                     "predicted_purchases": float(predicted["expected_purchases"].sum()),
                     "actual_purchases": float(cal["frequency_holdout"].sum())})
    supervised = supervised_churn_risk(transactions, cal_end, holdout_days)
    window = training_window(transactions, cal_end, holdout_days)
    rows.append({"model": f"supervised (gradient boosting, {window}-day window)",
                 **ranking(supervised.reindex(cal.index), no_purchase),
                 "predicted_purchases": np.nan,
                 "actual_purchases": float(cal["frequency_holdout"].sum())})
    return pd.DataFrame(rows).set_index("model")


@dataclass
class HoldoutCheck:
    """A model fitted without the last ``holdout_days``, judged on them: the per-frequency
    table (:func:`holdout_by_frequency`) and the cumulative tracking (:func:`tracking`)."""

    holdout_days: int
    by_frequency: pd.DataFrame
    tracking: pd.DataFrame


def holdout_check(transactions: pd.DataFrame, holdout_days: int = 180,
                  model: str = "bgnbd", cache: dict | None = None) -> HoldoutCheck | None:
    """Hold out the last ``holdout_days`` and compare (``None`` when the history is less than
    twice as long); fits are kept in ``cache`` (see :func:`calibration_fit`)."""
    end = transactions["purchased_at"].max().normalize()
    start = transactions["purchased_at"].min().normalize()
    if (end - start).days < 2 * holdout_days:
        return None
    cal_end = end - pd.Timedelta(days=holdout_days)
    cal, fitted = calibration_fit(transactions, cal_end, end, model, cache)
    return HoldoutCheck(holdout_days, holdout_by_frequency(fitted, cal),
                        tracking(transactions, fitted, calibration_end=cal_end,
                                 observation_end=end))


def tracking(transactions: pd.DataFrame, model: FittedModel, *,
             calibration_end: str | pd.Timestamp, observation_end: str | pd.Timestamp,
             freq_days: int = 7) -> pd.DataFrame:
    """Cumulative repeat purchases, actual vs expected, every ``freq_days`` from the first
    purchase to ``observation_end`` (the BTYD tracking chart).

    Expected: each customer of the calibration period contributes E[X(d − first purchase day)]
    (the model's unconditional expectation), so the curve past ``calibration_end`` is a forecast.
    """
    unit_days = 7.0 if model.unit == "W" else 1.0
    cal_end, obs_end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    days = transactions.assign(day=transactions["purchased_at"].dt.normalize())[
        ["customer_id", "day"]].drop_duplicates()
    first = days.groupby("customer_id")["day"].min()
    first = first[first <= cal_end]
    days = days[days["customer_id"].isin(first.index) & (days["day"] <= obs_end)]
    repeat_days = days[days["day"] > days["customer_id"].map(first)]["day"]
    grid = pd.date_range(first.min(), obs_end, freq=f"{freq_days}D")
    actual = np.searchsorted(np.sort(repeat_days.to_numpy()), grid.to_numpy(), side="right")
    cohort = first.value_counts()
    age = (grid.to_numpy()[:, None] - cohort.index.to_numpy()[None, :]) / np.timedelta64(1, "D")
    with np.errstate(all="ignore"):
        per_customer = np.where(age > 0, model.expected_repeat_purchases(
            np.clip(age, 0, None) / unit_days), 0.0)
    expected = per_customer @ cohort.to_numpy(dtype=float)
    return pd.DataFrame({"actual": actual.astype(float), "expected": expected,
                         "holdout": grid > cal_end}, index=pd.Index(grid, name="date"))
