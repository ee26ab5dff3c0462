"""Tests of the synthetic sample generator (carework.sample)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carework.sample import PERSONAS, TICKET_TOPICS, SampleData, generate, write
from carework.schema import TABLES

START, END = pd.Timestamp("2024-10-01"), pd.Timestamp("2026-09-30")
TET = ("2025-01-29", "2026-02-17")


@pytest.fixture(scope="module")
def small() -> SampleData:
    return generate(customers=600, seed=7)


@pytest.fixture(scope="module")
def default() -> SampleData:
    """The default size: statistical checks need a few thousand customers (~0.2 s)."""
    return generate()


def _datetime_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if c.kind in ("date", "datetime")]


# ---------------------------------------------------------------- determinism


def test_same_seed_gives_identical_frames(small: SampleData) -> None:
    again = generate(customers=600, seed=7)
    for name, frame in small.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name])
    pd.testing.assert_frame_equal(small.truth, again.truth)
    pd.testing.assert_frame_equal(small.survey_truth, again.survey_truth)
    assert small.flaws == again.flaws


def test_same_seed_gives_identical_bytes(small: SampleData, tmp_path: Path) -> None:
    first = write(small, tmp_path / "a")
    second = write(generate(customers=600, seed=7), tmp_path / "b")
    assert [p.name for p in first] == [f"{t}.csv" for t in TABLES] + ["README.md"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_different_seed_differs(small: SampleData) -> None:
    other = generate(customers=600, seed=8)
    assert not small.transactions.equals(other.transactions)
    assert not small.customers["name"].equals(other.customers["name"])


def test_write_overwrites_and_keeps_truth_out(small: SampleData, tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text("stale\n", encoding="utf-8")
    paths = write(small, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert not any("truth" in p.name for p in tmp_path.iterdir())
    assert (tmp_path / "transactions.csv").read_text(encoding="utf-8").startswith("customer_id,")


# ---------------------------------------------------------------- shape and schema


def test_tables_have_schema_columns_in_order(small: SampleData, tmp_path: Path) -> None:
    assert list(small.tables()) == list(TABLES)
    write(small, tmp_path)
    for name, frame in small.tables().items():
        expected = list(TABLES[name].column_names)
        assert list(frame.columns) == expected
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == expected


def test_csv_formats(small: SampleData, tmp_path: Path) -> None:
    write(small, tmp_path)
    raw = {n: pd.read_csv(tmp_path / f"{n}.csv", dtype=str, keep_default_na=False)
           for n in TABLES}
    for name in TABLES:
        for col in TABLES[name].columns:
            values = raw[name][col.name]
            values = values[values != ""]
            if col.kind == "datetime":
                assert values.str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all(), col.name
            elif col.kind == "date":
                assert values.str.fullmatch(r"\d{4}-\d\d-\d\d").all(), col.name
    assert set(raw["customers"]["do_not_call"]) == {"true", "false"}
    assert raw["transactions"]["amount"].str.fullmatch(r"-?\d+").all()
    # The CSV holds exactly what the frames hold.
    back = pd.read_csv(tmp_path / "transactions.csv", parse_dates=["purchased_at"])
    pd.testing.assert_series_equal(back["amount"], small.transactions["amount"])
    assert (back["purchased_at"] == small.transactions["purchased_at"]).all()


def test_readme_documents_tables_and_flaws(small: SampleData, tmp_path: Path) -> None:
    write(small, tmp_path)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    for name, frame in small.tables().items():
        assert f"| {name} | `{name}.csv` | {len(frame):,} |" in text
        for col in TABLES[name].column_names:
            assert f"`{col}`" in text
    for key, count in small.flaws.items():
        assert f"`{key}`: {count:,}" in text
    for topic in TICKET_TOPICS:
        assert topic in text
    assert "seed=7" in text and "customers=600" in text


def test_sizes_at_default(default: SampleData) -> None:
    sizes = {name: len(frame) for name, frame in default.tables().items()}
    assert sizes["customers"] == 3000
    assert 15_000 <= sizes["transactions"] <= 25_000
    assert 0.15 <= sizes["surveys"] / sizes["transactions"] <= 0.25
    assert 0.05 <= sizes["tickets"] / sizes["transactions"] <= 0.08
    assert 3000 / 4 <= sizes["contacts"] <= 3000 / 2.5
    bought = default.customers["customer_id"].isin(default.transactions["customer_id"])
    assert 0.05 <= 1 - bought.mean() <= 0.12  # prospects


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate(customers=0)
    with pytest.raises(ValueError):
        generate(customers=10, start="2025-01-01", end="2025-01-15")


# ---------------------------------------------------------------- integrity


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


def test_amounts_rounded_and_returns_recorded(small: SampleData) -> None:
    tx = small.transactions
    assert (tx["amount"] % 1000 == 0).all()
    assert (tx["amount"] != 0).all()
    returns = tx[tx["amount"] < 0].drop_duplicates()
    n_neg_rows = int((tx["amount"] < 0).sum())
    n_dup_neg = n_neg_rows - len(returns)
    assert len(returns) == small.flaws["transactions.negative_amount"] > 0
    assert n_neg_rows == len(returns) + n_dup_neg
    buys = tx[tx["amount"] > 0].drop_duplicates().set_index("order_id")
    assert buys.index.is_unique
    orig = buys.loc[returns["order_id"]]
    assert (orig["customer_id"].to_numpy() == returns["customer_id"].to_numpy()).all()
    lag = returns["purchased_at"].to_numpy() - orig["purchased_at"].to_numpy()
    assert (lag > np.timedelta64(0)).all() and (lag <= np.timedelta64(11, "D")).all()
    assert (-returns["amount"].to_numpy() <= orig["amount"].to_numpy()).all()


def test_duplicates_match_flaw_record(small: SampleData) -> None:
    tx = small.transactions
    assert int(tx.duplicated().sum()) == small.flaws["transactions.duplicate_row"] > 0
    # A duplicate is the line right after its original.
    dup = np.flatnonzero(tx.duplicated().to_numpy())
    assert tx.iloc[dup].reset_index(drop=True).equals(tx.iloc[dup - 1].reset_index(drop=True))


def test_no_flaws_means_clean_transactions() -> None:
    data = generate(customers=600, seed=7, flaws=False)
    tx = data.transactions
    assert data.flaws == {"transactions.negative_amount": 0, "transactions.duplicate_row": 0}
    assert (tx["amount"] > 0).all()
    assert tx["order_id"].is_unique
    assert not tx.duplicated().any()


def test_tickets_consistent(small: SampleData) -> None:
    tk = small.tickets
    assert tk["ticket_id"].is_unique
    assert set(tk["status"]) <= {"open", "resolved", "reopened"}
    assert set(tk["category"]) <= set(TICKET_TOPICS)
    assert set(tk["channel"]) <= set(TABLES["tickets"].column("channel").values.values())
    responded = tk["first_response_at"].notna()
    assert (tk.loc[responded, "opened_at"] <= tk.loc[responded, "first_response_at"]).all()
    done = tk["resolved_at"].notna()
    assert responded[done].all()
    assert (tk.loc[done, "first_response_at"] <= tk.loc[done, "resolved_at"]).all()
    is_open = tk["status"] == "open"
    assert tk.loc[is_open, "resolved_at"].isna().all()
    assert tk.loc[~is_open, "resolved_at"].notna().all()
    assert 0.02 <= is_open.mean() <= 0.10
    assert (tk["status"] == "reopened").any()


def test_scores_in_range(small: SampleData) -> None:
    sv = small.surveys
    assert sv["nps"].dropna().between(0, 10).all()
    assert sv["csat"].dropna().between(1, 5).all()
    assert str(sv["nps"].dtype) == "Int64" and str(sv["csat"].dtype) == "Int64"
    assert not (sv["nps"].isna() & sv["csat"].isna()).any()
    assert sv["nps"].isna().any() and sv["csat"].isna().any()
    assert set(sv["channel"]) <= set(TABLES["surveys"].column("channel").values.values())


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


# ---------------------------------------------------------------- signal


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


def test_detractors_tickets_slower_than_promoters(default: SampleData) -> None:
    sv = default.surveys.sort_values("answered_at")
    tk = default.tickets.sort_values("opened_at")
    linked = pd.merge_asof(
        sv, tk[["customer_id", "opened_at", "first_response_at", "resolved_at"]],
        left_on="answered_at", right_on="opened_at", by="customer_id", direction="backward",
        tolerance=pd.Timedelta(days=14))
    linked = linked[linked["opened_at"].notna()]
    detractor, promoter = linked["nps"] <= 6, linked["nps"] >= 9
    assert detractor.sum() > 100 and promoter.sum() > 40

    def hours(col: str, cap: float) -> pd.Series:  # still open at the end: counted to END
        span = linked[col].fillna(END) - linked["opened_at"]
        return (span.dt.total_seconds() / 3600).clip(upper=cap)

    handling = hours("resolved_at", 14 * 24)
    assert handling[detractor].median() > 1.25 * handling[promoter].median()
    assert handling[detractor].mean() > handling[promoter].mean()
    first_response = hours("first_response_at", 48)
    assert first_response[detractor].mean() > first_response[promoter].mean()
    # And surveys after a ticket score lower than the rest.
    no_ticket = default.surveys["nps"][default.survey_truth["ticket_id"].isna().to_numpy()]
    assert linked["nps"].mean() < no_ticket.mean() - 1


def test_comments_mix_diacritics_and_slang(default: SampleData) -> None:
    comments = default.surveys["comment"].dropna()
    share = len(comments) / len(default.surveys)
    assert 0.3 <= share <= 0.5

    def plain(text: str) -> bool:
        decomposed = unicodedata.normalize("NFD", text)
        return "đ" not in text.lower() and not any(
            unicodedata.category(ch) == "Mn" for ch in decomposed)

    folded = comments.map(plain)
    assert 0.15 <= folded.mean() <= 0.5  # some without diacritics ...
    assert (~folded).sum() > 0.4 * len(comments)  # ... and most with
    slang = comments.str.contains(r"\b(?:ko|k|dc|đc|sp|nv|ship|shipper|ok)\b", case=False)
    assert slang.mean() > 0.1
    assert comments.nunique() > 0.5 * len(comments)
    # Detractors comment more often than promoters.
    has = default.surveys["comment"].notna()
    nps = default.surveys["nps"]
    assert has[nps <= 6].mean() > has[nps >= 9].mean() + 0.15


def test_truth_is_consistent(small: SampleData) -> None:
    tr = small.truth
    assert set(tr["persona"]) == set(PERSONAS)
    assert (tr["lambda"] > 0).all() and tr["p_dropout"].between(0, 1).all()
    n_buys = small.transactions[small.transactions["amount"] > 0].drop_duplicates()
    counts = n_buys.groupby("customer_id").size()
    assert (tr.set_index("customer_id")["n_purchases"].loc[counts.index] == counts).all()
    assert tr.loc[tr["prospect"], "dropout_at"].isna().all()
    last = n_buys.groupby("customer_id")["purchased_at"].max()
    dead = tr.dropna(subset=["dropout_at"]).set_index("customer_id")["dropout_at"]
    assert (dead == last.loc[dead.index]).all()
    assert (tr.loc[tr["persona"] == "vip", "mean_spend"].median()
            > 3 * tr.loc[tr["persona"] != "vip", "mean_spend"].median())
    assert (tr["pattern"] != "none").any()


def test_customer_ids_follow_signup_order(small: SampleData) -> None:
    signup = small.customers["signup_at"]
    assert signup.is_monotonic_increasing
    first = small.transactions.groupby("customer_id")["purchased_at"].min()
    joined = small.customers.set_index("customer_id")["signup_at"].loc[first.index]
    assert (first.dt.normalize() >= joined).all()


def test_text_columns_are_strings(small: SampleData) -> None:
    for name, frame in small.tables().items():
        for col in TABLES[name].columns:
            if col.kind in ("id", "text", "phone", "category"):
                assert pd.api.types.is_string_dtype(frame[col.name]), (name, col.name)
    assert re.fullmatch(r"HD\d{7}", small.transactions["order_id"].iloc[0])
    assert re.fullmatch(r"PH\d{6}", small.tickets["ticket_id"].iloc[0])
