"""Netting returns against purchases (:mod:`carework.readers.returns`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carework.readers.returns as returns_module
from carework.readers.returns import REASONS, Netting, net_returns

UCI = Path(__file__).resolve().parents[3] / "shared" / "real" / "uci_online_retail_ii"


def log(*rows: tuple, index: list | None = None) -> pd.DataFrame:
    """(customer, time, amount[, order_id[, cancels]]) rows → a transactions table."""
    columns = ["customer_id", "purchased_at", "amount", "order_id", "cancels"][:len(rows[0])]
    frame = pd.DataFrame(list(rows), columns=columns, index=index)
    frame["purchased_at"] = pd.to_datetime(frame["purchased_at"])
    frame["amount"] = frame["amount"].astype(float)
    return frame


def reasons(netting: Netting) -> dict:
    return netting.set_aside["reason"].to_dict()


def matches(netting: Netting) -> dict:
    return {k: (None if pd.isna(v) else v)
            for k, v in netting.set_aside["matched_row"].to_dict().items()}


def check_invariants(tx: pd.DataFrame, netting: Netting) -> None:
    kept, aside = netting.amount.index, netting.set_aside.index
    assert len(kept) + len(aside) == len(tx)
    assert kept.append(aside).sort_values().equals(tx.index.sort_values())
    assert netting.reduced.index.equals(kept)
    assert set(netting.set_aside["reason"]) <= set(REASONS)
    original = tx["amount"]
    assert (original.loc[kept] >= 0).all()  # every return is set aside
    assert (original.loc[aside[netting.set_aside["reason"] != "cancelled_order"]] < 0).all()
    assert (original.loc[aside[netting.set_aside["reason"] == "cancelled_order"]] > 0).all()
    assert (netting.amount >= 0).all()
    assert (netting.amount <= original.loc[kept] + 1e-9).all()
    assert (netting.amount.loc[netting.reduced] < original.loc[kept][netting.reduced]).all()
    unchanged = netting.amount.loc[~netting.reduced]
    assert unchanged.equals(original.loc[unchanged.index])
    s = netting.summary
    purchases = original[original >= 0].sum()
    assert s["gross"] == pytest.approx(purchases)
    assert netting.amount.sum() == pytest.approx(purchases - s["returned"], abs=1e-6)
    assert s["net"] == pytest.approx(netting.amount.sum(), abs=1e-6)
    assert s["returns_amount"] == pytest.approx(-original[original < 0].sum(), abs=1e-6)
    assert 0 <= s["returned"] <= s["returns_amount"] + 1e-9
    assert s["returns"] == (original < 0).sum() \
        == s["matched_exact"] + s["matched_partial"] + s["unmatched"]
    # a return and what it was matched with belong to the same customer
    rows = netting.set_aside["matched_row"].dropna()
    assert (tx.loc[rows.index, "customer_id"].to_numpy()
            == tx.loc[rows.astype(tx.index.dtype).to_numpy(), "customer_id"].to_numpy()).all()


# --- rule customer_amount_time -------------------------------------------------------------

def test_full_cancellation_minutes_later() -> None:
    tx = log(("a", "2024-01-01 10:00", 500.0),
             ("a", "2024-01-01 10:12", -500.0),
             ("a", "2024-02-01 09:00", 80.0),
             ("b", "2024-01-01 09:00", 500.0))
    netting = net_returns(tx)
    assert netting.rule == "customer_amount_time"
    assert reasons(netting) == {0: "cancelled_order", 1: "cancellation"}
    assert matches(netting) == {0: 1, 1: 0}
    assert netting.amount.to_dict() == {2: 80.0, 3: 500.0}
    assert not netting.reduced.any()
    assert netting.summary == {
        "returns": 1, "matched_exact": 1, "matched_partial": 0, "unmatched": 0,
        "cancelled_orders": 1, "reduced_orders": 0, "gross": 1080.0, "returns_amount": 500.0,
        "returned": 500.0, "unabsorbed": 0.0, "net": 580.0}
    check_invariants(tx, netting)


def test_the_same_minute_counts_as_before() -> None:
    tx = log(("a", "2024-01-01 10:00:40", 70.0), ("a", "2024-01-01 10:00:10", -70.0))
    netting = net_returns(tx)
    assert reasons(netting) == {0: "cancelled_order", 1: "cancellation"}


def test_cancelling_the_second_of_two_equal_orders() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-01-05 10:00", 100.0),
             ("a", "2024-01-06 10:00", -100.0))
    netting = net_returns(tx)
    assert reasons(netting) == {1: "cancelled_order", 2: "cancellation"}
    assert matches(netting) == {1: 2, 2: 1}
    assert netting.amount.to_dict() == {0: 100.0}
    assert netting.summary["net"] == 100.0


def test_an_exact_match_wins_over_a_later_purchase_of_another_amount() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-01-05 10:00", 250.0),
             ("a", "2024-01-06 10:00", -100.0))
    netting = net_returns(tx)
    assert reasons(netting) == {0: "cancelled_order", 2: "cancellation"}
    assert netting.amount.to_dict() == {1: 250.0}


def test_two_returns_cancel_two_equal_orders() -> None:
    tx = log(("a", "2024-01-01 10:00", 50.0),
             ("a", "2024-01-02 10:00", 50.0),
             ("a", "2024-01-03 10:00", -50.0),
             ("a", "2024-01-04 10:00", -50.0),
             ("a", "2024-01-04 11:00", 50.0))  # after both returns: kept
    netting = net_returns(tx)
    assert reasons(netting) == {0: "cancelled_order", 1: "cancelled_order",
                                2: "cancellation", 3: "cancellation"}
    assert matches(netting) == {0: 3, 1: 2, 2: 1, 3: 0}
    assert netting.amount.to_dict() == {4: 50.0}
    assert netting.summary["matched_exact"] == 2


def test_a_partial_return_reduces_the_latest_purchase() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-01-05 10:00", 60.0),
             ("a", "2024-01-06 10:00", -20.0))
    netting = net_returns(tx)
    assert reasons(netting) == {2: "cancellation"}
    assert matches(netting) == {2: 1}
    assert netting.amount.to_dict() == {0: 100.0, 1: 40.0}
    assert netting.reduced.to_dict() == {0: False, 1: True}
    s = netting.summary
    assert (s["matched_exact"], s["matched_partial"], s["unmatched"]) == (0, 1, 0)
    assert (s["gross"], s["returned"], s["net"], s["reduced_orders"]) == (160.0, 20.0, 140.0, 1)
    check_invariants(tx, netting)


def test_a_return_bigger_than_the_latest_purchase_spills_into_the_previous_one() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-01-05 10:00", 60.0),
             ("a", "2024-01-06 10:00", -90.0))
    netting = net_returns(tx)
    assert reasons(netting) == {1: "cancelled_order", 2: "cancellation"}
    assert matches(netting) == {1: 2, 2: 1}
    assert netting.amount.to_dict() == {0: 70.0}
    assert netting.reduced.to_dict() == {0: True}
    assert netting.summary["net"] == 70.0
    check_invariants(tx, netting)


def test_a_reduced_purchase_can_be_cancelled_by_what_is_left_of_it() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-01-02 10:00", -30.0),
             ("a", "2024-01-03 10:00", -70.0))
    netting = net_returns(tx)
    assert reasons(netting) == {0: "cancelled_order", 1: "cancellation", 2: "cancellation"}
    assert (netting.summary["matched_partial"], netting.summary["matched_exact"]) == (1, 1)
    assert netting.amount.empty


def test_what_the_purchases_cannot_absorb_is_dropped() -> None:
    tx = log(("a", "2024-01-01 10:00", 30.0), ("a", "2024-01-02 10:00", -50.0))
    netting = net_returns(tx)
    assert reasons(netting) == {0: "cancelled_order", 1: "cancellation"}
    s = netting.summary
    assert (s["returned"], s["unabsorbed"], s["net"], s["matched_partial"]) == (30.0, 20.0, 0, 1)


def test_a_return_without_an_earlier_purchase() -> None:
    tx = log(("a", "2024-01-02 10:00", -40.0),
             ("a", "2024-01-03 10:00", 40.0),   # later: not reduced
             ("b", "2024-01-01 10:00", 40.0))   # another customer: not reduced
    netting = net_returns(tx)
    assert reasons(netting) == {0: "return_without_purchase"}
    assert matches(netting) == {0: None}
    assert netting.amount.to_dict() == {1: 40.0, 2: 40.0}
    s = netting.summary
    assert (s["unmatched"], s["returned"], s["unabsorbed"], s["net"]) == (1, 0.0, 40.0, 80.0)


def test_a_return_outside_the_window() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-03-31 10:01", -100.0),   # 90 days and a minute later
             ("b", "2024-01-01 10:00", 100.0),
             ("b", "2024-03-31 10:00", -40.0))    # 90 days to the minute: inside
    netting = net_returns(tx)
    assert reasons(netting) == {1: "return_without_purchase", 3: "cancellation"}
    assert netting.amount.to_dict() == {0: 100.0, 2: 60.0}
    wider = net_returns(tx, window_days=91)
    assert reasons(wider) == {0: "cancelled_order", 1: "cancellation", 3: "cancellation"}


def test_a_partial_return_never_reduces_a_purchase_outside_the_window() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0),
             ("a", "2024-03-20 10:00", 10.0),
             ("a", "2024-04-10 10:00", -50.0))
    netting = net_returns(tx, window_days=30)
    assert reasons(netting) == {1: "cancelled_order", 2: "cancellation"}
    assert netting.amount.to_dict() == {0: 100.0}
    assert netting.summary["unabsorbed"] == 40.0


def test_zero_amounts_are_kept_and_missing_keys_are_never_netted() -> None:
    tx = log(("a", "2024-01-01 10:00", 0.0),
             ("a", "2024-01-01 11:00", -0.0),
             (None, "2024-01-01 12:00", 20.0),
             (None, "2024-01-01 13:00", -20.0),
             ("a", None, -5.0),
             ("a", "2024-01-02 10:00", float("nan")))
    netting = net_returns(tx)
    assert reasons(netting) == {3: "return_without_purchase", 4: "return_without_purchase"}
    assert netting.amount.fillna(-1).to_dict() == {0: 0.0, 1: 0.0, 2: 20.0, 5: -1}


def test_labels_of_any_kind_and_the_input_untouched() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0), ("a", "2024-01-02 10:00", -100.0),
             index=["x", "y"])
    before = tx.copy()
    netting = net_returns(tx)
    assert matches(netting) == {"x": "y", "y": "x"}
    pd.testing.assert_frame_equal(tx, before)
    assert netting.apply(tx).empty


def test_apply_gives_the_kept_rows_with_their_net_amount() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0), ("a", "2024-01-02 10:00", -30.0))
    tx["channel"] = ["web", "web"]
    netted = net_returns(tx).apply(tx)
    assert netted.to_dict("list") == {"customer_id": ["a"],
                                      "purchased_at": [pd.Timestamp("2024-01-01 10:00")],
                                      "amount": [70.0], "channel": ["web"]}


def test_bad_input() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0))
    with pytest.raises(KeyError, match="cancels"):
        net_returns(tx.assign(order_id="1"), cancels_column="cancels")
    with pytest.raises(KeyError, match="order_id"):
        net_returns(tx.assign(cancels="1"), cancels_column="cancels")
    with pytest.raises(ValueError, match="unique index"):
        net_returns(pd.concat([tx, tx]))
    with pytest.raises(ValueError, match="window_days"):
        net_returns(tx, window_days=-1)


# --- rule order_id ----------------------------------------------------------------------------

def test_returns_linked_by_order_id() -> None:
    tx = log(("a", "2024-01-01 10:00", 100.0, "O1", None),
             ("a", "2024-01-02 10:00", 100.0, "O2", None),
             ("a", "2024-01-03 10:00", -100.0, "R1", "O1"),    # the earlier order, by its id
             ("a", "2024-01-04 10:00", -30.0, "R2", "O2"),     # partial
             ("a", "2024-01-05 10:00", -50.0, "R3", "O9"),     # no such order
             ("b", "2024-01-05 10:00", -10.0, "R4", "O2"),     # another customer's order
             ("a", "2024-01-06 10:00", -10.0, "R5", None),     # names no order
             ("a", "2024-01-07 10:00", -100.0, "R6", "O1"))    # O1 already cancelled
    netting = net_returns(tx, cancels_column="cancels")
    assert netting.rule == "order_id"
    assert reasons(netting) == {0: "cancelled_order", 2: "cancellation", 3: "cancellation",
                                4: "return_without_purchase", 5: "return_without_purchase",
                                6: "return_without_purchase", 7: "return_without_purchase"}
    assert matches(netting) == {0: 2, 2: 0, 3: 1, 4: None, 5: None, 6: None, 7: None}
    assert netting.amount.to_dict() == {1: 70.0}
    assert netting.reduced.to_dict() == {1: True}
    s = netting.summary
    assert (s["matched_exact"], s["matched_partial"], s["unmatched"]) == (1, 1, 4)
    assert (s["returned"], s["net"]) == (130.0, 70.0)
    check_invariants(tx, netting)


def test_a_linked_order_is_found_whatever_its_date_and_the_id_type() -> None:
    tx = log(("a", "2020-01-01 10:00", 100.0, "12", None),
             ("a", "2024-01-01 10:00", 100.0, "13", None),
             ("a", "2024-01-02 10:00", -150.0, "R1", 12.0))
    netting = net_returns(tx, window_days=1, cancels_column="cancels")
    assert reasons(netting) == {0: "cancelled_order", 2: "cancellation"}
    assert netting.amount.to_dict() == {1: 100.0}
    assert netting.summary["unabsorbed"] == 50.0


# --- properties -------------------------------------------------------------------------------

def reference(tx: pd.DataFrame, window_days: int) -> tuple[dict, dict]:
    """The rules of customer_amount_time written out plainly: (reasons, net amounts)."""
    rows = list(tx.itertuples())
    minute = {r.Index: r.purchased_at.floor("min") for r in rows}
    rem = {r.Index: round(r.amount * 100) for r in rows if r.amount > 0}
    reason: dict = {}
    for r in sorted((r for r in rows if r.amount < 0), key=lambda r: (r.purchased_at, r.Index)):
        wanted = -round(r.amount * 100)
        candidates = sorted(
            (p for p in rows if p.Index in rem and rem[p.Index] > 0
             and p.customer_id == r.customer_id and minute[p.Index] <= minute[r.Index]
             and minute[r.Index] - minute[p.Index] <= pd.Timedelta(days=window_days)),
            key=lambda p: (p.purchased_at, p.Index), reverse=True)
        exact = [p for p in candidates if rem[p.Index] == wanted]
        if exact:
            rem[exact[0].Index] = 0
            reason[exact[0].Index] = "cancelled_order"
            reason[r.Index] = "cancellation"
            continue
        todo = wanted
        for p in candidates:
            take = min(rem[p.Index], todo)
            rem[p.Index] -= take
            todo -= take
            if rem[p.Index] == 0:
                reason[p.Index] = "cancelled_order"
            if todo == 0:
                break
        reason[r.Index] = "cancellation" if todo < wanted else "return_without_purchase"
    net = {r.Index: (rem[r.Index] / 100 if r.Index in rem and rem[r.Index] != round(r.amount * 100)
                     else r.amount)
           for r in rows if r.Index not in reason}
    return reason, net


row = st.tuples(st.sampled_from(["a", "b", "c"]),
                st.integers(0, 60 * 24 * 40),  # minutes after the start
                st.one_of(st.integers(-300, 300), st.sampled_from([-100, 100, -50, 50])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=25), seconds=st.lists(st.integers(0, 59), max_size=25),
       window_days=st.sampled_from([0, 1, 10, 90]))
def test_invariants_on_random_logs(rows: list, seconds: list, window_days: int) -> None:
    start = pd.Timestamp("2024-01-01")
    tx = pd.DataFrame({
        "customer_id": pd.Series([c for c, _, _ in rows], dtype=str),
        "purchased_at": pd.to_datetime([start + pd.Timedelta(minutes=m, seconds=(
            seconds[i] if i < len(seconds) else 0)) for i, (_, m, _) in enumerate(rows)]),
        "amount": pd.Series([cents / 4 for _, _, cents in rows], dtype=float)})
    netting = net_returns(tx, window_days=window_days)
    check_invariants(tx, netting)
    expected_reasons, expected_net = reference(tx, window_days)
    assert reasons(netting) == expected_reasons
    assert netting.amount.to_dict() == pytest.approx(expected_net)


def test_the_vectorised_pass_agrees_with_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    n = 5_000
    tx = pd.DataFrame({
        "customer_id": rng.integers(0, 300, n).astype(str),
        "purchased_at": pd.Timestamp("2024-01-01")
        + pd.to_timedelta(rng.integers(0, 400 * 24 * 60, n), unit="min"),
        "amount": rng.choice([-50.0, -20.0, -12.5, 12.5, 20.0, 50.0, 80.0], n)})
    fast = net_returns(tx)

    def loop_everyone(customer, when, minute, cents, returns, purchases, window):
        return np.empty((0, 2), dtype=np.int64), np.unique(customer[returns])

    monkeypatch.setattr(returns_module, "_exact_pass", loop_everyone)
    slow = net_returns(tx)
    pd.testing.assert_frame_equal(fast.set_aside, slow.set_aside)
    pd.testing.assert_series_equal(fast.amount, slow.amount)
    assert fast.summary == slow.summary
    check_invariants(tx, fast)


def test_many_returns_of_one_amount_need_more_rounds_than_the_vectorised_pass_has() -> None:
    k = returns_module._MAX_ROUNDS + 3
    times = pd.date_range("2024-01-01", periods=2 * k, freq="h")
    tx = pd.DataFrame({"customer_id": "a", "purchased_at": times,
                       "amount": [10.0] * k + [-10.0] * k})
    netting = net_returns(tx)
    assert netting.amount.empty
    assert netting.summary["matched_exact"] == k
    # stack order: the first return takes the last order, the last return the first order
    assert matches(netting)[k] == k - 1 and matches(netting)[2 * k - 1] == 0


# --- the UCI Online Retail II log -------------------------------------------------------------

@pytest.fixture(scope="module")
def uci() -> pd.DataFrame:
    path = UCI / "transactions.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent (real data lives outside the repository)")
    return pd.read_csv(path, dtype={"customer_id": str, "order_id": str},
                       parse_dates=["purchased_at"])


def test_uci_the_biggest_order_and_its_cancellation_are_set_aside(uci: pd.DataFrame) -> None:
    netting = net_returns(uci)
    check_invariants(uci, netting)
    order = uci.index[(uci["amount"] == 168469.6)].item()
    cancel = uci.index[(uci["amount"] == -168469.6)].item()
    assert uci.loc[cancel, "order_id"] == "C" + str(int(uci.loc[order, "order_id"]) + 1)
    assert reasons(netting)[order] == "cancelled_order"
    assert reasons(netting)[cancel] == "cancellation"
    assert matches(netting)[order] == cancel and matches(netting)[cancel] == order
    gross_top = uci[uci["amount"] >= 0].groupby("customer_id")["amount"].sum().nlargest(10)
    net_top = netting.apply(uci).groupby("customer_id")["amount"].sum().nlargest(10)
    assert uci.loc[order, "customer_id"] in gross_top.index
    assert uci.loc[order, "customer_id"] not in net_top.index


def test_uci_net_spend_is_about_six_percent_below_gross(uci: pd.DataFrame) -> None:
    s = net_returns(uci).summary
    assert s["returns"] == 7_901
    assert s["returns_amount"] == pytest.approx(1_087_882.14)
    assert s["gross"] == pytest.approx(17_431_533.16)
    assert (s["matched_exact"], s["matched_partial"], s["unmatched"]) == (326, 7_063, 512)
    assert s["returned"] == pytest.approx(900_562.07)
    assert s["net"] == pytest.approx(16_530_971.09)
    # the README's cancellations are 6.2% of purchases; some cancel purchases before the log
    # starts or outside the 90-day window, so netting removes a little less
    assert 0.05 < 1 - s["net"] / s["gross"] < s["returns_amount"] / s["gross"] < 0.063


def test_linked_and_unlinked_returns_are_each_netted_by_the_rule_they_allow():
    from carework.readers.returns import net_linked_returns

    log = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b"],
        "purchased_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                        "2024-01-01", "2024-01-05"]),
        "amount": [100.0, 50.0, -100.0, 80.0, -30.0],
        "order_id": ["O1", "O2", "O1", "O3", "R9"]})  # a's return is booked under O1; b's not
    netting = net_linked_returns(log)
    assert netting.rule == "order_id+customer_amount_time"
    assert netting.set_aside["reason"].to_dict() == {0: "cancelled_order", 2: "cancellation",
                                                     4: "cancellation"}
    assert netting.amount.to_dict() == {1: 50.0, 3: 50.0}
    assert netting.reduced.to_dict() == {1: False, 3: True}
    assert netting.summary["gross"] == 230.0 and netting.summary["net"] == 100.0
    assert netting.summary["returns"] == 2
