"""Per-customer scores: summary, churn risk, expected purchases and spend, CLV.

Examples
--------
>>> import carework
>>> from carework.churn.scores import score
>>> scores = score(carework.load("data/sample").transactions, horizon_days=90)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from carework.churn import fit, fit_spend, predicted_clv, readiness
from carework.churn.base import FittedModel
from carework.churn.gamma_gamma import SpendModel
from carework.churn.readiness import Readiness
from carework.errors import DataError
from carework.i18n import t
from carework.rfm import summary

COLUMNS = ["frequency", "recency", "T", "monetary_value", "p_alive", "expected_purchases",
           "churn_risk", "expected_next_purchase", "avg_days_between_orders", "expected_spend",
           "historic_clv", "predicted_clv", "total_clv"]


@dataclass
class Scoring:
    """Fitted models for one data set, ready to score at any horizon (fit once, predict often).

    Attributes: ``base`` (the summary), ``readiness``, ``model`` and ``spend`` (``None`` when the
    data is not ready and scoring was not forced), ``historic`` (spend to date per customer).
    """

    base: pd.DataFrame
    readiness: Readiness
    model: FittedModel | None
    spend: SpendModel | None
    historic: pd.Series

    def with_model(self, model: str, penalizer: float = 0.0) -> Scoring:
        """The same data scored by another repeat-buying model (``"bgnbd"``, ``"pnbd"``,
        ``"mbgnbd"``); the spend model is kept."""
        if self.model is None:
            return self
        return replace(self, model=fit(self.base, model=model, penalizer=penalizer))

    def scores(self, horizon_days: float = 90, annual_discount: float = 0.10) -> pd.DataFrame:
        """The score table (see :func:`score`) over ``horizon_days``."""
        if self.model is None or self.spend is None:
            raise DataError(str(self.readiness), fix=t("score.force"))
        out = self.base.join(self.model.predict(self.base, horizon_days))
        out["expected_spend"] = self.spend.expected_spend(self.base)
        out["historic_clv"] = self.historic
        out["predicted_clv"] = predicted_clv(self.model, self.spend, self.base, horizon_days,
                                             annual_discount)
        out["total_clv"] = out["historic_clv"] + out["predicted_clv"]
        out.attrs = {**self.base.attrs, "model": self.model.name, "params": self.model.params,
                     "spend_params": self.spend.params, "horizon_days": horizon_days}
        return out[COLUMNS]


def prepare(transactions: pd.DataFrame, *, as_of: str | pd.Timestamp | None = None,
            model: str = "bgnbd", force: bool = False) -> Scoring:
    """Summarise the transactions up to ``as_of`` and fit the models when the data is ready
    (or ``force``). Purchases after ``as_of`` are ignored."""
    tx = transactions
    if as_of is not None:
        cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
        tx = tx[tx["purchased_at"] < cutoff]
    if tx.empty:
        raise DataError(t("score.no_purchases"), column="purchased_at")
    base = summary(tx, observation_end=as_of)
    verdict = readiness(base)
    historic = tx.groupby("customer_id")["amount"].sum().reindex(base.index)
    if not verdict.ready and not force:
        return Scoring(base, verdict, None, None, historic)
    return Scoring(base, verdict, fit(base, model=model), fit_spend(base), historic)


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
    scoring = prepare(transactions, as_of=as_of, model=model, force=force)
    return scoring.scores(horizon_days, annual_discount)
