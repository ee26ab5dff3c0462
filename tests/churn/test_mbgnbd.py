"""MBG/NBD (carework.churn.mbgnbd): agreement with lifetimes, and the CDNOW holdout ranking."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from carework import churn
from carework.churn import bgnbd

pytestmark = pytest.mark.usefixtures("english")

HOLDOUT_DAYS = 39 * 7


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
