"""From a figure to its customers and to a manager's workbook, on every dashboard; and no page
carries an export file before someone asks for one."""

from __future__ import annotations

import io

import ipywidgets as w
import pandas as pd
import pytest
from openpyxl import load_workbook

from carework import dashboards
from carework.customer_base import build_base
from carework.dashboards.drilldown import customer_list
from carework.dashboards.filters import ViewFilters
from carework.i18n import fmt_period, label, language, t
from carework.io import load
from carework.sample import generate, write


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drill")
    write(generate(customers=800, seed=5), folder)
    return build_base(load(folder))


@pytest.fixture(scope="module")
def page(base):
    with language("vi"):
        bar = dashboards.filter_bar(base, "churn")
        views = {"segments": dashboards.segmentation_dashboard(base, bar),
                 "churn": dashboards.churn_dashboard(base, bar),
                 "kpis": dashboards.kpi_dashboard(base, bar),
                 "calls": dashboards.call_list_dashboard(base, bar)}
        yield bar, views


def widgets(root: w.Widget):
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets(child)


def test_no_page_carries_an_export_before_it_is_asked_for(page):
    bar, views = page
    for name, view in views.items():
        texts = [x.value for x in widgets(view) if isinstance(x, w.HTML)]
        assert not any("base64," in text for text in texts), name


def test_a_group_opens_on_its_customers_the_filters_keep(base, page):
    bar, views = page
    with language("vi"):
        bar.set(ViewFilters(channel="online"))
        drill = views["segments"].drill
        name = t("drill.group", name=label("regular", "group"))
        drill.show_list(name)
    table = base.table
    want = table.index[(table["rule_group"] == "regular") & (table["share_online"] > 0)]
    assert set(drill.customers["customer_id"]) == set(want) and len(want)
    assert drill.customers["value_at_risk"].is_monotonic_decreasing
    labels = [text for text, _ in drill.choice.options]
    assert any(text == f"{name} ({len(want)})" for text in labels)
    bar.set(ViewFilters(channel="online", province=table["province"].dropna().iloc[0]))
    assert set(drill.customers["customer_id"]) < set(want)  # the open list follows the filters
    bar.set(ViewFilters())


def test_the_list_exports_as_a_workbook_with_its_cover(base, page):
    bar, views = page
    with language("vi"):
        bar.set(ViewFilters(group="vip"))
        drill = views["churn"].drill
        name = t("drill.band", name=label("low", "risk_band"))
        drill.choice.value = name
        drill.show_button.click()
        assert drill.export.payload is None
        drill.export.button.click()
    book = load_workbook(io.BytesIO(drill.export.payload))
    cover, listed = book.worksheets
    cells = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
    assert cells["Nhóm khách"] == "Khách VIP" and cells[t("drill.choose", lang="vi")] == name
    assert cells["Số liệu tính đến ngày"] == base.as_of.to_pydatetime()
    ids = [row[0] for row in listed.iter_rows(min_row=2, values_only=True)]
    table = base.table
    want = table.index[(table["rule_group"] == "vip") & (table["risk_band"] == "low")]
    assert sorted(ids) == sorted(want) and len(ids)
    heads = [c.value for c in listed[1]]
    assert "Giá trị có nguy cơ mất" in heads or any("nguy cơ" in str(h) for h in heads)
    bar.set(ViewFilters())
    assert drill.export.payload is None  # the filters changed: the file is dropped


def test_kpi_cells_open_on_the_people_who_answered(base, page):
    bar, views = page
    kpis = views["kpis"]
    with language("vi"):
        period = kpis.shown.value
        name = t("drill.nps_group", name=t("nps.detractor"), period=fmt_period(period, "month"))
        kpis.drill.show_list(name)
    row = kpis.report.overview.set_index("period_label").loc[period]
    surveys = base.data.surveys
    start = row["period"]
    answered = surveys[(surveys["answered_at"] >= start)
                       & (surveys["answered_at"] < start + pd.offsets.MonthBegin(1))]
    detractors = set(answered.loc[answered["nps"] <= 6, "customer_id"])
    assert set(kpis.drill.customers["customer_id"]) == detractors & set(base.table.index)
    assert len(detractors)


def test_each_dashboard_exports_what_it_shows(base, page):
    bar, views = page
    with language("en"):
        bar.set(ViewFilters(group="regular"))
        for name in ("segments", "churn", "kpis", "calls"):
            view = views[name]
            view.download.button.click()
            assert view.download.payload, name
            book = load_workbook(io.BytesIO(view.download.payload))
            if name != "calls":
                assert book.sheetnames[0] == "About", name
                cells = {row[0]: row[1] for row in book.worksheets[0].iter_rows(
                    values_only=True) if row[0]}
                assert cells["Customer group"] == label("regular", "group"), name
    churn = load_workbook(io.BytesIO(views["churn"].download.payload)).worksheets[1]
    ids = [row[0] for row in churn.iter_rows(min_row=2, values_only=True)]
    assert set(ids) == set(base.table.index[base.table["rule_group"] == "regular"])
    bar.set(ViewFilters())


def test_customer_list_reads_the_base(base):
    some = base.table.index[:40]
    listed = customer_list(base, some)
    assert set(listed["customer_id"]) == set(some)
    facts = base.table.loc[listed["customer_id"], "spend"].to_numpy()
    assert (listed["spend"].to_numpy() == facts).all()
