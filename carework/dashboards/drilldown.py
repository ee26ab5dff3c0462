"""From a segment, a cluster, a risk band or a KPI cell to the list of its customers, and from
the list to a manager's Excel file.

Every dashboard offers the same panel under its charts: choose what to open ("VIP group",
"cluster 2", "detractors in 08/2026"…), see its customers (the most valuable at risk first),
export the full list. The ids come from the dashboard (what it counted); the panel keeps only
the customers the page's filters keep, so the list always matches the figure it explains. The
customers' facts are read from the customer base, never recomputed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as w
import pandas as pd

from carework.customer_base import CustomerBase
from carework.dashboards.common import table_html
from carework.dashboards.downloads import ExportButton, export_name
from carework.dashboards.filters import FilterBar, ViewFilters
from carework.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, label, t

SHOWN_ROWS = 30
LIST_COLUMNS = ("name", "rule_group", "stage", "risk_band", "churn_risk", "spend", "orders",
                "last_purchase", "total_clv", "value_at_risk", "open_incidents", "province",
                "main_channel")
"""The base's facts shown for each customer of a list (those the data has)."""
MONEY = ("spend", "total_clv", "value_at_risk")
CODES = {"rule_group": "group", "stage": "stage", "risk_band": "risk_band",
         "main_channel": "value"}


def customer_list(base: CustomerBase, customers: pd.Index) -> pd.DataFrame:
    """The base's facts (``LIST_COLUMNS``) of ``customers``, the largest value at risk first
    (then the largest spend), one row per customer with ``customer_id`` as a column."""
    table = base.table
    columns = [c for c in LIST_COLUMNS if c in table]
    rows = table.loc[table.index.intersection(pd.Index(customers)), columns]
    order = [c for c in ("value_at_risk", "spend") if c in rows]
    rows = rows.sort_values(order, ascending=False, na_position="last", kind="stable")
    return rows.rename_axis("customer_id").reset_index()


def _formats() -> dict[str, Callable[[object], str]]:
    money = fmt_money
    out: dict[str, Callable[[object], str]] = {c: money for c in MONEY}
    out.update(churn_risk=fmt_percent, orders=fmt_number, open_incidents=fmt_number,
               last_purchase=fmt_date)
    out.update({c: (lambda v, p=p: "" if pd.isna(v) else label(v, p))
                for c, p in CODES.items()})
    return out


class DrillDown(w.VBox):
    """The customers behind a figure: a choice of what to open, the list, and its export.

    ``set_choices({label: customer ids})`` replaces what can be opened (the dashboard calls it
    whenever its figures change); ``show_list(label)`` shows one. ``customers`` holds the list shown
    (tests read it); the export button builds the full list with a cover sheet (filters, date
    range, data as of) only when pressed.
    """

    def __init__(self, base: CustomerBase, filter_bar: FilterBar | None = None,
                 *, title_key: str = "drill.title") -> None:
        self.base, self.filter_bar = base, filter_bar
        self.title_key = title_key
        self.choices: dict[str, pd.Index] = {}
        self.customers = pd.DataFrame()
        self.chosen = ""
        style = {"description_width": "initial"}
        self.choice = w.Dropdown(options=[], description=t("drill.choose"), style=style,
                                 layout=w.Layout(width="auto", max_width="100%"))
        self.show_button = w.Button(description=t("drill.show"), icon="list",
                                    layout=w.Layout(width="auto"))
        self.summary = w.HTML()
        self.table = w.HTML()
        self.export = ExportButton(self._build, "drill.export")
        heading = w.HTML(f"<h4 style='margin:8px 0 2px'>{html.escape(t(title_key))}</h4>")
        super().__init__([heading, w.HBox([self.choice, self.show_button],
                                          layout=w.Layout(flex_flow="row wrap",
                                                          grid_gap="4px 12px")),
                          self.summary, self.table, self.export])
        self.add_class("carework-drilldown")
        self.show_button.on_click(lambda _button: self.show_list(self.choice.value))
        self.choice.observe(lambda _change: self.export.invalidate(), names="value")
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: self._refilter())

    # ----------------------------------------------------------------------------- choices
    def set_choices(self, choices: Mapping[str, pd.Index]) -> None:
        """What can be opened (``{label: customer ids}``), in the order given; the list shown
        stays open when its label is still offered (with its new customers)."""
        self.choices = {name: pd.Index(ids) for name, ids in choices.items()}
        keep = self.chosen if self.chosen in self.choices else None
        kept = self._kept_ids()
        counts = {name: len(ids) if kept is None else int(ids.isin(kept).sum())
                  for name, ids in self.choices.items()}
        self.choice.options = [(f"{name} ({fmt_number(count)})", name)
                               for name, count in counts.items() if count]  # none empty
        if keep is not None:
            if keep in dict((v, k) for k, v in self.choice.options):
                self.choice.value = keep
            self.show_list(keep)
        else:
            self._clear()

    def _filters(self) -> ViewFilters:
        return self.filter_bar.value if self.filter_bar is not None else ViewFilters()

    def _kept_ids(self) -> pd.Index | None:
        """The customers the filters keep (``None``: no customer filter)."""
        filters = self._filters()
        return filters.customers(self.base) if filters.customers_filtered else None

    def _kept(self, ids: pd.Index) -> pd.Index:
        kept = self._kept_ids()
        return ids if kept is None else ids[ids.isin(kept)]

    def _refilter(self) -> None:
        if self.chosen in self.choices:
            self.show_list(self.chosen)

    def _clear(self) -> None:
        self.chosen = ""
        self.customers = pd.DataFrame()
        self.summary.value = self.table.value = ""
        self.export.invalidate()

    # ----------------------------------------------------------------------------- list
    def show_list(self, name: str | None) -> None:
        """Show the customers of ``name`` (one of the choices) that the filters keep."""
        if not name or name not in self.choices:
            self._clear()
            return
        self.chosen = name
        self.export.invalidate()
        self.customers = customer_list(self.base, self._kept(self.choices[name]))
        self.summary.value = html.escape(t("drill.count", title=name,
                                           customers=fmt_number(len(self.customers))))
        shown = self.customers.head(SHOWN_ROWS)
        note = (f"<p style='color:#777'>{html.escape(t('drill.first_rows', rows=SHOWN_ROWS))}"
                f"</p>" if len(self.customers) > SHOWN_ROWS else "")
        self.table.value = (f"<div class='carework-scroll'>"
                            f"{table_html(shown, list(shown.columns), _formats())}</div>{note}")

    def _build(self) -> tuple[str, bytes]:
        from carework.dashboards.exports import cover
        from carework.workbook import ExportSheet, manager_workbook

        base = self.base
        title = t(self.title_key)
        sheet = ExportSheet(title=self.chosen or title, frame=self.customers,
                            money=[c for c in MONEY if c in self.customers],
                            percent=["churn_risk"] if "churn_risk" in self.customers else [],
                            translate={c: p for c, p in CODES.items() if c in self.customers},
                            note=t("drill.count", title=self.chosen,
                                   customers=fmt_number(len(self.customers))))
        book = manager_workbook([sheet], cover(base, self.filter_bar, title,
                                               {t("drill.choose"): self.chosen}))
        return export_name(f"{title} {self.chosen}", base.as_of, "xlsx"), book


__all__ = ["LIST_COLUMNS", "DrillDown", "customer_list"]
