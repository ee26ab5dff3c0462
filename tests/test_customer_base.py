"""The customer base: one build per (data, as-of date, settings), read by every command,
dashboard and export, which must all describe each customer the same way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carework
from carework import calls, dashboards, kpis
from carework.customer_base import build_base
from carework.rfm import summary

EXE = Path(sys.executable).with_name("carework")
SETTINGS = """
[segments]
vip_top_share = 0.15            # a shop's own VIP rule: the top 15%
[churn]
risk_bands = [0.35, 0.65]       # and its own risk bands
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The sample with a carework.toml that changes the VIP rule and the risk bands."""
    out = tmp_path_factory.mktemp("shop") / "data"
    shutil.copytree("data/sample", out)
    (out / "carework.toml").write_text(SETTINGS, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def base(folder):
    return build_base(carework.load(folder))


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    """The sample as it is, with the default settings."""
    return carework.load("data/sample")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(EXE), "--lang", "en", *args], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_the_folder_settings_reach_the_base(base):
    table = base.table
    assert base.settings.churn.risk_bands == (0.35, 0.65)
    recent = base.data.transactions["purchased_at"] > base.as_of - pd.Timedelta(days=365)
    buyers = base.data.transactions.loc[recent, "customer_id"].nunique()
    assert table["is_vip"].sum() / buyers == pytest.approx(0.15, abs=0.005)  # of last year's
    bands = np.select([table["churn_risk"] >= 0.65, table["churn_risk"] >= 0.35],
                      ["high", "medium"], "low")
    assert (table["risk_band"] == bands).all()
    assert ((table["stage"] == "lapsed") == (table["risk_band"] == "high")).all()
    assert np.allclose(table["value_at_risk"], table["churn_risk"] * table["total_clv"])


def test_every_command_and_dashboard_describes_each_customer_alike(base, folder, tmp_path):
    facts = ["rule_group", "stage", "risk_band", "churn_risk", "value_at_risk"]
    truth = base.table[facts]

    def same(frame: pd.DataFrame, columns: list[str], where: str) -> None:
        frame = frame.copy()
        frame.index = frame.index.astype(str)
        assert set(frame.index) <= set(truth.index), where
        for column in columns:
            expected = truth.loc[frame.index, column]
            if column in ("churn_risk", "value_at_risk"):
                assert np.allclose(frame[column].astype(float), expected), (where, column)
            else:
                assert (frame[column].astype(str) == expected.astype(str)).all(), (where, column)

    run("score", "--data", str(folder), "--out", str(tmp_path / "scores.csv"))
    scores = pd.read_csv(tmp_path / "scores.csv", index_col="customer_id", encoding="utf-8-sig")
    assert len(scores) == len(truth)
    same(scores, facts, "carework score")

    run("segment", "--data", str(folder), "--out", str(tmp_path / "segments.csv"))
    segmented = pd.read_csv(tmp_path / "segments.csv", index_col="customer_id",
                            encoding="utf-8-sig")
    assert len(segmented) == len(truth)
    same(segmented, facts, "carework segment")

    run("calls", "--data", str(folder), "--agents", "3", "--per-agent", "20",
        "--out", str(tmp_path / "calls.csv"))
    listed = pd.read_csv(tmp_path / "calls.csv", index_col="customer_id", encoding="utf-8-sig",
                         dtype={"customer_id": str})
    direct = calls.plan(base, agents=3, per_agent=20).set_index("customer_id")
    assert list(listed.index) == list(direct.index)  # the sheet is the base's list
    same(direct, facts, "calls.plan")

    churn_view = dashboards.churn_dashboard(base)
    same(churn_view.scores, ["churn_risk", "risk_band", "value_at_risk"], "churn dashboard")
    segment_view = dashboards.segmentation_dashboard(base)
    same(segment_view.result.table, facts, "segmentation dashboard")
    call_view = dashboards.call_list_dashboard(base)
    same(call_view.sheet.set_index("customer_id"), facts, "call list dashboard")
    dims = kpis.customer_dimensions(base).dropna(subset=["rule_group"])
    same(dims, ["rule_group"], "KPI customer dimensions")


def test_the_base_reads_the_summary_off_its_own_aggregation(base):
    direct = summary(base.data.transactions, observation_end=base.as_of)
    assert np.array_equal(direct.to_numpy(), base.summary.loc[direct.index].to_numpy())


def test_scores_at_other_horizons_and_models_are_kept_on_the_base(base):
    assert base.scores() is base.scores()
    short = base.scores(30)
    assert (short["churn_risk"] >= base.scores()["churn_risk"] - 1e-12).all()  # 30 < 90 days
    assert base.with_model("pnbd").model is base.with_model("pnbd").model  # fitted once
    assert base.with_model("bgnbd") is base


def test_the_churn_risk_interval_contains_the_risk_and_narrows_with_data(base):
    s = base.table
    assert ((s["churn_risk_low"] <= s["churn_risk"]) & (s["churn_risk"] <= s["churn_risk_high"])
            ).all()
    width = s["churn_risk_high"] - s["churn_risk_low"]
    assert width.gt(0).mean() > 0.95 and width.median() < 0.1
    half = build_base(carework.from_frames(
        base.data.transactions[base.data.transactions["customer_id"].isin(s.index[::4])]),
        as_of=base.as_of, force=True)
    narrow = width.loc[half.table.index].median()
    assert (half.table["churn_risk_high"] - half.table["churn_risk_low"]).median() > narrow


def test_a_free_repeat_purchase_leaves_one_customer_without_clv_not_everyone(base):
    tx = base.data.transactions.copy()
    one = base.table.index[base.table["frequency"] > 0][0]
    tx.loc[tx["customer_id"] == one, "amount"] = 0.0  # every purchase free: no spend at all
    damaged = build_base(carework.from_frames(tx), as_of=base.as_of)
    assert damaged.has_scores and damaged.table["churn_risk"].notna().all()
    assert np.isnan(damaged.table.loc[one, "predicted_clv"])
    assert damaged.table["predicted_clv"].notna().sum() == len(damaged.table) - 1
    with carework.i18n.language("en"):
        assert any(note.endswith("no CLV: 1") for note in damaged.notes)


def test_an_as_of_date_the_data_does_not_cover_is_refused_unless_forced(base):
    later = base.as_of + pd.Timedelta(days=120)
    uncovered = build_base(base.source, as_of=later)
    assert not uncovered.has_scores
    with carework.i18n.language("en"):
        assert "the latest order is 120 days old" in " ".join(uncovered.gate.warnings())
        with pytest.raises(carework.DataError, match="--force"):
            uncovered.scores()
    forced = build_base(base.source, as_of=later, force=True)
    assert forced.has_scores and forced.gate.warnings()


def test_the_same_data_gives_the_same_figures_whatever_today_is(base, monkeypatch):
    monkeypatch.setattr(pd.Timestamp, "today", classmethod(
        lambda cls: pd.Timestamp("2031-01-01")))
    years_later = build_base(base.source)
    assert years_later.as_of == base.as_of and years_later.has_scores
    assert np.allclose(years_later.table["churn_risk"], base.table["churn_risk"])
    assert years_later.gate.stale and years_later.gate.days_old > 1500


def test_the_stage_is_the_high_risk_band_or_without_scores_the_days_since(data):
    from carework.customer_base import build_base

    base = build_base(data)
    table = base.table
    assert ((table["stage"] == "lapsed") == (table["risk_band"] == "high")).all()
    wider = build_base(data, settings=data.settings.replace(**{"churn.risk_bands": [0.3, 0.6]}))
    assert (wider.table["stage"] == "lapsed").sum() > (table["stage"] == "lapsed").sum()
    thin = build_base(data, as_of="2025-01-15")  # 106 days of history: no scores
    assert thin.table["churn_risk"].isna().all()
    lapsed = thin.table["recency_days"] >= data.settings.segments.lapsed_days
    assert ((thin.table["stage"] == "lapsed") == lapsed).all()
