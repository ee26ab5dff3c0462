"""Segmentation: rule groups on hand-made customers, RFM scores, clustering, findings, the
command, and what happens when tables are missing or the rules make no sense."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework import segments
from carework.cli import main
from carework.explore import snapshot
from carework.segments.clusters import BehaviourClusters
from carework.segments.compare import findings
from carework.segments.profile import customer_profile
from carework.segments.rfm_scores import RFMScorer, segment_of
from carework.segments.rules import GROUPS, RuleConfig, RuleGroups
from carework.settings import Settings

SAMPLE = "data/sample"


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    return carework.load(SAMPLE)


@pytest.fixture(scope="module")
def result(data) -> segments.Segmentation:
    return segments.segment(data, n_bootstrap=3)


def people(**columns) -> pd.DataFrame:
    """A hand-made profile: one row per customer, defaults for what is not given."""
    n = len(next(iter(columns.values())))
    base = {"spend": [1e6] * n, "orders": [2] * n, "gap_mean": [60.0] * n,
            "recency_days": [30.0] * n, "share_online": [0.0] * n,
            "acquisition_source": ["walk_in"] * n, "age": [30.0] * n}
    base.update(columns)
    return pd.DataFrame(base, index=[f"K{i}" for i in range(n)])


# --- rules ---------------------------------------------------------------------------------------

def test_each_rule_and_the_precedence():
    p = people(spend=[50e6, 1e6, 1e6, 1e6, 1e6, 60e6] + [1e6] * 14,
               orders=[2, 10, 2, 2, 12, 10] + [2] * 14,
               gap_mean=[60, 20, 60, 60, 25, 10] + [60] * 14,
               recency_days=[30, 10, 30, 30, 200, 5] + [30] * 14,
               share_online=[0, 0, 0, 0.8, 0, 0.9] + [0] * 14,
               acquisition_source=["walk_in", "walk_in", "referral", "walk_in", "walk_in",
                                   "friend_family"] + ["walk_in"] * 14)
    rules = RuleGroups(RuleConfig(vip_top_share=0.1)).fit(p)
    out = rules.predict(p)
    assert rules.vip_min_spend_ == pytest.approx(np.quantile(p["spend"], 0.9))
    assert out["rule_group"].tolist()[:6] == ["vip", "regular", "acquaintance", "online",
                                              "occasional", "vip"]
    # customer 5 matches four rules: every flag is kept, VIP wins by precedence
    assert out.loc["K5", ["is_vip", "is_regular", "is_acquaintance", "is_online"]].all()
    # a regular who stopped coming (200 days) is not regular any more
    assert not out.loc["K4", "is_regular"]
    assert set(out["rule_group"]) <= set(GROUPS)
    again = RuleGroups(RuleConfig(vip_top_share=0.1, precedence=(
        "acquaintance", "online", "regular", "vip", "occasional"))).fit(p).predict(p)
    assert again.loc["K5", "rule_group"] == "acquaintance"


def test_other_classifications():
    p = people(age=[14.9, 15, 21.9, 22, 50, 80, np.nan], orders=[1, 5, 4, 6, 2, 9, 1],
               recency_days=[10, 10, 400, 10, 10, 10, 200])
    out = RuleGroups().fit(p).predict(p)
    assert out["age_band"].tolist()[:6] == ["under_15", "15_22", "15_22", "22_50", "over_50",
                                            "over_50"]
    assert pd.isna(out["age_band"].iloc[6])
    assert out["loyalty"].tolist() == ["normal", "loyal", "normal", "loyal", "normal", "loyal",
                                       "normal"]
    assert "stage" not in out  # the stage needs the churn risk: the customer base sets it


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


def test_predict_before_fit_is_refused():
    with pytest.raises(RuntimeError, match="fit"):
        RuleGroups().predict(people(spend=[1.0]))


@pytest.mark.parametrize("values, problem", [
    ({"vip_share": 0.1}, "vip_share"),
    ({"vip_top_share": 0}, "vip_top_share"),
    ({"vip_top_share": 0.9}, "vip_top_share"),
    ({"regular_max_gap_days": -5}, "regular_max_gap_days"),
    ({"regular_min_orders": 1}, "regular_min_orders"),
    ({"age_band_edges": [50, 22, 15]}, "age_band_edges"),
    ({"precedence": ["vip", "vip", "online", "regular", "occasional"]}, "precedence"),
    ({"online_min_share": "half"}, "online_min_share"),
    ({"loyal_min_orders": True}, "loyal_min_orders"),
])
def test_a_bad_rule_setting_is_named(values, problem):
    with pytest.raises(carework.DataError, match=problem) as info:
        RuleConfig.from_mapping(values, "rules.toml")
    assert info.value.column == problem and "rules.toml" in str(info.value)


def test_rules_from_a_file_and_from_the_data_folder(tmp_path, data):
    rules = tmp_path / "rules.toml"
    rules.write_text("[segments]\nvip_top_share = 0.1\nacquaintance_sources = ['referral']\n",
                     encoding="utf-8")
    config = RuleConfig.from_file(rules)
    assert config.vip_top_share == 0.1 and config.acquaintance_sources == ("referral",)
    (tmp_path / "carework.toml").write_text("[segments]\nregular_max_gap_days = 14\n",
                                            encoding="utf-8")
    assert Settings.read(tmp_path).segments.regular_max_gap_days == 14
    (tmp_path / "carework.toml").write_text("[segments]\nregular_max_gap = 14\n",
                                            encoding="utf-8")
    with pytest.raises(carework.DataError, match="regular_max_gap"):
        Settings.read(tmp_path)


# --- RFM -----------------------------------------------------------------------------------------

def test_rfm_scores_are_quintiles_and_ties_share_a_score():
    rng = np.random.default_rng(3)
    p = pd.DataFrame({"recency_days": rng.integers(0, 700, 1000).astype(float),
                      "orders": rng.integers(1, 4, 1000), "spend": rng.lognormal(13, 1, 1000)})
    out = RFMScorer().fit(p).predict(p)
    for column in ("r_score", "f_score", "m_score"):
        assert out[column].between(1, 5).all()
    assert np.bincount(out["m_score"])[1:] == pytest.approx([200] * 5, abs=1)
    # the most recent buyers score 5 on recency, the most frequent 5 on frequency
    assert out.loc[p["recency_days"].idxmin(), "r_score"] == 5
    assert out.loc[p["orders"].idxmax(), "f_score"] >= out.loc[p["orders"].idxmin(), "f_score"]
    assert (out.groupby(p["orders"])["f_score"].nunique() == 1).all()  # ties share a score


def test_rfm_segment_map():
    r = np.array([5, 1, 1, 2, 3, 5, 4, 3])
    f = np.array([5, 1, 5, 3, 3, 1, 1, 1])
    assert segment_of(r, f).tolist() == ["champions", "lost", "cant_lose", "at_risk",
                                         "need_attention", "new_customers", "promising",
                                         "about_to_sleep"]
    every = segment_of(np.repeat(np.arange(1, 6), 5), np.tile(np.arange(1, 6), 5))
    assert (every != "").all()  # every score pair has a segment


# --- clustering ----------------------------------------------------------------------------------

def blobs(n_per: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Three well separated kinds of customer."""
    rng = np.random.default_rng(seed)
    centres = [(2e6, 2, 300.0, 0.05), (3e7, 25, 10.0, 0.1), (5e6, 6, 60.0, 0.9)]
    rows, truth = [], []
    for i, (spend, orders, recency, online) in enumerate(centres):
        rows.append(pd.DataFrame({
            "spend": spend * rng.lognormal(0, 0.15, n_per),
            "orders": np.maximum(1, rng.normal(orders, orders * 0.1, n_per)).round(),
            "recency_days": np.abs(rng.normal(recency, recency * 0.1, n_per)),
            "share_online": np.clip(rng.normal(online, 0.05, n_per), 0, 1)}))
        truth += [i] * n_per
    p = pd.concat(rows, ignore_index=True)
    p.index = [f"K{i}" for i in range(len(p))]
    return p, np.array(truth)


def test_clustering_finds_known_groups_and_is_stable(tmp_path):
    from sklearn.metrics import adjusted_rand_score

    p, truth = blobs()
    model = BehaviourClusters(n_bootstrap=5).fit(p)
    assert model.k_ == 3 and model.selection_.loc[3, "chosen"]
    assert adjusted_rand_score(truth, model.labels_) > 0.95
    assert model.stability_["mean"] > 0.95
    assert model.profiles_["customers"].sum() == len(p)
    assert len(set(model.names_.values())) == 3
    online = model.profiles_["share_online"].idxmax()
    assert "online" in model.names_[online].lower()
    # new customers are assigned like the fitted ones; a saved model does the same
    fresh, _ = blobs(n_per=50, seed=1)
    path = model.save(tmp_path / "clusters.joblib")
    again = BehaviourClusters.load(path)
    assert (again.predict(fresh) == model.predict(fresh)).all()
    assert (model.predict(p) == model.labels_).all()
    assert set(model.project(p).columns) == {"pc1", "pc2", "cluster"}


def test_clustering_refuses_unknown_features_and_tiny_data():
    p, _ = blobs(n_per=30)
    with pytest.raises(carework.DataError, match="nps"):
        BehaviourClusters(features=["log_spend", "nps"]).fit(p)
    with carework.i18n.language("en"), pytest.raises(carework.DataError, match="too few"):
        BehaviourClusters().fit(p.iloc[:4])
    with pytest.raises(RuntimeError, match="fit"):
        BehaviourClusters().predict(p)


# --- findings ------------------------------------------------------------------------------------

def test_a_fading_part_of_a_group_is_found_and_a_uniform_group_is_not():
    rng = np.random.default_rng(5)
    n = 400
    p = pd.DataFrame({"churn_risk": rng.uniform(0.1, 0.3, n), "spend": rng.uniform(1e6, 2e6, n)},
                     index=[f"K{i}" for i in range(n)])
    group = pd.Series(["online"] * 200 + ["regular"] * 200, index=p.index)
    cluster = pd.Series([0] * 150 + [1] * 50 + [0] * 100 + [1] * 100, index=p.index)
    p.iloc[150:200, 0] = 0.9  # the online customers of cluster 1 are slipping away
    found = findings(p, group, cluster, {0: ("spend.high",), 1: ("churn_risk.high",)})
    assert [(f.rule_group, f.cluster, f.customers) for f in found] == [("online", 1, 50)]
    cell, rest = found[0].metrics["churn_risk"]
    assert cell == pytest.approx(0.9) and rest == pytest.approx(p.iloc[:150, 0].mean())
    assert "50" in found[0].text and "nguy cơ" in found[0].text.lower()
    with carework.i18n.language("en"):  # words are applied when the finding is read
        assert "High churn risk" in found[0].text


# --- the whole segmentation ---------------------------------------------------------------------

def test_profile_matches_the_transactions(data):
    p = customer_profile(data)
    tx = data.transactions
    assert len(p) == tx["customer_id"].nunique()
    assert p["spend"].sum() == pytest.approx(tx["amount"].sum())
    days = tx.assign(day=tx["purchased_at"].dt.normalize()).groupby("customer_id")["day"]
    assert (p["orders"] == days.nunique().reindex(p.index)).all()
    one = days.unique().loc[p.index[0]]
    gaps = np.diff(np.sort(one)) / np.timedelta64(1, "D")
    assert p["gap_mean"].iloc[0] == pytest.approx(gaps.mean())
    assert p["gap_cv"].iloc[0] == pytest.approx(gaps.std() / gaps.mean())
    assert np.allclose(p[["share_store", "share_online", "share_phone"]].sum(axis=1), 1)


def test_snapshot_lets_nothing_after_the_date_in(data):
    past = snapshot(data, "2026-03-31")
    end = pd.Timestamp("2026-04-01")
    assert (past.transactions["purchased_at"] < end).all()
    assert (past.surveys["answered_at"] < end).all()
    assert not (past.tickets["resolved_at"] >= end).any()
    later = data.tickets["resolved_at"] >= end
    reopened = data.tickets.loc[later & (data.tickets["opened_at"] < end), "ticket_id"]
    assert (past.tickets.set_index("ticket_id").loc[reopened, "status"] == "open").all()
    p = customer_profile(data, as_of="2026-03-31")
    assert p["last_purchase"].max() <= pd.Timestamp("2026-03-31")


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


# --- command -------------------------------------------------------------------------------------

def test_segment_command(tmp_path, capsys):
    out = tmp_path / "segments.csv"
    assert main(["--lang", "en", "segment", "--data", SAMPLE, "--out", str(out), "--k", "4",
                 "--model", str(tmp_path / "m.joblib")]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert {"customer_id", "rule_group", "rfm_segment", "cluster", "cluster_name"} <= set(
        table.columns)
    assert table["cluster"].nunique() == 4
    printed = capsys.readouterr().out
    assert "Clusters: 4" in printed and (tmp_path / "m.joblib").exists()


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
