"""What every buy-till-you-die model shares: compressed data, robust fitting, predictions.

Customers with the same (frequency, recency, T) contribute the same likelihood term, so a
model is fitted once per distinct triple with the triple's count as its weight, and predictions
are computed once per triple and broadcast back to the customers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from carework.errors import data_error, model_error

UNIT_DAYS = {"D": 1.0, "W": 7.0}


@dataclass(frozen=True)
class Triples:
    """The distinct (frequency, recency, T) of a summary, their weights, and the way back.

    ``inverse[i]`` is the triple of the i-th customer; ``freq_index`` maps each triple to its
    position in ``freq_values`` (the distinct frequencies), so terms that depend only on the
    frequency are computed once per distinct frequency.
    """

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    weights: np.ndarray
    inverse: np.ndarray
    freq_values: np.ndarray
    freq_index: np.ndarray

    @classmethod
    def from_summary(cls, summary: pd.DataFrame) -> Triples:
        missing = [c for c in ("frequency", "recency", "T") if c not in summary]
        if missing:
            raise data_error("err.churn.no_column", fix="fix.churn.summary", column=missing[0])
        data = summary[["frequency", "recency", "T"]].to_numpy(dtype=float)
        if len(data) == 0:
            raise data_error("err.churn.no_customers")
        impossible = (not np.isfinite(data).all() or (data < 0).any()
                      or (data[:, 1] > data[:, 2] + 1e-9).any()
                      or (data[:, 0] != np.round(data[:, 0])).any())
        if impossible:
            raise data_error("err.churn.impossible", fix="fix.churn.summary")
        # hash each column, then the combined code: fast at millions of customers
        codes = [pd.factorize(data[:, i])[0].astype(np.int64) for i in range(3)]
        sizes = [int(c.max()) + 1 for c in codes]
        key = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
        inverse = pd.factorize(key)[0]
        unique = data[first_of_each(inverse)]
        counts = np.bincount(inverse).astype(float)
        freq_values, freq_index = np.unique(unique[:, 0], return_inverse=True)
        return cls(unique[:, 0], unique[:, 1], unique[:, 2], counts, inverse, freq_values,
                   freq_index)


def first_of_each(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each group, for group codes 0..k-1."""
    first = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


NegLogLik = Callable[[np.ndarray, Any, float], tuple[float, np.ndarray]]


Hessian = Callable[[np.ndarray, Any, float], np.ndarray]

OPTIONS = {"trust-exact": {"gtol": 1e-9, "maxiter": 200},
           "BFGS": {"gtol": 1e-10, "maxiter": 2000},
           "L-BFGS-B": {"maxiter": 5000}}


MAX_ABS_LOG_PARAM = 10.0
"""Log-parameters beyond ±10 (a factor of 22,000) mean the fit ran off to a boundary — e.g. every
customer buying alike (r → ∞) or nobody ever leaving (a → 0): no real customer base is described
by such values (times are rescaled so the longest T is 1)."""


def fit_log_params(neg_log_lik: NegLogLik, data: Any, penalizer: float,
                   starts: list[np.ndarray], model: str,
                   hess: Hessian | None = None) -> tuple[np.ndarray, float]:
    """Minimise ``neg_log_lik`` over log-parameters, trying each start and several optimizers:
    Newton steps in a trust region when the analytic Hessian ``hess`` is given, then BFGS, then
    L-BFGS-B.

    Returns the first converged (log-parameters, objective) whose parameters stay within
    ``exp(±MAX_ABS_LOG_PARAM)``. Raises :class:`ModelError` with advice otherwise.
    """
    methods = (["trust-exact"] if hess is not None else []) + ["BFGS", "L-BFGS-B"]
    for x0 in starts:
        for method in methods:
            extra = {"hess": hess} if method == "trust-exact" else {}
            with np.errstate(all="ignore"):
                try:
                    result = minimize(neg_log_lik, x0, args=(data, penalizer), jac=True,
                                      method=method, options=OPTIONS[method], **extra)
                except (ValueError, np.linalg.LinAlgError):
                    continue  # the objective left finite ground from this start: the next one

            settled = result.success or (result.jac is not None
                                         and np.abs(result.jac).max() < 1e-4)
            if np.isfinite(result.fun) and settled and \
                    np.all(np.abs(result.x) < MAX_ABS_LOG_PARAM):
                return result.x, float(result.fun)
    fix = "fix.churn.no_fit" if penalizer == 0 else "fix.churn.no_fit_penalized"
    raise model_error("err.churn.no_fit", fix=fix, model=model)


@dataclass
class FittedModel:
    """A fitted BTYD model: ``params`` under lifetimes' names and per-customer predictions.

    Subclasses implement :meth:`_p_alive`, :meth:`_expected` and :meth:`_p_none` on arrays of
    (x, t_x, T) in the summary's time unit.
    """

    params: dict[str, float]
    unit: str = "D"
    penalizer: float = 0.0
    log_likelihood: float = np.nan
    n_customers: int = 0
    log_covariance: np.ndarray | None = None
    name: str = field(default="", init=False)

    def intervals(self, level: float = 0.95) -> pd.DataFrame:
        """Parameter estimates with standard errors and intervals.

        From the observed information (the analytic Hessian at the optimum) on the log scale,
        so intervals stay positive: ``exp(log θ ± z·se(log θ))``; ``se`` is the delta-method
        standard error of θ itself (as lifetimes reports it).
        """
        from scipy.stats import norm

        if self.log_covariance is None:
            raise model_error("err.churn.no_covariance", fix="fix.churn.no_covariance")
        names = list(self.params)
        estimate = np.array([self.params[k] for k in names])
        se_log = np.sqrt(np.diag(self.log_covariance))
        z = norm.ppf(0.5 + level / 2)
        return pd.DataFrame({"estimate": estimate, "se": estimate * se_log,
                             "low": estimate * np.exp(-z * se_log),
                             "high": estimate * np.exp(z * se_log)}, index=names)

    # --- per triple (override) -----------------------------------------------------------
    def _p_alive(self, x, t_x, T):  # noqa: ANN001, ANN202
        raise NotImplementedError

    def _expected(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        raise NotImplementedError

    def _p_none(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        """Probability of no purchase in the next ``t`` (same unit as ``T``)."""
        raise NotImplementedError

    def expected_repeat_purchases(self, t):  # noqa: ANN001, ANN201
        """E[X(t)]: repeat purchases a new customer is expected to make in their first ``t``."""
        raise NotImplementedError

    def probability_of_n_purchases_up_to_time(self, t, n):  # noqa: ANN001, ANN201
        """P(X(t) = n) for a new customer observed ``t`` (summary unit)."""
        raise NotImplementedError

    def _days_to_even_odds(self, x, t_x, T):  # noqa: ANN001, ANN202
        """Time (in the summary unit) until P(at least one purchase) reaches 1/2; inf if never."""
        raise NotImplementedError

    # --- public ------------------------------------------------------------------------------
    def risk_matrix(self, horizon_days: float, max_frequency: int, T: float,
                    unit: str | None = None, steps: int = 40) -> pd.DataFrame:
        """Churn risk over the next ``horizon_days`` for a customer observed ``T`` (summary
        unit), by frequency (rows, 0..``max_frequency``) and recency (columns, ``steps`` values
        from 0 to ``T``) — the picture of who is slipping away."""
        t = horizon_days / UNIT_DAYS[unit or self.unit]
        return self._frequency_recency_grid(
            lambda x, t_x, T_: self._p_none(t, x, t_x, T_), max_frequency, T, unit, steps)

    def p_alive_matrix(self, max_frequency: int, T: float, unit: str | None = None,
                       steps: int = 40) -> pd.DataFrame:
        """P(alive) by frequency and recency for a customer observed ``T`` (as
        :meth:`risk_matrix`; lifetimes' ``conditional_probability_alive_matrix``)."""
        return self._frequency_recency_grid(self._p_alive, max_frequency, T, unit, steps)

    def _frequency_recency_grid(self, quantity: Callable, max_frequency: int, T: float,
                                unit: str | None, steps: int) -> pd.DataFrame:
        per_day = UNIT_DAYS[unit or self.unit]
        recency = np.linspace(0.0, T, steps)
        x, t_x = np.meshgrid(np.arange(max_frequency + 1, dtype=float), recency, indexing="ij")
        t_x = np.where(x == 0, 0.0, t_x)  # no repeat purchase: recency is 0 by definition
        with np.errstate(all="ignore"):
            values = quantity(x, t_x, np.full_like(x, T))
        return pd.DataFrame(values, index=pd.RangeIndex(max_frequency + 1, name="frequency"),
                            columns=pd.Index(np.round(recency * per_day).astype(int),
                                             name="recency_days"))

    def churn_risk_interval(self, summary: pd.DataFrame, horizon: float,
                            level: float = 0.9) -> pd.DataFrame:
        """Per-customer interval of the churn risk over the next ``horizon`` days, from the
        uncertainty of the fitted parameters.

        Delta method on the logit of the risk: the gradient in the log-parameters by central
        differences (two predictions per parameter over the distinct triples, so it costs a
        few predictions whatever the number of customers), the covariance from the observed
        information. The interval is ``expit(logit(risk) ± z·se)``, so it stays inside (0, 1).

        Returns
        -------
        DataFrame indexed like ``summary``: ``churn_risk_low``, ``churn_risk_high``.
        """
        from dataclasses import replace

        from scipy.special import expit, logit
        from scipy.stats import norm

        if self.log_covariance is None:
            raise model_error("err.churn.no_covariance", fix="fix.churn.no_covariance")
        data = Triples.from_summary(summary)
        t = horizon / UNIT_DAYS[summary.attrs.get("unit", self.unit)]
        names = list(self.params)
        log_theta = np.log([self.params[k] for k in names])
        eps = 1e-9
        with np.errstate(all="ignore"):
            raw = self._p_none(t, data.x, data.t_x, data.T)
            risk = np.clip(raw, eps, 1 - eps)
            grads = np.empty((len(names), len(risk)))
            step = 1e-4
            for i in range(len(names)):
                moved = []
                for sign in (1.0, -1.0):
                    shifted = log_theta.copy()
                    shifted[i] += sign * step
                    other = replace(self, params=dict(zip(names, np.exp(shifted), strict=True)))
                    moved.append(logit(np.clip(other._p_none(t, data.x, data.t_x, data.T),
                                               eps, 1 - eps)))
                grads[i] = (moved[0] - moved[1]) / (2 * step)
            se = np.sqrt(np.maximum(np.einsum("in,ij,jn->n", grads, self.log_covariance,
                                              grads), 0.0))
        z = norm.ppf(0.5 + level / 2)
        centre = logit(risk)
        low = np.minimum(expit(centre - z * se), raw)  # contains the risk, rounding aside
        high = np.maximum(expit(centre + z * se), raw)
        return pd.DataFrame({"churn_risk_low": low[data.inverse],
                             "churn_risk_high": high[data.inverse]}, index=summary.index)

    def predict(self, summary: pd.DataFrame, horizon: float,
                as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
        """Per-customer predictions over the next ``horizon`` days.

        Parameters
        ----------
        summary : from :func:`carework.rfm.summary` (its ``attrs`` carry the unit and end date).
        horizon : days ahead.
        as_of : the date the horizon starts (default: the summary's observation or calibration
            end); used for ``expected_next_purchase``.

        Returns
        -------
        DataFrame indexed like ``summary``: ``p_alive``; ``expected_purchases`` in the horizon;
        ``churn_risk`` = P(no purchase within the horizon); ``expected_next_purchase`` (the date
        the model's odds of at least one purchase reach even; NaT when not within a year);
        ``avg_days_between_orders`` (NaN without repeat purchases).
        """
        data = Triples.from_summary(summary)
        per_day = UNIT_DAYS[summary.attrs.get("unit", self.unit)]
        t = horizon / per_day
        x, t_x, T = data.x, data.t_x, data.T
        with np.errstate(all="ignore"):
            columns = {
                "p_alive": self._p_alive(x, t_x, T),
                "expected_purchases": self._expected(t, x, t_x, T),
                "churn_risk": self._p_none(t, x, t_x, T),
            }
            wait_days = self._days_to_even_odds(x, t_x, T) * per_day
        out = pd.DataFrame({k: v[data.inverse] for k, v in columns.items()}, index=summary.index)
        start = pd.Timestamp(as_of if as_of is not None else
                             summary.attrs.get("calibration_end") or
                             summary.attrs.get("observation_end") or pd.NaT)
        wait = pd.Series(wait_days[data.inverse], index=summary.index)
        out["expected_next_purchase"] = (start + pd.to_timedelta(
            wait.where(wait <= 365).round(), unit="D")).dt.normalize()
        freq = summary["frequency"].to_numpy(dtype=float)
        out["avg_days_between_orders"] = np.where(
            freq > 0, summary["recency"].to_numpy(dtype=float) * per_day / np.maximum(freq, 1),
            np.nan)
        return out
