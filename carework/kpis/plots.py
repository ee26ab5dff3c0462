"""KPI figures: trends with their 95% bands, the root-cause Pareto chart and the driver
quadrant. Each function returns a matplotlib ``Figure``; labels come from i18n, periods from
:func:`carework.i18n.fmt_period`, tick numbers from :mod:`carework.plots`' locale ticks.

What a chart does not claim: a star marks a change only where it was tested and is
significant (never on a period or group below ``[kpis] min_answers``); a rate that is undefined
(``crr_undefined``) is a gap over a grey band with its reason under the chart, never a point at
0 or −100%; the driver quadrant's height is the points lost when an experience happens
(−effect), in the outcome's own unit, so a driver that lowers the score is drawn above 0."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from carework.i18n import fmt_period, label, t
from carework.plots import number_ticks

FACTOR_COLOURS = {"product": "#4c72b0", "convenience": "#dd8452", "people": "#c44e52",
                  "other": "#8c8c8c"}
QUADRANT_COLOURS = {"fix_first": "#c0392b", "keep_up": "#27ae60", "watch": "#f39c12",
                    "maintain": "#7f8c8d"}


def _band(ax: plt.Axes, frame: pd.DataFrame, kpi: str, colour: str) -> None:
    x = np.arange(len(frame))
    ax.fill_between(x, frame[f"{kpi}_low"], frame[f"{kpi}_high"], color=colour, alpha=0.2,
                    linewidth=0, label=t("plot.kpi.band"))
    ax.plot(x, frame[kpi], marker="o", color=colour, label=t(f"plot.kpi.{kpi}"))
    partial = frame["partial"].to_numpy(dtype=bool)
    if partial.any():
        ax.plot(x[partial], frame.loc[partial, kpi], "o", markerfacecolor="white",
                color=colour, label=t("plot.kpi.partial"))
    marks = _starred(frame, kpi)
    if marks.any():
        ax.plot(x[marks], frame.loc[marks, kpi], "*", markersize=13, color="#2c3e50",
                label=t("plot.kpi.significant"))


def _starred(frame: pd.DataFrame, kpi: str) -> np.ndarray:
    """Where a star goes: a tested, significant change, with enough answers on both sides."""
    def column(name: str, default: object) -> pd.Series:
        return frame[name] if name in frame else pd.Series(default, index=frame.index)

    significant = column(f"{kpi}_significant", False).fillna(False).astype(bool)
    too_few = column(f"{kpi}_too_few", False).fillna(False).astype(bool)
    untested = column(f"{kpi}_untested", None).notna()
    return (significant & ~too_few & ~untested).to_numpy(dtype=bool)


def period_names(labels: pd.Series) -> list[str]:
    """The periods of a KPI table (its ``period_label`` keys) as the reader writes them."""
    return [fmt_period(key) for key in labels]


def _ticks(axes: list[plt.Axes], labels: list[str]) -> None:
    step = max(len(labels) // 12, 1)
    for ax in axes:
        ax.set_xticks(np.arange(len(labels))[::step], labels[::step], rotation=45,
                      ha="right", fontsize=8)
        number_ticks(ax.yaxis)


def _undefined_rates(ax: plt.Axes, frame: pd.DataFrame, labels: list[str]) -> None:
    """Grey bands over the periods whose rates are undefined, and their reasons below."""
    if "crr_undefined" not in frame:
        return
    reasons = frame["crr_undefined"]
    notes = []
    for reason in pd.unique(reasons.dropna()):
        where = np.flatnonzero((reasons == reason).to_numpy())
        for i in where:
            ax.axvspan(i - 0.5, i + 0.5, color="#bbbbbb", alpha=0.25, linewidth=0)
        shown = [labels[i] for i in where]
        periods = shown[0] if len(shown) == 1 else f"{shown[0]} – {shown[-1]}"
        notes.append(t("plot.kpi.undefined_note", periods=periods, reason=label(reason, "why")))
    if notes:
        ax.set_xlabel("\n".join(textwrap.fill(n, 95) for n in notes), fontsize=7,
                      color="#555")


def kpi_trends(overview: pd.DataFrame) -> Figure:
    """NPS and CSAT with 95% bands (starred where the change was tested and is significant),
    the customer retention rates (undefined periods greyed, with the reason), and the service
    times, per period."""
    fig, axes = plt.subplots(2, 2, figsize=(12, 7))
    frame = overview.reset_index(drop=True)
    labels = period_names(frame["period_label"])
    (a_nps, a_csat), (a_rate, a_time) = axes
    if "nps" in frame:
        _band(a_nps, frame, "nps", "#2a6ebb")
        a_nps.axhline(0, color="#999", linewidth=0.8)
    a_nps.set(title=t("plot.kpi.nps_title"), ylabel=t("plot.kpi.nps"))
    if "csat" in frame:
        _band(a_csat, frame, "csat", "#2e8b57")
    a_csat.set(title=t("plot.kpi.csat_title"), ylabel="%")
    x = np.arange(len(frame))
    for column, colour in (("retention_rate", "#2e8b57"), ("lost_rate", "#c0392b"),
                           ("churn_rate", "#8e44ad")):
        if column in frame:
            a_rate.plot(x, frame[column], marker="o", color=colour,
                        label=t(f"plot.kpi.{column}"))
    a_rate.axhline(0, color="#999", linewidth=0.8)
    _undefined_rates(a_rate, frame, labels)
    a_rate.set(title=t("plot.kpi.rates_title"), ylabel="%")
    for column, colour in (("frt_median_h", "#2a6ebb"), ("atht_median_h", "#dd8452"),
                           ("atht_p90_h", "#c44e52")):
        if column in frame:
            a_time.plot(x, frame[column], marker="o", color=colour,
                        label=t(f"plot.kpi.{column}"))
    a_time.set(title=t("plot.kpi.service_title"), ylabel=t("plot.kpi.hours"))
    for ax in axes.flat:
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="best")
    _ticks(list(axes.flat), labels)
    fig.tight_layout()
    return fig


def pareto(table: pd.DataFrame, source: str = "comments") -> Figure:
    """Complaints by topic, most frequent first, coloured by root-cause factor, with the
    cumulative share (the 80% line marks the few causes behind most complaints)."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    rows = table[table["source"] == source].reset_index(drop=True)
    if len(rows):
        x = np.arange(len(rows))
        colours = [FACTOR_COLOURS.get(f, "#8c8c8c") for f in rows["factor"]]
        ax.bar(x, rows["count"], color=colours)
        ax.set_xticks(x, [label(v) for v in rows["topic"]], rotation=35, ha="right",
                      fontsize=9)
        twin = ax.twinx()
        twin.plot(x, rows["cumulative_share"], color="#2c3e50", marker="o")
        twin.axhline(80, color="#999", linestyle="--", linewidth=0.8)
        twin.set_ylim(0, 105)
        twin.set_ylabel(t("plot.kpi.cumulative"))
        number_ticks(twin.yaxis)
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for f, c in FACTOR_COLOURS.items()
                   if f in set(rows["factor"])]
        names = [label(f, "factor") for f in FACTOR_COLOURS if f in set(rows["factor"])]
        ax.legend(handles, names, fontsize=8, loc="center right")
    ax.set(ylabel=t("plot.kpi.complaints"), title=t(f"plot.kpi.pareto_{source}"))
    number_ticks(ax.yaxis)
    fig.tight_layout()
    return fig


def driver_quadrant(table: pd.DataFrame, outcome: str | None = None) -> Figure:
    """Importance against performance (% of ticketed answers spared it): the top-left quadrant
    is what to fix first.

    Importance is ``table["importance"]`` = −effect: the points of the outcome (``outcome``,
    default ``table.attrs["outcome"]``, else ``"nps"``) lost when the experience happens, so
    a driver that lowers the score stands above 0 and one that raises it below, and the axis
    says so in the outcome's unit.
    """
    outcome = outcome or table.attrs.get("outcome", "nps")
    fig, ax = plt.subplots(figsize=(9, 5.5))
    if len(table):
        frame = table.reset_index()
        sns.scatterplot(data=frame, x="performance", y="importance", hue="quadrant",
                        palette=QUADRANT_COLOURS, s=120, ax=ax, legend=False)
        for rec in frame.itertuples(index=False):
            ax.annotate(label(rec.driver, "driver"), (rec.performance, rec.importance),
                        textcoords="offset points", xytext=(6, 4), fontsize=8)
        ax.margins(x=0.25, y=0.12)  # room for the labels
        ax.axvline(frame["performance"].mean(), color="#999", linestyle="--", linewidth=0.8)
        ax.axhline(frame["importance"].mean(), color="#999", linestyle="--", linewidth=0.8)
        if (frame["importance"] < 0).any():
            ax.axhline(0, color="#555", linewidth=0.8)
            ax.annotate(t("plot.kpi.raises_score"), (0.01, 0),
                        xycoords=("axes fraction", "data"), textcoords="offset points",
                        xytext=(0, -4), ha="left", va="top", fontsize=8, color="#555")
        for name, (x, y, ha, va) in {"fix_first": (0.01, 0.99, "left", "top"),
                                     "keep_up": (0.99, 0.99, "right", "top"),
                                     "watch": (0.01, 0.01, "left", "bottom"),
                                     "maintain": (0.99, 0.01, "right", "bottom")}.items():
            ax.text(x, y, label(name, "quadrant"), transform=ax.transAxes, ha=ha, va=va,
                    color=QUADRANT_COLOURS[name], fontsize=10, fontweight="bold")
    ax.set(xlabel=t("plot.kpi.performance"), ylabel=t(f"plot.kpi.importance_{outcome}"),
           title=t("plot.kpi.quadrant_title"))
    number_ticks(ax.xaxis)
    number_ticks(ax.yaxis)
    fig.tight_layout()
    return fig
