"""NPS and CSAT (carework.kpis.scores): hand-computed values, interval behaviour and coverage,
significant changes, and properties over random answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carework import kpis
from carework.kpis.scores import change, nps_from_counts, proportion_from_counts


def test_nps_matches_the_hand_computed_value_and_interval():
    r = kpis.nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 2])
    # 5 promoters, 3 detractors, n = 10 → 20; adjusted Wald: n' = 13, p' = 5.75/13,
    # d' = 3.75/13, Var = (p' + d' − (p' − d')²)/n' = 0.0543917, half = 1.96·√Var = 45.71
    assert r.value == 20.0 and r.n == 10
    assert r.low == pytest.approx(20 - 45.7107, abs=1e-3)
    assert r.high == pytest.approx(20 + 45.7107, abs=1e-3)


def test_nps_skips_missing_answers_and_rejects_invalid_ones():
    assert kpis.nps([10, None, float("nan"), 0]).n == 2
    assert kpis.nps(pd.Series([9, pd.NA, 6], dtype="Int64")).value == 0.0
    for bad in ([11], [-1], [7.5], ["good"]):
        with pytest.raises(ValueError, match="nps"):
            kpis.nps(bad)
    empty = kpis.nps([])
    assert empty.n == 0 and np.isnan(empty.value) and np.isnan(empty.low)


def test_unanimous_answers_still_get_an_interval():
    r = kpis.nps([10] * 5)
    assert r.value == 100 and r.high == 100 and r.low < 60  # not a zero-width interval
    assert r.too_few


def test_csat_is_the_satisfied_share_with_wilson_interval():
    r = kpis.csat([5, 4, 3, 2, 5])
    # p = 0.6, n = 5: centre (0.6 + z²/10)/(1 + z²/5), half z·√(0.048 + z²/100)/(1 + z²/5)
    assert r.value == 60.0
    assert (r.low, r.high) == pytest.approx((23.0724, 88.2379), abs=1e-3)
    assert kpis.csat([3, 3, 3]).value == 0.0  # neutral is never satisfied
    assert kpis.csat([4, 5, 5], satisfied_min=5).value == pytest.approx(200 / 3)
    with pytest.raises(ValueError, match="neutral"):
        kpis.csat([3, 4], satisfied_min=3)
    with pytest.raises(ValueError, match="csat"):
        kpis.csat([0, 4])


def test_the_vectorised_forms_equal_the_scalar_ones():
    r = kpis.nps([10, 9, 8, 2, 6, 10, 7])
    v, lo, hi, var = nps_from_counts(3, 2, 7)
    assert (float(v), float(lo), float(hi), float(var)) == pytest.approx(
        (r.value, r.low, r.high, r.variance))
    c = kpis.csat([5, 4, 1, 2, 3, 5, 5, 4])
    v, lo, hi, _ = proportion_from_counts(5, 8)
    assert (float(v), float(lo), float(hi)) == pytest.approx((c.value, c.low, c.high))


def test_nps_interval_covers_the_true_value_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    p, d, n = 0.45, 0.25, 80
    draws = rng.multinomial(n, [p, 1 - p - d, d], size=4000)
    _, lo, hi, _ = nps_from_counts(draws[:, 0], draws[:, 2], n)
    coverage = np.mean((lo <= 100 * (p - d)) & (100 * (p - d) <= hi))
    assert 0.93 <= coverage <= 0.97


def test_a_change_is_significant_only_beyond_the_noise():
    before = kpis.nps([10] * 40 + [8] * 30 + [3] * 30)   # 10
    after = kpis.nps([10] * 60 + [8] * 25 + [3] * 15)    # 45
    c = change(before, after)
    assert c.difference == pytest.approx(35.0)
    assert c.z == pytest.approx(35 / np.sqrt(before.variance + after.variance))
    assert c.significant
    assert not change(before, kpis.nps([10] * 41 + [8] * 29 + [3] * 30)).significant


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=300), st.randoms())
def test_nps_properties(scores, random):
    r = kpis.nps(scores)
    assert -100 <= r.low <= r.value <= r.high <= 100
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert kpis.nps(shuffled) == r
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert r.value == pytest.approx(100 * (promoters - detractors) / len(scores))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=300), st.randoms())
def test_csat_properties(ratings, random):
    r = kpis.csat(ratings)
    assert 0 <= r.low <= r.value <= r.high <= 100
    shuffled = list(ratings)
    random.shuffle(shuffled)
    assert kpis.csat(shuffled) == r
    assert kpis.csat(ratings + [3]).value <= r.value  # adding a neutral never raises CSAT


def test_csat_interval_equals_scipys_wilson():
    from scipy import stats

    for satisfied, n in ((0, 7), (3, 5), (41, 60), (60, 60)):
        ours = proportion_from_counts(satisfied, n)
        ci = stats.binomtest(satisfied, n).proportion_ci(method="wilson")
        assert (float(ours[1]), float(ours[2])) == pytest.approx((100 * ci.low, 100 * ci.high))
