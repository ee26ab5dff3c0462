"""Gamma-Gamma spend model (carework.churn.gamma_gamma): published CDNOW parameters and agreement
with lifetimes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from carework import churn

pytestmark = pytest.mark.usefixtures("english")


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
