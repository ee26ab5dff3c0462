"""The home page (carework.dashboards.home): it builds from the headline, shows "—" with the
reason where the data cannot give a figure, and its links carry the page's query."""

from __future__ import annotations

import re
from dataclasses import replace

import ipywidgets as w
import pytest

from carework import dashboards
from carework.customer_base import build_base
from carework.dashboards.common import READY
from carework.dashboards.home import DASHBOARDS, HOME, links_html
from carework.headline import complete_periods, figure_text, headline
from carework.i18n import language, t


@pytest.fixture(scope="module")
def base(data):
    return build_base(data)


def shown(view: w.Widget) -> str:
    """Every HTML text of the page, unescaped enough to compare with figure texts."""
    parts = []
    for child in view.children:
        parts.append(getattr(child, "value", ""))
    return "\n".join(parts).replace("&amp;", "&")


def test_the_home_page_shows_every_figure_of_the_headline(base):
    view = dashboards.home_dashboard(base)
    assert READY in view._dom_classes and HOME in view._dom_classes
    head = view.headline
    assert head == headline(base)  # nothing of its own: the headline, as built
    text = shown(view)
    assert t("title.home") in text
    for figure in head.figures:
        assert figure_text(figure) in text, figure.key
        assert t(f"home.figure.{figure.key}") in text
    assert head.period_label in text and head.previous_label in text
    for line in head.changes:
        assert line in text
    assert text.count("class='carework-card'") == len(head.figures)


def test_an_undefined_figure_is_a_dash_with_its_reason(data):
    view = dashboards.home_dashboard(build_base(replace(data, surveys=None)))
    assert READY in view._dom_classes
    cards = view.cards.value
    for key in ("nps", "csat"):
        card = re.search(rf"data-figure='{key}'.*?</div></div>", cards, re.S).group(0)
        assert ">—</div>" in card
        assert t("home.reason.no_surveys") in card


def test_links_carry_the_query(base):
    view = dashboards.home_dashboard(base, links_query="group=vip&from=2026-01")
    hrefs = re.findall(r"href='([^']*)'", view.links.value)
    assert hrefs == [f"{notebook}?group=vip&amp;from=2026-01" for _, notebook in DASHBOARDS]
    assert all(not href.startswith(("/", "http")) for href in hrefs)  # relative
    plain = re.findall(r"href='([^']*)'", links_html())
    assert plain == [notebook for _, notebook in DASHBOARDS]
    assert re.findall(r"href='([^']*)'", links_html("?lang=en"))[0] == \
        "01_segmentation.ipynb?lang=en"
    for key, _notebook in DASHBOARDS:
        assert t(f"title.{key}") in view.links.value and t(f"home.link.{key}") in \
            view.links.value


def test_a_query_cannot_break_out_of_the_link(base):
    links = links_html("x='><script>alert(1)</script>")
    assert "<script>" not in links and "&#x27;&gt;&lt;script&gt;" in links


def test_the_page_follows_the_language(base):
    with language("en"):
        view = dashboards.home_dashboard(base)
        text = shown(view)
    assert "Customer care at a glance" in text and "Go deeper" in text
    assert t("title.home", lang="vi") not in text


def test_no_data_no_page():
    view = dashboards.home_dashboard(None)
    assert isinstance(view, w.VBox) and view.children == ()


def test_the_home_page_follows_the_filters(tmp_path):
    import carework
    from carework.dashboards.filters import ViewFilters, restricted
    from carework.sample import generate, write

    write(generate(customers=800, seed=4), tmp_path)
    base = build_base(carework.load(tmp_path))
    bar = dashboards.filter_bar(base, "home", months=False)
    view = dashboards.home_dashboard(base, bar)
    everyone = view.headline.figure("active_customers").value
    bar.set(ViewFilters(group="regular"))
    regular = base.table[base.table["rule_group"] == "regular"]
    assert view.headline.figure("active_customers").value == (regular["stage"] == "active").sum()
    assert view.headline.figure("active_customers").value < everyone
    direct = headline(restricted(base, bar.value))
    assert view.headline.figure("revenue").value == direct.figure("revenue").value
    last, _ = complete_periods(base.as_of)
    tx = base.data.transactions
    bought = tx[tx["customer_id"].isin(regular.index)
                & (tx["purchased_at"].dt.to_period("M") == last)]
    assert len(bought) and view.headline.figure("revenue").value == pytest.approx(
        bought["amount"].sum())
    assert "group=regular" in view.links.value
