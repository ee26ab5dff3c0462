"""Per-customer scores: summary, churn risk, expected purchases and spend, CLV.

Examples
--------
>>> import carework
>>> from carework.churn.scores import score
>>> scores = score(carework.load("data/sample").transactions, horizon_days=90)  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from carework.churn import fit, fit_spend, predicted_clv, readiness
from carework.errors import DataError
from carework.i18n import t
from carework.rfm import summary

COLUMNS = ["frequency", "recency", "T", "monetary_value", "p_alive", "expected_purchases",
           "churn_risk", "expected_next_purchase", "avg_days_between_orders", "expected_spend",
           "historic_clv", "predicted_clv", "total_clv"]


def score(transactions: pd.DataFrame, *, as_of: str | pd.Timestamp | None = None,
          horizon_days: float = 90, model: str = "bgnbd", annual_discount: float = 0.10,
          force: bool = False) -> pd.DataFrame:
    """Score every customer who has bought, as of ``as_of`` (default: the last purchase day).

    Purchases after ``as_of`` are ignored, so a past date gives the scores as they would have
    been then. Refuses (``DataError`` with the reasons) when :func:`carework.churn.readiness`
    says the history cannot support predictions, unless ``force``.

    Returns
    -------
    DataFrame indexed by ``customer_id`` with the summary columns, ``p_alive``,
    ``expected_purchases`` and ``churn_risk`` (over ``horizon_days``),
    ``expected_next_purchase``, ``avg_days_between_orders``, ``expected_spend``, and
    ``historic_clv`` (spent so far), ``predicted_clv`` (over the horizon, discounted at
    ``annual_discount`` per year) and ``total_clv``.
    """
    tx = transactions
    if as_of is not None:
        cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
        tx = tx[tx["purchased_at"] < cutoff]
    if tx.empty:
        raise DataError(t("score.no_purchases"), column="purchased_at")
    base = summary(tx, observation_end=as_of)
    verdict = readiness(base)
    if not verdict.ready and not force:
        raise DataError(str(verdict), fix=t("score.force"))
    model_fit = fit(base, model=model)
    spend = fit_spend(base)
    scores = base.join(model_fit.predict(base, horizon_days))
    scores["expected_spend"] = spend.expected_spend(base)
    scores["historic_clv"] = tx.groupby("customer_id")["amount"].sum().reindex(base.index)
    scores["predicted_clv"] = predicted_clv(model_fit, spend, base, horizon_days,
                                            annual_discount)
    scores["total_clv"] = scores["historic_clv"] + scores["predicted_clv"]
    scores.attrs = {**base.attrs, "model": model_fit.name, "params": model_fit.params,
                    "spend_params": spend.params, "horizon_days": horizon_days}
    return scores[COLUMNS]
