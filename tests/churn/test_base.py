"""What every fitted model offers (carework.churn.base.FittedModel): P(X(t) = n) is a distribution
with the model's mean, and equals lifetimes' for BG/NBD and MBG/NBD."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carework import churn


@pytest.mark.parametrize("name", ["bgnbd", "pnbd", "mbgnbd"])
def test_probability_of_n_purchases_is_a_distribution_with_the_model_mean(cdnow, name):
    model = churn.fit(cdnow, model=name)
    n = np.arange(4000)
    for t in (1.0, 39.0, 200.0):
        p = model.probability_of_n_purchases_up_to_time(t, n)
        assert (p >= 0).all() and p.sum() == pytest.approx(1.0, abs=1e-9)
        assert (n * p).sum() == pytest.approx(model.expected_repeat_purchases(t), rel=1e-8)


@pytest.mark.parametrize("name", ["bgnbd", "mbgnbd"])
def test_probability_of_n_purchases_equals_lifetimes(cdnow, name):
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter

    model = churn.fit(cdnow, model=name)
    ref = (BetaGeoFitter if name == "bgnbd" else ModifiedBetaGeoFitter)()
    ref.params_ = pd.Series(model.params)
    for t, n in [(1.0, 0), (39.0, 0), (39.0, 1), (39.0, 5), (78.0, 12)]:
        assert model.probability_of_n_purchases_up_to_time(t, n) == pytest.approx(
            ref.probability_of_n_purchases_up_to_time(t, n), rel=1e-10)
