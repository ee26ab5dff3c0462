"""The call-list tab of notebook 02_churn: today's list for the agents and capacity chosen.

Phone numbers and emails are masked on screen (the page may be shown on a shared screen); the
downloaded Excel sheet, one sheet per agent, has them in full.
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

import ipywidgets as w
import pandas as pd

from carework import plots
from carework.calls import plan
from carework.calls.sheet import write_sheet
from carework.dashboards.common import cards, fmt_number, ready, show_figure, table_html
from carework.i18n import t
from carework.io import Dataset

SHOWN = 50


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
    reason mix, the list with masked contacts, the rules the data could not support, and the
    sheet to download. ``sheet`` holds the list shown (tests read it)."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.sheet = pd.DataFrame()
        last = data.transactions["purchased_at"].max()
        style = {"description_width": "initial"}
        self.day = w.DatePicker(value=last.date(), description=t("callsui.date"), style=style)
        self.agents = w.BoundedIntText(value=3, min=1, max=50, description=t("callsui.agents"),
                                       style=style, layout=w.Layout(width="170px"))
        self.per_agent = w.BoundedIntText(value=20, min=1, max=200, style=style,
                                          description=t("callsui.per_agent"),
                                          layout=w.Layout(width="200px"))
        self.build = w.Button(description=t("callsui.build"), button_style="primary",
                              icon="phone")
        self.progress = w.IntProgress(value=0, min=0, max=2, description=t("callsui.building"),
                                      style=style, layout=w.Layout(display="none"))
        self.cards, self.notes, self.table, self.download = w.HBox(), w.HTML(), w.HTML(), \
            w.HTML()
        self.mix = w.Output()
        controls = w.HBox([self.day, self.agents, self.per_agent, self.build],
                          layout=w.Layout(grid_gap="12px", flex_flow="row wrap"))
        super().__init__([controls, self.progress, self.cards, self.notes, self.mix,
                          self.table, self.download])
        self.build.on_click(lambda _button: self.refresh())
        self.refresh()
        ready(self)

    def refresh(self) -> None:
        self.progress.value, self.progress.layout.display = 0, None
        try:
            self.sheet = plan(self.data, pd.Timestamp(self.day.value), self.agents.value,
                              self.per_agent.value)
            self.progress.value = 1
            self._draw()
            self.progress.value = 2
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
        notes = [t("callsui.masked"), *attrs["not_applied"]]
        self.notes.value = "<br>".join(html.escape(n) for n in notes)
        show_figure(self.mix, plots.reason_mix(counts))
        shown = sheet.head(SHOWN).assign(phone=sheet["phone"].map(mask_phone))
        self.table.value = table_html(
            shown, ["priority", "agent", "window", "customer_id", "name", "phone",
                    "reason_label", "talking_points"]).replace("\n", "<br>")
        with tempfile.TemporaryDirectory() as folder:
            payload = base64.b64encode(
                write_sheet(sheet, Path(folder) / "calls.xlsx").read_bytes()).decode()
        day = pd.Timestamp(attrs["as_of"])
        self.download.value = (
            f"<a download='carework_calls_{day:%Y%m%d}.xlsx' href='data:application/"
            f"vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{payload}'>"
            f"{html.escape(t('callsui.download'))}</a>")


def call_list_dashboard(data: Dataset | None) -> w.Widget:
    """The call-list tab for ``data``."""
    if data is None:
        return w.HTML()
    return CallListDashboard(data)


def tabs(pages: dict[str, w.Widget]) -> w.Tab:
    """Widgets as tabs titled from the i18n table (``{key: widget}``)."""
    tab = w.Tab(children=list(pages.values()))
    for i, key in enumerate(pages):
        tab.set_title(i, t(key))
    return tab
