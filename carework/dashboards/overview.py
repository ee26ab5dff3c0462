"""Overview dashboards: what is in the data each notebook analyses, with one filter.

Each function returns an :class:`Overview` (an ipywidgets ``VBox``): a filter dropdown, headline
cards, breakdown tables and one seaborn chart, all redrawn when the filter changes. The
current filter's headline numbers are kept in ``Overview.counts`` (tests read them there).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from carework import explore, plots
from carework.dashboards.common import (
    cards,
    dropdown,
    fmt_number,
    fmt_vnd,
    ready,
    show_figure,
    table_html,
)
from carework.i18n import t
from carework.io import Dataset


class Overview(w.VBox):
    """A filterable overview. ``render(data)`` fills the parts for one filtered data set."""

    def __init__(self, data: Dataset, filter_widget: w.Dropdown,
                 select: Callable[[Dataset, str], Dataset],
                 render: Callable[[Dataset, Overview], None]) -> None:
        self.data = data
        self.filter = filter_widget
        self.counts: dict[str, float] = {}
        self.cards = w.HBox()
        self.tables = w.HTML()
        self.chart = w.Output()
        self._select, self._render = select, render
        first = explore.headline(data)
        start, end = first["first_date"], first["last_date"]
        source = t("dash.data_source", source=data.source or "—", start=f"{start:%d/%m/%Y}",
                   end=f"{end:%d/%m/%Y}", loaded=f"{data.as_of:%H:%M %d/%m/%Y}")
        note = w.HTML(f"<p style='color:#555'>{html.escape(t('dash.overview_note'))}<br>"
                      f"{html.escape(source)}{_rejects_line(data)}</p>")
        super().__init__([note, filter_widget, self.cards, self.chart, self.tables])
        filter_widget.observe(lambda _change: self.refresh(), names="value")
        self.refresh()
        ready(self)

    def refresh(self) -> None:
        selected = self._select(self.data, self.filter.value)
        self.counts = explore.headline(selected) if len(selected.transactions) else {}
        self._render(selected, self)


def _rejects_line(data: Dataset) -> str:
    if not len(data.rejects):
        return ""
    return "<br>" + html.escape(t("dash.rows_set_aside", rows=len(data.rejects)))


def _money_table(frame, key: str, translate: tuple[str, ...] = ()) -> str:
    columns = [key, "customers", "buyers", "orders", "revenue"]
    return table_html(frame, columns, {"revenue": fmt_vnd, "customers": fmt_number,
                                       "buyers": fmt_number, "orders": fmt_number}, translate)


def segmentation_overview(data: Dataset | None) -> w.Widget:
    """Who the customers are: by province filter, counts, sources, provinces, orders chart."""
    if data is None:
        return w.HTML()

    def render(selected: Dataset, view: Overview) -> None:
        c = view.counts
        view.cards.children = cards({
            "dash.customers": fmt_number(c.get("customers", c.get("buyers", 0))),
            "dash.buyers": fmt_number(c.get("buyers", 0)),
            "dash.prospects": fmt_number(c.get("prospects", float("nan"))),
            "dash.revenue": fmt_vnd(c.get("revenue", 0)),
            "dash.repeat_share": f"{c.get('repeat_share', 0):.0%}",
        }).children
        source = explore.breakdown(selected, "acquisition_source")
        province = explore.breakdown(selected, "province").head(10)
        view.tables.value = (
            f"<h4>{html.escape(t('dash.by_source'))}</h4>"
            f"{_money_table(source, 'acquisition_source', ('acquisition_source',))}"
            f"<h4>{html.escape(t('dash.by_province'))}</h4>{_money_table(province, 'province')}")
        per_customer = explore.per_customer(selected)
        show_figure(view.chart, plots.orders_per_customer(per_customer, hue="acquisition_source"))

    provinces = explore.choices(data, "customers", "province")
    return Overview(data, dropdown("dash.province", provinces, explore.ALL),
                    lambda d, v: explore.filter_data(d, province=v), render)


def churn_overview(data: Dataset | None) -> w.Widget:
    """How customers buy over time: by channel filter, counts, monthly revenue with Tết."""
    if data is None:
        return w.HTML()

    def render(selected: Dataset, view: Overview) -> None:
        c = view.counts
        view.cards.children = cards({
            "dash.orders": fmt_number(c.get("orders", 0)),
            "dash.buyers": fmt_number(c.get("buyers", 0)),
            "dash.revenue": fmt_vnd(c.get("revenue", 0)),
            "dash.repeat_share": f"{c.get('repeat_share', 0):.0%}",
        }).children
        months = explore.monthly(selected)
        recent = months.tail(12).iloc[::-1]
        view.tables.value = (
            f"<h4>{html.escape(t('dash.last_months'))}</h4>"
            + table_html(recent, ["month", "orders", "buyers", "revenue"],
                         {"month": lambda m: f"{m:%m/%Y}", "orders": fmt_number,
                          "buyers": fmt_number, "revenue": fmt_vnd}))
        show_figure(view.chart, plots.monthly_revenue(months))

    channels = explore.choices(data, "transactions", "channel")
    return Overview(data, dropdown("dash.channel", channels, explore.ALL),
                    lambda d, v: explore.filter_data(d, channel=v), render)


def _by_ticket_channel(data: Dataset, channel: str) -> Dataset:
    from dataclasses import replace

    if channel == explore.ALL or data.tickets is None or "channel" not in data.tickets:
        return data
    tickets = data.tickets[data.tickets["channel"] == channel].reset_index(drop=True)
    return replace(data, tickets=tickets)


def survey_overview(data: Dataset | None) -> w.Widget:
    """What customers say: by ticket channel filter, survey and ticket counts, NPS chart."""
    if data is None:
        return w.HTML()
    if data.surveys is None and data.tickets is None:
        return ready(w.VBox([w.HTML(html.escape(t("dash.no_table",
                                                  table=t("table.surveys"))))]))

    def render(selected: Dataset, view: Overview) -> None:
        c = view.counts
        view.cards.children = cards({
            "dash.surveys": fmt_number(c.get("surveys", float("nan"))),
            "dash.tickets": fmt_number(c.get("tickets", float("nan"))),
            "dash.open_tickets": fmt_number(c.get("open_tickets", float("nan"))),
        }).children
        tickets = explore.ticket_summary(selected)
        parts = [f"<h4>{html.escape(t('dash.by_category'))}</h4>",
                 table_html(tickets, ["category", "tickets", "open", "median_response_hours"],
                            {"median_response_hours": lambda h: f"{h:.1f}"}, ("category",))]
        if selected.surveys is not None and "comment" in selected.surveys:
            latest = (selected.surveys.dropna(subset=["comment"])
                      .sort_values("answered_at", ascending=False).head(8))
            parts += [f"<h4>{html.escape(t('dash.latest_comments'))}</h4>",
                      table_html(latest, ["answered_at", "nps", "comment"],
                                 {"answered_at": lambda d: f"{d:%d/%m/%Y}"})]
        view.tables.value = "".join(parts)
        show_figure(view.chart, plots.nps_distribution(explore.score_counts(selected)))

    channels = explore.choices(data, "tickets", "channel")
    return Overview(data, dropdown("dash.ticket_channel", channels, explore.ALL),
                    _by_ticket_channel, render)
