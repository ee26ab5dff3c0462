"""KPI tables (carework.kpis.tables): survey and ticket KPIs equal plain pandas counts, groups add
up, surveys linked to the ticket the generator linked, missing tables and optional columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework import kpis


def test_survey_kpis_equal_plain_pandas_counts(data):
    table = kpis.survey_kpis(data, "month")
    s = data.surveys.assign(month=data.surveys["answered_at"].dt.to_period("M"))
    for rec in table.sample(6, random_state=0).itertuples():
        part = s[s["month"] == pd.Period(rec.period, "M")]
        expected = kpis.nps(part["nps"])
        assert (rec.nps, rec.nps_low, rec.nps_high, rec.nps_n) == pytest.approx(
            (expected.value, expected.low, expected.high, expected.n))
        assert rec.csat == pytest.approx(kpis.csat(part["csat"]).value)
        assert rec.answers == len(part)
    previous = table["nps"].shift(1)
    assert table["nps_change"].iloc[1:].to_numpy() == pytest.approx(
        (table["nps"] - previous).iloc[1:].to_numpy())


def test_groups_add_up_and_small_groups_are_flagged(data):
    total = kpis.survey_kpis(data, "quarter")
    for by in ("channel", "province", "rule_group", "agent"):
        groups = kpis.survey_kpis(data, "quarter", by)
        summed = groups.groupby("period")["answers"].sum()
        assert summed.to_numpy() == pytest.approx(total.set_index("period")["answers"]
                                                  .loc[summed.index].to_numpy())
        assert (groups["nps_too_few"] == (groups["nps_n"] < 30)).all()
    agents = kpis.survey_kpis(data, "quarter", "agent")
    assert agents["group"].isna().any()  # answers linked to no ticket stay visible
    assert agents["nps_too_few"].any()


def test_ticket_kpis_equal_plain_pandas(data):
    table = kpis.ticket_kpis(data, "quarter")
    tk = data.tickets.assign(q=data.tickets["opened_at"].dt.to_period("Q"))
    rec = table.iloc[3]
    part = tk[tk["q"] == pd.Period(rec.period, "Q")]
    frt = (part["first_response_at"] - part["opened_at"]).dt.total_seconds() / 3600
    done = part[~part["status"].isin(["open", "cancelled"])].dropna(subset=["resolved_at"])
    atht = (done["resolved_at"] - done["opened_at"]).dt.total_seconds() / 3600
    assert rec.tickets == len(part)
    assert rec.frt_median_h == pytest.approx(frt.median())
    assert rec.frt_p90_h == pytest.approx(frt.quantile(0.9))
    assert (rec.atht_mean_h, rec.atht_median_h) == pytest.approx((atht.mean(), atht.median()))
    assert rec.open == (part["status"] == "open").sum()
    assert rec.cancelled == (part["status"] == "cancelled").sum()  # no handling time
    assert rec.reopened_share == pytest.approx(100 * (part["status"] == "reopened").mean())


def test_a_missing_table_or_group_is_a_clear_error(data):
    from dataclasses import replace

    with carework.i18n.language("en"), pytest.raises(carework.DataError, match="survey"):
        kpis.survey_kpis(replace(data, surveys=None))
    with pytest.raises(carework.DataError, match="province"):
        kpis.ticket_kpis(replace(data, customers=None), by="province")
    with pytest.raises(ValueError, match="period"):
        kpis.survey_kpis(data, "day")


def test_surveys_link_to_the_ticket_the_generator_linked(generated):
    d = carework.from_frames(**generated.tables())
    linked = kpis.link_tickets(d.surveys, d.tickets).to_pandas().sort_values("survey_row")
    set_aside = d.rejects.loc[d.rejects["table"] == "surveys", "row"]
    truth = generated.survey_truth["ticket_id"].replace("", np.nan).drop(index=set_aside) \
        .reset_index(drop=True)
    ours = linked["ticket_id"].reset_index(drop=True)
    has = truth.notna()
    assert (ours[has] == truth[has]).mean() > 0.9
    assert ours[~has].notna().mean() < 0.1


def test_optional_columns_may_be_absent(data):
    from dataclasses import replace

    thin = replace(data, surveys=data.surveys.drop(columns=["csat", "comment"]),
                   tickets=data.tickets[["ticket_id", "customer_id", "opened_at"]])
    surveys = kpis.survey_kpis(thin, "quarter")
    assert surveys["csat"].isna().all() and (surveys["csat_n"] == 0).all()
    assert surveys["nps"].to_numpy() == pytest.approx(
        kpis.survey_kpis(data, "quarter")["nps"].to_numpy())
    tickets = kpis.ticket_kpis(thin, "quarter")
    assert tickets["frt_median_h"].isna().all()
    assert (tickets["open"] == tickets["tickets"]).all()  # nothing says they were resolved
