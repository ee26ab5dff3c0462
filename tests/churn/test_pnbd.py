"""Pareto/NBD: published CDNOW parameters, agreement with lifetimes, churn risk."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime
from sklearn.metrics import roc_auc_score

from carework import churn
from carework.churn import pnbd
from carework.churn.base import Triples

HOLDOUT_DAYS = 39 * 7


def fit(s: pd.DataFrame, penalizer: float = 0.0) -> pnbd.ParetoNBDModel:
    return pnbd.fit(Triples.from_summary(s), penalizer=penalizer, unit=s.attrs["unit"])


@pytest.fixture(scope="module")
def cdnow_model(cdnow) -> pnbd.ParetoNBDModel:
    return fit(cdnow)


@pytest.fixture(scope="module")
def sample_model(sample) -> pnbd.ParetoNBDModel:
    return fit(sample)


def lifetimes_pnbd(s: pd.DataFrame, penalizer: float = 0.0):
    """lifetimes' fit run to convergence: its default (Nelder-Mead, tol=1e-4, random start)
    stops up to 1.3e-4 (relative) short of its own optimum on the sample data."""
    from lifetimes import ParetoNBDFitter

    np.random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ParetoNBDFitter(penalizer_coef=penalizer).fit(
            s["frequency"], s["recency"], s["T"], tol=1e-10, maxiter=20000)


def test_cdnow_gives_the_published_pnbd_parameters(cdnow_model):
    """Fader & Hardie (2005): r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669."""
    assert {k: round(v, 3) for k, v in cdnow_model.params.items()} == {
        "r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.mark.parametrize("data, penalizer", [("cdnow", 0.0), ("sample", 0.0), ("cdnow", 0.01),
                                             ("sample", 0.01)])
def test_parameters_equal_lifetimes(request, data, penalizer):
    s = request.getfixturevalue(data)
    ours = fit(s, penalizer).params
    # lifetimes sums the Pareto/NBD log-likelihood; carework's penalizer is on the mean
    ref = lifetimes_pnbd(s, penalizer * len(s)).params_
    for name in pnbd.PARAMS:
        assert ours[name] == pytest.approx(ref[name], rel=1e-4), name


POINTS = (np.zeros(4), np.log([0.5, 10.0, 0.6, 12.0]), np.log([0.5, 0.1, 0.6, 30.0]),
          np.array([-1, 2, 0.5, -0.3]))


@pytest.mark.parametrize("data", ["cdnow", "sample"])
def test_value_equals_lifetimes_objective(request, data):
    from lifetimes import ParetoNBDFitter

    s = request.getfixturevalue(data)
    prepared = pnbd.prepare(Triples.from_summary(s))
    f, r, T = (s[c].to_numpy() for c in ("frequency", "recency", "T"))
    for log_params in POINTS:
        value, _ = pnbd.neg_log_likelihood(log_params, prepared, 0.01)
        ref = ParetoNBDFitter._negative_log_likelihood(np.exp(log_params), f, r, T,
                                                       np.ones(len(f)), 0.01)
        assert value == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("data", ["cdnow", "sample"])
def test_gradient_is_the_derivative_of_the_likelihood(request, data):
    s = request.getfixturevalue(data)
    prepared = pnbd.prepare(Triples.from_summary(s))
    for log_params in POINTS:
        _, grad = pnbd.neg_log_likelihood(log_params, prepared, 0.01)
        numeric = approx_fprime(log_params,
                                lambda p: pnbd.neg_log_likelihood(p, prepared, 0.01)[0], 1e-6)
        assert np.allclose(grad, numeric, rtol=1e-5, atol=1e-5 * np.abs(grad).max())


def test_alpha_below_and_above_beta_meet(cdnow):
    """The likelihood switches hypergeometric branch at alpha = beta; both sides agree."""
    prepared = pnbd.prepare(Triples.from_summary(cdnow))
    at = np.log([0.5, 1.0, 0.6, 1.0])
    step = np.array([0, 1e-7, 0, 0])
    (v1, g1), (v0, g0), (v2, g2) = (pnbd.neg_log_likelihood(p, prepared)
                                    for p in (at - step, at, at + step))
    assert v0 == pytest.approx((v1 + v2) / 2, rel=1e-12)
    assert (v2 - v1) / 2e-7 == pytest.approx(g0[1], rel=1e-4)
    assert np.allclose(g1, g0, rtol=1e-5) and np.allclose(g2, g0, rtol=1e-5)


def test_predictions_equal_lifetimes(cdnow, cdnow_model):
    scores = cdnow_model.predict(cdnow, horizon=HOLDOUT_DAYS)
    ref = lifetimes_pnbd(cdnow)
    ref.params_[:] = [cdnow_model.params[k] for k in pnbd.PARAMS]  # same parameters
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    assert np.allclose(scores["p_alive"], ref.conditional_probability_alive(f, r, T),
                       atol=1e-10)
    assert np.allclose(scores["expected_purchases"],
                       ref.conditional_expected_number_of_purchases_up_to_time(39, f, r, T),
                       atol=1e-9)


def test_fitted_predictions_are_close_to_lifetimes_own(sample, sample_model):
    ref = lifetimes_pnbd(sample)
    scores = sample_model.predict(sample, horizon=30)
    f, r, T = sample["frequency"], sample["recency"], sample["T"]
    assert np.allclose(scores["p_alive"], ref.conditional_probability_alive(f, r, T),
                       atol=1e-5)
    assert np.allclose(scores["expected_purchases"],
                       ref.conditional_expected_number_of_purchases_up_to_time(30, f, r, T),
                       atol=1e-5)


@pytest.mark.parametrize("x, t_x, T, t", [(0, 0, 30, 39), (3, 10, 35, 39), (10, 38, 39, 5),
                                          (2, 30, 39, 100), (25, 20, 39, 39)])
def test_no_purchase_probability_matches_a_simulation(cdnow_model, x, t_x, T, t):
    """Draw alive-or-not, lambda and mu from the posterior; none bought iff the first purchase
    comes after the customer leaves or after the horizon."""
    r, alpha, s, beta = (cdnow_model.params[k] for k in pnbd.PARAMS)
    rng = np.random.default_rng(7)
    n = 400_000
    alive = rng.random(n) < cdnow_model._p_alive(x, t_x, T)
    lam = rng.gamma(r + x, 1.0 / (alpha + T), n)
    mu = rng.gamma(s, 1.0 / (beta + T), n)
    first_buy = rng.exponential(1.0, n) / lam
    leaves = rng.exponential(1.0, n) / mu
    none = ~alive | (first_buy > np.minimum(leaves, t))
    exact = cdnow_model._p_none(t, x, t_x, T)
    se = np.sqrt(exact * (1 - exact) / n)
    assert exact == pytest.approx(none.mean(), abs=4 * se + 1e-6)
    # the brief's form: 1 - P(alive) + P(alive) E[mu/(lambda+mu)(1-e^-(lambda+mu)t) + e^...]
    k = lam + mu
    quiet = np.mean(mu / k * -np.expm1(-k * t) + np.exp(-k * t))
    p = cdnow_model._p_alive(x, t_x, T)
    assert exact == pytest.approx(1 - p + p * quiet, abs=5e-3)


def test_churn_risk_is_a_probability_that_grows_as_the_horizon_shrinks(sample, sample_model):
    short, long = sample_model.predict(sample, 30), sample_model.predict(sample, 365)
    assert short["churn_risk"].between(0, 1).all() and long["churn_risk"].between(0, 1).all()
    assert (short["churn_risk"] >= long["churn_risk"] - 1e-12).all()
    assert (long["expected_purchases"] >= short["expected_purchases"] - 1e-12).all()
    assert (sample_model._p_none(0.0, *(sample[c].to_numpy(dtype=float)
                                       for c in ("frequency", "recency", "T"))) == 1).all()


def test_expected_next_purchase_is_where_the_odds_reach_even(sample, sample_model):
    scores = sample_model.predict(sample, 30)
    due = scores["expected_next_purchase"].dropna()
    assert len(due) > 0 and (due >= pd.Timestamp("2026-03-31")).all()
    assert (due <= pd.Timestamp("2026-03-31") + pd.Timedelta(days=366)).all()
    for customer in due.index[:5]:
        days = (due[customer] - pd.Timestamp("2026-03-31")).days
        row = sample.loc[[customer]]
        odds_before = 1 - sample_model.predict(row, days - 1)["churn_risk"].item()
        odds_after = 1 - sample_model.predict(row, days + 1)["churn_risk"].item()
        assert odds_before <= 0.5 + 1e-9 <= odds_after + 2e-9
    never = scores["expected_next_purchase"].isna()
    assert never.any()
    assert (1 - sample_model.predict(sample[never], 365)["churn_risk"] <= 0.5 + 1e-9).all()


def test_churn_risk_ranks_the_cdnow_holdout(cdnow, cdnow_model):
    scores = cdnow_model.predict(cdnow, horizon=HOLDOUT_DAYS)
    auc = roc_auc_score(cdnow["frequency_holdout"] == 0, scores["churn_risk"])
    assert auc > 0.7
    assert auc == pytest.approx(0.771, abs=0.005)


def test_parameter_intervals(cdnow_model):
    table = cdnow_model.intervals()
    assert (table["low"] < table["estimate"]).all() and (table["estimate"] < table["high"]).all()
    assert (table["low"] > 0).all() and np.isfinite(table["se"]).all()


def test_pnbd_is_one_of_carework_models(cdnow, cdnow_model):
    from carework import churn
    from carework.churn.bootstrap import ALL, bootstrap

    model = churn.fit(cdnow, model="pnbd")
    assert model.params == pytest.approx(cdnow_model.params, rel=1e-9)
    result = bootstrap(cdnow, horizon_days=HOLDOUT_DAYS, n_boot=30, model="pnbd", seed=1)
    total = result.totals.loc[ALL]
    expected = model.predict(cdnow, HOLDOUT_DAYS)["expected_purchases"].sum()
    assert total["expected_purchases"] == pytest.approx(expected, rel=1e-6)
    assert total["expected_purchases_low"] < expected < total["expected_purchases_high"]
    assert set(result.params.columns) >= set(pnbd.PARAMS)


def test_pnbd_probability_of_n_purchases_matches_a_simulation(cdnow):
    model = churn.fit(cdnow, model="pnbd")
    r, alpha, s, beta = (model.params[k] for k in ("r", "alpha", "s", "beta"))
    rng = np.random.default_rng(11)
    size, t = 400_000, 39.0
    lam = rng.gamma(r, 1 / alpha, size)
    stays = rng.exponential(1.0, size) / rng.gamma(s, 1 / beta, size)
    counts = np.bincount(rng.poisson(lam * np.minimum(stays, t)), minlength=8)[:8] / size
    exact = model.probability_of_n_purchases_up_to_time(t, np.arange(8))
    assert (np.abs(exact - counts) < 4 * np.sqrt(exact * (1 - exact) / size) + 1e-6).all()
