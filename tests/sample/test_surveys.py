"""The surveys table: scores in range, and scores that follow the linked ticket's experience."""

from __future__ import annotations

import pandas as pd

from carework.sample import SampleData
from carework.schema import TABLES

END = pd.Timestamp("2026-09-30")


def test_scores_in_range(small: SampleData) -> None:
    sv = small.surveys
    assert sv["nps"].dropna().between(0, 10).all()
    assert sv["csat"].dropna().between(1, 5).all()
    assert str(sv["nps"].dtype) == "Int64" and str(sv["csat"].dtype) == "Int64"
    assert not (sv["nps"].isna() & sv["csat"].isna()).any()
    assert sv["nps"].isna().any() and sv["csat"].isna().any()
    assert set(sv["channel"]) <= set(TABLES["surveys"].column("channel").values.values())


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
