"""generate(): determinism, arguments, sizes, schema and referential integrity."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from carework.sample import SampleData, generate
from carework.sample.columns import SAMPLE_COLUMNS
from carework.schema import TABLES

START, END = pd.Timestamp("2024-10-01"), pd.Timestamp("2026-09-30")


def _datetime_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if c.kind in ("date", "datetime")]


def test_same_seed_gives_identical_frames(small: SampleData) -> None:
    again = generate(customers=600, seed=7)
    for name, frame in small.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name])
    pd.testing.assert_frame_equal(small.truth, again.truth)
    pd.testing.assert_frame_equal(small.survey_truth, again.survey_truth)
    assert small.flaws == again.flaws


def test_different_seed_differs(small: SampleData) -> None:
    other = generate(customers=600, seed=8)
    assert not small.transactions.equals(other.transactions)
    assert not small.customers["name"].equals(other.customers["name"])


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate(customers=0)
    with pytest.raises(ValueError):
        generate(customers=10, start="2025-01-01", end="2025-01-15")


def test_tables_have_schema_columns_in_order(small: SampleData) -> None:
    assert list(small.tables()) == list(TABLES)
    for name, frame in small.tables().items():
        assert list(frame.columns) == list(SAMPLE_COLUMNS[name])


def test_sizes_at_default(default: SampleData) -> None:
    sizes = {name: len(frame) for name, frame in default.tables().items()}
    assert sizes["customers"] == 3000
    assert 15_000 <= sizes["transactions"] <= 25_000
    assert 0.15 <= sizes["surveys"] / sizes["transactions"] <= 0.25
    assert 0.05 <= sizes["tickets"] / sizes["transactions"] <= 0.08
    assert 3000 / 4 <= sizes["contacts"] <= 3000 / 2.5
    bought = default.customers["customer_id"].isin(default.transactions["customer_id"])
    assert 0.05 <= 1 - bought.mean() <= 0.12  # prospects


def test_the_default_data_ends_on_2026_09_29(default: SampleData) -> None:
    assert default.transactions["purchased_at"].max().normalize() == pd.Timestamp("2026-09-29")


def test_customer_references_are_valid(small: SampleData) -> None:
    ids = set(small.customers["customer_id"])
    assert small.customers["customer_id"].is_unique
    assert small.customers["customer_id"].iloc[0] == "KH000001"
    for name in ("transactions", "surveys", "tickets", "contacts"):
        assert set(small.tables()[name]["customer_id"]) <= ids, name
    assert list(small.truth["customer_id"]) == list(small.customers["customer_id"])


def test_everything_inside_the_period(small: SampleData) -> None:
    for name, frame in small.tables().items():
        for col in _datetime_columns(name):
            if col == "birth_date":
                continue
            values = frame[col].dropna()
            assert values.min() >= START, (name, col)
            assert values.max() <= END, (name, col)
    assert small.customers["birth_date"].max() <= END


def test_text_columns_are_strings(small: SampleData) -> None:
    for name, frame in small.tables().items():
        for col in TABLES[name].columns:
            if col.name in SAMPLE_COLUMNS[name] and col.kind in ("id", "text", "phone", "category"):
                assert pd.api.types.is_string_dtype(frame[col.name]), (name, col.name)
    assert re.fullmatch(r"HD\d{7}", small.transactions["order_id"].iloc[0])
    assert re.fullmatch(r"PH\d{6}", small.tickets["ticket_id"].iloc[0])
