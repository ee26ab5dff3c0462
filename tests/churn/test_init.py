"""The carework.churn entry points fit and fit_spend: data no model can learn from refused in
plain words, an unknown model, a fit that runs off to extremes, and spend the Gamma-Gamma model
cannot take left out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework import churn

pytestmark = pytest.mark.usefixtures("english")


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


@pytest.mark.parametrize("model", ["bgnbd", "pnbd", "mbgnbd"])
def test_a_fit_that_runs_off_to_extremes_is_a_model_error(model):
    """Identical, never-lapsing customers: the likelihood peaks at the boundary (r → ∞, a → 0)."""
    s = pd.DataFrame({"frequency": [5.0] * 30 + [6.0] * 30, "recency": [100.0] * 60,
                      "T": [100.0] * 60})
    for penalizer in (0.0, 0.01):
        with pytest.raises(carework.ModelError, match="no sensible fit") as info:
            churn.fit(s, model=model, penalizer=penalizer)
        assert "penalizer" in str(info.value)
