"""The churn dashboard (notebook 02_churn): who is slipping away, what they are worth.

Models are fitted once when the dashboard opens (:func:`carework.churn.scores.prepare`); the
horizon slider re-predicts, the filters choose which customers are shown. When the history is
too thin, the dashboard shows the readiness reasons instead of numbers.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from carework import explore, plots
from carework.churn.evaluation import holdout_check, period_transactions
from carework.churn.scores import Scoring, prepare
from carework.dashboards.common import (
    cards,
    download_links,
    dropdown,
    fmt_number,
    fmt_vnd,
    ready,
    show_figure,
    table_html,
)
from carework.i18n import t
from carework.io import Dataset

HOLDOUT_DAYS = 180
SORTS = ("value_at_risk", "churn_risk", "total_clv", "expected_next_purchase")
MODEL_NAMES = ("bgnbd", "pnbd", "mbgnbd")
MATRICES = ("churn_risk", "p_alive")
HIGH_RISK = 0.7
TABLE_ROWS = 25


class ChurnDashboard(w.VBox):
    """Horizon slider, channel and province filters, model choice (with a progress bar while
    it fits), cards, churn-risk and P(alive) heatmaps, the model checks (holdout by frequency,
    cumulative tracking, period transactions), the customers to look at, and CSV and Excel
    downloads of the scores shown.

    ``scores`` holds the score table currently shown (tests read it).
    """

    def __init__(self, data: Dataset, scoring: Scoring) -> None:
        self.data, self.scoring = data, scoring
        self.scores = pd.DataFrame()
        self.status = w.HTML()
        self.horizon = w.IntSlider(value=90, min=30, max=365, step=15,
                                   description=t("churn.horizon"),
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="420px"), continuous_update=False)
        self.channel = dropdown("dash.channel", explore.choices(data, "transactions", "channel"),
                                explore.ALL)
        self.province = dropdown("dash.province",
                                 explore.choices(data, "customers", "province"), explore.ALL)
        self.sort = w.Dropdown(options=[(t(f"churn.sort.{k}"), k) for k in SORTS],
                               value=SORTS[0], description=t("churn.sort"),
                               style={"description_width": "initial"})
        self.model = w.Dropdown(options=[(t(f"churn.model.{k}"), k) for k in MODEL_NAMES],
                                value=scoring.model.name, description=t("churn.model"),
                                style={"description_width": "initial"})
        self.progress = w.IntProgress(value=0, min=0, max=3, description=t("churn.fitting"),
                                      style={"description_width": "initial"},
                                      layout=w.Layout(display="none"))
        self.matrix = w.ToggleButtons(options=[(t(f"churn.matrix.{k}"), k) for k in MATRICES],
                                      value=MATRICES[0], style={"button_width": "auto"})
        self.cards = w.HBox()
        self.heatmap, self.holdout, self.tracking, self.period = (w.Output() for _ in range(4))
        self.checks_note = w.HTML()
        self.table, self.download = w.HTML(), w.HTML()
        controls = w.HBox([self.channel, self.province, self.model],
                          layout=w.Layout(grid_gap="12px"))
        checks = w.VBox([self.checks_note, self.holdout, self.tracking, self.period])
        self.checks = w.Accordion(children=[checks], titles=(t("churn.checks"),))
        super().__init__([self.status, controls, self.horizon, self.progress, self.cards,
                          self.matrix, self.heatmap, self.checks, self.sort, self.table,
                          self.download])
        for widget in (self.horizon, self.channel, self.province):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.sort.observe(lambda _change: self._show_table(), names="value")
        self.matrix.observe(lambda _change: self._show_heatmap(), names="value")
        self.model.observe(lambda change: self.refit(change["new"]), names="value")
        self._show_checks()
        self.refresh()
        ready(self)

    def refit(self, model: str) -> None:
        """Fit ``model`` to the data, then redraw everything, with a progress bar meanwhile."""
        self.progress.value, self.progress.layout.display = 0, None
        try:
            self.scoring = self.scoring.with_model(model)
            self.progress.value = 1
            self._show_checks()
            self.progress.value = 2
            self.refresh()
            self.progress.value = 3
        finally:
            self.progress.layout.display = "none"

    def _customers(self) -> pd.Index:
        chosen = explore.filter_data(self.data, province=self.province.value,
                                     channel=self.channel.value)
        return pd.Index(chosen.transactions["customer_id"].unique())

    def refresh(self) -> None:
        self.status.value = f"<i>{html.escape(t('churn.computing'))}</i>"
        scores = self.scoring.scores(self.horizon.value)
        self.scores = scores[scores.index.isin(self._customers())].assign(
            value_at_risk=lambda s: s["historic_clv"] * s["churn_risk"])
        s = self.scores
        self.cards.children = cards({
            "churn.customers": fmt_number(len(s)),
            "churn.expected_purchases": fmt_number(s["expected_purchases"].sum()),
            "churn.high_risk": fmt_number((s["churn_risk"] >= HIGH_RISK).sum()),
            "churn.predicted_clv": fmt_vnd(s["predicted_clv"].sum()),
        }).children
        self._show_heatmap()
        self._show_table()
        self.status.value = html.escape(str(self.scoring.readiness))

    def _show_heatmap(self) -> None:
        base, model = self.scoring.base, self.scoring.model
        rows, T = int(min(base["frequency"].quantile(0.95), 30)), float(base["T"].max())
        if self.matrix.value == "p_alive":
            figure = plots.alive_heatmap(model.p_alive_matrix(rows, T))
        else:
            figure = plots.risk_heatmap(model.risk_matrix(self.horizon.value, rows, T),
                                        self.horizon.value)
        show_figure(self.heatmap, figure)

    def _show_checks(self) -> None:
        """The model checks, for the model chosen: fitted without the last HOLDOUT_DAYS and
        judged on them, and the period transactions of the model fitted to everything."""
        model = self.scoring.model
        show_figure(self.period, plots.period_transactions(
            period_transactions(model, self.scoring.base)))
        check = holdout_check(self.data.transactions, HOLDOUT_DAYS, model=model.name)
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
        if self.data.customers is not None and "name" in self.data.customers:
            names = self.data.customers.set_index("customer_id")["name"]
            top["name"] = top["customer_id"].map(names)
        columns = [c for c in ("customer_id", "name", "churn_risk", "p_alive",
                               "expected_next_purchase", "historic_clv", "predicted_clv",
                               "value_at_risk") if c in top]
        percent = "{:.0%}".format
        self.table.value = (
            f"<h4>{html.escape(t('churn.table_title', rows=TABLE_ROWS))}</h4>"
            + table_html(top, columns, {
                "churn_risk": percent, "p_alive": percent,
                "expected_next_purchase": lambda d: "" if pd.isna(d) else f"{d:%d/%m/%Y}",
                "historic_clv": fmt_vnd, "predicted_clv": fmt_vnd, "value_at_risk": fmt_vnd}))
        self.download.value = download_links(self.scores, "carework_scores", "churn.download")


def churn_dashboard(data: Dataset | None) -> w.Widget:
    """The churn dashboard for ``data`` (shows the readiness reasons when the history is thin)."""
    if data is None:
        return w.HTML()
    scoring = prepare(data.transactions)
    if scoring.model is None:
        box = w.HTML(f"<div style='border:1px solid #f0ad4e;background:#fcf8e3;padding:10px'>"
                     f"{html.escape(str(scoring.readiness))}</div>")
        return ready(w.VBox([box]))
    return ChurnDashboard(data, scoring)
