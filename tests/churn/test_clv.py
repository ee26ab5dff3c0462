"""Customer lifetime value (carework.churn.clv): agreement with lifetimes' discounted CLV, and
the same CLV whatever the time unit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import carework
from carework import churn
from carework.rfm import summary
from tests.churn.reference import lifetimes_bgnbd

pytestmark = pytest.mark.usefixtures("english")


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
