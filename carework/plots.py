"""Figures (seaborn on matplotlib). Each function returns a ``Figure``; labels come from i18n."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from carework.i18n import label, t

TET = pd.to_datetime(["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06"])
"""Lunar New Year (Tết) days, marked on time charts."""

NPS_COLOURS = {"detractor": "#d9534f", "passive": "#f0ad4e", "promoter": "#5cb85c"}


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
    ax.set(xlabel=t("plot.month"), ylabel=t("plot.revenue_vnd"), title=t("plot.monthly_title"))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v / 1e6:,.0f}tr")
    fig.tight_layout()
    return fig


def orders_per_customer(per_customer: pd.DataFrame, hue: str | None = None) -> Figure:
    """How many orders customers placed (share of customers), optionally split by ``hue``."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    if len(per_customer):
        data = per_customer.assign(orders=per_customer["orders"].clip(upper=15))
        use_hue = None
        if hue and hue in data and data[hue].notna().any():
            use_hue = t(f"col.{hue}")
            data[use_hue] = data[hue].map(label, na_action="ignore")
        sns.histplot(data=data, x="orders", hue=use_hue, discrete=True, stat="percent",
                     common_norm=False, multiple="dodge" if use_hue else "layer", ax=ax,
                     shrink=0.85)
    ax.set(xlabel=t("plot.orders_per_customer"), ylabel=t("plot.share_of_customers"),
           title=t("plot.orders_title"))
    fig.tight_layout()
    return fig


def nps_distribution(scores: pd.DataFrame) -> Figure:
    """Answers per NPS score, coloured detractor / passive / promoter."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    if len(scores):
        labelled = scores.assign(group=scores["group"].map(lambda g: t(f"nps.{g}")))
        palette = {t(f"nps.{g}"): c for g, c in NPS_COLOURS.items()}
        sns.barplot(data=labelled, x="nps", y="answers", hue="group", palette=palette,
                    dodge=False, ax=ax)
        ax.legend(title="")
    ax.set(xlabel=t("plot.nps_score"), ylabel=t("plot.answers"), title=t("plot.nps_title"))
    fig.tight_layout()
    return fig


def _frequency_recency_heatmap(matrix: pd.DataFrame, colour_label: str, title: str,
                               cmap: str) -> Figure:
    fig, ax = plt.subplots(figsize=(9, 3.8))
    shown = matrix.iloc[::-1]
    sns.heatmap(shown, cmap=cmap, vmin=0, vmax=1, ax=ax, cbar_kws={"label": colour_label},
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
    labels = [str(int(b)) for b in table.index]
    labels[-1] += "+"
    ax.set_xticks(range(len(labels)), labels)
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
    fig.tight_layout()
    return fig


def period_transactions(table: pd.DataFrame) -> Figure:
    """Customers by repeat purchases in the period the model learnt from, actual vs the model's
    expectation (:func:`carework.churn.evaluation.period_transactions`)."""
    return _actual_vs_model_bars(table, ("actual", "expected"), t("plot.repeat_purchases"),
                                 t("plot.customers"), t("plot.period_title"))
