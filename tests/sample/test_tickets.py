"""The tickets table: consistent times, and tickets that close the way a care team closes them.

Most tickets are resolved within days, a few percent are cancelled, a few reopened; about
1.5 % are never closed in the export (stale); tickets opened in the last days before the
export are still open.
"""

from __future__ import annotations

import pandas as pd

from carework.sample import TICKET_TOPICS, SampleData
from carework.schema import TABLES

EXPORT = pd.Timestamp("2026-09-30")  # generate()'s end: every timestamp is at or before it
LAST_DAY = pd.Timestamp("2026-09-29")
STATUSES = {"open", "resolved", "reopened", "cancelled"}


def _days(span: pd.Series) -> pd.Series:
    return span.dt.total_seconds() / 86_400


def _age(tickets: pd.DataFrame) -> pd.Series:
    """Whole days between the opening day and the data's last day."""
    return (LAST_DAY - tickets["opened_at"].dt.normalize()).dt.days


def test_tickets_consistent(small: SampleData) -> None:
    tk = small.tickets
    assert tk["ticket_id"].is_unique
    assert set(tk["status"]) <= STATUSES
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
    assert is_open.mean() <= 0.05
    assert (tk["status"] == "reopened").any()


def test_statuses_in_expected_shares(large: SampleData) -> None:
    share = large.tickets["status"].value_counts(normalize=True)
    assert set(share.index) == STATUSES
    assert share["resolved"] > 0.8
    assert 0.04 <= share["reopened"] <= 0.10
    assert 0.02 <= share["cancelled"] <= 0.07
    assert share["open"] <= 0.03


def test_most_tickets_resolved_within_days(default: SampleData) -> None:
    tk = default.tickets
    resolved = tk[tk["status"].isin(["resolved", "reopened"])]
    took = _days(resolved["resolved_at"] - resolved["opened_at"])
    assert 0.7 <= took.median() <= 2.0
    assert took.quantile(0.9) <= 8
    assert (took <= 14).mean() >= 0.97
    assert took.max() <= 21
    # Of the tickets opened at least two weeks before the export, hardly any took longer.
    old = tk[tk["opened_at"] <= EXPORT - pd.Timedelta(days=14)]
    closed_in_time = _days(old["resolved_at"] - old["opened_at"]) <= 14  # NaT: False
    assert closed_in_time.mean() >= 0.95


def test_cancelled_tickets_close_soon_after_the_first_response(default: SampleData) -> None:
    tk = default.tickets
    cancelled = tk[tk["status"] == "cancelled"]
    assert 0.01 <= len(cancelled) / len(tk) <= 0.08
    assert cancelled["resolved_at"].notna().all()
    assert (cancelled["resolved_at"] >= cancelled["first_response_at"]).all()
    assert (_days(cancelled["resolved_at"] - cancelled["first_response_at"]) <= 3.5).all()
    assert _days(cancelled["resolved_at"] - cancelled["opened_at"]).median() < 1


def test_stale_open_tickets_are_few(default: SampleData, large: SampleData) -> None:
    """Tickets nobody closed: open in the export although opened more than 60 days before."""
    for data, at_least in ((default, 1), (large, 50)):
        tk = data.tickets
        stale = (tk["status"] == "open") & (_age(tk) > 60)
        assert at_least <= stale.sum() <= 0.025 * len(tk)
        assert tk.loc[stale, "resolved_at"].isna().all()


def test_open_tickets_at_the_end_are_recent(default: SampleData, large: SampleData) -> None:
    """Beside the stale few, what is open at the export was opened in its last days."""
    tk = large.tickets
    is_open = tk["resolved_at"].isna()
    age = _age(tk)
    current = is_open & (age <= 60)  # open incidents; older ones are stale
    assert current.sum() >= 30
    assert (current & (age <= 14)).sum() >= 0.75 * current.sum()
    # Many of the tickets opened on the last two days are still being handled ...
    last_two = age <= 1
    assert is_open[last_two].mean() >= 0.3
    # ... and few of those opened two to eight weeks before the export.
    weeks = (age > 14) & (age <= 60)
    assert is_open[weeks].mean() <= 0.03
    # The shipped sample size shows the same at its scale.
    small_open = default.tickets["resolved_at"].isna() & (_age(default.tickets) <= 60)
    assert small_open.sum() <= 10
