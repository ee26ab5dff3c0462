r"""MBG/NBD: BG/NBD where a customer may also leave right after the first purchase.

Assumptions as :mod:`carework.churn.bgnbd`, except that the chance to leave (probability
:math:`p`) comes at every purchase *including the first*, so customers without a repeat purchase
are not all assumed alive:

.. math::

    P(\text{alive}) = \Big(1 + \frac{a}{b+x}\big(\tfrac{\alpha+T}{\alpha+t_x}\big)^{r+x}\Big)^{-1}

The expected purchases in the next t follow Batislam, Denizel & Filiztekin (2007); churn risk and
the expected next purchase take the BG/NBD forms with this P(alive) (a customer who does not buy
cannot leave in between).

Fitting: BG/NBD's fast path (:func:`carework.churn.bgnbd.fit_beta_geo`): the likelihood is
BG/NBD's with :math:`B(a, b+x+1)` for :math:`B(a, b+x)` and the "left after the last purchase"
term :math:`\frac{a}{b+x}(\alpha+t_x)^{-(r+x)}` open to every customer; analytic gradient and
Hessian. lifetimes' ``ModifiedBetaGeoFitter`` is the reference it is tested against.

Reference: Batislam, E. P., Denizel, M. and Filiztekin, A. (2007). Empirical validation and
comparison of models for customer base analysis. *International Journal of Research in
Marketing* 24(3), 201–209.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from scipy.special import expit, hyp2f1

from carework.churn.base import Triples
from carework.churn.bgnbd import BetaGeoModel, fit_beta_geo


@dataclass
class ModifiedBetaGeoModel(BetaGeoModel):
    """A fitted MBG/NBD model (see the module docstring)."""

    name: str = field(default="mbgnbd", init=False)
    _shift: ClassVar[int] = 1

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

    def expected_repeat_purchases(self, t):  # noqa: ANN001, ANN201
        """E[X(t)]: repeat purchases a new customer is expected to make in their first ``t``
        (summary unit) — Batislam, Denizel & Filiztekin (2007)."""
        r, alpha, a, b = self._unpack()
        t = np.asarray(t, dtype=float)
        hyp = hyp2f1(r, b + 1, a + b, t / (alpha + t))
        return b / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)


def fit(data: Triples, *, penalizer: float = 0.0, unit: str = "D",
        start: dict[str, float] | None = None) -> ModifiedBetaGeoModel:
    """Fit MBG/NBD by maximum likelihood on compressed data (BG/NBD's fast path)."""
    return fit_beta_geo(data, ModifiedBetaGeoModel, penalizer=penalizer, unit=unit,
                        start=start, modified=True)
