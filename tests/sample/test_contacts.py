"""The contacts table: care hours, never a do-not-call customer."""

from __future__ import annotations

from carework.sample import SampleData


def test_do_not_call_customers_never_contacted(small: SampleData) -> None:
    dnc = small.customers.loc[small.customers["do_not_call"], "customer_id"]
    assert len(dnc) > 0
    assert not small.contacts["customer_id"].isin(dnc).any()


def test_contacts_in_care_hours(default: SampleData) -> None:
    ct = default.contacts["contacted_at"]
    assert (ct.dt.day_of_week < 5).all()
    hour = ct.dt.hour + ct.dt.minute / 60
    in_window = hour.between(9, 11) | hour.between(14.5, 16.5)
    assert in_window.mean() > 0.8
    assert set(default.contacts["outcome"]) <= {"reached", "no_answer", "callback", "declined"}
