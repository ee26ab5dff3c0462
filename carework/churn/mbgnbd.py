r"""MBG/NBD: BG/NBD where a customer may also leave right after the first purchase.

Assumptions as :mod:`carework.churn.bgnbd`, except that the chance to leave (probability
:math:`p`) comes at every purchase *including the first*, so customers without a repeat purchase
are not all assumed alive:

.. math::

    P(\text{alive}) = \Big(1 + \frac{a}{b+x}\big(\tfrac{\alpha+T}{\alpha+t_x}\big)^{r+x}\Big)^{-1}

The expected purchases in the next t follow Batislam, Denizel & Filiztekin (2007); churn risk and
the expected next purchase take the BG/NBD forms with this P(alive) (a customer who does not buy
cannot leave in between).

Fitting: lifetimes' ``ModifiedBetaGeoFitter`` on carework's compressed triples with weights (its
fitter works and is exact; a fast path like BG/NBD's is still to come).

Reference: Batislam, E. P., Denizel, M. and Filiztekin, A. (2007). Empirical validation and
comparison of models for customer base analysis. *International Journal of Research in
Marketing* 24(3), 201–209.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit, hyp2f1

from carework.churn.base import Triples
from carework.churn.bgnbd import PARAMS, BetaGeoModel
from carework.errors import ModelError


@dataclass
class ModifiedBetaGeoModel(BetaGeoModel):
    """A fitted MBG/NBD model (see the module docstring)."""

    name: str = field(default="mbgnbd", init=False)

    def _log_odds_dead(self, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, a, b = self._unpack()
        return np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))

    def _p_alive(self, x, t_x, T):  # noqa: ANN001, ANN202
        return expit(-self._log_odds_dead(x, t_x, T))

    def _expected(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, a, b = self._unpack()
        hyp = hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t))
        first = (a + b + x) / (a - 1)
        second = 1 - hyp * ((alpha + T) / (alpha + t + T)) ** (r + x)
        return first * second * self._p_alive(x, t_x, T)


def fit(data: Triples, *, penalizer: float = 0.0, unit: str = "D",
        start: dict[str, float] | None = None) -> ModifiedBetaGeoModel:
    """Fit MBG/NBD with lifetimes' fitter on the compressed triples (weights = customers)."""
    from lifetimes import ModifiedBetaGeoFitter
    from lifetimes.utils import ConvergenceError

    fitter = ModifiedBetaGeoFitter(penalizer_coef=penalizer)
    initial = None if start is None else np.log([start[k] for k in PARAMS])
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fitter.fit(data.x, data.t_x, data.T, weights=data.weights, initial_params=initial)
    except (ConvergenceError, ValueError, np.linalg.LinAlgError) as exc:
        advice = "try penalizer=0.001 or more" if penalizer == 0 else "try a larger penalizer"
        raise ModelError(f"the MBG/NBD model did not converge on this data: {advice}") from exc
    params = {k: float(fitter.params_[k]) for k in PARAMS}
    total = float(data.weights.sum())
    covariance = np.linalg.pinv(np.asarray(fitter._hessian_) * total)
    return ModifiedBetaGeoModel(params=params, unit=unit, penalizer=penalizer,
                                log_likelihood=-float(fitter._negative_log_likelihood_) * total,
                                n_customers=int(total), log_covariance=covariance)
