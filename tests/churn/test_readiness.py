"""Readiness (carework.churn.readiness): enough history on the sample, the reasons in words on
thin data, history judged in days whatever the unit."""

from __future__ import annotations

import pytest

from carework import churn
from carework.i18n import language

pytestmark = pytest.mark.usefixtures("english")


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
