"""Figures (seaborn on matplotlib). Each function returns a ``Figure``; labels come from i18n.

Every tick, annotation and label a reader sees is written by :mod:`carework.i18n` in the
current language, never by matplotlib's own formatters: numbers ``1.234,5`` / ``1,234.5``
(:func:`number_ticks`), shares as percentages (:func:`share_ticks`), money in one compact unit
per axis (:func:`money_ticks`: ``0,8 tỷ ₫``, ``1,2 tỷ ₫``, never ``800 triệu`` beside
``1,2 tỷ``) and dates as months or days (:func:`date_ticks`).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from carework.i18n import (
    compact_unit,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_period,
    get_currency,
    label,
    t,
)

TET = pd.to_datetime(["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06"])
"""Lunar New Year (Tết) days, marked on time charts."""


# --- ticks in the reader's language --------------------------------------------------------------

def _digits(values: np.ndarray, most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that write every one of ``values`` exactly."""
    finite = values[np.isfinite(values)]
    for digits in range(most + 1):
        scaled = finite * 10**digits
        if np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-6 * max(1, 10**digits)):
            return digits
    return most


def _ticks(axis: Axis) -> np.ndarray:
    return np.asarray(axis.get_majorticklocs(), dtype=float)


def number_ticks(axis: Axis) -> None:
    """Tick labels of ``axis`` as numbers in the current language, with the decimals the
    ticks need (``2,5`` / ``2.5``; ``1.000`` / ``1,000``)."""
    axis.set_major_formatter(FuncFormatter(
        lambda v, _pos: fmt_number(v, _digits(_ticks(axis)))))


def share_ticks(axis: Axis) -> None:
    """Tick labels of ``axis`` (shares, 0–1) as percentages in the current language."""
    axis.set_major_formatter(FuncFormatter(
        lambda v, _pos: fmt_percent(v, _digits(_ticks(axis) * 100, 1))))


def money_ticks(axis: Axis) -> None:
    """Tick labels of ``axis`` as money in the current currency, every tick in the same compact
    unit (the unit of the largest tick), so one axis never mixes ``triệu`` and ``tỷ``."""
    def write(value: float, _pos: int) -> str:
        ticks = _ticks(axis)
        unit = compact_unit(ticks)
        return fmt_money(value, short=True, unit=unit)

    axis.set_major_formatter(FuncFormatter(write))


def date_ticks(axis: Axis) -> None:
    """Tick labels of a date ``axis``: months (``09/2026`` / ``Sep 2026``) when the ticks are a
    month or more apart, days (``15/09/2026`` / ``Sep 15, 2026``) otherwise."""
    def write(value: float, _pos: int) -> str:
        ticks = _ticks(axis)
        day = pd.Timestamp(mdates.num2date(value)).tz_localize(None)
        monthly = len(ticks) > 1 and np.min(np.diff(np.sort(ticks))) >= 28
        return fmt_period(day, "month") if monthly else fmt_date(day)

    axis.set_major_formatter(FuncFormatter(write))


def _share_format() -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: fmt_percent(v))


def monthly_revenue(monthly: pd.DataFrame) -> Figure:
    """Revenue per month as a line, with Tết marked."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    if len(monthly):
        sns.lineplot(data=monthly, x="month", y="revenue", marker="o", ax=ax)
        lo, hi = monthly["month"].min(), monthly["month"].max() + pd.offsets.MonthEnd(1)
        for day in (d for d in TET if lo <= d <= hi):
            ax.axvline(day, color="#c0392b", linestyle="--", linewidth=1)
            ax.annotate(t("plot.tet"), (day, ax.get_ylim()[1]), color="#c0392b",
                        ha="left", va="top", fontsize=9)
    ax.set(xlabel=t("plot.month"), ylabel=t("plot.revenue", currency=get_currency()),
           title=t("plot.monthly_title"))
    money_ticks(ax.yaxis)
    date_ticks(ax.xaxis)
    fig.tight_layout()
    return fig


def _frequency_recency_heatmap(matrix: pd.DataFrame, colour_label: str, title: str,
                               cmap: str) -> Figure:
    fig, ax = plt.subplots(figsize=(9, 3.8))
    shown = matrix.iloc[::-1]
    sns.heatmap(shown, cmap=cmap, vmin=0, vmax=1, ax=ax,
                cbar_kws={"label": colour_label, "format": _share_format()},
                xticklabels=max(len(matrix.columns) // 8, 1),
                yticklabels=max(len(matrix.index) // 8, 1))
    ax.set(xlabel=t("plot.recency_days"), ylabel=t("plot.repeat_purchases"), title=title)
    fig.tight_layout()
    return fig


def risk_heatmap(matrix: pd.DataFrame, horizon_days: float) -> Figure:
    """Churn risk by frequency (rows) and recency (columns), from a model's ``risk_matrix``."""
    return _frequency_recency_heatmap(matrix, t("plot.churn_risk"),
                                      t("plot.risk_title", days=int(horizon_days)), "RdYlGn_r")


def alive_heatmap(matrix: pd.DataFrame) -> Figure:
    """P(alive) by frequency (rows) and recency (columns), from ``p_alive_matrix``."""
    return _frequency_recency_heatmap(matrix, t("plot.p_alive"), t("plot.alive_title"),
                                      "RdYlGn")


def _actual_vs_model_bars(table: pd.DataFrame, columns: tuple[str, str], xlabel: str,
                          ylabel: str, title: str) -> Figure:
    """Bars of actual vs model per row of ``table`` (its index: a count whose last row is
    "that many and more")."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    actual, model = columns
    position = pd.RangeIndex(len(table), name="position")
    long = table[list(columns)].set_axis(position).reset_index().melt(
        id_vars=["position"], var_name="series", value_name="value")
    long["series"] = long["series"].map({actual: t("plot.actual"), model: t("plot.predicted")})
    sns.barplot(data=long, x="position", y="value", hue="series", ax=ax)
    labels = [fmt_number(b) for b in table.index]
    labels[-1] += "+"
    ax.set_xticks(range(len(labels)), labels)
    number_ticks(ax.yaxis)
    ax.legend(title="")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    fig.tight_layout()
    return fig


def holdout_buckets(table: pd.DataFrame, holdout_days: int) -> Figure:
    """Mean actual vs predicted holdout purchases per calibration frequency."""
    return _actual_vs_model_bars(table, ("actual", "predicted"),
                                 t("plot.repeat_purchases_calibration"),
                                 t("plot.holdout_purchases"),
                                 t("plot.holdout_title", days=holdout_days))


def tracking_chart(track: pd.DataFrame) -> Figure:
    """Cumulative repeat purchases, actual vs expected, with the end of calibration marked."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(track.index, track["actual"], label=t("plot.actual"), color="#1f77b4")
    ax.plot(track.index, track["expected"], label=t("plot.predicted"), color="#ff7f0e",
            linestyle="--")
    if track["holdout"].any():
        ax.axvline(track.index[track["holdout"].argmax()], color="grey", linestyle=":")
    ax.legend()
    ax.set(xlabel=t("plot.date"), ylabel=t("plot.cumulative_repeat"),
           title=t("plot.tracking_title"))
    if pd.api.types.is_datetime64_any_dtype(track.index):
        date_ticks(ax.xaxis)
    number_ticks(ax.yaxis)
    fig.tight_layout()
    return fig


def period_transactions(table: pd.DataFrame) -> Figure:
    """Customers by repeat purchases in the period the model learnt from, actual vs the model's
    expectation (:func:`carework.churn.evaluation.period_transactions`)."""
    return _actual_vs_model_bars(table, ("actual", "expected"), t("plot.repeat_purchases"),
                                 t("plot.customers"), t("plot.period_title"))


def cluster_map(projection: pd.DataFrame, names: dict[int, str], max_points: int = 4000
                ) -> Figure:
    """Customers on the first two principal components, coloured by cluster (a random
    ``max_points`` of them, so large data stays readable)."""
    shown = projection.sample(min(len(projection), max_points), random_state=0)
    shown = shown.assign(name=shown["cluster"].map(names))
    fig, ax = plt.subplots(figsize=(9, 4.6))
    sns.scatterplot(data=shown, x="pc1", y="pc2", hue="name", s=12, alpha=0.6, ax=ax,
                    hue_order=[names[k] for k in sorted(names)])
    ax.legend(title="", fontsize=8, loc="best")
    ax.set(xlabel=t("plot.pc1"), ylabel=t("plot.pc2"), title=t("plot.cluster_map_title"))
    number_ticks(ax.xaxis)
    number_ticks(ax.yaxis)
    fig.tight_layout()
    return fig


def rules_vs_clusters(crosstab: pd.DataFrame) -> Figure:
    """Customers per rule group (rows) and cluster (columns), as a heatmap of row shares."""
    table = crosstab.drop(index="total", columns="total", errors="ignore")
    shares = table.div(table.sum(axis=1), axis=0)
    shares.index = [label(g, "group") for g in shares.index]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(shares) + 2.2))
    counts = np.vectorize(fmt_number, otypes=[object])(table.to_numpy())
    sns.heatmap(shares, annot=counts, fmt="", cmap="Blues", vmin=0, vmax=1, ax=ax,
                cbar_kws={"label": t("plot.share_of_group"), "format": _share_format()})
    ax.set(xlabel="", ylabel="", title=t("plot.rules_vs_clusters_title"))
    ax.tick_params(axis="x", labelrotation=20)
    plt.setp(ax.get_xticklabels(), ha="right")
    fig.tight_layout()
    return fig


def customers_and_revenue(table: pd.DataFrame, title: str) -> Figure:
    """Share of customers next to share of revenue, per segment (``table`` indexed by the
    segment's label, with ``share`` and ``revenue_share``)."""
    long = table[["share", "revenue_share"]].rename_axis("segment").reset_index().melt(
        id_vars="segment", var_name="series", value_name="value")
    long["series"] = long["series"].map({"share": t("plot.customer_share"),
                                         "revenue_share": t("plot.revenue_share")})
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(table) + 1.8))
    sns.barplot(data=long, y="segment", x="value", hue="series", ax=ax, orient="h")
    share_ticks(ax.xaxis)
    ax.legend(title="")
    ax.set(xlabel="", ylabel="", title=title)
    fig.tight_layout()
    return fig


def reason_mix(counts: pd.Series) -> Figure:
    """Customers on the call list per reason (``counts`` indexed by reason identifier)."""
    shown = counts[counts > 0].rename(index=lambda r: label(r, "reason"))
    fig, ax = plt.subplots(figsize=(9, 0.4 * max(len(shown), 1) + 1.6))
    sns.barplot(x=shown.to_numpy(), y=shown.index, ax=ax, color="#1f77b4", orient="h")
    ax.set(xlabel=t("plot.customers"), ylabel="", title=t("plot.reason_mix_title"))
    number_ticks(ax.xaxis)
    fig.tight_layout()
    return fig


def gain_chart(gains: pd.DataFrame) -> Figure:
    """Share of the next period's revenue captured by calling a share of the callable customers
    in the list's order, the rules' order, and at random."""
    fig, ax = plt.subplots(figsize=(9, 4))
    for column, style in (("list", "-"), ("rules", "--"), ("random", ":")):
        ax.plot(gains.index, gains[column], linestyle=style, label=t(f"plot.gain.{column}"))
    share_ticks(ax.xaxis)
    share_ticks(ax.yaxis)
    ax.legend()
    ax.set(xlabel=t("plot.share_called"), ylabel=t("plot.share_revenue"),
           title=t("plot.gain_title"))
    fig.tight_layout()
    return fig
