r"""Pareto/NBD: the Pareto / negative binomial model of repeat buying.

Assumptions, in plain words: while alive, a customer buys at a steady random rate
:math:`\lambda` (purchases are a Poisson process), and rates differ across customers as
:math:`\lambda \sim \mathrm{Gamma}(r, \alpha)`. Independently, each customer leaves for good
at an unobserved moment — at any time, not just after a purchase — after an exponential lifetime
with rate :math:`\mu`, and :math:`\mu \sim \mathrm{Gamma}(s, \beta)` across customers.

Input: a summary with ``frequency`` (x, repeat purchase-days), ``recency`` (t_x) and ``T``.

Likelihood of one customer (Fader & Hardie 2005, eq. 11/18), with :math:`a = r+s+x`:

.. math::

    L = \frac{\Gamma(r+x)\,\alpha^r\beta^s}{\Gamma(r)}
        \Big[\frac{1}{(\alpha+T)^{r+x}(\beta+T)^s} + \frac{s}{a}\,\big(H(t_x) - H(T)\big)\Big],
    \qquad
    H(y) = \frac{{}_2F_1\big(a, b; a+1; \tfrac{|\alpha-\beta|}{m+y}\big)}{(m+y)^{a}}

with :math:`m = \max(\alpha, \beta)` and :math:`b = s+1` if :math:`\alpha \ge \beta`, else
:math:`b = r+x` (the branch keeps the argument in [0, 1), as in lifetimes). Equivalently
:math:`\frac{s}{a}(H(t_x) - H(T)) = s\int_{t_x}^{T}(\alpha+y)^{-(r+x)}(\beta+y)^{-(s+1)}\,dy`:
the customer bought x times by :math:`t_x` and left somewhere in :math:`(t_x, T]`. The two
branches are combined in logs (log-sum-exp), :math:`H(t_x) - H(T)` as
:math:`H(t_x)(1 - e^{\ln H(T) - \ln H(t_x)})`.

Gradient: analytic except for the derivatives of :math:`\ln {}_2F_1(a, b; a+1; z)` with respect
to its parameters a and b, which scipy does not provide: those are fourth-order central
differences (steps 10⁻³·a and 10⁻³·b, error about 10⁻¹¹ relative) of the exact function; the
derivative in z is exact, :math:`\partial_z F = \frac{ab}{a+1}F(a+1, b+1; a+2; z)`. Every
hypergeometric is evaluated once per distinct (x, t_x) and (x, T) pair, not per customer.

Predictions: :math:`P(\text{alive}) = 1/(1 + \frac{s}{a}(H(t_x)-H(T))(\alpha+T)^{r+x}
(\beta+T)^s)` (eq. 36–37); the conditional expected number of purchases in the next t,
:math:`P(\text{alive})\,\frac{(r+x)(\beta+T)}{(\alpha+T)(s-1)}\big[1 - (\frac{\beta+T}
{\beta+T+t})^{s-1}\big]` (eq. 41); and the probability of no purchase in the next t — the churn
risk — which is exactly :math:`L(x, t_x, T+t) / L(x, t_x, T)` (seeing the customer a further t
without a purchase), i.e. :math:`1 - P(\text{alive}) + P(\text{alive})\,
E[\frac{\mu}{\lambda+\mu}(1 - e^{-(\lambda+\mu)t}) + e^{-(\lambda+\mu)t}]` over the posterior
:math:`\lambda \sim \mathrm{Gamma}(r+x, \alpha+T)`, :math:`\mu \sim \mathrm{Gamma}(s, \beta+T)`.

Objective: :func:`neg_log_likelihood` is lifetimes' ``ParetoNBDFitter._negative_log_likelihood``
on the uncompressed customers, i.e. the *summed* negative log-likelihood plus
``penalizer * sum(params ** 2)``. lifetimes' BG/NBD takes the *mean* instead, so the same
``penalizer_coef`` is about N times weaker in its Pareto/NBD. carework keeps one meaning for every
model: :func:`fit` minimises the mean negative log-likelihood plus ``penalizer * sum(params ** 2)``,
so carework's ``penalizer`` equals lifetimes' Pareto/NBD ``penalizer_coef`` divided by the number
of customers.

References: Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987). Counting your customers:
who are they and what will they do next? *Management Science* 33(1), 1–24. Fader, P. S. and
Hardie, B. G. S. (2005). A note on deriving the Pareto/NBD model and related expressions.
http://brucehardie.com/notes/009/
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import digamma, gammaln, hyp2f1

from carework.churn.base import UNIT_DAYS, FittedModel, Triples, fit_log_params

PARAMS = ("r", "alpha", "s", "beta")

_STEP = 1e-3  # relative step of the central differences in the parameters of 2F1


@dataclass(frozen=True)
class Prepared:
    """Triples arranged for fast likelihood evaluations.

    Terms that depend on the frequency only enter as (weight per distinct frequency) × (term per
    distinct frequency). The hypergeometric terms :math:`H` depend on (x, t_x) at one end and
    (x, T) at the other, so they are computed once per distinct (x, y) pair and gathered;
    logarithms of α + T and β + T once per distinct T. Triples without repeat purchases are not
    kept apart: a Pareto/NBD customer may leave before buying again, so they have both terms.
    """

    total: float
    freq_values: np.ndarray          # distinct frequencies
    freq_weights: np.ndarray         # total weight per distinct frequency
    weights: np.ndarray              # per triple
    x: np.ndarray
    T_index: np.ndarray              # T of each triple, as indexes into T_values
    lo_index: np.ndarray             # (x, t_x) of each triple, as indexes into the pairs
    hi_index: np.ndarray             # (x, T) of each triple
    T_values: np.ndarray
    pair_x: np.ndarray               # distinct (x, y) pairs
    pair_y: np.ndarray


def prepare(data: Triples) -> Prepared:
    """Arrange ``data`` for :func:`neg_log_likelihood`."""
    T_values, T_index = np.unique(data.T, return_inverse=True)
    freq_weights = np.bincount(data.freq_index, weights=data.weights,
                               minlength=len(data.freq_values))
    y_values, y_index = np.unique(np.concatenate([data.t_x, data.T]), return_inverse=True)
    fx = np.concatenate([data.freq_index, data.freq_index]).astype(np.int64)
    keys, pair_index = np.unique(fx * len(y_values) + y_index, return_inverse=True)
    n = len(data.x)
    return Prepared(
        total=float(data.weights.sum()), freq_values=data.freq_values,
        freq_weights=freq_weights, weights=data.weights, x=data.x, T_index=T_index,
        lo_index=pair_index[:n], hi_index=pair_index[n:], T_values=T_values,
        pair_x=data.freq_values[keys // len(y_values)], pair_y=y_values[keys % len(y_values)])


def _log_f(a, b, z):  # noqa: ANN001, ANN202
    """ln 2F1(a, b; a+1; z) for z in [0, 1) (lifetimes' evaluation), with a fallback where
    the value overflows (very large b with z near 1)."""
    with np.errstate(all="ignore"):
        return np.log(hyp2f1(a, b, a + 1.0, z))


def _log_h(params, x, y, grad: bool = False):  # noqa: ANN001, ANN202
    r"""ln H(y) for customers with x repeat purchases (see the module docstring) and, with
    ``grad``, its derivatives in (r, α, s, β) as an array of shape (4, n).

    Where the α-or-β branch overflows (β ≫ α with many purchases), the α-based form
    (argument (α−β)/(α+y) < 0, b = s+1) of the same analytic function is used instead.
    """
    r, alpha, s, beta = params
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    a = r + s + x
    first = alpha >= beta
    m = np.where(first, alpha, beta) + y
    b = np.where(first, s + 1.0, r + x)
    z = np.abs(alpha - beta) / m
    log_f = _log_f(a, b, z)
    bad = ~np.isfinite(log_f)
    if bad.any():
        first = np.where(bad, True, first)
        m = np.where(bad, alpha + y, m)
        b = np.where(bad, s + 1.0, b)
        z = np.where(bad, (alpha - beta) / (alpha + y), z)
        log_f = np.where(bad, _log_f(a, b, z), log_f)
    log_m = np.log(m)
    log_h = log_f - a * log_m
    if not grad:
        return log_h
    ha, hb = _STEP * a, _STEP * b
    d_a = (_log_f(a - 2 * ha, b, z) - 8 * _log_f(a - ha, b, z) + 8 * _log_f(a + ha, b, z)
           - _log_f(a + 2 * ha, b, z)) / (12 * ha)
    d_b = (_log_f(a, b - 2 * hb, z) - 8 * _log_f(a, b - hb, z) + 8 * _log_f(a, b + hb, z)
           - _log_f(a, b + 2 * hb, z)) / (12 * hb)
    d_z = a * b / (a + 1.0) * np.exp(_log_f(a + 1.0, b + 1.0, z) - log_f)
    ay, by = alpha + y, beta + y
    # z = (alpha - beta)/(alpha + y) in the first branch, (beta - alpha)/(beta + y) otherwise
    dz_alpha = np.where(first, by / ay ** 2, -1.0 / by)
    dz_beta = np.where(first, -1.0 / ay, ay / by ** 2)
    out = np.empty((4,) + log_h.shape)
    out[0] = d_a + np.where(first, 0.0, d_b) - log_m
    out[1] = d_z * dz_alpha - np.where(first, a / ay, 0.0)
    out[2] = d_a + np.where(first, d_b, 0.0) - log_m
    out[3] = d_z * dz_beta - np.where(first, 0.0, a / by)
    return log_h, out


def _log_dead_share(log_hi_minus_lo):  # noqa: ANN001, ANN202
    """ln(1 - exp(d)) for d = ln H(T) - ln H(t_x) <= 0; -inf when t_x = T."""
    with np.errstate(divide="ignore"):
        return np.log(-np.expm1(np.minimum(log_hi_minus_lo, 0.0)))


def neg_log_likelihood(log_params: np.ndarray, data: Prepared,
                       penalizer: float = 0.0) -> tuple[float, np.ndarray]:
    """Negative log-likelihood summed over customers, plus the penalizer, and its gradient in
    log-parameters.

    Equal to lifetimes' ``ParetoNBDFitter._negative_log_likelihood`` on the uncompressed
    customers (``penalizer * sum(params ** 2)`` included), so both find the same optimum.
    """
    params = np.exp(log_params)
    r, alpha, s, beta = params
    f, W, N = data.freq_values, data.freq_weights, data.total

    with np.errstate(all="ignore"):
        log_h, d_h = _log_h(params, data.pair_x, data.pair_y, grad=True)
        x, w = data.x, data.weights
        rx = r + x
        log_aT = np.log(alpha + data.T_values)[data.T_index]
        log_bT = np.log(beta + data.T_values)[data.T_index]
        # alive at T: B; left in (t_x, T]: C = ln s - ln a + ln(H(t_x) - H(T))
        B = -rx * log_aT - s * log_bT
        lo, hi = log_h[data.lo_index], log_h[data.hi_index]
        C = np.log(s) - np.log(rx + s) + lo + _log_dead_share(hi - lo)
        mix = np.logaddexp(B, C)
        p_B = np.exp(B - mix)
        p_C = 1.0 - p_B
        # d ln(H_lo - H_hi) = (dH_lo - q dH_hi) / (1 - q), q = H_hi / H_lo
        q = np.exp(np.minimum(hi - lo, 0.0))
        share = np.where(q < 1.0, p_C / (1.0 - q), 0.0)
        dC = [share * (d_h[k][data.lo_index] - q * d_h[k][data.hi_index]) for k in range(4)]

    inv_aT = np.exp(-log_aT)
    inv_bT = np.exp(-log_bT)
    pa = p_C / (rx + s)
    ll = W @ (gammaln(r + f) - gammaln(r)) + N * (r * np.log(alpha) + s * np.log(beta)) + \
        w @ mix
    grads = np.array([
        W @ (digamma(r + f) - digamma(r)) + N * np.log(alpha)
        + w @ (-p_B * log_aT - pa + dC[0]),
        N * r / alpha + w @ (-p_B * rx * inv_aT + dC[1]),
        N * np.log(beta) + w @ (-p_B * log_bT + p_C / s - pa + dC[2]),
        N * s / beta + w @ (-p_B * s * inv_bT + dC[3]),
    ])
    value = -ll + penalizer * (params ** 2).sum()
    gradient = -grads * params + 2 * penalizer * params ** 2
    return float(value), gradient


def _mean_objective(log_params: np.ndarray, data: Prepared,
                    penalizer: float) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer plus ``penalizer * sum(params ** 2)``: the
    objective :func:`fit` minimises (BG/NBD's scale, which the optimizer's tolerances expect)."""
    value, gradient = neg_log_likelihood(log_params, data, penalizer * data.total)
    return value / data.total, gradient / data.total


def numerical_hessian(log_params: np.ndarray, data: Prepared, penalizer: float = 0.0,
                      step: float = 1e-4) -> np.ndarray:
    """Hessian of :func:`neg_log_likelihood` in log-parameters, by central differences of the
    gradient (symmetrised)."""
    H = np.empty((4, 4))
    for i in range(4):
        e = np.zeros(4)
        e[i] = step
        H[i] = (neg_log_likelihood(log_params + e, data, penalizer)[1]
                - neg_log_likelihood(log_params - e, data, penalizer)[1]) / (2 * step)
    return (H + H.T) / 2


@dataclass
class ParetoNBDModel(FittedModel):
    """A fitted Pareto/NBD model (see the module docstring)."""

    name: str = field(default="pnbd", init=False)

    def _unpack(self) -> tuple[float, float, float, float]:
        return tuple(self.params[k] for k in PARAMS)  # type: ignore[return-value]

    def _log_alive_dead(self, x, t_x, T):  # noqa: ANN001, ANN202
        """The two terms of the likelihood (without the constant): alive at T, left before."""
        r, alpha, s, beta = params = self._unpack()
        x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, t_x, T)))
        alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        lo, hi = _log_h(params, x, t_x), _log_h(params, x, T)
        dead = np.log(s) - np.log(r + s + x) + lo + _log_dead_share(hi - lo)
        return alive, dead

    def _p_alive(self, x, t_x, T):  # noqa: ANN001, ANN202
        alive, dead = self._log_alive_dead(x, t_x, T)
        return np.exp(alive - np.logaddexp(alive, dead))

    def _expected(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        r, alpha, s, beta = self._unpack()
        t = np.asarray(t, dtype=float)
        v = np.log1p(t / (beta + T))
        # (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1), continuous at s = 1
        tail = v if abs(s - 1.0) < 1e-12 else -np.expm1(-(s - 1.0) * v) / (s - 1.0)
        return self._p_alive(x, t_x, T) * (r + x) * (beta + T) / (alpha + T) * tail

    def _p_none(self, t, x, t_x, T):  # noqa: ANN001, ANN202
        """P(no purchase in the next t) = L(x, t_x, T + t) / L(x, t_x, T)."""
        now = np.logaddexp(*self._log_alive_dead(x, t_x, T))
        later = np.logaddexp(*self._log_alive_dead(x, t_x, np.asarray(T, dtype=float) + t))
        return np.clip(np.exp(later - now), 0.0, 1.0)

    def expected_repeat_purchases(self, t):  # noqa: ANN001, ANN201
        """E[X(t)]: repeat purchases a new customer is expected to make in their first ``t``
        (summary unit) — Fader & Hardie (2005), eq. 27."""
        r, alpha, s, beta = self._unpack()
        t = np.asarray(t, dtype=float)
        v = np.log1p(t / beta)
        tail = v if abs(s - 1.0) < 1e-12 else -np.expm1(-(s - 1.0) * v) / (s - 1.0)
        return r * beta / alpha * tail

    def probability_of_n_purchases_up_to_time(self, t, n, nodes: int = 96):  # noqa: ANN001, ANN201
        r"""P(X(t) = n): the chance a new customer makes exactly ``n`` repeat purchases in their
        first ``t`` (summary unit).

        Purchases are negative binomial while the customer stays, so conditioning on the
        moment τ they leave (:math:`\tau` has density :math:`s\beta^s/(\beta+\tau)^{s+1}`):
        :math:`P(X(t)=n) = NB(n; t)\,(\tfrac{\beta}{\beta+t})^s +
        \int_0^t NB(n; \tau)\,dG(\tau)`, with the integral taken over :math:`v = G(\tau)`
        by Gauss–Legendre quadrature (``nodes`` points; smooth in v).
        """
        from scipy.stats import nbinom

        r, alpha, s, beta = self._unpack()
        t, n = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(n, dtype=float))
        stay = (beta / (beta + t)) ** s  # P(still there at t)
        u, w = np.polynomial.legendre.leggauss(nodes)
        v = (1.0 - stay)[..., None] * (u + 1.0) / 2.0       # G(τ) at the nodes, in [0, G(t)]
        tau = beta * ((1.0 - v) ** (-1.0 / s) - 1.0)
        gone = nbinom.pmf(n[..., None], r, alpha / (alpha + tau)) @ w * (1.0 - stay) / 2.0
        return nbinom.pmf(n, r, alpha / (alpha + t)) * stay + gone

    def _days_to_even_odds(self, x, t_x, T, iterations: int = 40):  # noqa: ANN001, ANN202
        """Bisection on t for P(no purchase in the next t) = 1/2, over a year at most."""
        x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, t_x, T)))
        limit = 366.0 / UNIT_DAYS.get(self.unit, 1.0)
        reach = self._p_none(limit, x, t_x, T) <= 0.5
        out = np.full(x.shape, np.inf)
        if not reach.any():
            return out
        xs, txs, Ts = x[reach], t_x[reach], T[reach]
        low, high = np.zeros(len(xs)), np.full(len(xs), limit)
        for _ in range(iterations):
            mid = (low + high) / 2
            above = self._p_none(mid, xs, txs, Ts) > 0.5
            low = np.where(above, mid, low)
            high = np.where(above, high, mid)
        out[reach] = high
        return out


def fit(data: Triples, *, penalizer: float = 0.0, unit: str = "D",
        start: dict[str, float] | None = None) -> ParetoNBDModel:
    """Fit Pareto/NBD by maximum likelihood on compressed data (times rescaled so max T = 1,
    as lifetimes does; α and β are scaled back).

    ``penalizer`` weighs ``sum(params ** 2)`` against the *mean* log-likelihood, as in every
    carework model (lifetimes' Pareto/NBD ``penalizer_coef`` = ``penalizer`` × customers).
    """
    scale = 1.0 / data.T.max()
    scaled = prepare(Triples(data.x, data.t_x * scale, data.T * scale, data.weights,
                             data.inverse, data.freq_values, data.freq_index))
    mean_x = np.average(data.x, weights=data.weights)
    starts = [np.zeros(4),  # lifetimes starts near 1 for every (scaled) parameter
              np.log([0.5, max(0.5 / max(mean_x, 1e-3), 1e-2), 0.5, 1.0])]
    if start is not None:
        starts.insert(0, np.log([start["r"], start["alpha"] * scale, start["s"],
                                 start["beta"] * scale]))
    log_params, objective = fit_log_params(_mean_objective, scaled, penalizer, starts,
                                           "Pareto/NBD")
    params = dict(zip(PARAMS, np.exp(log_params).tolist(), strict=True))
    params["alpha"] = float(params["alpha"] / scale)
    params["beta"] = float(params["beta"] / scale)
    total = scaled.total
    information = numerical_hessian(log_params, scaled, penalizer * total)
    covariance = np.linalg.pinv(information)  # log-scale: the time rescaling does not change it
    return ParetoNBDModel(params=params, unit=unit, penalizer=penalizer,
                          log_likelihood=-objective * total, n_customers=int(total),
                          log_covariance=covariance)
