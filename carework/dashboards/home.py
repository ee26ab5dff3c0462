"""The home page (notebook 00_home): the headline figures, what changed, and the way in to
each dashboard.

Everything shown comes from :func:`carework.headline.headline` and is written by the same
functions as the static report (:mod:`carework.report`), so the two say the same. The cards
wrap onto as many rows as the screen needs (one or two per row on a phone).
"""

from __future__ import annotations

import html

import ipywidgets as w

from carework.customer_base import CustomerBase
from carework.dashboards.common import error_box, ready
from carework.dashboards.filters import FilterBar, ViewFilters, restricted
from carework.errors import DataError, ModelError
from carework.headline import Headline, data_line, headline
from carework.i18n import t
from carework.report import cards_html, changes_html, period_line

HOME = "carework-home"
DASHBOARDS = (("segmentation", "01_segmentation.ipynb"), ("churn", "02_churn.ipynb"),
              ("survey_kpis", "03_survey_kpis.ipynb"))
"""Each dashboard the home page links to: its title key (``title.<key>``, described by
``home.link.<key>``) and its notebook, relative to the home page's own address."""
FULL_WIDTH = w.Layout(width="auto", max_width="100%")


def links_html(query: str = "") -> str:
    """A link per dashboard with its one-line description; ``query`` (``lang=en``, with or
    without the ``?``) is appended to every address."""
    query = query.lstrip("?")
    suffix = f"?{query}" if query else ""
    items = "".join(
        f"<li style='margin:4px 0'><a class='carework-link' style='color:#1a5fb4;"
        f"text-decoration:underline' href='{html.escape(notebook + suffix, quote=True)}'>"
        f"<b>{html.escape(t(f'title.{key}'))}</b></a><br><span style='color:#555;font-size:13px'>"
        f"{html.escape(t(f'home.link.{key}'))}</span></li>"
        for key, notebook in DASHBOARDS)
    return f"<ul style='list-style:none;padding-left:0;margin:4px 0;line-height:1.4'>{items}</ul>"


def _heading(text: str, level: int = 3) -> str:
    return f"<h{level} style='margin:14px 0 4px'>{html.escape(text)}</h{level}>"


class HomeDashboard(w.VBox):
    """Title, the data's dates and load time, a card per headline figure, what changed since
    the previous period, and the links into the dashboards. ``headline`` holds the figures
    shown (tests and the analyst cells read it)."""

    def __init__(self, base: CustomerBase, links_query: str = "",
                 filter_bar: FilterBar | None = None) -> None:
        self.base = base
        self.filter_bar = filter_bar
        self.headline: Headline = headline(base)
        head = self.headline
        title = w.HTML(f"<h2 style='margin:4px 0'>{html.escape(t('title.home'))}</h2>",
                       layout=FULL_WIDTH)
        meta = w.HTML(f"<div style='color:#444;line-height:1.5'>{html.escape(data_line(head))}<br>"
                      f"{html.escape(period_line(head))}</div>", layout=FULL_WIDTH)
        self.cards = w.HTML(cards_html(head), layout=FULL_WIDTH)
        self.changes = w.HTML(_heading(t("home.changes_title")) + changes_html(head),
                              layout=FULL_WIDTH)
        self.links = w.HTML(_heading(t("home.links_title")) + links_html(links_query),
                            layout=FULL_WIDTH)
        super().__init__([title, meta, self.cards, self.changes, self.links],
                         layout=FULL_WIDTH)
        self.add_class(HOME)
        if filter_bar is not None:
            filter_bar.on_change(self.show)
        ready(self)

    def show(self, filters: ViewFilters) -> None:
        """The figures of the customers ``filters`` keep; the links carry the filters."""
        self.headline = head = headline(restricted(self.base, filters))
        self.cards.value = cards_html(head)
        self.changes.value = _heading(t("home.changes_title")) + changes_html(head)
        self.links.value = _heading(t("home.links_title")) + links_html(filters.query())


def home_dashboard(base: CustomerBase | None, filter_bar: FilterBar | None = None,
                   links_query: str = "") -> w.VBox:
    """The home page of a customer base (an empty box when the data could not be loaded: the
    loader's message is already shown), for the customers ``filter_bar`` keeps;
    ``links_query`` is appended to the links into the dashboards (``lang=en``)."""
    if base is None:
        return w.VBox()
    try:
        return HomeDashboard(base, links_query, filter_bar)
    except (DataError, ModelError) as exc:
        box = w.VBox([error_box(str(exc))])
        box.add_class(HOME)
        return ready(box)
