"""Holdout evaluation: model comparison, frequency buckets, and no leakage from the holdout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework import churn, plots
from carework.churn import evaluation, fit
from carework.datasets import CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END, cdnow_sample
from carework.rfm import summary

CAL, OBS = "2026-03-31", "2026-09-29"


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return carework.load("data/sample").transactions


def test_compare_models_on_cdnow_reproduces_the_published_ranking():
    table = evaluation.compare_models(cdnow_sample(), calibration_end=CDNOW_CALIBRATION_END,
                                      observation_end=CDNOW_OBSERVATION_END)
    assert table.loc["bgnbd", "auc"] == pytest.approx(0.757, abs=0.005)
    assert table.loc["bgnbd", "actual_purchases"] == 1882
    supervised = table.index[table.index.str.startswith("supervised")]
    assert len(supervised) == 1 and table.loc[supervised[0], "auc"] > 0.7


def test_compare_models_on_the_sample(tx):
    table = evaluation.compare_models(tx, calibration_end=CAL, observation_end=OBS)
    assert (table["auc"] > 0.75).all() and (table["lift_top"] > 1.3).all()
    bgnbd = table.loc["bgnbd"]
    assert bgnbd["predicted_purchases"] == pytest.approx(bgnbd["actual_purchases"], rel=0.3)


def test_holdout_by_frequency_buckets(tx):
    cal = summary(tx, calibration_end=CAL, observation_end=OBS)
    table = evaluation.holdout_by_frequency(fit(cal), cal)
    assert table["customers"].sum() == len(cal)
    actual = cal.groupby(cal["frequency"].clip(upper=7))["frequency_holdout"].mean()
    assert np.allclose(table["actual"], actual)
    assert np.corrcoef(table["actual"], table["predicted"])[0, 1] > 0.95


def test_ranking_metrics_on_known_data():
    risk = pd.Series([0.9, 0.8, 0.3, 0.2, 0.1])
    lost = pd.Series([True, True, False, False, False])
    result = evaluation.ranking(risk, lost, top=0.4)
    assert result == {"auc": 1.0, "lift_top": 2.5}


def test_supervised_risk_does_not_see_the_holdout(tx):
    cal_end = pd.Timestamp(CAL)
    before = evaluation.supervised_churn_risk(tx, cal_end, 182)
    without_holdout = tx[tx["purchased_at"] < cal_end + pd.Timedelta(days=1)]
    after = evaluation.supervised_churn_risk(without_holdout, cal_end, 182)
    pd.testing.assert_series_equal(before, after)


def test_tracking_on_cdnow_follows_the_actual_purchases():
    import matplotlib

    matplotlib.use("Agg")
    from carework import plots

    tx = cdnow_sample()
    cal = summary(tx, calibration_end=CDNOW_CALIBRATION_END,
                  observation_end=CDNOW_OBSERVATION_END, unit="W")
    track = evaluation.tracking(tx, fit(cal), calibration_end=CDNOW_CALIBRATION_END,
                                observation_end=CDNOW_OBSERVATION_END)
    assert track["actual"].is_monotonic_increasing and track["expected"].is_monotonic_increasing
    end_of_calibration = track[~track["holdout"]].iloc[-1]
    assert end_of_calibration["expected"] == pytest.approx(end_of_calibration["actual"], rel=0.03)
    assert track.iloc[-1]["expected"] == pytest.approx(track.iloc[-1]["actual"], rel=0.06)
    repeats = tx.assign(day=tx["purchased_at"].dt.normalize()).drop_duplicates(
        ["customer_id", "day"]).groupby("customer_id").size().sub(1).sum()
    assert track.iloc[-1]["actual"] <= repeats
    plots.tracking_chart(track)


def test_period_transactions_on_cdnow(cdnow):
    model = churn.fit(cdnow)
    table = evaluation.period_transactions(model, cdnow)
    assert list(table.index) == list(range(8))
    assert table["actual"].sum() == len(cdnow)
    assert table["expected"].sum() == pytest.approx(len(cdnow))
    assert table.loc[0, "actual"] == (cdnow["frequency"] == 0).sum() == 1411
    # BG/NBD describes CDNOW's calibration period closely (Fader, Hardie & Lee 2005, fig. 2)
    assert (table["expected"] - table["actual"]).abs().max() < 0.03 * len(cdnow)
    fig = plots.period_transactions(table)
    assert [p.get_height() for p in fig.axes[0].patches][:8] == pytest.approx(
        table["actual"].tolist())
