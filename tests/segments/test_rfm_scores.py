"""RFM scores (carework.segments.rfm_scores): quintiles, ties sharing a score, and the segment
map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carework.segments.rfm_scores import RFMScorer, segment_of


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
