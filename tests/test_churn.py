"""BG/NBD: published CDNOW parameters, agreement with lifetimes, churn risk, degenerate data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime
from sklearn.metrics import roc_auc_score

import carework
from carework import churn
from carework.churn import bgnbd
from carework.churn.base import Triples
from carework.i18n import language
from carework.rfm import summary


@pytest.fixture(autouse=True)
def english():
    """Errors are matched in English (they are Vietnamese by default)."""
    with language("en"):
        yield

HOLDOUT_DAYS = 39 * 7


def lifetimes_bgnbd(s: pd.DataFrame, penalizer: float = 0.0):
    from lifetimes import BetaGeoFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BetaGeoFitter(penalizer_coef=penalizer).fit(s["frequency"], s["recency"], s["T"])


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


@pytest.mark.parametrize("rows, problem", [
    ([(0, 0, 10)] * 20, "nobody bought a second time"),
    ([(0, 0, 0), (1, 0, 0)] * 10, "same day"),
    ([(2, 5, 10)] * 3, "only 3 customer"),
])
def test_degenerate_data_is_refused_in_plain_words(rows, problem):
    s = pd.DataFrame(rows, columns=["frequency", "recency", "T"], dtype=float)
    with pytest.raises(carework.DataError, match=problem):
        churn.fit(s)


def test_unknown_model_and_impossible_summary():
    with pytest.raises(ValueError, match="model must be one of"):
        churn.fit(pd.DataFrame({"frequency": [1.0], "recency": [1.0], "T": [2.0]}), model="x")
    with pytest.raises(carework.DataError, match="impossible values"):
        churn.fit(pd.DataFrame({"frequency": [1.0] * 20, "recency": [5.0] * 20,
                                "T": [2.0] * 20}))


def test_cdnow_gives_the_published_gamma_gamma_parameters(cdnow):
    """Fader, Hardie & Lee (2005b): p = 6.25, q = 3.74, gamma = 15.44."""
    params = churn.fit_spend(cdnow).params
    assert {k: round(v, 2) for k, v in params.items()} == {"p": 6.25, "q": 3.74, "v": 15.44}


@pytest.mark.parametrize("data", ["cdnow", "sample"])
def test_spend_model_equals_lifetimes(request, data):
    from lifetimes import GammaGammaFitter

    s = request.getfixturevalue(data)
    spend = churn.fit_spend(s)
    repeat = s[s["frequency"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    for name in ("p", "q", "v"):
        assert spend.params[name] == pytest.approx(ref.params_[name], rel=1e-4)
    expected = spend.expected_spend(repeat)
    reference = ref.conditional_expected_average_profit(repeat["frequency"],
                                                        repeat["monetary_value"])
    assert np.allclose(expected, reference, rtol=1e-4)
    newcomer = spend.expected_spend(s[s["frequency"] == 0]).iloc[0]
    p, q, v = (spend.params[k] for k in ("p", "q", "v"))
    assert newcomer == pytest.approx(p * v / (q - 1))  # the population mean


def test_one_zero_repeat_purchase_does_not_block_the_spend_model():
    from carework.churn import gamma_gamma

    rng = np.random.default_rng(3)
    n = 400
    frequency = rng.integers(1, 8, size=n).astype(float)
    value = rng.gamma(6.0, 1.0 / rng.gamma(3.0, 1 / 30.0, size=n)) + 1.0
    s = pd.DataFrame({"frequency": frequency, "recency": frequency * 5, "T": [90.0] * n,
                      "monetary_value": [0.0, *value[1:]]},
                     index=[f"c{i}" for i in range(n)])
    with pytest.raises(carework.DataError, match="zero or negative value"):
        gamma_gamma.fit(s)  # the model itself cannot take it ...
    spend = churn.fit_spend(s)  # ... so it learns from the others, and says who is left out
    assert spend.params == pytest.approx(gamma_gamma.fit(s.iloc[1:]).params)
    expected = spend.expected_spend(s)
    assert np.isnan(expected["c0"]) and expected.iloc[1:].notna().all()
    assert churn.spend_usable(s).sum() == n - 1


def test_clv_equals_lifetimes_on_daily_data(sample):
    """lifetimes discounts monthly with daily data; the same annual rate gives the same CLV."""
    from lifetimes import GammaGammaFitter

    model, spend = churn.fit(sample), churn.fit_spend(sample)
    monthly = 0.01
    ours = churn.predicted_clv(model, spend, sample, horizon_days=360,
                               annual_discount=(1 + monthly) ** (365 / 30) - 1)
    ref_model = lifetimes_bgnbd(sample)
    repeat = sample[sample["frequency"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        ref = gg.customer_lifetime_value(ref_model, sample["frequency"], sample["recency"],
                                         sample["T"], sample["monetary_value"], time=12,
                                         discount_rate=monthly, freq="D")
    assert np.allclose(ours, ref, rtol=1e-3)


def test_clv_in_weeks_equals_clv_in_days(sample):
    tx = carework.load("data/sample").transactions
    weekly = summary(tx, calibration_end="2026-03-31", observation_end="2026-09-29", unit="W")
    daily_clv = churn.predicted_clv(churn.fit(sample), churn.fit_spend(sample), sample, 180)
    weekly_clv = churn.predicted_clv(churn.fit(weekly), churn.fit_spend(weekly), weekly, 180)
    assert np.allclose(daily_clv, weekly_clv, rtol=1e-4)
    undiscounted = churn.predicted_clv(churn.fit(sample), churn.fit_spend(sample), sample, 180,
                                       annual_discount=0.0)
    assert (undiscounted >= daily_clv).all()
    one_step = churn.fit(sample).predict(sample, 180)["expected_purchases"] * \
        churn.fit_spend(sample).expected_spend(sample)
    assert np.allclose(undiscounted, one_step)


def test_readiness_on_the_sample_and_on_thin_data(sample):
    verdict = churn.readiness(sample)
    assert verdict.ready and verdict.reasons() == []
    thin = sample.head(120).copy()
    thin.attrs = dict(sample.attrs)
    thin["T"] = thin["T"].clip(upper=100)
    thin["recency"] = thin["recency"].clip(upper=40)
    thin["frequency"] = thin["frequency"].clip(upper=1)
    with language("en"):
        verdict = churn.readiness(thin)
        assert not verdict.ready
        assert {c.name for c in verdict.checks if not c.ok} == {
            "buyers", "history_days", "days_since_last_purchase", "repeat_buyers_3plus"}
        assert "only 120 customers have bought (at least 500 needed)" in verdict.reasons()
        assert str(verdict).startswith("Not enough history")
    weekly = sample.copy()
    weekly.attrs = {**sample.attrs, "unit": "W"}
    weekly[["recency", "T"]] = sample[["recency", "T"]] / 7
    history = {c.name: c.value for c in churn.readiness(weekly).checks}["history_days"]
    assert history == pytest.approx(sample["T"].max())  # judged in days whatever the unit


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


def test_bootstrap_totals_and_intervals(cdnow):
    from carework.churn.bootstrap import ALL, bootstrap

    segment = pd.Series(np.where(cdnow["frequency"] > 0, "repeat", "one-time"),
                        index=cdnow.index)
    result = bootstrap(cdnow, horizon_days=HOLDOUT_DAYS, groups=segment, n_boot=60, seed=3)
    totals = result.totals
    model, spend = churn.fit(cdnow), churn.fit_spend(cdnow)
    expected = model.predict(cdnow, HOLDOUT_DAYS)["expected_purchases"]
    clv = churn.predicted_clv(model, spend, cdnow, HOLDOUT_DAYS)
    assert totals.loc[ALL, "expected_purchases"] == pytest.approx(expected.sum(), rel=1e-6)
    assert totals.loc[ALL, "predicted_clv"] == pytest.approx(clv.sum(), rel=1e-6)
    assert totals.loc["repeat", "customers"] == (cdnow["frequency"] > 0).sum()
    parts = totals.drop(index=ALL)[["expected_purchases", "predicted_clv", "customers"]].sum()
    assert parts.to_numpy() == pytest.approx(totals.loc[ALL, parts.index].to_numpy())
    for column in ("expected_purchases", "predicted_clv"):
        assert (totals[f"{column}_low"] < totals[column]).all()
        assert (totals[column] < totals[f"{column}_high"]).all()
    # resampling customers spreads the parameters about as the observed information says
    ratio = result.params[list(bgnbd.PARAMS)].std() / model.intervals()["se"]
    assert ratio.between(0.7, 1.6).all(), ratio.to_dict()
    again = bootstrap(cdnow, horizon_days=HOLDOUT_DAYS, groups=segment, n_boot=60, seed=3)
    pd.testing.assert_frame_equal(again.totals, totals)


@pytest.mark.parametrize("data", ["cdnow", "sample"])
def test_mbgnbd_equals_lifetimes(request, data):
    from lifetimes import ModifiedBetaGeoFitter

    s = request.getfixturevalue(data)
    model = churn.fit(s, model="mbgnbd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    for name in bgnbd.PARAMS:
        assert model.params[name] == pytest.approx(ref.params_[name], rel=1e-4)
    horizon_units = 30 / (7 if s.attrs["unit"] == "W" else 1)
    scores = model.predict(s, 30)
    f, r, T = s["frequency"], s["recency"], s["T"]
    assert np.allclose(scores["p_alive"], ref.conditional_probability_alive(f, r, T), atol=1e-6)
    assert np.allclose(scores["expected_purchases"],
                       ref.conditional_expected_number_of_purchases_up_to_time(
                           horizon_units, f, r, T), atol=1e-5)
    assert (scores.loc[s["frequency"] == 0, "p_alive"] < 1).all()  # unlike BG/NBD
    t = np.array([1.0, 10.0, 39.0, 100.0])
    assert np.allclose(model.expected_repeat_purchases(t),
                       ref.expected_number_of_purchases_up_to_time(t), rtol=1e-4)


def test_mbgnbd_ranks_the_cdnow_holdout(cdnow):
    scores = churn.fit(cdnow, model="mbgnbd").predict(cdnow, horizon=HOLDOUT_DAYS)
    auc = roc_auc_score(cdnow["frequency_holdout"] == 0, scores["churn_risk"])
    assert auc == pytest.approx(0.760, abs=0.005)


@pytest.mark.parametrize("model", ["bgnbd", "pnbd", "mbgnbd"])
def test_a_fit_that_runs_off_to_extremes_is_a_model_error(model):
    """Identical, never-lapsing customers: the likelihood peaks at the boundary (r → ∞, a → 0)."""
    s = pd.DataFrame({"frequency": [5.0] * 30 + [6.0] * 30, "recency": [100.0] * 60,
                      "T": [100.0] * 60})
    for penalizer in (0.0, 0.01):
        with pytest.raises(carework.ModelError, match="no sensible fit") as info:
            churn.fit(s, model=model, penalizer=penalizer)
        assert "penalizer" in str(info.value)
