"""The customers table: ids, phones, e-mails, demographics."""

from __future__ import annotations

import pandas as pd

from carework.sample import SampleData

END = pd.Timestamp("2026-09-30")


def test_phones_are_vietnamese_mobiles(small: SampleData) -> None:
    phones = small.customers["phone"]
    assert 0.02 <= phones.isna().mean() <= 0.07
    present = phones.dropna()
    assert present.str.fullmatch(r"0[35789]\d{8}").all()
    assert present.is_unique


def test_customer_attributes(small: SampleData) -> None:
    cu = small.customers
    assert set(cu["gender"]) == {"male", "female"}
    assert set(cu["income_band"]) == {"budget", "mid", "premium"}
    assert set(cu["acquisition_source"]) == {"referral", "friend_family", "ads", "walk_in",
                                             "online"}
    top = cu["province"].value_counts()
    assert list(top.index[:2]) == ["TP Hồ Chí Minh", "Hà Nội"]
    assert top.iloc[:2].sum() / len(cu) > 0.5
    age = (END - cu["birth_date"].dropna()).dt.days / 365.25
    assert age.between(12, 76).all() and age.between(22, 50).mean() > 0.55
    assert 0.4 <= cu["email"].notna().mean() <= 0.65
    assert cu["email"].dropna().is_unique
    assert 0.01 <= cu["do_not_call"].mean() <= 0.06
    assert cu["name"].str.contains(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[^\x00-\x7f]").mean() > 0.9


def test_customer_ids_follow_signup_order(small: SampleData) -> None:
    signup = small.customers["signup_at"]
    assert signup.is_monotonic_increasing
    first = small.transactions.groupby("customer_id")["purchased_at"].min()
    joined = small.customers.set_index("customer_id")["signup_at"].loc[first.index]
    assert (first.dt.normalize() >= joined).all()
