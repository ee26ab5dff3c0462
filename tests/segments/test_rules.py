"""Rule groups (carework.segments.rules): each rule and the precedence on hand-made customers, the
other classifications, and rule settings read from files or refused by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework.segments.rules import GROUPS, RuleConfig, RuleGroups
from carework.settings import Settings


def people(**columns) -> pd.DataFrame:
    """A hand-made profile: one row per customer, defaults for what is not given."""
    n = len(next(iter(columns.values())))
    base = {"spend": [1e6] * n, "orders": [2] * n, "gap_mean": [60.0] * n,
            "recency_days": [30.0] * n, "share_online": [0.0] * n,
            "acquisition_source": ["walk_in"] * n, "age": [30.0] * n}
    base.update(columns)
    return pd.DataFrame(base, index=[f"K{i}" for i in range(n)])


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
