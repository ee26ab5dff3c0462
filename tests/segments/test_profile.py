"""The customer profile (carework.segments.profile): values equal to the transactions, and
nothing after an as-of date let in (with the snapshot it is built from)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carework.explore import snapshot
from carework.segments.profile import customer_profile


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
