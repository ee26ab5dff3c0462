"""The KPI dashboard (carework.dashboards.kpis): it follows the period, group and comment
filters, and shows what it can without a table."""

from __future__ import annotations

import pytest

from carework import dashboards
from carework.dashboards.common import READY
from carework.i18n import t


def test_kpi_dashboard_follows_period_group_and_comment_filters(data):
    from carework import kpis
    from carework.dashboards.kpis import filter_comments

    view = dashboards.kpi_dashboard(data)
    assert READY in view._dom_classes
    monthly = kpis.survey_kpis(data, "month")
    complete = monthly[~monthly["partial"]].iloc[-1]
    assert view.shown.value == complete["period_label"]
    assert view.headline["nps"] == pytest.approx(complete["nps"])
    view.period.value = "quarter"
    quarterly = kpis.survey_kpis(data, "quarter")
    last = quarterly[~quarterly["partial"]].iloc[-1]
    assert view.shown.value == last["period_label"]
    assert view.headline["nps"] == pytest.approx(last["nps"])
    assert view.headline["nps_n"] == last["nps_n"]
    view.group.value = "rule_group"
    shown = view.breakdown["surveys"]
    assert set(shown["period_label"]) == {last["period_label"]}
    assert shown["answers"].sum() == last["answers"]
    before = view.headline["retention_rate"]
    view.active_days.value = 180
    assert view.headline["retention_rate"] != before
    assert len(view.agents) and view.agents["tickets"].sum() == kpis.ticket_kpis(
        data, "quarter").set_index("period_label").loc[last["period_label"], "tickets"]
    everything = len(filter_comments(view.comments))
    view.factor.value = "people"
    assert (view.comments_shown["factor"] == "people").all()
    people = len(filter_comments(view.comments, factor="people"))
    assert 0 < people < everything
    view.search.value = "nhân viên"
    folded = len(filter_comments(view.comments, factor="people", search="nhan vien"))
    assert len(filter_comments(view.comments, factor="people", search="nhân viên")) == folded
    assert 0 < len(view.comments_shown) <= min(folded, 50)


@pytest.mark.parametrize("absent", ["surveys", "tickets", "customers"])
def test_kpi_dashboard_without_a_table_shows_what_it_can(data, absent):
    from dataclasses import replace

    view = dashboards.kpi_dashboard(replace(data, **{absent: None}))
    assert READY in view._dom_classes
    assert ("nps" in view.headline) == (absent != "surveys")
    assert ("frt_median_h" in view.headline) == (absent != "tickets")
    assert "retention_rate" in view.headline
    if absent != "customers":
        assert t(f"kpi.note.no_{absent}") in view.report.notes  # said, in the current language


def test_kpi_dashboard_says_how_many_comments_were_not_read_and_why(data):
    """Next to the root-cause Pareto: the share of comments not read, by reason; they are not
    in the Pareto, and the comment browser lists them under "not read"."""
    from dataclasses import replace

    import pandas as pd

    from carework.i18n import fmt_number, t

    surveys = data.surveys.copy()
    written = surveys.index[surveys["comment"].notna()]
    foreign = ["配送太慢了，客服也不回复", "Lieferung viel zu spät", "Pengiriman sangat lambat"]
    surveys.loc[written[:3], "comment"] = foreign
    surveys.loc[written[3:5], "comment"] = ["asdfgh qwrtzx", "0903 456 789"]
    view = dashboards.kpi_dashboard(replace(data, surveys=surveys))
    note = view.pareto_html.value
    assert "carework-abstained" in note
    assert t("unread.foreign_language") + " 3" in note
    assert t("unread.unreadable") + " 2" in note
    assert f"5 {'trên' if t('kpiui.abstained_none') == 'không có' else 'of'} " \
        f"{fmt_number(len(written))}" in note
    pareto = view.report.root_causes
    assert "unknown" not in set(pareto["factor"])
    comments = view.comments
    assert comments.loc[comments["comment"].isin(foreign), "factor"].eq("unknown").all()
    view.factor.value = "unknown"
    assert set(view.comments_shown["comment"]) <= set(foreign) | {"asdfgh qwrtzx",
                                                                 "0903 456 789"}
    assert isinstance(view.comments_shown, pd.DataFrame) and len(view.comments_shown) >= 1
    view.source.value = "tickets"
    assert "carework-abstained" not in view.pareto_html.value
