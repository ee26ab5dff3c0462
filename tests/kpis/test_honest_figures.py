"""Honest figures (issue 20): an undefined rate is NaN with its reason, never −100%; a change of
a handful of answers is never starred; the drivers' sign is pinned; a report is shown in either
language from one computation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import carework
from carework import kpis
from carework.i18n import fmt_undefined, language
from carework.kpis.drivers import DRIVERS, Drivers
from carework.kpis.report import kpi_report
from carework.kpis.scores import change


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"]).assign(
        purchased_at=lambda f: pd.to_datetime(f["purchased_at"]))


# ------------------------------------------------------------------------------- flows

FIRST_MONTHS = _tx([
    ("a", "2025-01-05", 1), ("b", "2025-01-05", 1),        # the data starts in January
    ("c", "2025-02-10", 1), ("d", "2025-02-12", 1),        # the base doubles in February
    ("a", "2025-03-03", 1), ("c", "2025-04-02", 1), ("e", "2025-04-20", 1),
])


def test_a_period_without_customers_at_its_start_has_no_rates_and_says_why():
    flows = kpis.customer_flows(FIRST_MONTHS, "month", active_days=60).set_index(
        "period_label")
    jan = flows.loc["2025-01"]
    assert jan.cs == 0 and jan.ce == 2
    assert np.isnan([jan.retention_rate, jan.churn_rate, jan.lost_rate]).all()
    assert jan.crr_undefined == "no_customers_at_start"


def test_the_first_periods_inside_the_activity_window_are_undefined_not_minus_100():
    flows = kpis.customer_flows(FIRST_MONTHS, "month", active_days=60).set_index(
        "period_label")
    feb = flows.loc["2025-02"]
    # the handbook's CCR would read (2 − 4) / 2 = −100%: the window at 31 Jan reaches back to
    # 2 Dec, before the data, so who was a customer at the start is not known
    assert (feb.cs, feb.ce) == (2, 4)
    assert np.isnan([feb.retention_rate, feb.churn_rate, feb.lost_rate]).all()
    assert feb.crr_undefined == "warming_up"
    assert flows.loc["2025-03", "crr_undefined"] == "warming_up"
    apr = flows.loc["2025-04"]  # the window at 31 Mar starts on 31 Jan: inside the data
    assert pd.isna(apr.crr_undefined)
    assert (apr.cs, apr.ce, apr.cn) == (3, 3, 1)  # c, d, a at the start; a, c, e at the end
    assert apr.retention_rate == pytest.approx(kpis.retention_rate(3, 3, 1))
    assert apr.churn_rate == pytest.approx(kpis.churn_rate(3, 3))
    assert apr.retention_rate + apr.lost_rate == pytest.approx(100)
    assert (flows["churn_rate"].dropna() > -100).all()


def test_an_undefined_rate_is_shown_as_a_dash_with_its_reason():
    with language("en"):
        assert fmt_undefined("no_customers_at_start") == \
            "— (no customers at the start of the period)"
        assert fmt_undefined("warming_up").startswith("— (the data starts inside")
        assert fmt_undefined(None) == "—"
    with language("vi"):
        assert fmt_undefined("no_customers_at_start") == "— (không có khách nào đầu kỳ)"


def test_the_sample_never_shows_a_rate_of_minus_100(data):
    for period in ("week", "month", "quarter"):
        flows = kpis.customer_flows(data.transactions, period)
        undefined = flows["crr_undefined"].notna()
        assert undefined.iloc[0] and flows["crr_undefined"].iloc[0] == "no_customers_at_start"
        rates = flows.loc[undefined, ["retention_rate", "churn_rate", "lost_rate"]]
        assert rates.isna().all().all()
        assert (flows.loc[undefined, "crr_undefined"].isin(kpis.flows.UNDEFINED_REASONS)).all()
        assert not flows.loc[~undefined, "retention_rate"].isna().any()
        assert flows["churn_rate"].min() > -50  # the −101% of the warm-up months is gone
        assert ((flows["warming_up"] | (flows["cs"] == 0)) == undefined).all()


# --------------------------------------------------------------------------- significance

def _surveys(counts: dict[str, list[int]]) -> carework.Dataset:
    """One survey answer per NPS score given, answered on the month's 10th."""
    rows = [(f"K{month}{i}", pd.Timestamp(f"{month}-10"), score)
            for month, scores in counts.items() for i, score in enumerate(scores)]
    surveys = pd.DataFrame(rows, columns=["customer_id", "answered_at", "nps"])
    tx = surveys[["customer_id"]].assign(purchased_at=surveys["answered_at"], amount=100)
    return carework.from_frames(tx, surveys=surveys)


def test_a_group_of_one_is_never_starred():
    # one promoter in January, one detractor in February: −200 points, p < 0.001 by the formula
    data = _surveys({"2025-01": [10], "2025-02": [0]})
    table = kpis.survey_kpis(data, "month")
    feb = table.iloc[1]
    assert feb.nps_change == pytest.approx(-200)
    assert not feb.nps_significant and np.isnan(feb.nps_p_value)
    assert feb.nps_too_few and feb.nps_untested == "too_few_answers"
    assert table.iloc[0].nps_untested == "no_previous_period"
    # what it used to be: the same counts tested without the minimum
    loose = kpis.survey_kpis(data, "month", min_answers=1).iloc[1]
    assert loose.nps_significant and loose.nps_p_value < 0.001


def test_a_change_is_tested_only_when_both_periods_have_enough_answers():
    many_happy, many_unhappy = [10] * 40, [0] * 40
    data = _surveys({"2025-01": many_happy, "2025-02": [0] * 5, "2025-03": many_unhappy,
                     "2025-04": many_happy})
    table = kpis.survey_kpis(data, "month").set_index("period_label")
    assert table.loc["2025-02", "nps_untested"] == "too_few_answers"
    assert table.loc["2025-03", "nps_untested"] == "too_few_before"
    assert not table.loc[["2025-02", "2025-03"], "nps_significant"].any()
    assert pd.isna(table.loc["2025-04", "nps_untested"])
    assert table.loc["2025-04", "nps_significant"] and table.loc["2025-04", "nps_p_value"] < 1e-6


def test_the_minimum_is_the_kpis_setting(data):
    strict = replace(data, settings=data.settings.replace(**{"kpis.min_answers": 200}))
    table = kpis.survey_kpis(strict, "quarter")
    assert (table["nps_too_few"] == (table["nps_n"] < 200)).all()
    few = (table["nps_n"] < 200) | (table.groupby("group")["nps_n"].shift(1) < 200)
    assert not table.loc[few, "nps_significant"].any()
    assert table.loc[few, "nps_untested"].notna().all()
    assert table.attrs["min_answers"] == 200
    tickets = kpis.ticket_kpis(strict, "quarter")
    assert (tickets["tickets_too_few"] == (tickets["tickets"] < 200)).all()


@pytest.mark.parametrize("by", ["agent", "channel", "province", "rule_group"])
def test_no_group_below_the_minimum_is_starred_on_the_sample(data, by):
    table = kpis.survey_kpis(data, "month", by)
    previous = table.sort_values("period").groupby("group", dropna=False)
    for kpi in ("nps", "csat"):
        n_before = previous[f"{kpi}_n"].shift(1).reindex(table.index)
        small = (table[f"{kpi}_n"] < 30) | (n_before < 30) | n_before.isna()
        assert small.any()
        assert not table.loc[small, f"{kpi}_significant"].any()
        assert table.loc[small, f"{kpi}_p_value"].isna().all()
        assert (table.loc[small, f"{kpi}_untested"].notna()).all()
        assert table.loc[~small, f"{kpi}_untested"].isna().all()


def test_the_scalar_change_follows_the_same_rule():
    one, other = kpis.nps([10]), kpis.nps([0])
    c = change(one, other)
    assert c.difference == -200 and not c.significant and c.reason == "too_few_answers"
    assert np.isnan(c.p_value)
    assert change(one, other, min_answers=1).significant
    big = kpis.nps([10] * 60 + [0] * 40)
    assert change(one, big).reason == "too_few_before"


# ------------------------------------------------------------------------------- drivers

def _experience(seed: int = 3) -> pd.DataFrame:
    """Answers where a ticket about staff costs about 80 NPS points and a quick first response
    earns about 60: one driver clearly negative, one clearly positive."""
    rng = np.random.default_rng(seed)
    n = 600
    frame = pd.DataFrame({"customer_id": [f"K{i}" for i in range(n)],
                          "ticket_id": [f"T{i}" if i < 400 else None for i in range(n)]})
    for name in DRIVERS:
        frame[name] = 0
    frame.loc[:149, "ticket_people"] = 1
    frame.loc[150:399, "ticket_product"] = 1
    frame.loc[200:299, "first_response_4_24h"] = 1
    base = rng.choice([10, 9, 8, 7], size=n, p=[0.4, 0.3, 0.2, 0.1])
    score = np.where(frame["ticket_people"] == 1, rng.choice([0, 3, 5, 8], size=n), base)
    score = np.where(frame["first_response_4_24h"] == 1, 10, score)
    frame["nps"] = score
    return frame


def test_a_driver_that_lowers_the_score_has_a_negative_effect_and_positive_points_lost():
    table = Drivers("nps", min_cases=10).fit(_experience()).table_
    people, quick = table.loc["ticket_people"], table.loc["first_response_4_24h"]
    assert people.effect < -50 and people.high < 0          # clearly negative
    assert people.importance == pytest.approx(-people.effect) and people.importance > 0
    assert people.points_lost == pytest.approx(people.importance * people.share / 100)
    assert people.points_lost > 0
    assert quick.effect > 0 and quick.importance < 0 and quick.points_lost < 0
    assert table.index[0] == "ticket_people"                 # costs most, listed first
    assert table.attrs["outcome"] == "nps"


def test_the_drivers_fewest_answers_is_the_setting():
    with pytest.raises(carework.DataError):
        Drivers("nps", min_answers=10_000).fit(_experience())


# ------------------------------------------------------------------------------- report

def test_a_report_computed_once_is_read_in_either_language(data):
    thin = replace(data, tickets=None)
    with language("en"):
        report = kpi_report(thin, "quarter")
    assert "tickets" not in report.overview or report.overview["tickets"].isna().all()
    with language("en"):
        english = report.notes
    with language("vi"):
        vietnamese = report.notes
    assert any("tickets" in note for note in english)
    assert english != vietnamese and len(english) == len(vietnamese)
    assert all("tickets: the table is absent" not in note for note in vietnamese)
    assert report.settings["min_answers"] == 30
    for column in ("crr_undefined", "nps_untested", "csat_untested", "nps_too_few"):
        assert column in report.overview


def test_the_workbook_defines_the_reasons(data, tmp_path):
    from carework.kpis.workbook import report_sheets

    with language("en"):
        report = kpi_report(data, "quarter")
        sheets = report_sheets(report)
    definitions = sheets["Definitions"].set_index("name")["meaning"]
    assert "no_customers_at_start" in definitions["crr_undefined"]
    assert "too_few_before" in definitions["untested"]
    assert "fewer than 30 answers" in definitions["too_few"]
