r"""BG/NBD: the beta-geometric / negative binomial model of repeat buying.

Assumptions, in plain words: while alive, a customer buys at a steady random rate
:math:`\lambda` (purchases are a Poisson process); rates differ across customers as
:math:`\lambda \sim \mathrm{Gamma}(r, \alpha)`. After each purchase the customer may leave for
good with probability :math:`p`, and :math:`p \sim \mathrm{Beta}(a, b)` across customers.

Input: a summary with ``frequency`` (x, repeat purchase-days), ``recency`` (t_x) and ``T``.

Likelihood of one customer (Fader, Hardie & Lee 2005, eq. 6), in logs:

.. math::

    \ell = \ln\Gamma(r+x) - \ln\Gamma(r) + r\ln\alpha
         + \ln B(a, b+x) - \ln B(a, b)
         + \ln\Big[(\alpha+T)^{-(r+x)}
                   + \delta_{x>0}\,\tfrac{a}{b+x-1}\,(\alpha+t_x)^{-(r+x)}\Big]

Predictions: :math:`P(\text{alive}) = 1 / \big(1 + \delta_{x>0}\frac{a}{b+x-1}
(\frac{\alpha+T}{\alpha+t_x})^{r+x}\big)` (eq. 13), the conditional expected number of
purchases in the next t (eq. 10, with Gauss's hypergeometric function), and the probability of
no purchase in the next t, :math:`1 - P(\text{alive})\,(1 - (\frac{\alpha+T}{\alpha+T+t})^{r+x})`
— the churn risk. P(alive) alone is 1 for every customer without a repeat purchase, so it must
not be used to rank churn.

Reference: Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the
easy way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1, polygamma

from carework.churn.base import FittedModel, Triples, fit_log_params

PARAMS = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class Prepared:
    """Triples arranged for fast likelihood evaluations.

    Terms that depend on the frequency only enter the total as (weight per distinct frequency)
    × (term per distinct frequency), so they cost nothing per triple. Triples without repeat
    purchases (a single term) are kept apart from the others, and logarithms of α + T and
    α + t_x are taken once per distinct T and t_x, then gathered.

    ``shift`` is 1 for MBG/NBD (:mod:`carework.churn.mbgnbd`), whose likelihood is BG/NBD's
    with the frequency in the beta terms raised by one and the "left" term open to every
    customer, including those without a repeat purchase.
    """

    shift: int                       # 0: BG/NBD, 1: MBG/NBD
    total: float
    freq_values: np.ndarray          # distinct frequencies
    freq_weights: np.ndarray         # total weight per distinct frequency
    w0: np.ndarray                   # weights of triples with x = 0
    T0_index: np.ndarray             # their T, as indexes into T_values
    w1: np.ndarray                   # weights of triples with x > 0
    x1: np.ndarray
    x1_index: np.ndarray             # their x, as indexes into freq_values
    T1_index: np.ndarray
    tx1_index: np.ndarray            # their t_x, as indexes into tx_values
    T_values: np.ndarray
    tx_values: np.ndarray
    last_terms: list = field(default_factory=list, compare=False, repr=False)
    """The triple terms of the last point evaluated (the optimizer asks for the likelihood,
    then the gradient and Hessian, at the same point): a cache that lives and dies with the
    prepared data, never shared between data sets."""


def prepare(data: Triples, modified: bool = False) -> Prepared:
    """Arrange ``data`` for :func:`neg_log_likelihood` (``modified``: MBG/NBD)."""
    T_values, T_index = np.unique(data.T, return_inverse=True)
    tx_values, tx_index = np.unique(data.t_x, return_inverse=True)
    repeat = np.ones(len(data.x), dtype=bool) if modified else data.x > 0
    freq_weights = np.bincount(data.freq_index, weights=data.weights,
                               minlength=len(data.freq_values))
    return Prepared(
        shift=int(modified), total=float(data.weights.sum()), freq_values=data.freq_values,
        freq_weights=freq_weights, w0=data.weights[~repeat], T0_index=T_index[~repeat],
        w1=data.weights[repeat], x1=data.x[repeat], x1_index=data.freq_index[repeat],
        T1_index=T_index[repeat], tx1_index=tx_index[repeat], T_values=T_values,
        tx_values=tx_values)


@dataclass(frozen=True)
class _Terms:
    """Per-triple quantities shared by the likelihood, its gradient and its Hessian."""

    key: bytes
    log_aT0: np.ndarray
    inv_aT0: np.ndarray
    rx: np.ndarray
    log_aT: np.ndarray
    inv_aT: np.ndarray
    log_atx: np.ndarray
    inv_atx: np.ndarray
    bx1: np.ndarray
    mix: np.ndarray
    p4: np.ndarray


def _terms(log_params: np.ndarray, data: Prepared) -> _Terms:
    """Compute (or reuse, when the optimizer asks again at the same point) the triple terms."""
    key = np.asarray(log_params, dtype=float).tobytes()
    if data.last_terms and data.last_terms[0].key == key:
        return data.last_terms[0]
    r, alpha, a, b = np.exp(log_params)
    f = data.freq_values
    log_T = np.log(alpha + data.T_values)
    inv_T = 1.0 / (alpha + data.T_values)
    log_tx = np.log(alpha + data.tx_values)
    inv_tx = 1.0 / (alpha + data.tx_values)
    rx = r + data.x1
    log_aT, log_atx = log_T[data.T1_index], log_tx[data.tx1_index]
    # b + x - 1 (BG/NBD; x > 0 only) or b + x (MBG/NBD)
    bx1 = (b + f - 1.0 + (data.shift or (f == 0)))[data.x1_index]
    a3 = -rx * log_aT
    a4 = np.log(a) - np.log(bx1) - rx * log_atx
    mix = np.logaddexp(a3, a4)
    terms = _Terms(key, log_T[data.T0_index], inv_T[data.T0_index], rx, log_aT,
                   inv_T[data.T1_index], log_atx, inv_tx[data.tx1_index], bx1, mix,
                   np.exp(a4 - mix))
    data.last_terms[:] = [terms]
    return terms


def neg_log_likelihood(log_params: np.ndarray, data: Prepared,
                       penalizer: float = 0.0) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood (weighted) and its gradient in log-parameters.

    The objective is lifetimes' ``BetaGeoFitter._negative_log_likelihood`` exactly (including
    its penalizer, ``penalizer * sum(params ** 2)``), so both find the same optimum; with
    ``data.shift == 1`` it is ``ModifiedBetaGeoFitter._negative_log_likelihood``.
    """
    r, alpha, a, b = params = np.exp(log_params)
    f, W = data.freq_values, data.freq_weights
    fb = f + data.shift  # the frequency in the beta terms

    # frequency-only terms: per distinct frequency, weighted by its customers
    g = gammaln(r + f) - gammaln(r) + gammaln(a + b) + gammaln(b + fb) - gammaln(b) \
        - gammaln(a + b + fb)
    d_r = W @ (digamma(r + f) - digamma(r))
    d_a = W @ (digamma(a + b) - digamma(a + b + fb))
    d_b = W @ (digamma(a + b) + digamma(b + fb) - digamma(b) - digamma(a + b + fb))

    z = _terms(log_params, data)
    # customers without a repeat purchase: the term is -r log(alpha + T)
    ll0 = -r * (data.w0 @ z.log_aT0)
    grad_r0 = -(data.w0 @ z.log_aT0)
    grad_alpha0 = -r * (data.w0 @ z.inv_aT0)

    # customers with repeat purchases: a mixture of "still alive" and "left after the last buy"
    w1, p4 = data.w1, z.p4
    p3 = 1.0 - p4
    ll1 = w1 @ z.mix
    grad_r1 = -(w1 @ (p3 * z.log_aT + p4 * z.log_atx))
    grad_alpha1 = -(w1 @ (z.rx * (p3 * z.inv_aT + p4 * z.inv_atx)))
    grad_a1 = (w1 @ p4) / a
    grad_b1 = -(w1 @ (p4 / z.bx1))

    total = data.total
    ll = W @ g + total * r * np.log(alpha) + ll0 + ll1
    value = -ll / total + penalizer * (params ** 2).sum()
    grads = np.array([d_r + total * np.log(alpha) + grad_r0 + grad_r1,
                      total * r / alpha + grad_alpha0 + grad_alpha1,
                      d_a + grad_a1,
                      d_b + grad_b1])
    gradient = -grads * params / total + 2 * penalizer * params ** 2
    return float(value), gradient


def hessian(log_params: np.ndarray, data: Prepared, penalizer: float = 0.0) -> np.ndarray:
    """Hessian of :func:`neg_log_likelihood` in log-parameters (analytic).

    For the mixture term :math:`m = \\log(e^{a_3} + e^{a_4})`:
    :math:`\\nabla^2 m = p_3\\nabla^2 a_3 + p_4\\nabla^2 a_4 + p_3 p_4 (\\nabla a_3 - \\nabla a_4)
    (\\nabla a_3 - \\nabla a_4)^\\top`; the frequency-only terms give trigamma functions.
    """
    r, alpha, a, b = params = np.exp(log_params)
    f, W = data.freq_values, data.freq_weights
    fb = f + data.shift
    total = data.total
    H = np.zeros((4, 4))
    g = np.zeros(4)  # gradient of the summed log-likelihood in natural parameters

    tri = polygamma(1, a + b) - polygamma(1, a + b + fb)
    H[0, 0] += W @ (polygamma(1, r + f) - polygamma(1, r))
    H[2, 2] += W @ tri
    H[2, 3] += W @ tri
    H[3, 3] += W @ (tri + polygamma(1, b + fb) - polygamma(1, b))
    g[0] += W @ (digamma(r + f) - digamma(r)) + total * np.log(alpha)
    g[1] += total * r / alpha
    g[2] += W @ (digamma(a + b) - digamma(a + b + fb))
    g[3] += W @ (digamma(a + b) + digamma(b + fb) - digamma(b) - digamma(a + b + fb))
    H[0, 1] += total / alpha
    H[1, 1] -= total * r / alpha ** 2

    z = _terms(log_params, data)
    g[0] -= data.w0 @ z.log_aT0
    g[1] -= r * (data.w0 @ z.inv_aT0)
    H[0, 1] -= data.w0 @ z.inv_aT0
    H[1, 1] += r * (data.w0 @ z.inv_aT0 ** 2)

    w1, p4, rx = data.w1, z.p4, z.rx
    p3 = 1.0 - p4
    wp3, wp4 = w1 * p3, w1 * p4
    g[0] -= wp3 @ z.log_aT + wp4 @ z.log_atx
    g[1] -= wp3 @ (rx * z.inv_aT) + wp4 @ (rx * z.inv_atx)
    g[2] += wp4.sum() / a
    g[3] -= wp4 @ (1.0 / z.bx1)
    # p3 p4 (grad a3 - grad a4)(grad a3 - grad a4)^T, entry by entry
    c = wp3 * p4
    d_r = z.log_atx - z.log_aT
    d_alpha = rx * (z.inv_atx - z.inv_aT)
    d_a = -1.0 / a
    d_b = 1.0 / z.bx1
    c_r, c_alpha, c_b = c * d_r, c * d_alpha, c * d_b
    H[0, 0] += c_r @ d_r
    H[0, 1] += c_r @ d_alpha
    H[0, 2] += d_a * c_r.sum()
    H[0, 3] += c_r @ d_b
    H[1, 1] += c_alpha @ d_alpha
    H[1, 2] += d_a * c_alpha.sum()
    H[1, 3] += c_alpha @ d_b
    H[2, 2] += d_a ** 2 * c.sum()
    H[2, 3] += d_a * c_b.sum()
    H[3, 3] += c_b @ d_b
    # p3 (hessian of a3) + p4 (hessian of a4)
    H[0, 1] -= wp3 @ z.inv_aT + wp4 @ z.inv_atx
    H[1, 1] += wp3 @ (rx * z.inv_aT ** 2) + wp4 @ (rx * z.inv_atx ** 2)
    H[2, 2] -= wp4.sum() / a ** 2
    H[3, 3] += wp4 @ (1.0 / z.bx1 ** 2)

    H = np.triu(H) + np.triu(H, 1).T
    H_log = np.outer(params, params) * H + np.diag(params * g)
    return -H_log / total + np.diag(4 * penalizer * params ** 2)


@dataclass
class BetaGeoModel(FittedModel):
    """A fitted BG/NBD model (see the module docstring)."""

    name: str = field(default="bgnbd", init=False)
    _shift: ClassVar[int] = 0  # MBG/NBD: 1 (see Prepared)

    def _unpack(self) -> tuple[float, float, float, float]:
        return tuple(self.params[k] for k in PARAMS)  # type: ignore[return-value]

    def _log_odds_dead(self, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, a, b = self._unpack()
        return np.log(a) - np.log(b + np.maximum(x, 1) - 1) + \
            (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))

    def _p_alive(self, x, t_x, T):  # noqa: ANN001, ANN202
        return np.where(x > 0, expit(-self._log_odds_dead(x, t_x, T)), 1.0)

    def _p_none(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, _, _ = self._unpack()
        quiet_if_alive = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
        return 1.0 - self._p_alive(x, t_x, T) * (1.0 - quiet_if_alive)

    def _expected(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, a, b = self._unpack()
        hyp_a, hyp_b, hyp_c, z = r + x, b + x, a + b + x - 1, t / (alpha + T + t)
        ln_hyp = np.log(hyp2f1(hyp_a, hyp_b, hyp_c, z))
        ln_hyp_alt = np.log(hyp2f1(hyp_c - hyp_a, hyp_c - hyp_b, hyp_c, z)) + \
            (hyp_c - hyp_a - hyp_b) * np.log1p(-z)
        ln_hyp = np.where(np.isfinite(ln_hyp), ln_hyp, ln_hyp_alt)
        first = (a + b + x - 1) / (a - 1)
        second = 1 - np.exp(ln_hyp + (r + x) * (np.log(alpha + T) - np.log(alpha + t + T)))
        return first * second * self._p_alive(x, t_x, T)

    def expected_repeat_purchases(self, t):  # noqa: ANN001, ANN201
        """E[X(t)]: repeat purchases a new customer is expected to make in their first ``t``
        (summary unit) — Fader, Hardie & Lee (2005), eq. 9."""
        r, alpha, a, b = self._unpack()
        t = np.asarray(t, dtype=float)
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)

    def probability_of_n_purchases_up_to_time(self, t, n):  # noqa: ANN001, ANN201
        """P(X(t) = n): the chance a new customer makes exactly ``n`` repeat purchases in their
        first ``t`` (summary unit) — Fader, Hardie & Lee (2005), eq. 8 (lifetimes' name).

        With N(t) the purchases of a customer who never leaves (negative binomial) and K the
        purchases after which they leave, X(t) = min(N(t), K):
        P(X = n) = E[(1-p)^(n+s)] P(N = n) + E[p (1-p)^(n+s-1)] P(N ≥ n), s = 1 for MBG/NBD
        (who may leave at the first purchase) and 0 for BG/NBD (the second term only for n > 0).
        """
        from scipy.special import betaln
        from scipy.stats import nbinom

        r, alpha, a, b = self._unpack()
        t, n = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(n, dtype=float))
        p = alpha / (alpha + t)
        shift = self._shift
        stay = np.exp(betaln(a, b + n + shift) - betaln(a, b)) * nbinom.pmf(n, r, p)
        leave = np.exp(betaln(a + 1, b + np.maximum(n + shift - 1, 0)) - betaln(a, b)) * \
            nbinom.sf(n - 1, r, p)
        return stay + np.where(n + shift > 0, leave, 0.0)

    def _days_to_even_odds(self, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, _, _ = self._unpack()
        alive = self._p_alive(x, t_x, T)
        quiet = 1.0 - 0.5 / np.maximum(alive, 1e-300)
        return np.where(alive > 0.5, (alpha + T) * (quiet ** (-1.0 / (r + x)) - 1.0), np.inf)


def fit(data: Triples, *, penalizer: float = 0.0, unit: str = "D",
        start: dict[str, float] | None = None) -> BetaGeoModel:
    """Fit BG/NBD by maximum likelihood on compressed data (times rescaled so max T = 1).

    ``start`` (parameters, e.g. of an earlier fit) is tried first: a bootstrap refit from the
    full-data estimate takes a few Newton steps.
    """
    return fit_beta_geo(data, BetaGeoModel, penalizer=penalizer, unit=unit, start=start)


def fit_beta_geo(data: Triples, model_class: type[BetaGeoModel], *, penalizer: float = 0.0,
                 unit: str = "D", start: dict[str, float] | None = None,
                 modified: bool = False) -> BetaGeoModel:
    """Fit BG/NBD, or MBG/NBD with ``modified``, and return it as ``model_class``."""
    scale = 1.0 / data.T.max()
    scaled = prepare(Triples(data.x, data.t_x * scale, data.T * scale, data.weights,
                             data.inverse, data.freq_values, data.freq_index), modified)
    mean_x = np.average(data.x, weights=data.weights)
    starts = [np.full(4, 0.1),  # lifetimes' start
              np.log([1.0, max(1.0 / max(mean_x, 1e-3), 1e-2), 1.0, 3.0])]
    if start is not None:
        starts.insert(0, np.log([start["r"], start["alpha"] * scale, start["a"], start["b"]]))
    log_params, objective = fit_log_params(neg_log_likelihood, scaled, penalizer, starts,
                                           "MBG/NBD" if modified else "BG/NBD", hess=hessian)
    params = dict(zip(PARAMS, np.exp(log_params).tolist(), strict=True))
    params["alpha"] = float(params["alpha"] / scale)
    total = float(data.weights.sum())
    information = hessian(log_params, scaled, penalizer) * total
    covariance = np.linalg.pinv(information)  # log-scale: the time rescaling does not change it
    return model_class(params=params, unit=unit, penalizer=penalizer,
                       log_likelihood=-objective * total, n_customers=int(total),
                       log_covariance=covariance)
