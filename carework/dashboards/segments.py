"""The segmentation dashboard (notebook 01_segmentation): the handbook's groups, the
behavioural clusters beside them, and what the rules miss.

Segments are built once when the dashboard opens (:func:`carework.segments.segment`, reading
the customer base's groups, stages and risk); the feature picker and the number of clusters
re-cluster the same customers (with a progress bar), everything else is drawn from the result.
"""

from __future__ import annotations

import html

import ipywidgets as w

from carework import plots
from carework.customer_base import CustomerBase
from carework.dashboards.common import (
    as_base,
    cards,
    download_links,
    fmt_number,
    ready,
    show_figure,
    table_html,
)
from carework.i18n import fmt_decimal, fmt_money, fmt_percent, label, t
from carework.io import Dataset
from carework.segments import Segmentation, behaviour_features, segment

AUTO = "auto"


class SegmentationDashboard(w.VBox):
    """Feature picker, number of clusters (or automatic), cards, findings, segment sizes and
    value, cluster profiles, a 2-D map of the customers, rules vs clusters, and CSV and Excel
    downloads of every customer's membership. ``result`` holds the segmentation shown (tests
    read it).
    """

    def __init__(self, result: Segmentation) -> None:
        self.result = result
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
        self.download = w.HTML()
        controls = w.HBox([self.features, w.VBox([self.k, self.run])],
                          layout=w.Layout(grid_gap="16px"))
        tabs = w.Tab(children=[w.VBox([self.groups, self.value_chart, self.rfm_table]),
                               w.VBox([self.profiles, self.map]), self.cross])
        for i, key in enumerate(("seg.tab_groups", "seg.tab_clusters", "seg.tab_compare")):
            tabs.set_title(i, t(key))
        super().__init__([self.notes, controls, self.progress, self.cards, self.findings, tabs,
                          self.download])
        self.run.on_click(lambda _button: self.recluster())
        self.refresh()
        ready(self)

    def recluster(self) -> None:
        """Cluster again with the chosen features and k, then redraw."""
        features = list(self.features.value) or None
        self.progress.value, self.progress.layout.display = 0, None
        try:
            self.result = self.result.recluster(k=self.k.value, features=features)
            self.progress.value = 1
            self.refresh()
            self.progress.value = 2
        finally:
            self.progress.layout.display = "none"

    def refresh(self) -> None:
        r = self.result
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
        short = lambda v: fmt_money(v, short=True)  # noqa: E731
        money = {"revenue": short, "customers": fmt_number, "predicted_clv": short,
                 "value_at_risk": short, "share": fmt_percent, "revenue_share": fmt_percent,
                 "churn_risk": fmt_percent}
        groups = r.value_by("rule_group")
        self.groups.value = self._table(groups, "rule_group", "group", money)
        self.rfm_table.value = self._table(r.value_by("rfm_segment"), "rfm_segment", "rfm",
                                           money)
        labelled = groups.rename(index=lambda g: label(g, "group"))
        show_figure(self.value_chart, plots.customers_and_revenue(labelled,
                                                                  t("seg.value_title")))
        profiles = clusters.profiles_.assign(
            cluster_name=lambda p: p.index.map(clusters.names_))
        columns = [c for c in ("cluster_name", "customers", "share", "revenue_share", "spend",
                               "orders", "recency_days", "churn_risk", "nps_mean", "tickets")
                   if c in profiles]
        self.profiles.value = (f"<h4>{html.escape(t('seg.profiles'))}</h4>" + table_html(
            profiles, columns, money | {"spend": short, "orders": fmt_decimal,
                                        "recency_days": lambda v: fmt_decimal(v, 0),
                                        "nps_mean": fmt_decimal, "tickets": fmt_decimal}))
        show_figure(self.map, plots.cluster_map(clusters.project(r.profile), clusters.names_))
        show_figure(self.cross, plots.rules_vs_clusters(r.crosstab))
        self.download.value = download_links(r.table, "carework_segments", "seg.download")

    @staticmethod
    def _table(frame, key: str, prefix: str, formats: dict) -> str:  # noqa: ANN001
        shown = frame.reset_index()
        shown[key] = shown[key].map(lambda v: label(v, prefix))
        columns = [c for c in (key, "customers", "share", "revenue", "revenue_share",
                               "churn_risk", "predicted_clv", "value_at_risk") if c in shown]
        return table_html(shown, columns, formats)


def _feature_label(feature: str) -> str:
    if feature.startswith("cat_"):
        return t("seg.feature.category", category=feature[4:])
    return t(f"seg.feature.{feature}")


def segmentation_dashboard(base: CustomerBase | Dataset | None) -> w.Widget:
    """The segmentation dashboard of a customer base (a message when there is too little to
    cluster)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    result = segment(base)
    if result.clusters is None:
        box = w.HTML(f"<div style='border:1px solid #f0ad4e;background:#fcf8e3;padding:10px'>"
                     f"{html.escape(' '.join(result.notes))}</div>")
        return ready(w.VBox([box]))
    return SegmentationDashboard(result)
