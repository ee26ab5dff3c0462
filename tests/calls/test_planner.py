"""The call planner (carework.calls.planner): every handbook rule on hand-made customers where the
right list is known, rule settings, missing tables, the sample's list, and incidents judged as of
the call date."""

from __future__ import annotations

import pandas as pd
import pytest

import carework
from carework import calls

DAY = pd.Timestamp("2026-05-20")


def days_ago(n: float) -> pd.Timestamp:
    return DAY - pd.Timedelta(days=n) + pd.Timedelta(hours=10)


@pytest.fixture()
def small() -> carework.Dataset:
    """Customers with one known reason each (or a reason they must not be called for)."""
    ids = ["A", "B", "C", "D", "E", "F", "G", "H", "Q"]
    tx = []
    for cid in ids:  # everyone bought twice, long ago
        tx += [(cid, days_ago(300), 500_000.0), (cid, days_ago(290), 500_000.0)]
    tx += [("G", days_ago(7), 800_000.0)]  # G: one-week follow-up
    transactions = pd.DataFrame(tx, columns=["customer_id", "purchased_at", "amount"])
    customers = pd.DataFrame({
        "customer_id": ids, "name": [f"Khách {c}" for c in ids],
        "phone": ["0901000001", "0901000002", "0901000003", "0901000004", None,
                  "0901000006", "0901000007", "0901000008", "0901000009"],
        "birth_date": pd.to_datetime(["1990-01-01"] * 7 + ["1985-05-23", "1990-01-01"]),
        "do_not_call": [False, False, False, True, False, False, False, False, False]})
    tickets = pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4"], "customer_id": ["A", "D", "F", "Q"],
        "opened_at": [days_ago(2), days_ago(2), days_ago(2), days_ago(40)],
        "resolved_at": [pd.NaT, pd.NaT, pd.NaT, days_ago(38)],
        "category": ["delivery", "price", "payment", "price"],
        "status": ["open", "open", "open", "resolved"]})
    surveys = pd.DataFrame({
        "customer_id": ["B", "C", "Q"], "answered_at": [days_ago(5), days_ago(5), days_ago(30)],
        "nps": [3, 2, 1], "csat": [2, 1, 1],
        "comment": ["nhân viên thái độ cộc lốc", "giao hàng chậm", "giá cao"]})
    contacts = pd.DataFrame({"customer_id": ["C", "F"], "contacted_at": [days_ago(3),
                                                                          days_ago(3)]})
    return carework.Dataset(transactions, customers=customers, surveys=surveys,
                            tickets=tickets, contacts=contacts)


def test_each_rule_on_known_customers(small):
    sheet = calls.plan(small, DAY, agents=2, per_agent=3)
    reasons = dict(zip(sheet["customer_id"], sheet["reason"], strict=True))
    # A: open incident first; B: detractor not contacted since, next; G, H after them
    assert list(sheet["customer_id"][:2]) == ["A", "B"]
    assert reasons == {"A": "open_incident", "B": "closed_loop", "G": "follow_up",
                       "H": "birthday"}
    # never: D (do-not-call, even with an open ticket), E (no phone), F (contacted 3 days
    # ago, even with an open ticket); C was contacted after the survey; Q's survey is old
    assert not {"C", "D", "E", "F", "Q"} & set(sheet["customer_id"])
    assert sheet["customer_id"].is_unique
    assert set(sheet["window"]) <= set(calls.WINDOWS)
    assert sheet.loc[sheet["customer_id"] == "A", "window"].item() == "09:00–11:00"
    assert sheet.groupby("agent").size().max() - sheet.groupby("agent").size().min() <= 1
    assert sheet.attrs["excluded"] == {"do_not_call": 1, "no_phone": 1, "cooldown": 2}
    shown = calls.labelled(sheet).set_index("customer_id")
    b = shown.loc["B", "talking_points"]
    assert "thái độ cộc lốc" in b and "con người" in b  # comment and root-cause factor
    a = shown.loc["A", "talking_points"]
    assert "T1" in a and len(a.splitlines()) == 4
    assert shown.loc["A", "reason"] == "Sự cố đang mở"  # words only where shown
    with carework.i18n.language("en"):
        english = calls.labelled(sheet).set_index("customer_id")
    assert english.loc["A", "reason"] == "Open incident"
    assert sheet.loc[sheet["customer_id"] == "A", "reason"].item() == "open_incident"


def test_rule_settings_change_the_list(small):
    longer = calls.plan(small, DAY, agents=1, per_agent=9, cooldown_days=2)
    assert "F" in set(longer["customer_id"])  # contacted 3 days ago: past a 2-day cool-down
    with pytest.raises(carework.DataError, match="cooldown"):
        calls.plan(small, DAY, agents=1, per_agent=9, cooldown=2)
    with pytest.raises(carework.DataError, match="closed_loop_days"):
        calls.plan(small, DAY, agents=1, per_agent=9, closed_loop_days=0)


def test_missing_tables_still_give_a_list_and_say_what_was_not_applied(small):
    from dataclasses import replace

    bare = replace(small, tickets=None, surveys=None, contacts=None)
    sheet = calls.plan(bare, DAY, agents=1, per_agent=5)
    assert len(sheet) >= 1 and "G" in set(sheet["customer_id"])
    notes = " ".join(sheet.attrs["not_applied"]).lower()
    for word in ("phiếu hỗ trợ", "khảo sát", "lịch sử liên hệ"):
        assert word in notes


def test_only_reachable_customers_are_listed(small):
    """Without a customers table, or without its phone column, nobody can be called: the list
    is empty and says why and how many were left out."""
    from dataclasses import replace

    for unreachable in (replace(small, customers=None),
                        replace(small, customers=small.customers.drop(columns="phone"))):
        sheet = calls.plan(unreachable, DAY, agents=1, per_agent=5)
        assert sheet.empty
        assert sheet.attrs["excluded"]["no_phone"] == 9 - sheet.attrs["excluded"].get(
            "do_not_call", 0)
        assert any("số điện thoại" in note for note in sheet.attrs["not_applied"])


def test_the_sample_list_obeys_every_rule(sample):
    day = pd.Timestamp("2026-09-29")
    sheet = calls.plan(sample, day, agents=3, per_agent=40)
    assert len(sheet) == 120 and sheet["customer_id"].is_unique
    people = sample.customers.set_index("customer_id").loc[sheet["customer_id"]]
    assert not people["do_not_call"].any() and people["phone"].notna().all()
    last = sample.contacts.groupby("customer_id")["contacted_at"].max()
    recent = last[last >= day - pd.Timedelta(days=6)].index
    assert not set(sheet["customer_id"]) & set(recent)
    tiers = sheet["reason"].map({"open_incident": 0, "closed_loop": 1}).fillna(2)
    assert tiers.is_monotonic_increasing
    rest = sheet[tiers == 2]
    assert rest["value"].is_monotonic_decreasing
    assert sheet.groupby(["agent", "window"]).size().between(19, 21).all()
    assert sheet["phone"].str.match(r"^0\d{9}$").all()


def test_the_default_sample_list_holds_every_reason_of_the_handbook(sample):
    sheet = calls.plan(sample, agents=3, per_agent=20)  # the default day: the data's last
    assert sheet.attrs["as_of"] == pd.Timestamp("2026-09-29")
    counts = sheet["reason"].value_counts()
    for reason in ("open_incident", "closed_loop", "follow_up", "birthday", "value_at_risk"):
        assert counts.get(reason, 0) >= 1, reason
    eligible = {r for r, n in sheet.attrs["reasons"].items() if n}
    assert len(eligible) > 1 and counts.max() <= len(sheet) / 2
    # at-risk calls are the base's medium band, lapsed ones its high band
    band = sheet.set_index("customer_id")["risk_band"]
    reason = sheet.set_index("customer_id")["reason"]
    assert (band[reason == "value_at_risk"] == "medium").all()
    assert (band[reason == "win_back"] == "high").all()


def incident_data(status: str, resolved: object = None, opened_days_ago: float = 3
                  ) -> carework.Dataset:
    tx = pd.DataFrame({"customer_id": ["A", "A"], "purchased_at": [days_ago(200), days_ago(20)],
                       "amount": [100_000.0, 100_000.0]})
    people = pd.DataFrame({"customer_id": ["A"], "phone": ["0901000001"],
                           "do_not_call": [False]})
    tickets = pd.DataFrame({"ticket_id": ["T1"], "customer_id": ["A"],
                            "opened_at": [days_ago(opened_days_ago)],
                            "resolved_at": [pd.Timestamp(resolved) if resolved else pd.NaT],
                            "status": [status]})
    return carework.from_frames(tx, customers=people, tickets=tickets, as_of="2027-01-01")


@pytest.mark.parametrize("status, resolved, opened, incident", [
    ("open", None, 3, True),                  # open as of the day
    ("Đang xử lý", None, 3, True),            # in progress, in Vietnamese
    ("Đã xử lý", None, 3, False),             # resolved (no time): closed
    ("Đóng", None, 3, False),                 # closed
    ("Hủy", None, 3, False),                  # cancelled is not an incident
    ("cancelled", None, 3, False),
    ("resolved", "2026-05-19", 3, False),     # resolved before the day
    ("resolved", "2026-05-25", 3, True),      # resolved after the day: open as of it
    ("open", None, -2, False),                # opened after the day: not yet
    ("open", None, 90, False),                # open 90 days: stale, a data-quality item
])
def test_incidents_are_judged_as_of_the_call_date(status, resolved, opened, incident):
    data = incident_data(status, resolved, opened)
    table = calls.candidates(data, DAY)
    assert bool(table.loc["A", "open_incidents"]) is incident
    assert (table.loc["A", "reason"] == "open_incident") is incident
    stale = [t["ticket_id"] for t in table.attrs["stale_tickets"]]
    assert stale == (["T1"] if opened == 90 else [])
