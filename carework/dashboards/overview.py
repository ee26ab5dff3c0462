"""Overview dashboards: what is in the data each notebook analyses, with one filter.

:func:`survey_overview` returns an :class:`Overview` (an ipywidgets ``VBox``): a filter
dropdown, headline cards, breakdown tables and one seaborn chart, all redrawn when the filter
changes. The current filter's headline numbers are kept in ``Overview.counts`` (tests read
them there).
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
