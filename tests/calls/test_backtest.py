"""The backtest (carework.calls.backtest): the list beats random picks and sees nothing after its
date."""

from __future__ import annotations

import pytest

import carework
from carework import calls
from carework.explore import snapshot


def test_backtest_beats_random_and_sees_nothing_later(sample):
    result = calls.backtest(sample, "2026-06-30", k=60)
    assert result["lift_vs_random"] > 1.5 and result["lift_vs_random_buyers"] > 1.2
    assert result["lift_vs_rules"] > 0
    gains = result["gains"]
    assert gains["list"].iloc[-1] == pytest.approx(1.0)
    assert gains["random"].iloc[-1] == pytest.approx(1.0)
    # the list as of a date is the same whether or not later data exists
    known = snapshot(sample, "2026-06-30")
    assert calls.rank(calls.candidates(sample, "2026-06-30")).index.equals(
        calls.rank(calls.candidates(known, "2026-06-30")).index)
    with carework.i18n.language("en"), pytest.raises(carework.DataError, match="ends before"):
        calls.backtest(sample, "2026-09-20", k=10)
