"""KPIs: hand-computed values, interval behaviour, counts checked against plain pandas, and
the drivers against the effects the sample generator builds in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carework
from carework import kpis
from carework.kpis.drivers import Drivers, survey_experience
from carework.kpis.scores import change, nps_from_counts, proportion_from_counts
from carework.sample import SCORE_EFFECTS, generate


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    return carework.load("data/sample")


# ------------------------------------------------------------------------------ NPS / CSAT

def test_nps_matches_the_hand_computed_value_and_interval():
    r = kpis.nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 2])
    # 5 promoters, 3 detractors, n = 10 → 20; adjusted Wald: n' = 13, p' = 5.75/13,
    # d' = 3.75/13, Var = (p' + d' − (p' − d')²)/n' = 0.0543917, half = 1.96·√Var = 45.71
    assert r.value == 20.0 and r.n == 10
    assert r.low == pytest.approx(20 - 45.7107, abs=1e-3)
    assert r.high == pytest.approx(20 + 45.7107, abs=1e-3)


def test_nps_skips_missing_answers_and_rejects_invalid_ones():
    assert kpis.nps([10, None, float("nan"), 0]).n == 2
    assert kpis.nps(pd.Series([9, pd.NA, 6], dtype="Int64")).value == 0.0
    for bad in ([11], [-1], [7.5], ["good"]):
        with pytest.raises(ValueError, match="nps"):
            kpis.nps(bad)
    empty = kpis.nps([])
    assert empty.n == 0 and np.isnan(empty.value) and np.isnan(empty.low)


def test_unanimous_answers_still_get_an_interval():
    r = kpis.nps([10] * 5)
    assert r.value == 100 and r.high == 100 and r.low < 60  # not a zero-width interval
    assert r.too_few


def test_csat_is_the_satisfied_share_with_wilson_interval():
    r = kpis.csat([5, 4, 3, 2, 5])
    # p = 0.6, n = 5: centre (0.6 + z²/10)/(1 + z²/5), half z·√(0.048 + z²/100)/(1 + z²/5)
    assert r.value == 60.0
    assert (r.low, r.high) == pytest.approx((23.0724, 88.2379), abs=1e-3)
    assert kpis.csat([3, 3, 3]).value == 0.0  # neutral is never satisfied
    assert kpis.csat([4, 5, 5], satisfied_min=5).value == pytest.approx(200 / 3)
    with pytest.raises(ValueError, match="neutral"):
        kpis.csat([3, 4], satisfied_min=3)
    with pytest.raises(ValueError, match="csat"):
        kpis.csat([0, 4])


def test_the_vectorised_forms_equal_the_scalar_ones():
    r = kpis.nps([10, 9, 8, 2, 6, 10, 7])
    v, lo, hi, var = nps_from_counts(3, 2, 7)
    assert (float(v), float(lo), float(hi), float(var)) == pytest.approx(
        (r.value, r.low, r.high, r.variance))
    c = kpis.csat([5, 4, 1, 2, 3, 5, 5, 4])
    v, lo, hi, _ = proportion_from_counts(5, 8)
    assert (float(v), float(lo), float(hi)) == pytest.approx((c.value, c.low, c.high))


def test_nps_interval_covers_the_true_value_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    p, d, n = 0.45, 0.25, 80
    draws = rng.multinomial(n, [p, 1 - p - d, d], size=4000)
    _, lo, hi, _ = nps_from_counts(draws[:, 0], draws[:, 2], n)
    coverage = np.mean((lo <= 100 * (p - d)) & (100 * (p - d) <= hi))
    assert 0.93 <= coverage <= 0.97


def test_a_change_is_significant_only_beyond_the_noise():
    before = kpis.nps([10] * 40 + [8] * 30 + [3] * 30)   # 10
    after = kpis.nps([10] * 60 + [8] * 25 + [3] * 15)    # 45
    c = change(before, after)
    assert c.difference == pytest.approx(35.0)
    assert c.z == pytest.approx(35 / np.sqrt(before.variance + after.variance))
    assert c.significant
    assert not change(before, kpis.nps([10] * 41 + [8] * 29 + [3] * 30)).significant


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=300), st.randoms())
def test_nps_properties(scores, random):
    r = kpis.nps(scores)
    assert -100 <= r.low <= r.value <= r.high <= 100
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert kpis.nps(shuffled) == r
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert r.value == pytest.approx(100 * (promoters - detractors) / len(scores))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=300), st.randoms())
def test_csat_properties(ratings, random):
    r = kpis.csat(ratings)
    assert 0 <= r.low <= r.value <= r.high <= 100
    shuffled = list(ratings)
    random.shuffle(shuffled)
    assert kpis.csat(shuffled) == r
    assert kpis.csat(ratings + [3]).value <= r.value  # adding a neutral never raises CSAT


# ------------------------------------------------------------------------ retention, churn

def test_rates_as_the_handbook_writes_them():
    assert kpis.retention_rate(cs=200, ce=210, cn=30) == 90.0
    assert kpis.churn_rate(cs=200, ce=210) == -5.0  # the base grew: the net form is negative
    assert kpis.lost_rate(cs=200, lost=20) == 10.0
    assert np.isnan(kpis.retention_rate(0, 5, 5)) and np.isnan(kpis.churn_rate(0, 5))
    with pytest.raises(ValueError, match="cn"):
        kpis.retention_rate(cs=10, ce=5, cn=6)
    with pytest.raises(ValueError, match="≥ 0"):
        kpis.churn_rate(cs=-1, ce=5)


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"]).assign(
        purchased_at=lambda f: pd.to_datetime(f["purchased_at"]))


def test_customer_flows_on_a_hand_built_log():
    tx = _tx([
        ("a", "2025-01-05", 1), ("a", "2025-02-10", 1),   # retained through February
        ("b", "2025-01-20", 1),                           # lost by the end of February
        ("c", "2025-02-15", 1),                           # first-time in February
        ("d", "2024-11-01", 1), ("d", "2025-02-20", 1),   # lapsed, came back in February
    ])
    flows = kpis.customer_flows(tx, "month", active_days=30, start="2025-02-01",
                                end="2025-02-28")
    feb = flows.iloc[0]
    # customers on 31 Jan (bought 2 Jan – 31 Jan): a, b; on 28 Feb (30 Jan – 28 Feb): a, c, d
    assert (feb.cs, feb.ce, feb.cn, feb.retained, feb.lost) == (2, 3, 2, 1, 1)
    assert (feb.first_time, feb.returned) == (1, 1)
    assert feb.retention_rate == kpis.retention_rate(2, 3, 2) == 50.0
    assert feb.churn_rate == kpis.churn_rate(2, 3) == -50.0
    assert feb.lost_rate == 50.0


def test_customer_flows_equal_a_brute_force_count_on_the_sample(data):
    tx = data.transactions
    flows = kpis.customer_flows(tx, "quarter", active_days=60)
    days = tx.assign(day=tx["purchased_at"].dt.normalize())[["customer_id", "day"]]

    def active(edge: pd.Timestamp) -> set:
        window = days[(days["day"] <= edge) & (days["day"] > edge - pd.Timedelta(days=60))]
        return set(window["customer_id"])

    first = days.groupby("customer_id")["day"].min()
    for rec in flows.itertuples():
        start = active(pd.Timestamp(rec.period) - pd.Timedelta(days=1))
        end_edge = (pd.Period(rec.period, "Q").end_time.normalize())
        end = active(end_edge)
        assert (rec.cs, rec.ce, rec.retained) == (len(start), len(end), len(start & end))
        new = end - start
        assert rec.first_time == sum(first[c] >= pd.Timestamp(rec.period) for c in new)
        if rec.cs:
            assert rec.retention_rate + rec.lost_rate == pytest.approx(100)
    assert flows["warming_up"].iloc[0] and not flows["warming_up"].iloc[-1]
    assert flows["partial"].iloc[-1] == (tx["purchased_at"].max()
                                         < pd.Period(flows["period"].iloc[-1], "Q").end_time)


def test_activity_window_must_be_a_positive_whole_number(data):
    with pytest.raises(ValueError, match="active_days"):
        kpis.customer_flows(data.transactions, active_days=0)
    with pytest.raises(ValueError, match="period"):
        kpis.customer_flows(data.transactions, "year")


# ---------------------------------------------------------------------------- KPI tables

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


# ------------------------------------------------------------------------------- drivers

@pytest.fixture(scope="module")
def generated():
    return generate(customers=15000, seed=11)


def test_surveys_link_to_the_ticket_the_generator_linked(generated):
    d = carework.from_frames(**generated.tables())
    linked = kpis.link_tickets(d.surveys, d.tickets).to_pandas().sort_values("survey_row")
    truth = generated.survey_truth["ticket_id"].replace("", np.nan).reset_index(drop=True)
    ours = linked["ticket_id"].reset_index(drop=True)
    has = truth.notna()
    assert (ours[has] == truth[has]).mean() > 0.9
    assert ours[~has].notna().mean() < 0.1


def test_drivers_recover_the_effects_built_into_the_generator(generated):
    d = carework.from_frames(**generated.tables())
    table = Drivers("nps_score").fit(d).table_
    e = SCORE_EFFECTS
    truth = {
        "ticket_product": e["ticket"] + e["factor_product"],
        "ticket_convenience": e["ticket"] + e["factor_convenience"],
        "ticket_people": e["ticket"] + e["factor_people"],
        "first_response_4_24h": e["first_response_4_24h"],
        "first_response_over_24h": e["first_response_over_24h"],
        "handling_over_72h_or_unresolved": e["handling_over_72h_or_unresolved"],
    }
    for driver, effect in truth.items():
        # rounding to 0-10 and clipping at 10 shrink effects a little
        assert 1.15 * effect <= table.loc[driver, "effect"] <= 0.7 * effect, driver
    assert abs(table.loc["reopened", "effect"]) < 0.4  # no effect of its own in the generator
    order = table.loc[["ticket_people", "ticket_convenience", "ticket_product"], "effect"]
    assert order.is_monotonic_increasing


def test_drivers_on_the_sample_rank_what_costs_most_first(data):
    drivers = Drivers("nps").fit(data)
    table = drivers.table_
    assert table["points_lost"].is_monotonic_decreasing
    assert table.index[0] in ("handling_over_72h_or_unresolved", "ticket_product")
    assert (table["low"] <= table["effect"]).all() and (table["effect"] <= table["high"]).all()
    assert set(table["quadrant"]) <= {"fix_first", "keep_up", "watch", "maintain"}
    assert (table.loc[table["quadrant"] == "fix_first", "importance"]
            >= table["importance"].mean()).all()
    experience = survey_experience(data)
    assert len(experience) == len(data.surveys)
    assert drivers.n_ == data.surveys["nps"].notna().sum()


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


def test_csat_interval_equals_scipys_wilson():
    from scipy import stats

    for satisfied, n in ((0, 7), (3, 5), (41, 60), (60, 60)):
        ours = proportion_from_counts(satisfied, n)
        ci = stats.binomtest(satisfied, n).proportion_ci(method="wilson")
        assert (float(ours[1]), float(ours[2])) == pytest.approx((100 * ci.low, 100 * ci.high))
