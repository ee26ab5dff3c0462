"""Injected export flaws: return rows and duplicate lines, exactly as recorded."""

from __future__ import annotations

import numpy as np

from carework.sample import SampleData, generate


def test_returns_recorded(small: SampleData) -> None:
    tx = small.transactions
    returns = tx[tx["amount"] < 0].drop_duplicates()
    n_neg_rows = int((tx["amount"] < 0).sum())
    n_dup_neg = n_neg_rows - len(returns)
    assert len(returns) == small.flaws["transactions.returns"] > 0
    assert n_neg_rows == len(returns) + n_dup_neg
    buys = tx[tx["amount"] > 0].drop_duplicates().set_index("order_id")
    assert buys.index.is_unique
    orig = buys.loc[returns["order_id"]]
    assert (orig["customer_id"].to_numpy() == returns["customer_id"].to_numpy()).all()
    lag = returns["purchased_at"].to_numpy() - orig["purchased_at"].to_numpy()
    assert (lag > np.timedelta64(0)).all() and (lag <= np.timedelta64(11, "D")).all()
    assert (-returns["amount"].to_numpy() <= orig["amount"].to_numpy()).all()


def test_duplicates_match_flaw_record(small: SampleData) -> None:
    tx = small.transactions
    assert int(tx.duplicated().sum()) == small.flaws["transactions.duplicate_row"] > 0
    # A duplicate is the line right after its original.
    dup = np.flatnonzero(tx.duplicated().to_numpy())
    assert tx.iloc[dup].reset_index(drop=True).equals(tx.iloc[dup - 1].reset_index(drop=True))


def test_no_flaws_means_clean_transactions() -> None:
    data = generate(customers=600, seed=7, flaws=False)
    tx = data.transactions
    assert data.flaws == {"transactions.returns": 0, "transactions.duplicate_row": 0}
    assert (tx["amount"] > 0).all()
    assert tx["order_id"].is_unique
    assert not tx.duplicated().any()
