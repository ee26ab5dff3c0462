"""Customer flows and rates (carework.kpis.flows): the handbook's formulas, a hand-built log, and
the sample against a brute-force count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carework import kpis


def test_rates_as_the_handbook_writes_them():
    assert kpis.retention_rate(cs=200, ce=210, cn=30) == 90.0
    assert kpis.churn_rate(cs=200, ce=210) == -5.0  # the base grew: the net form is negative
    assert kpis.lost_rate(cs=200, lost=20) == 10.0
    assert np.isnan(kpis.retention_rate(0, 5, 5)) and np.isnan(kpis.churn_rate(0, 5))
    with pytest.raises(ValueError, match="cn"):
        kpis.retention_rate(cs=10, ce=5, cn=6)
    with pytest.raises(ValueError, match="≥ 0"):
        kpis.churn_rate(cs=-1, ce=5)


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"]).assign(
        purchased_at=lambda f: pd.to_datetime(f["purchased_at"]))


def test_customer_flows_on_a_hand_built_log():
    tx = _tx([
        ("a", "2025-01-05", 1), ("a", "2025-02-10", 1),   # retained through February
        ("b", "2025-01-20", 1),                           # lost by the end of February
        ("c", "2025-02-15", 1),                           # first-time in February
        ("d", "2024-11-01", 1), ("d", "2025-02-20", 1),   # lapsed, came back in February
    ])
    flows = kpis.customer_flows(tx, "month", active_days=30, start="2025-02-01",
                                end="2025-02-28")
    feb = flows.iloc[0]
    # customers on 31 Jan (bought 2 Jan – 31 Jan): a, b; on 28 Feb (30 Jan – 28 Feb): a, c, d
    assert (feb.cs, feb.ce, feb.cn, feb.retained, feb.lost) == (2, 3, 2, 1, 1)
    assert (feb.first_time, feb.returned) == (1, 1)
    assert feb.retention_rate == kpis.retention_rate(2, 3, 2) == 50.0
    assert feb.churn_rate == kpis.churn_rate(2, 3) == -50.0
    assert feb.lost_rate == 50.0


def test_customer_flows_equal_a_brute_force_count_on_the_sample(data):
    tx = data.transactions
    flows = kpis.customer_flows(tx, "quarter", active_days=60)
    days = tx.assign(day=tx["purchased_at"].dt.normalize())[["customer_id", "day"]]

    def active(edge: pd.Timestamp) -> set:
        window = days[(days["day"] <= edge) & (days["day"] > edge - pd.Timedelta(days=60))]
        return set(window["customer_id"])

    first = days.groupby("customer_id")["day"].min()
    for rec in flows.itertuples():
        start = active(pd.Timestamp(rec.period) - pd.Timedelta(days=1))
        end_edge = (pd.Period(rec.period, "Q").end_time.normalize())
        end = active(end_edge)
        assert (rec.cs, rec.ce, rec.retained) == (len(start), len(end), len(start & end))
        new = end - start
        assert rec.first_time == sum(first[c] >= pd.Timestamp(rec.period) for c in new)
        if rec.cs:
            assert rec.retention_rate + rec.lost_rate == pytest.approx(100)
    assert flows["warming_up"].iloc[0] and not flows["warming_up"].iloc[-1]
    assert flows["partial"].iloc[-1] == (tx["purchased_at"].max()
                                         < pd.Period(flows["period"].iloc[-1], "Q").end_time)


def test_activity_window_must_be_a_positive_whole_number(data):
    with pytest.raises(ValueError, match="active_days"):
        kpis.customer_flows(data.transactions, active_days=0)
    with pytest.raises(ValueError, match="period"):
        kpis.customer_flows(data.transactions, "year")
