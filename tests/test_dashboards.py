"""Overview numbers and dashboards, checked in Python (the browser test checks the pages)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework import dashboards, explore
from carework.dashboards.common import ERROR, READY, fmt_number
from carework.i18n import language, t
from carework.sample import generate, write


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> carework.Dataset:
    folder = tmp_path_factory.mktemp("sample")
    write(generate(customers=400, seed=7), folder)
    return carework.load(folder)


def test_headline_counts_agree_with_the_tables(data):
    counts = explore.headline(data)
    tx = data.transactions
    assert counts["orders"] == len(tx)
    assert counts["buyers"] == tx["customer_id"].nunique()
    assert counts["revenue"] == pytest.approx(tx["amount"].sum())
    assert counts["customers"] == len(data.customers)
    assert counts["prospects"] == len(set(data.customers["customer_id"]) - set(tx["customer_id"]))
    assert counts["open_tickets"] == (data.tickets["status"] == "open").sum()


def test_monthly_and_breakdowns_add_up(data):
    months = explore.monthly(data)
    assert months["orders"].sum() == len(data.transactions)
    assert months["revenue"].sum() == pytest.approx(data.transactions["amount"].sum())
    by_province = explore.breakdown(data, "province")
    assert by_province["customers"].sum() == len(data.customers)
    assert by_province["revenue"].sum() == pytest.approx(data.transactions["amount"].sum())


def test_filters_restrict_every_table(data):
    province = explore.choices(data, "customers", "province")[0]
    part = explore.filter_data(data, province=province)
    ids = set(data.customers.loc[data.customers["province"] == province, "customer_id"])
    for frame in part.tables.values():
        assert set(frame["customer_id"]) <= ids
    store = explore.filter_data(data, channel="store")
    assert (store.transactions["channel"] == "store").all()
    assert explore.filter_data(data) is data


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
        assert any(absent in note for note in view.report.notes)


def test_dashboard_labels_follow_the_language(data):
    with language("en"):
        view = dashboards.churn_dashboard(carework.load("data/sample"))
        assert view.channel.description == "Sales channel"
        assert view.channel.options[0][0] == "All"
        assert view.model.options[0][0] == "BG/NBD (default)"
    with language("vi"):
        view = dashboards.kpi_dashboard(data)
        assert view.period.description == t("kpiui.period", lang="vi") == "Kỳ báo cáo"
        assert view.tabs.get_title(0) == "Tổng quan"


def test_segmentation_dashboard_reclusters(data):
    view = dashboards.segmentation_dashboard(data)
    assert READY in view._dom_classes and len(view.result.table) == data.transactions[
        "customer_id"].nunique()
    assert view.result.findings and "<li>" in view.findings.value
    view.k.value = 3
    view.features.value = ("log_spend", "log_orders", "recency_days", "share_online")
    view.recluster()
    assert view.result.clusters.k_ == 3 and view.result.clusters.features_ == [
        "log_spend", "log_orders", "recency_days", "share_online"]
    assert view.result.table["cluster"].nunique() == 3
    assert view.progress.layout.display == "none"
    assert "Tải bảng phân khúc" in view.download.value or "Download" in view.download.value


def test_a_data_problem_is_shown_not_raised(tmp_path, capsys):
    (tmp_path / "transactions.csv").write_text("customer_id,amount\nKH1,5\n", encoding="utf-8")
    with language("en"):
        assert dashboards.load_data(str(tmp_path)) is None
        box = dashboards.common.error_box("x.csv: something")
    assert ERROR in box._dom_classes and "The data cannot be used" in box.value
    assert "purchased_at" in capsys.readouterr().out  # the loader's own message was displayed
    assert dashboards.segmentation_dashboard(None).value == ""


def test_number_formats_are_vietnamese():
    from carework.i18n import fmt_money

    assert fmt_number(1250000) == "1.250.000"
    assert fmt_money(1_300_000_000, short=True) == "1,3 tỷ\xa0₫"
    assert fmt_money(250_400_000, short=True) == "250,4 triệu\xa0₫"
    assert fmt_money(85000) == "85.000\xa0₫"
    assert fmt_money(pd.NA) == "—"
    with language("en"):
        assert fmt_number(1250000) == "1,250,000"


def test_every_value_shown_in_the_sample_dashboards_has_a_label_in_both_languages(data):
    from carework.i18n import MESSAGES

    shown = {*data.customers["acquisition_source"].dropna(), *data.transactions["channel"],
             *data.tickets["channel"], *data.tickets["category"]}
    missing = sorted(v for v in shown if f"value.{v}" not in MESSAGES)
    assert missing == []
    assert all(set(entry) == {"vi", "en"} for entry in MESSAGES.values())


def test_churn_dashboard_follows_horizon_and_filters():
    data = carework.load("data/sample")
    view = dashboards.churn_dashboard(data)
    assert READY in view._dom_classes and len(view.scores) == data.transactions[
        "customer_id"].nunique()
    short = view.scores["expected_purchases"].sum()
    view.horizon.value = 180
    assert view.scores["expected_purchases"].sum() > short
    view.channel.value = "online"
    online = explore.filter_data(data, channel="online").transactions["customer_id"].unique()
    assert set(view.scores.index) == set(online)
    view.sort.value = "churn_risk"
    assert "Download" in view.download.value or "Tải" in view.download.value
    assert view.scores["value_at_risk"].ge(0).all()
    # one definition of value at risk and of the bands, read from the base
    base = view.base.scores(180)
    assert np.allclose(view.scores["value_at_risk"],
                       (base["churn_risk"] * base["total_clv"]).loc[view.scores.index])


def test_churn_dashboard_switches_model_and_matrix():
    data = carework.load("data/sample")
    view = dashboards.churn_dashboard(data)
    assert view.model.value == "bgnbd" and view.progress.layout.display == "none"
    bgnbd = view.scores["churn_risk"].copy()
    view.model.value = "pnbd"
    assert view.base.model.name == "pnbd" and set(view.base.model.params) == {
        "r", "alpha", "s", "beta"}
    view.model.value = "bgnbd"  # back: the base's own fit, not a second one
    assert np.allclose(view.scores["churn_risk"], bgnbd)
    view.model.value = "pnbd"
    assert view.progress.value == view.progress.max and view.progress.layout.display == "none"
    assert not np.allclose(view.scores["churn_risk"], bgnbd)
    assert view.scores["churn_risk"].between(0, 1).all()
    view.matrix.value = "p_alive"  # outside a kernel an Output cannot be read back: the
    view.matrix.value = "churn_risk"  # browser test checks the figures themselves


def test_churn_dashboard_shows_reasons_for_thin_history(tmp_path):
    write(generate(customers=150, seed=2), tmp_path)
    with language("en"):
        view = dashboards.churn_dashboard(carework.load(tmp_path))
        assert READY in view._dom_classes
        assert "No churn risk or CLV yet" in view.children[0].value
        assert "only 1" in view.children[0].value  # the reasons, in words


def test_call_list_tab_masks_contacts_and_follows_capacity():
    from carework.dashboards.calls import mask_email, mask_phone

    assert mask_phone("0901234567") == "090****567" and mask_phone(None) == ""
    assert mask_email("lan.nguyen@example.com") == "l***@example.com"
    sample = carework.load("data/sample")
    view = dashboards.call_list_dashboard(sample)
    assert READY in view._dom_classes and len(view.sheet) == 60
    full = view.sheet["phone"].iloc[0]
    assert full not in view.table.value and mask_phone(full) in view.table.value
    view.agents.value, view.per_agent.value = 2, 7
    view.refresh()
    assert len(view.sheet) == 14 and view.sheet["agent"].nunique() == 2
    assert "base64," in view.download.value and view.progress.layout.display == "none"
