r"""Gamma-Gamma: how much a customer spends per purchase.

Assumptions, in plain words: each customer has a typical basket value; a purchase's value
scatters around it as :math:`\mathrm{Gamma}(p, \nu)`, and the customers' :math:`\nu` vary as
:math:`\mathrm{Gamma}(q, \gamma)` (lifetimes calls :math:`\gamma` ``v``). Spend is assumed
independent of how often a customer buys — check that before trusting CLV (the correlation of
``frequency`` and ``monetary_value`` should be near 0).

Input: customers with at least one repeat purchase: ``frequency`` (x) and ``monetary_value``
(:math:`m_x`, the mean value of the repeat purchases).

Likelihood of one customer (Fader, Hardie & Lee 2005b, note 025, eq. 1a), in logs:

.. math::

    \ell = \ln\Gamma(px+q) - \ln\Gamma(px) - \ln\Gamma(q) + q\ln\gamma + (px-1)\ln m_x
           + px\ln x - (px+q)\ln(\gamma + x m_x)

Expected spend per purchase given the history (eq. 5):
:math:`E[M \mid x, m_x] = \frac{p(\gamma + x m_x)}{px + q - 1}`, a weighted mean of the
population mean :math:`p\gamma/(q-1)` and the customer's own :math:`m_x`.

Reference: Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). RFM and CLV: using iso-value
curves for customer base analysis. *Journal of Marketing Research* 42(4), 415–430; and
"The Gamma-Gamma model of monetary value", http://brucehardie.com/notes/025/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from carework.churn.base import fit_log_params
from carework.errors import data_error

PARAMS = ("p", "q", "v")


@dataclass(frozen=True)
class SpendData:
    """Distinct (x, m_x) pairs of repeat buyers, with weights; x-only terms indexed once."""

    x: np.ndarray
    m: np.ndarray
    weights: np.ndarray
    freq_values: np.ndarray
    freq_index: np.ndarray

    @classmethod
    def from_summary(cls, summary: pd.DataFrame) -> SpendData:
        if "monetary_value" not in summary:
            raise data_error("err.churn.no_column", fix="fix.churn.summary",
                             column="monetary_value")
        repeat = summary[summary["frequency"] > 0]
        if (repeat["monetary_value"] <= 0).any():
            raise data_error("err.churn.spend_not_positive", column="monetary_value")
        if len(repeat) < 10:
            raise data_error("err.churn.few_repeat_buyers", buyers=len(repeat))
        pairs = repeat[["frequency", "monetary_value"]].to_numpy(dtype=float)
        unique, counts = np.unique(pairs, axis=0, return_counts=True)
        freq_values, freq_index = np.unique(unique[:, 0], return_inverse=True)
        return cls(unique[:, 0], unique[:, 1], counts.astype(float), freq_values, freq_index)


def neg_log_likelihood(log_params: np.ndarray, data: SpendData,
                       penalizer: float = 0.0) -> tuple[float, np.ndarray]:
    """lifetimes' ``GammaGammaFitter._negative_log_likelihood``, with its gradient."""
    p, q, v = params = np.exp(log_params)
    x, m, w = data.x, data.m, data.weights
    f, fi = data.freq_values, data.freq_index
    px = p * x
    g = (gammaln(p * f + q) - gammaln(p * f))[fi]
    d_pf_q = digamma(p * f + q)[fi]
    d_pf = digamma(p * f)[fi]
    log_xm_v = np.log(x * m + v)
    ll = g - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m) + px * np.log(x) \
        - (px + q) * log_xm_v
    total = w.sum()
    value = -(w @ ll) / total + penalizer * (params ** 2).sum()
    grad_p = x * (d_pf_q - d_pf + np.log(m) + np.log(x) - log_xm_v)
    grad_q = d_pf_q - digamma(q) + np.log(v) - log_xm_v
    grad_v = q / v - (px + q) / (x * m + v)
    grads = np.array([w @ grad_p, w @ grad_q, w @ grad_v])
    return float(value), -grads * params / total + 2 * penalizer * params ** 2


@dataclass
class SpendModel:
    """A fitted Gamma-Gamma model: ``params`` p, q, v."""

    params: dict[str, float]
    penalizer: float = 0.0

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        """Expected value of a customer's future purchase (population mean without repeats;
        NaN for a repeat buyer whose mean repeat purchase is not a positive amount, whom the
        model cannot describe)."""
        p, q, v = (self.params[k] for k in PARAMS)
        x = summary["frequency"].to_numpy(dtype=float)
        m = summary["monetary_value"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            own = np.where(m > 0, p * (v + x * m) / (p * x + q - 1), np.nan)
        return pd.Series(np.where(x > 0, own, p * v / (q - 1)), index=summary.index,
                         name="expected_spend")


def fit(summary: pd.DataFrame, penalizer: float = 0.0) -> SpendModel:
    """Fit Gamma-Gamma to the repeat buyers of ``summary``."""
    return fit_data(SpendData.from_summary(summary), penalizer=penalizer)


def fit_data(data: SpendData, *, penalizer: float = 0.0,
             start: dict[str, float] | None = None) -> SpendModel:
    """Fit Gamma-Gamma to compressed (x, m_x) pairs; ``start`` is tried first if given.

    Spend is divided by its mean before fitting and ``v`` scaled back after: the estimates are
    the same (p and q have no unit; v is in money), the optimizer works on numbers near 1 in
    đồng as in dollars, and a penalizer acts the same whatever the currency. (lifetimes
    penalizes v in the data's own money unit, so with a penalizer on VND data the two differ.)
    """
    scale = float(np.average(data.m, weights=data.weights))
    scaled = SpendData(data.x, data.m / scale, data.weights, data.freq_values, data.freq_index)
    starts = [np.full(3, 0.1), np.log([2.0, 3.0, 1.0])]
    if start is not None:
        starts.insert(0, np.log([start["p"], start["q"], start["v"] / scale]))
    log_params, _ = fit_log_params(neg_log_likelihood, scaled, penalizer, starts, "Gamma-Gamma")
    params = dict(zip(PARAMS, np.exp(log_params).tolist(), strict=True))
    params["v"] = float(params["v"] * scale)
    if params["q"] <= 1:
        raise data_error("err.churn.spend_too_wild")
    return SpendModel(params=params, penalizer=penalizer)
