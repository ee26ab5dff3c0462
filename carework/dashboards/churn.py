"""The churn dashboard (notebook 02_churn): who is slipping away, what they are worth.

Everything is read from the customer base (:mod:`carework.customer_base`), whose models were
fitted once when it was built; the horizon slider re-predicts (kept on the base per horizon),
another model is fitted once per base, the filters choose which customers are shown. When the
history is too thin, the dashboard shows the gate's reasons instead of numbers.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from carework import plots
from carework.cache import derived
from carework.churn.evaluation import holdout_check, period_transactions
from carework.customer_base import CustomerBase
from carework.dashboards.common import (
    as_base,
    cards,
    fmt_number,
    ready,
    show_figure,
    table_html,
)
from carework.dashboards.drilldown import DrillDown
from carework.dashboards.exports import sheet, workbook_button
from carework.dashboards.filters import FilterBar
from carework.i18n import fmt_date, fmt_money, fmt_percent, label, t
from carework.io import Dataset

HOLDOUT_DAYS = 180
SORTS = ("value_at_risk", "churn_risk", "total_clv", "expected_next_purchase")
MODEL_NAMES = ("bgnbd", "pnbd", "mbgnbd")
MATRICES = ("churn_risk", "p_alive")
TABLE_ROWS = 25


class ChurnDashboard(w.VBox):
    """Horizon slider and model choice (with a progress bar while it fits), cards, churn-risk
    and P(alive) heatmaps, the model checks (holdout by frequency, cumulative tracking, period
    transactions), the customers to look at, and the scores to export; all of the customers
    the page's filter bar keeps (:class:`carework.dashboards.filters.FilterBar`).

    ``scores`` holds the score table currently shown (tests read it).
    """

    def __init__(self, base: CustomerBase, filter_bar: FilterBar | None = None) -> None:
        self.base = base
        self.data = base.data
        self.filter_bar = filter_bar
        self.scores = pd.DataFrame()
        self.status = w.HTML()
        self.horizon = w.IntSlider(value=base.settings.churn.horizon_days, min=30, max=365,
                                   step=15,
                                   description=t("churn.horizon"),
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="420px"), continuous_update=False)
        self.sort = w.Dropdown(options=[(t(f"churn.sort.{k}"), k) for k in SORTS],
                               value=SORTS[0], description=t("churn.sort"),
                               style={"description_width": "initial"})
        self.model = w.Dropdown(options=[(t(f"churn.model.{k}"), k) for k in MODEL_NAMES],
                                value=base.model.name, description=t("churn.model"),
                                style={"description_width": "initial"})
        self.progress = w.IntProgress(value=0, min=0, max=3, description=t("churn.fitting"),
                                      style={"description_width": "initial"},
                                      layout=w.Layout(display="none"))
        self.matrix = w.ToggleButtons(options=[(t(f"churn.matrix.{k}"), k) for k in MATRICES],
                                      value=MATRICES[0], style={"button_width": "auto"})
        self.cards = w.HBox()
        self.heatmap, self.holdout, self.tracking, self.period = (w.Output() for _ in range(4))
        self.checks_note = w.HTML()
        self.table = w.HTML()
        self.drill = DrillDown(base, filter_bar)
        self.download = workbook_button(base, filter_bar, "title.churn", self._export_sheets,
                                        extra=self._export_settings)
        controls = w.HBox([self.model], layout=w.Layout(grid_gap="12px"))
        checks = w.VBox([self.checks_note, self.holdout, self.tracking, self.period])
        self.checks = w.Accordion(children=[checks], titles=(t("churn.checks"),))
        super().__init__([self.status, controls, self.horizon, self.progress, self.cards,
                          self.matrix, self.heatmap, self.checks, self.sort, self.table,
                          self.drill, self.download])
        self.horizon.observe(lambda _change: self.refresh(), names="value")
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: self.refresh())
        self.sort.observe(lambda _change: self._show_table(), names="value")
        self.matrix.observe(lambda _change: self._show_heatmap(), names="value")
        self.model.observe(lambda change: self.refit(change["new"]), names="value")
        self._checks_drawn_for: str | None = None  # drawn when the accordion is opened
        self.checks.observe(lambda _change: self._show_checks(), names="selected_index")
        self.refresh()
        ready(self)

    def refit(self, model: str) -> None:
        """Fit ``model`` to the data, then redraw everything, with a progress bar meanwhile."""
        self.progress.value, self.progress.layout.display = 0, None
        try:
            self.base = self.base.with_model(model)
            self.progress.value = 1
            self._show_checks()
            self.progress.value = 2
            self.refresh()
            self.progress.value = 3
        finally:
            self.progress.layout.display = "none"

    def _customers(self) -> pd.Index:
        if self.filter_bar is None:
            return self.base.table.index
        return self.filter_bar.value.customers(self.base)

    def refresh(self) -> None:
        self.status.value = f"<i>{html.escape(t('churn.computing'))}</i>"
        scores = self.base.scores(self.horizon.value)
        self.scores = scores[scores.index.isin(self._customers())]
        s = self.scores
        self.cards.children = cards({
            "churn.customers": fmt_number(len(s)),
            "churn.expected_purchases": fmt_number(s["expected_purchases"].sum()),
            "churn.high_risk": fmt_number((s["risk_band"] == "high").sum()),
            "churn.value_at_risk": fmt_money(s["value_at_risk"].sum(), short=True),
            "churn.predicted_clv": fmt_money(s["predicted_clv"].sum(), short=True),
        }, {"churn.high_risk": {"threshold": fmt_percent(
            self.base.settings.churn.risk_bands[1])}}).children
        self._show_heatmap()
        self._show_table()
        self._set_drill_choices()
        self.status.value = html.escape(str(self.base.gate.readiness))

    def _show_heatmap(self) -> None:
        base, model = self.base.summary, self.base.model
        rows, T = int(min(base["frequency"].quantile(0.95), 30)), float(base["T"].max())
        if self.matrix.value == "p_alive":
            figure = plots.alive_heatmap(model.p_alive_matrix(rows, T))
        else:
            figure = plots.risk_heatmap(model.risk_matrix(self.horizon.value, rows, T),
                                        self.horizon.value)
        show_figure(self.heatmap, figure)

    def _show_checks(self) -> None:
        """The model checks, for the model chosen: fitted without the last HOLDOUT_DAYS and
        judged on them, and the period transactions of the model fitted to everything. Drawn
        when the accordion is open (it starts closed: three charts nobody asked for yet)."""
        model = self.base.model
        if self.checks.selected_index is None or self._checks_drawn_for == model.name:
            return
        self._checks_drawn_for = model.name
        show_figure(self.period, plots.period_transactions(
            period_transactions(model, self.base.summary)))
        check = derived(self.base, "holdout",
                        lambda: holdout_check(self.data.transactions, HOLDOUT_DAYS,
                                              model=model.name, cache=self.base.fits),
                        model=model.name, days=HOLDOUT_DAYS)
        if check is None:
            self.checks_note.value = html.escape(t("churn.no_holdout", days=HOLDOUT_DAYS))
            self.holdout.clear_output()
            self.tracking.clear_output()
            return
        self.checks_note.value = html.escape(t("churn.checks_note", days=HOLDOUT_DAYS))
        show_figure(self.holdout, plots.holdout_buckets(check.by_frequency, HOLDOUT_DAYS))
        show_figure(self.tracking, plots.tracking_chart(check.tracking))

    def _show_table(self) -> None:
        key = self.sort.value
        top = self.scores.sort_values(key, ascending=key == "expected_next_purchase",
                                      na_position="last").head(TABLE_ROWS).reset_index()
        if "name" in self.base.table:
            top["name"] = top["customer_id"].map(self.base.table["name"])
        top["rule_group"] = top["customer_id"].map(self.base.table["rule_group"])
        columns = [c for c in ("customer_id", "name", "rule_group", "churn_risk", "risk_band",
                               "p_alive", "expected_next_purchase", "historic_clv",
                               "predicted_clv", "value_at_risk") if c in top]
        money = fmt_money
        self.table.value = (
            f"<h4>{html.escape(t('churn.table_title', rows=TABLE_ROWS))}</h4>"
            + table_html(top, columns, {
                "churn_risk": fmt_percent, "p_alive": fmt_percent,
                "risk_band": lambda v: label(v, "risk_band"),
                "rule_group": lambda v: label(v, "group"),
                "expected_next_purchase": fmt_date,
                "historic_clv": money, "predicted_clv": money, "value_at_risk": money}))
        self.download.invalidate()

    def _set_drill_choices(self) -> None:
        """Each risk band, and every customer shown, can be opened as a list."""
        scores = self.base.scores(self.horizon.value)
        choices = {t("drill.band", name=label(band, "risk_band")): scores.index[
            scores["risk_band"] == band] for band in ("high", "medium", "low")}
        choices[t("drill.shown")] = scores.index
        self.drill.set_choices(choices)

    def _export_sheets(self) -> list:
        """The scores of the customers shown, with who they are."""
        facts = [c for c in ("name", "rule_group", "province") if c in self.base.table]
        frame = self.base.table.loc[self.scores.index, facts].join(self.scores)
        frame = frame.sort_values("value_at_risk", ascending=False, na_position="last")
        return [sheet("churn.sheet.scores", frame,
                      money=["expected_spend", "historic_clv", "predicted_clv", "total_clv",
                             "value_at_risk"],
                      percent=["p_alive", "churn_risk", "churn_risk_low", "churn_risk_high"],
                      translate={"rule_group": "group", "risk_band": "risk_band"})]

    def _export_settings(self) -> dict[str, str]:
        return {t("churn.model"): t(f"churn.model.{self.base.model.name}"),
                t("churn.horizon"): fmt_number(self.horizon.value)}


def churn_dashboard(base: CustomerBase | Dataset | None,
                    filter_bar: FilterBar | None = None) -> w.Widget:
    """The churn dashboard of a customer base (the gate's reasons when it has no scores),
    showing the customers ``filter_bar`` keeps (all without one)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    if not base.has_scores:
        box = w.HTML(f"<div style='border:1px solid #f0ad4e;background:#fcf8e3;padding:10px'>"
                     f"{html.escape(' '.join(base.gate.warnings()))}</div>")
        return ready(w.VBox([box]))
    return ChurnDashboard(base, filter_bar)
