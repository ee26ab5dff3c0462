"""The call-list tab of notebook 02_churn: today's list for the agents and capacity chosen.

Phone numbers and emails are masked on screen (the page may be shown on a shared screen); the
downloaded Excel sheet, one sheet per agent, has them in full.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import ipywidgets as w
import pandas as pd

from carework import plots
from carework.calls import plan
from carework.calls.planner import labelled
from carework.calls.sheet import write_sheet
from carework.customer_base import CustomerBase, build_base
from carework.dashboards.common import as_base, cards, fmt_number, ready, show_figure, table_html
from carework.dashboards.downloads import ExportButton, export_name
from carework.dashboards.filters import FilterBar
from carework.errors import DataError, ModelError
from carework.i18n import fmt_date, t
from carework.io import Dataset

SHOWN = 50
CHOICE_DAYS_BEFORE, CHOICE_DAYS_AFTER = 30, 7


def mask_phone(phone: object) -> str:
    """``0901234567`` → ``090****567``."""
    if not isinstance(phone, str) or len(phone) < 7:
        return ""
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]


def mask_email(email: object) -> str:
    """``lan.nguyen@example.com`` → ``l***@example.com``."""
    if not isinstance(email, str) or "@" not in email:
        return ""
    name, domain = email.split("@", 1)
    return f"{name[:1]}***@{domain}"


class CallListDashboard(w.VBox):
    """Date, agents and calls per agent, a build button (with a progress bar), cards, the
    reason mix, the list with masked contacts, the rules the data could not support, the stale
    tickets to check, and the sheet to download. The default date is the base's; another date
    builds (once) the base as of that date. ``sheet`` holds the list shown (tests read it)."""

    def __init__(self, base: CustomerBase, filter_bar: FilterBar | None = None) -> None:
        self.base = base
        self.filter_bar = filter_bar
        self._bases = {base.as_of: base}
        self.sheet = pd.DataFrame()
        style = {"description_width": "initial"}
        # the browser's own date picker writes dates its way (09/29/2026): a list of days
        # written the dashboard's way instead, from a month before the data's day to a week on
        days = pd.date_range(base.as_of - pd.Timedelta(days=CHOICE_DAYS_BEFORE),
                             base.as_of + pd.Timedelta(days=CHOICE_DAYS_AFTER))
        self.day = w.Dropdown(options=[(fmt_date(d), d.date()) for d in days],
                              value=base.as_of.date(), description=t("callsui.date"),
                              style=style, layout=w.Layout(width="auto"))
        self.agents = w.BoundedIntText(value=3, min=1, max=50, description=t("callsui.agents"),
                                       style=style, layout=w.Layout(width="170px"))
        self.per_agent = w.BoundedIntText(value=20, min=1, max=200, style=style,
                                          description=t("callsui.per_agent"),
                                          layout=w.Layout(width="200px"))
        self.build = w.Button(description=t("callsui.build"), button_style="primary",
                              icon="phone")
        self.progress = w.IntProgress(value=0, min=0, max=2, description=t("callsui.building"),
                                      style=style, layout=w.Layout(display="none"))
        self.cards, self.notes, self.table = w.HBox(), w.HTML(), w.HTML()
        self.download = ExportButton(self._sheet_file, "callsui.download")
        self.stale = w.HTML()
        self.mix = w.Output()
        controls = w.HBox([self.day, self.agents, self.per_agent, self.build],
                          layout=w.Layout(grid_gap="12px", flex_flow="row wrap"))
        super().__init__([controls, self.progress, self.cards, self.notes, self.mix,
                          self.table, self.download, self.stale])
        self.build.on_click(lambda _button: self.refresh())
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: self.refresh())
        self.refresh()
        ready(self)

    def refresh(self) -> None:
        self.progress.value, self.progress.layout.display = 0, None
        try:
            day = pd.Timestamp(self.day.value).normalize()
            if day not in self._bases:
                self._bases[day] = build_base(self.base.source, as_of=day,
                                              settings=self.base.settings)
            customers = (self.filter_bar.value.customers(self.base)
                         if self.filter_bar is not None
                         and self.filter_bar.value.customers_filtered else None)
            self.sheet = plan(self._bases[day], agents=self.agents.value,
                              per_agent=self.per_agent.value, customers=customers)
            self.progress.value = 1
            self._draw()
            self.progress.value = 2
        except (DataError, ModelError) as exc:  # e.g. a date before the first purchase
            self.notes.value = f"<b>{html.escape(str(exc))}</b>"
        finally:
            self.progress.layout.display = "none"

    def _draw(self) -> None:
        sheet, attrs = self.sheet, self.sheet.attrs
        counts = sheet["reason"].value_counts()
        self.cards.children = cards({
            "callsui.listed": fmt_number(len(sheet)),
            "callsui.incidents": fmt_number(counts.get("open_incident", 0)),
            "callsui.unhappy": fmt_number(counts.get("closed_loop", 0)),
            "callsui.excluded": fmt_number(sum(attrs["excluded"].values())),
        }).children
        notes = [attrs["as_of_label"], *attrs["warnings"], t("callsui.masked"),
                 *attrs["not_applied"]]
        self.notes.value = "<br>".join(html.escape(n) for n in notes)
        show_figure(self.mix, plots.reason_mix(counts))
        shown = labelled(sheet.head(SHOWN))
        if "phone" in shown:
            shown["phone"] = shown["phone"].map(mask_phone)
        self.table.value = table_html(
            shown, [c for c in ("priority", "agent", "window", "customer_id", "name", "phone",
                                "reason", "talking_points") if c in shown]
        ).replace("\n", "<br>")
        stale = pd.DataFrame(attrs["stale_tickets"])
        self.stale.value = "" if stale.empty else (
            f"<h4>{html.escape(t('callsui.stale', tickets=fmt_number(len(stale))))}</h4>"
            + table_html(stale, [c for c in ("ticket_id", "customer_id", "opened_at",
                                             "open_days", "category", "agent") if c in stale],
                         {"opened_at": fmt_date, "open_days": fmt_number}, ("category",)))
        self.download.invalidate()

    def _sheet_file(self) -> tuple[str, bytes]:
        """The call sheet of the list shown (one sheet per agent, contacts in full)."""
        day = pd.Timestamp(self.sheet.attrs["as_of"])
        name = export_name(t("callsui.file_stem"), day, "xlsx")
        with tempfile.TemporaryDirectory() as folder:
            return name, write_sheet(self.sheet, Path(folder) / name).read_bytes()


def call_list_dashboard(base: CustomerBase | Dataset | None,
                        filter_bar: FilterBar | None = None) -> w.Widget:
    """The call-list tab of a customer base: calls to the customers ``filter_bar`` keeps
    (everyone without one)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    return CallListDashboard(base, filter_bar)


def tabs(pages: dict[str, w.Widget]) -> w.Tab:
    """Widgets as tabs titled from the i18n table (``{key: widget}``)."""
    tab = w.Tab(children=list(pages.values()))
    for i, key in enumerate(pages):
        tab.set_title(i, t(key))
    return tab
