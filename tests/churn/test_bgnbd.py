"""BG/NBD (carework.churn.bgnbd): published CDNOW parameters, agreement with lifetimes
(parameters, likelihood, gradient, Hessian, predictions, standard errors), churn risk and the
expected next purchase."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime
from sklearn.metrics import roc_auc_score

from carework import churn
from carework.churn import bgnbd
from carework.churn.base import Triples
from tests.churn.reference import lifetimes_bgnbd

pytestmark = pytest.mark.usefixtures("english")

HOLDOUT_DAYS = 39 * 7


def test_cdnow_gives_the_published_bgnbd_parameters(cdnow):
    """Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426."""
    params = churn.fit(cdnow).params
    assert {k: round(v, 3) for k, v in params.items()} == {
        "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.mark.parametrize("data, penalizer", [("cdnow", 0.0), ("sample", 0.0), ("cdnow", 0.01)])
def test_parameters_equal_lifetimes(request, data, penalizer):
    s = request.getfixturevalue(data)
    ours = churn.fit(s, penalizer=penalizer).params
    ref = lifetimes_bgnbd(s, penalizer).params_
    for name in bgnbd.PARAMS:
        assert ours[name] == pytest.approx(ref[name], rel=1e-4), name


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_gradient_is_the_derivative_of_the_likelihood(cdnow, modified):
    data = bgnbd.prepare(Triples.from_summary(cdnow), modified)
    for log_params in (np.full(4, 0.1), np.log([0.3, 4.0, 0.8, 2.5]), np.array([-1, 2, 0.5, -.3])):
        _, grad = bgnbd.neg_log_likelihood(log_params, data, 0.01)
        numeric = approx_fprime(log_params,
                                lambda p: bgnbd.neg_log_likelihood(p, data, 0.01)[0], 1e-7)
        assert np.allclose(grad, numeric, atol=1e-5)


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_hessian_is_the_derivative_of_the_gradient(cdnow, modified):
    data = bgnbd.prepare(Triples.from_summary(cdnow), modified)
    for log_params in (np.full(4, 0.1), np.log([0.3, 4.0, 0.8, 2.5]), np.array([-1, 2, 0.5, -.3])):
        hessian = bgnbd.hessian(log_params, data, 0.01)
        numeric = np.array([approx_fprime(
            log_params, lambda p, i=i: bgnbd.neg_log_likelihood(p, data, 0.01)[1][i], 1e-6)
            for i in range(4)])
        assert np.allclose(hessian, numeric, atol=1e-5)
        assert np.allclose(hessian, hessian.T)


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_compressed_objective_equals_lifetimes_on_every_customer(cdnow, sample, modified):
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter

    objective = (ModifiedBetaGeoFitter if modified else BetaGeoFitter)._negative_log_likelihood
    assert len(Triples.from_summary(cdnow).x) < len(cdnow) / 2  # shared triples fitted once
    for s in (cdnow, sample):
        data = Triples.from_summary(s)
        prepared = bgnbd.prepare(data, modified)
        for log_params in (np.full(4, 0.1), np.log([0.3, 4.0, 0.8, 2.5])):
            value, _ = bgnbd.neg_log_likelihood(log_params, prepared, 0.01)
            ref = objective(log_params, s["frequency"].to_numpy(), s["recency"].to_numpy(),
                            s["T"].to_numpy(), np.ones(len(s)), 0.01)
            assert value == pytest.approx(ref, rel=1e-12)


def test_predictions_equal_lifetimes(cdnow):
    scores = churn.fit(cdnow).predict(cdnow, horizon=HOLDOUT_DAYS)
    ref = lifetimes_bgnbd(cdnow)
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    assert np.allclose(scores["p_alive"], ref.conditional_probability_alive(f, r, T), atol=1e-5)
    assert np.allclose(scores["expected_purchases"],
                       ref.conditional_expected_number_of_purchases_up_to_time(39, f, r, T),
                       atol=1e-4)


def test_churn_risk_ranks_the_holdout_and_p_alive_does_not(cdnow):
    scores = churn.fit(cdnow).predict(cdnow, horizon=HOLDOUT_DAYS)
    lost = cdnow["frequency_holdout"] == 0
    auc = roc_auc_score(lost, scores["churn_risk"])
    naive = roc_auc_score(lost, 1 - scores["p_alive"])
    assert auc == pytest.approx(0.757, abs=0.005) and naive < 0.35
    one_timers = cdnow["frequency"] == 0
    assert (scores.loc[one_timers, "p_alive"] == 1).all()
    assert scores.loc[one_timers, "churn_risk"].mean() > scores.loc[~one_timers,
                                                                    "churn_risk"].mean()


def test_churn_risk_is_a_probability_that_grows_as_the_horizon_shrinks(sample):
    model = churn.fit(sample)
    short, long = model.predict(sample, 30), model.predict(sample, 365)
    assert short["churn_risk"].between(0, 1).all() and long["churn_risk"].between(0, 1).all()
    assert (short["churn_risk"] >= long["churn_risk"] - 1e-12).all()
    assert (long["expected_purchases"] >= short["expected_purchases"] - 1e-12).all()


def test_expected_next_purchase_is_where_the_odds_reach_even(sample):
    model = churn.fit(sample)
    scores = model.predict(sample, 30)
    due = scores["expected_next_purchase"].dropna()
    assert len(due) > 0 and (due >= pd.Timestamp("2026-03-31")).all()
    assert (due <= pd.Timestamp("2026-03-31") + pd.Timedelta(days=366)).all()
    customer = due.index[0]
    days = (due[customer] - pd.Timestamp("2026-03-31")).days
    row = sample.loc[[customer]]
    odds_before = 1 - model.predict(row, days - 1)["churn_risk"].item()
    odds_after = 1 - model.predict(row, days + 1)["churn_risk"].item()
    assert odds_before <= 0.5 + 1e-9 <= odds_after + 2e-9
    never = scores["expected_next_purchase"].isna()
    assert (1 - model.predict(sample[never], 365)["churn_risk"] <= 0.5 + 1e-9).all()
    repeat = sample["frequency"] > 0
    assert np.allclose(scores.loc[repeat, "avg_days_between_orders"],
                       sample.loc[repeat, "recency"] / sample.loc[repeat, "frequency"])


def test_parameter_intervals_match_lifetimes_standard_errors(cdnow):
    model = churn.fit(cdnow)
    table = model.intervals()
    ref = lifetimes_bgnbd(cdnow).standard_errors_
    for name in bgnbd.PARAMS:
        assert table.loc[name, "se"] == pytest.approx(ref[name], rel=1e-3)
    assert (table["low"] < table["estimate"]).all() and (table["estimate"] < table["high"]).all()
    assert (table["low"] > 0).all()
    wider = model.intervals(level=0.99)
    assert ((wider["high"] - wider["low"]) > (table["high"] - table["low"])).all()


def test_the_likelihood_cache_belongs_to_its_data(cdnow):
    """The terms kept between the optimizer's calls live on the prepared data: another data
    set evaluated at the same point never gets them (a module cache keyed on ``id()`` once
    could, when a freed frame's address was reused)."""
    first = bgnbd.prepare(Triples.from_summary(cdnow))
    other = cdnow.assign(T=cdnow["T"] + 5.0)
    point = np.log([0.24, 4.4, 0.79, 2.4])
    bgnbd.neg_log_likelihood(point, first)
    second = bgnbd.prepare(Triples.from_summary(other))
    fresh = bgnbd.prepare(Triples.from_summary(other))
    assert bgnbd.neg_log_likelihood(point, second)[0] == pytest.approx(
        bgnbd.neg_log_likelihood(point, fresh)[0], rel=1e-12)
    assert bgnbd.neg_log_likelihood(point, second)[0] != pytest.approx(
        bgnbd.neg_log_likelihood(point, first)[0], rel=1e-6)
    assert not [name for name, value in vars(bgnbd).items()
                if isinstance(value, list | dict) and not name.startswith("__")]
