"""The transactions table: amounts, hours, Tết seasonality, VIP spend."""

from __future__ import annotations

import pandas as pd

from carework.sample import PERSONAS, SampleData

TET = ("2025-01-29", "2026-02-17")


def test_amounts_rounded(small: SampleData) -> None:
    tx = small.transactions
    assert (tx["amount"] % 1000 == 0).all()
    assert (tx["amount"] != 0).all()


def test_tet_raises_the_purchase_rate(default: SampleData) -> None:
    buys = default.transactions[default.transactions["amount"] > 0]
    daily = buys.set_index("purchased_at").resample("D").size()
    for tet in TET:
        t = pd.Timestamp(tet)
        before = daily[t - pd.Timedelta(days=21):t - pd.Timedelta(days=2)].mean()
        holiday = daily[t - pd.Timedelta(days=1):t + pd.Timedelta(days=5)].mean()
        around = pd.concat([daily[t - pd.Timedelta(days=63):t - pd.Timedelta(days=22)],
                            daily[t + pd.Timedelta(days=14):t + pd.Timedelta(days=56)]]).mean()
        assert before > 1.6 * around, tet
        assert holiday < 0.6 * around, tet


def test_purchase_hours(small: SampleData) -> None:
    hours = small.transactions["purchased_at"].dt.hour
    assert hours.between(8, 21).all()


def test_vip_spend_far_above_others(default: SampleData) -> None:
    buys = default.transactions[default.transactions["amount"] > 0].drop_duplicates()
    persona = default.truth.set_index("customer_id")["persona"]
    mean = buys.groupby(buys["customer_id"].map(persona))["amount"].mean()
    assert set(mean.index) == set(PERSONAS)
    assert mean["vip"] > 3 * mean.drop("vip").max()
    assert buys["amount"].between(50_000, 3_000_000).mean() > 0.8
