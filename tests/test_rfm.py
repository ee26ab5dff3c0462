"""carework.rfm.summary against the published CDNOW summary, lifetimes, and hand-made cases."""

from __future__ import annotations

import warnings
from importlib.resources import files

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carework
from carework.datasets import CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END, cdnow_sample
from carework.i18n import language
from carework.rfm import summary


@pytest.fixture(autouse=True)
def english():
    """Errors are matched in English (they are Vietnamese by default)."""
    with language("en"):
        yield

SAMPLE_END = "2026-09-29"


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cdnow_sample()


@pytest.fixture(scope="module")
def sample_tx() -> pd.DataFrame:
    return carework.load("data/sample").transactions


def lifetimes_summary(tx: pd.DataFrame, **kwargs) -> pd.DataFrame:
    from lifetimes.utils import summary_data_from_transaction_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = summary_data_from_transaction_data(tx, "customer_id", "purchased_at",
                                                 monetary_value_col="amount", freq="D", **kwargs)
    out.index = out.index.astype(str)
    return out


def test_cdnow_raw_log_gives_the_published_summary(cdnow):
    """Fader & Hardie's CDNOW summary (x, t_x, T in weeks; zbar), from the raw transactions."""
    ours = summary(cdnow, calibration_end=CDNOW_CALIBRATION_END,
                   observation_end=CDNOW_OBSERVATION_END, unit="W")
    published = pd.read_csv(str(files("lifetimes") / "datasets" /
                                "cdnow_customers_summary_with_transactions.csv"))
    published.index = published["ID"].map(lambda i: f"{i:04d}")
    assert ours.index.tolist() == published.index.tolist()
    assert (ours["frequency"] == published["x"]).all()
    assert (ours["recency"].round(2) == published["t_x"]).all()
    assert (ours["T"].round(2) == published["T"]).all()
    assert np.allclose(ours["monetary_value"], published["zbar"], atol=0.005 + 1e-9)
    assert (ours["duration_holdout"] == 39.0).all()
    # the holdout counts equal lifetimes' (CDNOW is date-only: their definitions meet there)
    from lifetimes.utils import calibration_and_holdout_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = calibration_and_holdout_data(cdnow, "customer_id", "purchased_at",
                                           monetary_value_col="amount",  # else broken on pandas 3
                                           calibration_period_end=CDNOW_CALIBRATION_END,
                                           observation_period_end=CDNOW_OBSERVATION_END,
                                           freq="D", freq_multiplier=7)
    assert (ours["frequency_holdout"].to_numpy() == ref["frequency_holdout"].to_numpy()).all()


@pytest.mark.parametrize("unit, multiplier", [("D", 1), ("W", 7)])
def test_equals_lifetimes_summary(cdnow, sample_tx, unit, multiplier):
    for tx, end in ((cdnow, CDNOW_OBSERVATION_END), (sample_tx, SAMPLE_END)):
        ours = summary(tx, observation_end=end, unit=unit)
        ref = lifetimes_summary(tx, observation_period_end=end, freq_multiplier=multiplier)
        assert ours.index.tolist() == ref.index.tolist()
        pd.testing.assert_frame_equal(ours, ref[ours.columns].astype(float), check_names=False,
                                      rtol=1e-12)


def test_equals_lifetimes_calibration_where_their_definitions_meet(sample_tx):
    """lifetimes cuts at midnight and averages holdout value per transaction; on date-only data
    with one transaction per customer and day the two definitions are the same."""
    from lifetimes.utils import calibration_and_holdout_data

    daily = (sample_tx.assign(purchased_at=sample_tx["purchased_at"].dt.normalize())
             .groupby(["customer_id", "purchased_at"], as_index=False)["amount"].sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = calibration_and_holdout_data(
            daily, "customer_id", "purchased_at", monetary_value_col="amount",
            calibration_period_end="2026-03-31", observation_period_end=SAMPLE_END, freq="D")
    ref.index = ref.index.astype(str)
    ref.columns = [c.removesuffix("_cal") for c in ref.columns]
    ours = summary(sample_tx, calibration_end="2026-03-31", observation_end=SAMPLE_END)
    pd.testing.assert_frame_equal(ours, ref[ours.columns].astype(float), check_names=False)


def tx_of(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"]).assign(
        purchased_at=lambda d: pd.to_datetime(d["purchased_at"], format="ISO8601"))


def test_same_day_purchases_are_one_purchase_and_spend_is_per_repeat_day():
    tx = tx_of(("a", "2025-01-01 09:00", 10), ("a", "2025-01-01 18:00", 5),
               ("a", "2025-01-08 10:00", 20), ("a", "2025-01-08 11:00", 20),
               ("a", "2025-01-15", 70))
    row = summary(tx, observation_end="2025-01-29").loc["a"]
    assert row.to_dict() == {"frequency": 2.0, "recency": 14.0, "T": 28.0,
                             "monetary_value": 55.0}  # (40 + 70) / 2; the first day not counted


def test_calibration_and_holdout_periods_are_whole_days():
    tx = tx_of(("a", "2025-01-01", 10), ("a", "2025-01-10 15:00", 30),  # last calibration day
               ("a", "2025-01-11 08:00", 40), ("a", "2025-01-11 20:00", 20),
               ("a", "2025-01-15", 60), ("a", "2025-02-01", 99),          # after observation
               ("b", "2025-01-12", 50))                                    # new in the holdout
    out = summary(tx, calibration_end="2025-01-10", observation_end="2025-01-20")
    assert out.index.tolist() == ["a"]
    assert out.loc["a"].to_dict() == {
        "frequency": 1.0, "recency": 9.0, "T": 9.0, "monetary_value": 30.0,
        "frequency_holdout": 2.0, "monetary_value_holdout": 60.0,  # (60 + 60) / 2 days
        "duration_holdout": 10.0}


def test_observation_end_defaults_to_the_last_purchase_day():
    tx = tx_of(("a", "2025-01-01", 1), ("b", "2025-01-05 23:59", 1))
    assert summary(tx)["T"].to_dict() == {"a": 4.0, "b": 0.0}


def test_runs_on_an_ibis_table_of_a_duckdb_database(tmp_path, sample_tx):
    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table giao_dich as select customer_id, purchased_at, amount "
                    "from sample_tx")
    table = ibis.duckdb.connect(str(path)).table("giao_dich")
    from_db = summary(table, calibration_end="2026-03-31", observation_end=SAMPLE_END)
    from_pandas = summary(sample_tx, calibration_end="2026-03-31", observation_end=SAMPLE_END)
    pd.testing.assert_frame_equal(from_db, from_pandas)


def test_bad_arguments():
    tx = tx_of(("a", "2025-01-01", 1))
    with pytest.raises(carework.DataError, match="'amount' is missing"):
        summary(tx.drop(columns="amount"))
    with pytest.raises(ValueError, match="unit must be one of"):
        summary(tx, unit="M")
    with pytest.raises(ValueError, match="after observation_end"):
        summary(tx, calibration_end="2025-02-01", observation_end="2025-01-15")


purchase = st.tuples(st.sampled_from("abcd"), st.integers(0, 60), st.integers(1, 500))


@settings(max_examples=50, deadline=None)
@given(st.lists(purchase, min_size=1, max_size=30), st.integers(0, 30))
def test_invariants(purchases, cal_day):
    start = pd.Timestamp("2025-01-01")
    tx = pd.DataFrame([(c, start + pd.Timedelta(days=d), float(v)) for c, d, v in purchases],
                      columns=["customer_id", "purchased_at", "amount"])
    out = summary(tx, observation_end=start + pd.Timedelta(days=60))
    assert (out["recency"] <= out["T"]).all() and (out["frequency"] <= out["recency"]).all()
    assert ((out["frequency"] == 0) == (out["recency"] == 0)).all()
    assert (out.loc[out["frequency"] == 0, "monetary_value"] == 0).all()
    days = tx.assign(day=tx["purchased_at"].dt.date).groupby("customer_id")["day"].nunique()
    assert (out["frequency"] == days - 1).all()
    cal_end = start + pd.Timedelta(days=cal_day)
    if (tx["purchased_at"] <= cal_end).any():
        split = summary(tx, calibration_end=cal_end, observation_end=start + pd.Timedelta(days=60))
        total = split["frequency"] + 1 + split["frequency_holdout"]
        assert (total == days[split.index]).all()  # every purchase-day counted once


@settings(max_examples=40, deadline=None)
@given(st.lists(purchase, min_size=1, max_size=30), st.randoms(use_true_random=False),
       st.data())
def test_summary_is_invariant_to_row_order_and_to_splitting_a_days_purchases(purchases, rng,
                                                                            draw):
    """An export may list rows in any order, and a till may ring one visit up as several
    receipts: the RFM summary (purchase-days, spend per repeat day) must not change."""
    start = pd.Timestamp("2025-01-01")
    tx = pd.DataFrame([(c, start + pd.Timedelta(days=d, hours=9), float(v))
                       for c, d, v in purchases],
                      columns=["customer_id", "purchased_at", "amount"])
    end = start + pd.Timedelta(days=61)
    reference = summary(tx, observation_end=end)
    shuffled = tx.sample(frac=1, random_state=rng.randint(0, 2**31))
    pd.testing.assert_frame_equal(summary(shuffled, observation_end=end), reference)
    row = draw.draw(st.integers(0, len(tx) - 1))
    share = draw.draw(st.sampled_from([0.25, 0.5, 0.75]))
    later = draw.draw(st.integers(1, 600))  # minutes later, the same day
    part = tx.iloc[[row]].assign(amount=tx["amount"].iloc[row] * share,
                                 purchased_at=tx["purchased_at"].iloc[row]
                                 + pd.Timedelta(minutes=later))
    split = pd.concat([tx.assign(amount=tx["amount"].where(tx.index != row,
                                                          tx["amount"] * (1 - share))), part])
    pd.testing.assert_frame_equal(summary(split, observation_end=end), reference,
                                  check_exact=False, rtol=1e-9)
