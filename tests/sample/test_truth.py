"""The hidden truth agrees with the tables."""

from __future__ import annotations

from carework.sample import PERSONAS, SampleData


def test_truth_is_consistent(small: SampleData) -> None:
    tr = small.truth
    assert set(tr["persona"]) == set(PERSONAS)
    assert (tr["lambda"] > 0).all() and tr["p_dropout"].between(0, 1).all()
    n_buys = small.transactions[small.transactions["amount"] > 0].drop_duplicates()
    counts = n_buys.groupby("customer_id").size()
    assert (tr.set_index("customer_id")["n_purchases"].loc[counts.index] == counts).all()
    assert tr.loc[tr["prospect"], "dropout_at"].isna().all()
    last = n_buys.groupby("customer_id")["purchased_at"].max()
    dead = tr.dropna(subset=["dropout_at"]).set_index("customer_id")["dropout_at"]
    assert (dead == last.loc[dead.index]).all()
    assert (tr.loc[tr["persona"] == "vip", "mean_spend"].median()
            > 3 * tr.loc[tr["persona"] != "vip", "mean_spend"].median())
    assert (tr["pattern"] != "none").any()
