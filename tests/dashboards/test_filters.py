"""The filters every dashboard shares: their address, which customers they keep, and every
dashboard showing exactly those customers."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carework import dashboards, explore
from carework.customer_base import build_base
from carework.dashboards.filters import ALL, FilterBar, ViewFilters, filter_data, rfm_segments
from carework.io import load
from carework.kpis.report import kpi_report
from carework.sample import generate, write


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("filters")
    write(generate(customers=800, seed=11), folder)
    return build_base(load(folder))  # enough customers for the churn scores


WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=12)


@given(group=WORDS, province=WORDS, start=st.integers(0, 30), length=st.integers(0, 30))
def test_the_address_round_trips_any_filter(group, province, start, length):
    first = pd.Period("2024-01", freq="M") + start
    filters = ViewFilters(start=first.start_time, end=(first + length).end_time.normalize(),
                          group=group, province=province)
    assert ViewFilters.from_query(filters.query()) == filters


def test_an_old_or_mangled_address_still_opens():
    assert ViewFilters.from_query("") == ViewFilters()
    assert ViewFilters.from_query("?from=2026-13&to=soon&colour=red&group=") == ViewFilters()
    assert ViewFilters.from_query("from=2026-02").start == pd.Timestamp("2026-02-01")
    assert ViewFilters.from_query("to=2026-02").end == pd.Timestamp("2026-02-28")


def test_customers_are_those_of_every_filter_at_once(base):
    table = base.table
    group = table["rule_group"].value_counts().index[0]
    province = table["province"].dropna().value_counts().index[0]
    filters = ViewFilters(group=group, province=province, channel="online", segment="loyal")
    want = table.index[(table["rule_group"] == group) & (table["province"] == province)
                       & (table["share_online"] > 0)
                       & (rfm_segments(base).reindex(table.index) == "loyal")]
    got = filters.customers(base)
    assert len(got) > 0 and set(got) == set(want)
    assert len(ViewFilters().customers(base)) == len(table)
    # the channel filter means what the explore module means by it: bought through it
    online = explore.filter_data(base.data, channel="online").transactions["customer_id"]
    assert set(ViewFilters(channel="online").customers(base)) == set(online)


def test_filtered_data_keeps_the_customers_and_the_months(base):
    filters = ViewFilters(start=pd.Timestamp("2025-03-01"), end=pd.Timestamp("2025-05-31"),
                          group="vip")
    data = filter_data(base, filters)
    ids = set(filters.customers(base))
    tx = data.transactions
    assert set(tx["customer_id"]) <= ids and len(tx)
    assert tx["purchased_at"].min() >= filters.start
    assert tx["purchased_at"].max() < filters.end + pd.Timedelta(days=1)
    assert set(data.customers["customer_id"]) <= ids  # customers are not dated


def test_the_bar_writes_the_address_and_carries_it_in_the_links(base):
    bar = FilterBar(base, "churn")
    assert 'data-query=\'\'' in bar.state.value
    bar.set(ViewFilters.from_query("group=vip&from=2025-01&to=2025-06&province=nowhere"))
    value = bar.value
    assert value.group == "vip" and value.province == ALL  # a value the data lacks: all
    assert value.start == pd.Timestamp("2025-01-01") and value.end == pd.Timestamp("2025-06-30")
    query = value.query()
    assert f"data-query='{query}'" in bar.state.value.replace("&amp;", "&")
    links = re.findall(r"href='([^']+)'", bar.links.value)
    assert {link.split("?")[0] for link in links} == {
        "00_home.ipynb", "01_segmentation.ipynb", "03_survey_kpis.ipynb"}
    assert all(link.replace("&amp;", "&").endswith("?" + query) for link in links)
    seen = []
    bar.on_change(seen.append)
    bar.reset.click()
    assert seen == [ViewFilters()] and "href='01_segmentation.ipynb'" in bar.links.value


def test_every_dashboard_shows_the_filtered_customers(base):
    bar = dashboards.filter_bar(base, "churn")
    churn = dashboards.churn_dashboard(base, bar)
    calls = dashboards.call_list_dashboard(base, bar)
    segments = dashboards.segmentation_dashboard(base, bar)
    kpis = dashboards.kpi_dashboard(base, bar)
    assert len(churn.scores) == len(base.table)
    bar.set(ViewFilters(group="regular", channel="online"))
    ids = set(bar.value.customers(base))
    assert 0 < len(ids) < len(base.table)
    assert set(churn.scores.index) == ids
    assert set(calls.sheet["customer_id"]) <= ids and len(calls.sheet)
    shown = segments.shown()
    assert set(shown.table.index) == ids
    assert shown.crosstab.loc["total", "total"] == len(ids)
    # the KPIs of the filtered customers are those of their data, computed directly
    direct = kpi_report(filter_data(base, bar.value), "month", active_days=90)
    assert kpis.report.overview["cs"].tolist() == direct.overview["cs"].tolist()
    assert set(kpis.comments_shown["customer_id"]) <= ids


def test_the_months_choose_the_kpi_periods_shown(base):
    bar = dashboards.filter_bar(base, "survey_kpis")
    kpis = dashboards.kpi_dashboard(base, bar)
    every = [v for _, v in kpis.shown.options]
    bar.set(ViewFilters(start=pd.Timestamp("2025-04-01"), end=pd.Timestamp("2025-06-30")))
    shown = [v for _, v in kpis.shown.options]
    assert len(shown) == 3 < len(every) and kpis.shown.value == shown[0]
    answered = kpis.comments_shown["answered_at"]
    assert answered.min() >= pd.Timestamp("2025-04-01")
    assert answered.max() < pd.Timestamp("2025-07-01")


def test_the_address_is_read_without_importing_voila(monkeypatch):
    import subprocess
    import sys

    code = ("import os, sys; from carework.dashboards.filters import page_query; "
            "print(page_query()); print('voila' in sys.modules)")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("VOILA")}
    env["QUERY_STRING"] = "group=vip&channel=online"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["group=vip&channel=online", "False"]  # 1.5 s of imports saved per kernel
    env.pop("QUERY_STRING")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == ["", "False"]  # JupyterLab, nbmake: no address, no wait
