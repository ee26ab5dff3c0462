"""The bootstrap (carework.churn.bootstrap): totals equal the point predictions, intervals around
them, a spread of the parameters that agrees with their standard errors, the same seed the same
result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carework import churn
from carework.churn import bgnbd

pytestmark = pytest.mark.usefixtures("english")

HOLDOUT_DAYS = 39 * 7


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
