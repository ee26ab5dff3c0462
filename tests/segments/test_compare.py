"""Findings (carework.segments.compare): a fading part of a group is found, a uniform group is
not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework.segments.compare import findings


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
