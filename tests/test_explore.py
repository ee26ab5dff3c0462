"""Overview numbers and filters (carework.explore), checked against the tables."""

from __future__ import annotations

import pytest

import carework
from carework import explore
from carework.sample import generate, write


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> carework.Dataset:
    folder = tmp_path_factory.mktemp("sample")
    write(generate(customers=400, seed=7), folder)
    return carework.load(folder)


def test_headline_counts_agree_with_the_tables(data):
    counts = explore.headline(data)
    tx = data.transactions
    assert counts["orders"] == len(tx)
    assert counts["buyers"] == tx["customer_id"].nunique()
    assert counts["revenue"] == pytest.approx(tx["amount"].sum())
    assert counts["customers"] == len(data.customers)
    assert counts["prospects"] == len(set(data.customers["customer_id"]) - set(tx["customer_id"]))
    assert "open_tickets" not in counts  # one place for open incidents: the customer base


def test_monthly_and_breakdowns_add_up(data):
    months = explore.monthly(data)
    assert months["orders"].sum() == len(data.transactions)
    assert months["revenue"].sum() == pytest.approx(data.transactions["amount"].sum())
    by_province = explore.breakdown(data, "province")
    assert by_province["customers"].sum() == len(data.customers)
    assert by_province["revenue"].sum() == pytest.approx(data.transactions["amount"].sum())


def test_filters_restrict_every_table(data):
    province = explore.choices(data, "customers", "province")[0]
    part = explore.filter_data(data, province=province)
    ids = set(data.customers.loc[data.customers["province"] == province, "customer_id"])
    for frame in part.tables.values():
        assert set(frame["customer_id"]) <= ids
    store = explore.filter_data(data, channel="store")
    assert (store.transactions["channel"] == "store").all()
    assert explore.filter_data(data) is data
