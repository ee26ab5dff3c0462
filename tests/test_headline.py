"""The headline (carework.headline): every figure against a direct computation from the
customer base, the KPI functions and the call planner, on data/sample and on a small generated
data set; the undefined cases ("—" with a reason, never 0); the texts in both languages."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import carework
from carework import calls, kpis
from carework.customer_base import build_base
from carework.headline import (
    FIGURES,
    HeadlineFigure,
    card_text,
    complete_periods,
    figure_text,
    headline,
    period_name,
    revenue_by_period,
)
from carework.i18n import MESSAGES, language, t
from carework.sample import generate, write


@pytest.fixture(scope="module")
def sample() -> carework.Dataset:
    return carework.load("data/sample")


@pytest.fixture(scope="module")
def sample_base(sample):
    return build_base(sample)


@pytest.fixture(scope="module")
def small() -> carework.Dataset:
    """400 generated customers: too few for churn scores, about 28 answers a month."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write(generate(customers=400, seed=7), folder)
        return carework.load(folder)


@pytest.fixture(scope="module")
def small_base(small):
    return build_base(small)


@pytest.fixture(scope="module")
def young(tmp_path_factory) -> carework.Dataset:
    """A shop whose data begins on 15 March 2025 and ends on 19 May 2025."""
    folder = tmp_path_factory.mktemp("young")
    write(generate(customers=300, seed=3, start="2025-03-15", end="2025-05-20"), folder)
    return carework.load(folder)


def month_mask(frame: pd.DataFrame, column: str, month: str) -> pd.Series:
    start = pd.Timestamp(f"{month}-01")
    return (frame[column] >= start) & (frame[column] < start + pd.offsets.MonthBegin(1))


def expected(base, month: str, before: str) -> dict[str, dict[str, float | None]]:
    """Every figure computed here, directly from the base's table and data, with the KPI
    functions of carework.kpis.scores (not the per-period tables the headline reads)."""
    table, data = base.table, base.data
    active = table["stage"] == "active"
    out: dict[str, dict[str, float | None]] = {
        "active_customers": {"value": float(active.sum())}}
    tx = data.transactions
    out["revenue"] = {"value": float(tx.loc[month_mask(tx, "purchased_at", month),
                                            "amount"].sum()),
                      "previous": float(tx.loc[month_mask(tx, "purchased_at", before),
                                               "amount"].sum())}
    out["share_at_risk"] = {"value": 100 * float((active & (table["risk_band"] == "medium"))
                                                 .sum()) / float(active.sum())
                            if base.has_scores else None}
    minimum = data.settings.kpis.min_answers
    for kpi, estimate in (("nps", kpis.nps), ("csat", kpis.csat)):
        s = data.surveys
        now = estimate(s.loc[month_mask(s, "answered_at", month), kpi])
        then = estimate(s.loc[month_mask(s, "answered_at", before), kpi])
        out[kpi] = {"value": now.value if now.n >= minimum else None,
                    "low": now.low if now.n >= minimum else None,
                    "high": now.high if now.n >= minimum else None,
                    "previous": then.value if now.n >= minimum and then.n >= minimum
                    else None}
    out["open_incidents"] = {"value": float(table["open_incidents"].sum())}
    out["calls_today"] = {"value": float(len(calls.plan(base)))}
    return out


@pytest.mark.parametrize("which", ["sample", "small"])
def test_every_figure_is_the_direct_computation(which, request):
    base = request.getfixturevalue(f"{which}_base")
    head = headline(base)
    assert (head.as_of, head.data_start, head.data_end) == (
        base.as_of, base.gate.data_start, base.gate.data_end)
    assert [f.key for f in head.figures] == list(FIGURES)
    last, previous = complete_periods(base.as_of)
    assert (str(last), str(previous)) == ("2026-08", "2026-07")  # as of 29/09/2026
    want = expected(base, str(last), str(previous))
    for key, values in want.items():
        figure = head.figure(key)
        for field, value in values.items():
            got = getattr(figure, field)
            assert (got is None) == (value is None), (key, field, got, value)
            if value is not None:
                assert got == pytest.approx(value, rel=1e-9), (key, field)


def test_the_sample_figures(sample_base):
    """The numbers the home page and the report show for data/sample, as of 29/09/2026."""
    head = headline(sample_base)
    with language("en"):
        texts = {f.key: figure_text(f) for f in head.figures}
    assert texts["active_customers"] == "1,717"
    assert texts["revenue"] == "₫652,285,000"
    assert head.figure("revenue").previous == 687_370_000
    assert texts["share_at_risk"] == "38%"
    assert texts["nps"] == "NPS 7 (-3 – 18)"
    assert texts["csat"] == "66% (59%–72%)"
    assert texts["open_incidents"] == "3"
    assert texts["calls_today"] == "60"
    assert head.period_label == "08/2026" and head.previous_label == "07/2026"
    # what changed: the three period figures, the largest move first
    assert len(head.changes) == 3
    assert head.changes[0].startswith(t("home.figure.csat"))
    assert head.changes[-1].startswith(t("home.figure.revenue"))
    assert "giảm 5%" in head.changes[-1]
    assert all(t("home.change.noise") in line for line in head.changes[:2])


def test_a_call_list_given_is_the_one_counted(sample_base):
    sheet = calls.plan(sample_base, agents=2, per_agent=5)
    figure = headline(sample_base, calls=sheet).figure("calls_today")
    assert figure.value == 10 == len(sheet)
    waiting = sum(sheet.attrs["reasons"].values())
    assert f"{waiting:,}".replace(",", ".") in figure.detail and "2" in figure.detail


def test_without_surveys_nps_and_csat_are_undefined_with_the_reason(sample):
    head = headline(build_base(replace(sample, surveys=None)))
    for key in ("nps", "csat"):
        figure = head.figure(key)
        assert figure.value is None and figure.previous is None
        assert figure.reason == "home.reason.no_surveys"
        assert figure_text(figure) == "—"
        card = card_text(head, figure)
        assert card.undefined and t("home.reason.no_surveys") in card.lines
    assert all(not line.startswith(t("home.figure.nps")) for line in head.changes)
    assert head.figure("revenue").value is not None  # the rest is still there


def test_too_few_answers_is_undefined_not_a_noisy_number(small_base):
    minimum = small_base.data.settings.kpis.min_answers
    s = small_base.data.surveys
    n = int(s.loc[month_mask(s, "answered_at", "2026-08"), "nps"].notna().sum())
    assert 0 < n < minimum  # the small shop: a few answers a month
    figure = headline(small_base).figure("nps")
    assert figure.value is None and figure.reason == "home.reason.too_few"
    assert str(n) in figure.detail and str(minimum) in figure.detail


def test_without_scores_the_share_at_risk_is_undefined(small_base):
    assert not small_base.has_scores
    figure = headline(small_base).figure("share_at_risk")
    assert figure.value is None and figure.reason == "home.reason.no_scores"


@pytest.mark.parametrize("drop", ["phone", "customers"])
def test_without_phones_nobody_can_be_called(sample, drop):
    data = (replace(sample, customers=None) if drop == "customers" else
            replace(sample, customers=sample.customers.drop(columns="phone")))
    figure = headline(build_base(data)).figure("calls_today")
    assert figure.value is None and figure.reason == "home.reason.no_phones"
    assert figure_text(figure) == "—"


def test_nobody_callable_is_said_so(sample):
    customers = sample.customers.assign(do_not_call=True)
    figure = headline(build_base(replace(sample, customers=customers))).figure("calls_today")
    assert figure.value is None and figure.reason == "home.reason.nobody_callable"


def test_without_tickets_open_incidents_are_undefined(sample):
    figure = headline(build_base(replace(sample, tickets=None))).figure("open_incidents")
    assert figure.value is None and figure.reason == "home.reason.no_tickets"


def test_a_previous_period_the_data_does_not_cover_is_undefined(young):
    base = build_base(young)  # as of 19/05/2025: April is complete, March began before the data
    head = headline(base)
    revenue = head.figure("revenue")
    tx = base.data.transactions
    assert revenue.value == pytest.approx(tx.loc[month_mask(tx, "purchased_at", "2025-04"),
                                                 "amount"].sum())
    assert revenue.previous is None and revenue.reason == "home.reason.not_covered"
    assert not any(line.startswith(t("home.figure.revenue")) for line in head.changes)
    card = card_text(head, revenue)
    assert t("home.card.no_previous", previous_period=head.previous_label,
             why=t("home.reason.not_covered")) in card.lines


def test_a_last_period_the_data_does_not_cover_is_undefined(young):
    head = headline(build_base(young, as_of="2025-04-10"))  # March began before the data
    revenue = head.figure("revenue")
    assert revenue.value is None and revenue.reason == "home.reason.not_covered"
    assert figure_text(revenue) == "—"


def test_quarters_and_weeks(sample_base):
    head = headline(sample_base, period="quarter")
    assert head.period_label == "Q2/2026" and head.previous_label == "Q1/2026"
    tx = sample_base.data.transactions
    q2 = tx["purchased_at"].between("2026-04-01", "2026-06-30 23:59:59")
    assert head.figure("revenue").value == pytest.approx(tx.loc[q2, "amount"].sum())
    rows = kpis.survey_kpis(sample_base.data, "quarter").set_index("period_label")
    assert head.figure("nps").value == pytest.approx(rows.loc["2026-Q2", "nps"])
    weeks = complete_periods(pd.Timestamp("2026-09-29"), "week")
    assert weeks[0].start_time == pd.Timestamp("2026-09-21")  # Mon 21 – Sun 27 September
    assert period_name(weeks[0], lang="en") == "Week 39, 2026"
    with pytest.raises(ValueError):
        headline(sample_base, period="year")


def test_revenue_by_period_marks_what_the_data_covers(young):
    table = revenue_by_period(young, "month", as_of=pd.Timestamp("2025-05-19"))
    assert table["period_label"].tolist() == ["2025-03", "2025-04", "2025-05"]
    assert table["complete"].tolist() == [False, True, False]
    assert table["revenue"].sum() == pytest.approx(young.transactions["amount"].sum())


def test_figure_text_in_each_language():
    money = HeadlineFigure("revenue", "money", 1_234_567.0)
    share = HeadlineFigure("share_at_risk", "percent", 42.0)
    score = HeadlineFigure("nps", "score", 31.2, low=24.4, high=38.0)
    negative = HeadlineFigure("nps", "score", -5.0, low=-12.0, high=3.0)
    csat = HeadlineFigure("csat", "percent", 81.6, low=78.9, high=84.1)
    count = HeadlineFigure("active_customers", "count", 2756.0)
    assert figure_text(money, "vi") == "1.234.567\xa0₫"
    assert figure_text(money, "en") == "₫1,234,567"
    assert figure_text(share, "vi") == figure_text(share, "en") == "42%"
    assert figure_text(score, "vi") == "NPS 31 (24–38)"
    assert figure_text(negative, "en") == "NPS -5 (-12 – 3)"
    assert figure_text(csat, "vi") == "82% (79%–84%)"
    assert figure_text(count, "vi") == "2.756" and figure_text(count, "en") == "2,756"
    for figure in (money, share, score, count):
        assert figure_text(replace(figure, value=None), "vi") == "—"


def test_the_words_follow_the_language(sample_base):
    with language("en"):
        head = headline(sample_base)
    assert head.period_label == "Aug 2026" and head.previous_label == "Jul 2026"
    assert head.figure("active_customers").detail == "of 2,756 customers who have bought"
    assert head.changes[-1].startswith("Revenue: down 5% against Jul 2026")
    vi = headline(sample_base)
    assert vi.figure("active_customers").detail == "trong 2.756 khách đã mua"


def test_the_analysts_table(sample_base):
    head = headline(sample_base)
    table = head.table()
    assert table.index.tolist() == list(FIGURES)
    assert {"kind", "value", "low", "high", "previous", "text", "reason", "why",
            "detail"} <= set(table.columns)
    assert table.loc["revenue", "value"] == head.figure("revenue").value
    assert np.isnan(table.loc["revenue", "low"])


def test_every_reason_is_a_message():
    reasons = [k for k in MESSAGES if k.startswith("home.reason.")]
    assert {"home.reason.no_surveys", "home.reason.too_few", "home.reason.no_phones",
            "home.reason.not_covered", "home.reason.no_scores"} <= set(reasons)
