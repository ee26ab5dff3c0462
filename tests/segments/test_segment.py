"""The whole segmentation (carework.segments.segment) on the sample and without the customers
table, and the segment command."""

from __future__ import annotations

import pandas as pd
import pytest

import carework
from carework import segments
from carework.cli import main
from carework.segments.rules import GROUPS

SAMPLE = "data/sample"


@pytest.fixture(scope="module")
def result(data) -> segments.Segmentation:
    return segments.segment(data, n_bootstrap=3)


def test_segment_on_the_sample(data, result):
    table = result.table
    assert len(table) == data.transactions["customer_id"].nunique()
    assert table.index.is_unique and set(table["rule_group"]) == set(GROUPS)
    for column in ("customer_id", "rule_group", "rfm_segment", "cluster", "risk_band",
                   "value_at_risk"):
        assert column in table.reset_index()
    assert 2 <= result.clusters.k_ <= 12 and table["cluster"].notna().all()
    assert set(result.clusters.names_) == set(table["cluster"])
    assert 0 < result.clusters.stability_["mean"] <= 1
    assert -0.1 < result.ari < 0.5  # the clusters are not the rule groups again
    assert result.crosstab.loc["total", "total"] == len(table)
    assert 0 < result.loyalty["customers"] < result.loyalty["revenue"] <= 1
    buyers = data.transactions["customer_id"].unique()
    assert result.stages["prospect"] == (~data.customers["customer_id"].isin(buyers)).sum() > 0
    assert result.stages["active"] + result.stages["lapsed"] == len(table)
    assert result.findings and all(f.customers >= 27 for f in result.findings)
    assert [f.revenue for f in result.findings] == sorted(
        (f.revenue for f in result.findings), reverse=True)


def test_hidden_fading_big_spenders_are_found(result):
    """The sample hides online customers with 3.5x baskets whose buying fades: the clusters
    put them with the customers slipping away, though the rules call them online or VIP."""
    from carework.sample import generate

    truth = generate(customers=3000, seed=42, start="2024-10-01", end="2026-09-30",
                     flaws=True).truth.set_index("customer_id")
    fading = truth.index[truth["pattern"] == "fading_big_spender"].intersection(
        result.table.index)
    table = result.table
    assert len(fading) > 30
    assert table.loc[fading, "rule_group"].isin(["online", "vip", "occasional"]).mean() > 0.8
    risky = result.clusters.profiles_["churn_risk"] > table["churn_risk"].mean()
    assert table.loc[fading, "cluster"].map(risky).mean() > 0.5


def test_missing_customers_table_reports_what_cannot_be_built(data):
    bare = carework.Dataset(data.transactions, surveys=data.surveys, tickets=data.tickets)
    result = segments.segment(bare, n_bootstrap=0)
    assert set(result.unavailable) == {"acquaintance", "age_band", "income_band"}
    assert "prospect" not in result.stages
    assert not result.table["is_acquaintance"].any()
    assert "age_band" not in result.table and result.table["cluster"].notna().all()


def test_segment_command(tmp_path, capsys):
    out = tmp_path / "segments.csv"
    assert main(["--lang", "en", "segment", "--data", SAMPLE, "--out", str(out), "--k", "4",
                 "--model", str(tmp_path / "m.json")]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert {"customer_id", "rule_group", "rfm_segment", "cluster", "cluster_name"} <= set(
        table.columns)
    assert table["cluster"].nunique() == 4
    printed = capsys.readouterr().out
    assert "Clusters: 4" in printed and (tmp_path / "m.json").exists()


def test_segment_command_with_bad_rules_is_one_line(tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text("vip_top_share = 2\n", encoding="utf-8")
    code = main(["--lang", "en", "segment", "--data", SAMPLE, "--out",
                 str(tmp_path / "x.csv"), "--rules", str(rules)])
    err = capsys.readouterr().err
    assert code == 2 and "vip_top_share" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit):
        main(["segment", "--data", SAMPLE, "--out", "x.csv", "--k", "40"])
