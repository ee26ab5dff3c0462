"""The segmentation dashboard (notebook 01_segmentation): the handbook's groups, the
behavioural clusters beside them, and what the rules miss.

Segments are built once when the dashboard opens (:func:`carework.segments.segment`, reading
the customer base's groups, stages and risk); the feature picker and the number of clusters
re-cluster the same customers (with a progress bar), everything else is drawn from the result.
"""

from __future__ import annotations

import html
from dataclasses import replace
from functools import partial

import ipywidgets as w
import pandas as pd

from carework import plots
from carework.cache import derived
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
from carework.dashboards.filters import FilterBar, base_segmentation
from carework.i18n import (
    compact_unit,
    fmt_decimal,
    fmt_money,
    fmt_percent,
    get_language,
    label,
    t,
)
from carework.io import Dataset
from carework.segments import Segmentation, behaviour_features
from carework.segments.compare import crosstab
from carework.segments.rules import loyalty_share

AUTO = "auto"


class SegmentationDashboard(w.VBox):
    """Feature picker, number of clusters (or automatic), cards, findings, segment sizes and
    value, cluster profiles, a 2-D map of the customers, rules vs clusters, and CSV and Excel
    downloads of every customer's membership. ``result`` holds the segmentation shown (tests
    read it).
    """

    def __init__(self, result: Segmentation, filter_bar: FilterBar | None = None) -> None:
        self.result = result
        self.filter_bar = filter_bar
        available = list(behaviour_features(result.profile).columns)
        self.features = w.SelectMultiple(
            options=[(_feature_label(f), f) for f in available],
            value=tuple(result.clusters.features_), rows=6, description=t("seg.features"),
            style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        self.k = w.Dropdown(options=[(t("seg.k_auto"), AUTO)] + [(str(k), k)
                                                                 for k in range(2, 13)],
                            value=AUTO, description=t("seg.k"),
                            style={"description_width": "initial"})
        self.run = w.Button(description=t("seg.run"), button_style="primary", icon="refresh")
        self.progress = w.IntProgress(value=0, min=0, max=2, description=t("seg.clustering"),
                                      style={"description_width": "initial"},
                                      layout=w.Layout(display="none"))
        self.cards = w.HBox()
        self.findings, self.notes = w.HTML(), w.HTML()
        self.groups, self.rfm_table, self.profiles = w.HTML(), w.HTML(), w.HTML()
        self.value_chart, self.map, self.cross = w.Output(), w.Output(), w.Output()
        self.drill = DrillDown(result.base, filter_bar)
        self.download = workbook_button(result.base, filter_bar, "title.segmentation",
                                        self._export_sheets)
        controls = w.HBox([self.features, w.VBox([self.k, self.run])],
                          layout=w.Layout(grid_gap="16px"))
        tabs = w.Tab(children=[w.VBox([self.groups, self.value_chart, self.rfm_table]),
                               w.VBox([self.profiles, self.map]), self.cross])
        for i, key in enumerate(("seg.tab_groups", "seg.tab_clusters", "seg.tab_compare")):
            tabs.set_title(i, t(key))
        super().__init__([self.notes, controls, self.progress, self.cards, self.findings, tabs,
                          self.drill, self.download])
        self.run.on_click(lambda _button: self.recluster())
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: self.refresh())
        self.refresh()
        ready(self)

    def recluster(self) -> None:
        """Cluster again with the chosen features and k, then redraw."""
        features = list(self.features.value) or None
        self.progress.value, self.progress.layout.display = 0, None
        try:
            base = self.result.base
            self.result = derived(base, "segments",
                                  lambda: self.result.recluster(k=self.k.value,
                                                                features=features),
                                  k=self.k.value, features=tuple(features or ()),
                                  lang=get_language())  # its notes and findings are words
            self.progress.value = 1
            self.refresh()
            self.progress.value = 2
        finally:
            self.progress.layout.display = "none"

    def shown(self) -> Segmentation:
        """The segmentation of the customers the filter bar keeps: the same clusters (fitted
        on every customer), their tables, crosstab and loyalty counted on those customers."""
        r = self.result
        if self.filter_bar is None or not self.filter_bar.value.customers_filtered:
            return r
        ids = self.filter_bar.value.customers(r.base)
        table = r.table[r.table.index.isin(ids)]
        cross = (crosstab(table["rule_group"], table["cluster"]) if len(table)
                 and "cluster" in table else pd.DataFrame())
        stages = table["stage"].value_counts()
        return replace(r, table=table, crosstab=cross,
                       stages={k: int(stages.get(k, 0)) for k in r.stages if k != "prospect"},
                       loyalty=loyalty_share(r.profile.loc[table.index], table)
                       if len(table) else {"customers": float("nan"), "revenue": float("nan")})

    def refresh(self) -> None:
        r = self.shown()
        clusters = r.clusters
        self.cards.children = cards({
            "seg.customers": fmt_number(len(r.table)),
            "seg.clusters": str(clusters.k_),
            "seg.stability": fmt_decimal(clusters.stability_["mean"], 2),
            "seg.ari": fmt_decimal(r.ari, 2),
            "seg.loyal_revenue": fmt_percent(r.loyalty["revenue"]),
        }).children
        items = "".join(f"<li>{html.escape(f.text)}</li>" for f in r.findings)
        self.findings.value = (f"<h4>{html.escape(t('seg.findings'))}</h4>"
                               f"<ul>{items or html.escape(t('seg.no_findings'))}</ul>")
        notes = [t("seg.loyalty", customers=fmt_percent(r.loyalty["customers"]),
                   revenue=fmt_percent(r.loyalty["revenue"])),
                 t("seg.stages", stages="; ".join(f"{label(k, 'stage')}: {fmt_number(v)}"
                                                  for k, v in r.stages.items()))]
        notes += [t("seg.unavailable", name=t(f"seg.class.{name}"), needs=needs)
                  for name, needs in r.unavailable.items()]
        notes += r.notes
        self.notes.value = "<br>".join(html.escape(n) for n in notes)
        money = {"customers": fmt_number, "share": fmt_percent, "revenue_share": fmt_percent,
                 "churn_risk": fmt_percent}
        groups = r.value_by("rule_group")
        rfm = r.value_by("rfm_segment")
        self.groups.value = self._table(groups, "rule_group", "group",
                                        money | _money_columns(groups))
        self.rfm_table.value = self._table(rfm, "rfm_segment", "rfm",
                                           money | _money_columns(rfm))
        labelled = groups.rename(index=lambda g: label(g, "group"))
        show_figure(self.value_chart, plots.customers_and_revenue(labelled,
                                                                  t("seg.value_title")))
        profiles = clusters.profiles_.assign(
            cluster_name=lambda p: p.index.map(clusters.names_))
        columns = [c for c in ("cluster_name", "customers", "share", "revenue_share", "spend",
                               "orders", "recency_days", "churn_risk", "nps_mean", "tickets")
                   if c in profiles]
        self.profiles.value = (f"<h4>{html.escape(t('seg.profiles'))}</h4>" + table_html(
            profiles, columns, money | _money_columns(profiles) | {"orders": fmt_decimal,
                                        "recency_days": lambda v: fmt_decimal(v, 0),
                                        "nps_mean": fmt_decimal, "tickets": fmt_decimal}))
        show_figure(self.map, plots.cluster_map(clusters.project(r.profile), clusters.names_))
        show_figure(self.cross, plots.rules_vs_clusters(r.crosstab))
        self.download.invalidate()
        self._set_drill_choices()

    def _set_drill_choices(self) -> None:
        """Every group, RFM segment and cluster can be opened as a list of its customers."""
        table = self.result.table
        choices = {}
        for column, key, prefix in (("rule_group", "drill.group", "group"),
                                    ("rfm_segment", "drill.segment", "rfm")):
            for code, ids in table.groupby(column, observed=True).groups.items():
                choices[t(key, name=label(code, prefix))] = pd.Index(ids)
        clusters = self.result.clusters
        if clusters is not None and "cluster" in table:
            for code, ids in table.groupby("cluster").groups.items():
                choices[t("drill.cluster", name=clusters.names_.get(code, str(code)))] = \
                    pd.Index(ids)
        self.drill.set_choices(choices)

    def _export_sheets(self) -> list:
        """The membership of every customer shown, and the group and segment tables."""
        r = self.shown()
        table = r.table.copy()
        if r.clusters is not None and "cluster" in table:
            table["cluster_name"] = table["cluster"].map(r.clusters.names_)
        money = ["revenue", "spend", "predicted_clv", "value_at_risk"]
        percent = ["share", "revenue_share", "churn_risk"]
        codes = {"rule_group": "group", "rfm_segment": "rfm", "stage": "stage",
                 "risk_band": "risk_band"}
        return [
            sheet("seg.sheet.groups", r.value_by("rule_group"), money=money, percent=percent,
                  translate=codes),
            sheet("seg.sheet.rfm", r.value_by("rfm_segment"), money=money, percent=percent,
                  translate=codes),
            sheet("seg.sheet.customers", table, money=money, percent=percent,
                  translate=codes),
        ]

    @staticmethod
    def _table(frame, key: str, prefix: str, formats: dict) -> str:  # noqa: ANN001
        shown = frame.reset_index()
        shown[key] = shown[key].map(lambda v: label(v, prefix))
        columns = [c for c in (key, "customers", "share", "revenue", "revenue_share",
                               "churn_risk", "predicted_clv", "value_at_risk") if c in shown]
        return table_html(shown, columns, formats)


def _money_columns(frame: pd.DataFrame) -> dict:
    """Compact amounts for each money column of ``frame``, one unit per column (``triệu`` or
    ``tỷ``, never both in one column)."""
    return {c: partial(fmt_money, short=True, unit=compact_unit(frame[c]))
            for c in ("revenue", "spend", "predicted_clv", "value_at_risk") if c in frame}


def _feature_label(feature: str) -> str:
    if feature.startswith("cat_"):
        return t("seg.feature.category", category=feature[4:])
    return t(f"seg.feature.{feature}")


def segmentation_dashboard(base: CustomerBase | Dataset | None,
                           filter_bar: FilterBar | None = None) -> w.Widget:
    """The segmentation dashboard of a customer base (a message when there is too little to
    cluster), showing the customers ``filter_bar`` keeps (all without one)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    result = base_segmentation(base)
    if result.clusters is None:
        box = w.HTML(f"<div style='border:1px solid #f0ad4e;background:#fcf8e3;padding:10px'>"
                     f"{html.escape(' '.join(result.notes))}</div>")
        return ready(w.VBox([box]))
    return SegmentationDashboard(result, filter_bar)
