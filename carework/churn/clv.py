r"""Customer lifetime value over a horizon: expected purchases × expected spend, discounted.

The horizon is cut into steps (30 days by default). Step k ends ``t_k`` days ahead; its value
is the expected number of purchases in the step times the customer's expected spend, discounted
by the *annual* rate over ``t_k / 365`` years:

.. math::

    \mathrm{CLV} = \sum_k \big(E[Y(t_k)] - E[Y(t_{k-1})]\big)\; E[M]\;(1+d_{year})^{-t_k/365}

Times are converted from days to the summary's own unit (days or weeks), so the same call is
right for weekly data; lifetimes' ``customer_lifetime_value`` assumes daily data instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.churn.base import UNIT_DAYS, FittedModel, Triples
from carework.churn.gamma_gamma import SpendModel


def discounted_purchases(model: FittedModel, x: np.ndarray, t_x: np.ndarray, T: np.ndarray,
                         horizon_days: float, per_unit: float, annual_discount: float = 0.10,
                         step_days: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Per triple: expected purchases over the horizon, and the same discounted step by step."""
    if horizon_days <= 0 or step_days <= 0:
        raise ValueError("horizon_days and step_days must be positive")
    if annual_discount <= -1:
        raise ValueError("annual_discount must be above -100%")
    ends = np.append(np.arange(step_days, horizon_days, step_days), horizon_days)
    before = np.zeros(len(x))
    value = np.zeros(len(x))
    with np.errstate(all="ignore"):
        for end in ends:
            after = model._expected(end / per_unit, x, t_x, T)
            value += (after - before) * (1 + annual_discount) ** (-end / 365.0)
            before = after
    return before, value


def predicted_clv(model: FittedModel, spend: SpendModel, summary: pd.DataFrame,
                  horizon_days: float, annual_discount: float = 0.10,
                  step_days: float = 30.0) -> pd.Series:
    """Discounted expected value of each customer's purchases over the next ``horizon_days``.

    Examples
    --------
    >>> predicted_clv(model, spend, s, horizon_days=365)  # doctest: +SKIP
    """
    data = Triples.from_summary(summary)
    per_unit = UNIT_DAYS[summary.attrs.get("unit", model.unit)]
    _, value = discounted_purchases(model, data.x, data.t_x, data.T, horizon_days, per_unit,
                                    annual_discount, step_days)
    expected = pd.Series(value[data.inverse], index=summary.index)
    return (expected * spend.expected_spend(summary)).rename("predicted_clv")
