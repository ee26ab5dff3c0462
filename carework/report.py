"""The static report: one self-contained HTML file with the headline, charts and notes.

``carework report --out weekly.html`` writes it. The file holds everything it shows: the CSS is
inline and the charts are PNG images inside the page (``data:`` addresses); it has no script and
names no other address, and its Content-Security-Policy forbids loading anything, so it opens
the same offline, in a mail attachment or on a shared drive.

It shows what the home page shows, from the same :class:`carework.headline.Headline` and the
same texts (:func:`cards_html`, :func:`changes_html` are what the home page renders too): the
as-of day, the data's date range and load time, a card per figure, what changed since the
previous period; then the charts (revenue per period; NPS and CSAT with their 95% bands when
there are surveys; customers per churn-risk band when there are scores), the warnings every
figure carries, what loading the data found (:func:`carework.findings.data_findings`) and how
the file was made. Every text is HTML-escaped.

Examples
--------
>>> from carework.customer_base import build_base                      # doctest: +SKIP
>>> write_report(build_base(carework.load("data/sample")), "weekly.html")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from carework.errors import DataError, data_error
from carework.export import atomic_write
from carework.headline import (
    Headline,
    card_text,
    data_line,
    headline,
    revenue_by_period,
    time_text,
)
from carework.i18n import fmt_date, fmt_period, get_currency, get_language, label, t
from carework.plots import money_ticks

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase

SUFFIX = ".html"
RISK_COLOURS = {"low": "#27ae60", "medium": "#f39c12", "high": "#c0392b"}
CARD_STYLE = ("flex:1 1 210px;min-width:0;max-width:100%;box-sizing:border-box;"
              "padding:8px 14px;border:1px solid #ddd;border-radius:6px;background:#fff")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# ----------------------------------------------------------------------------- shared parts

def cards_html(head: Headline) -> str:
    """A card per figure (title, value or "—", then the period, the detail, the reason and the
    change against the previous period), wrapping onto as many rows as the screen needs."""
    cards = []
    for figure in head.figures:
        card = card_text(head, figure)
        value_colour = "#999" if card.undefined else "#222"
        lines = []
        for line in card.lines:
            reason = card.undefined and figure.reason is not None and line == t(figure.reason)
            style = "color:#b9770e" if reason else "color:#555"
            lines.append(f"<div style='font-size:12px;{style}'>{'⚠ ' if reason else ''}"
                         f"{_e(line)}</div>")
        cards.append(
            f"<div class='carework-card' data-figure='{_e(card.key)}' style='{CARD_STYLE}'>"
            f"<div style='color:#555;font-size:13px'>{_e(card.title)}</div>"
            f"<div class='carework-card-value' style='font-size:20px;font-weight:600;"
            f"color:{value_colour};overflow-wrap:break-word'>{_e(card.value)}</div>"
            + "".join(lines) + "</div>")
    return ("<div class='carework-cards' style='display:flex;flex-wrap:wrap;gap:8px;"
            "max-width:100%;line-height:1.35'>" + "".join(cards) + "</div>")


def changes_html(head: Headline) -> str:
    """What changed since the previous period, largest moves first (or why nothing can be
    compared yet)."""
    if not head.changes:
        return f"<p class='carework-changes' style='color:#555'>{_e(t('home.no_changes'))}</p>"
    return ("<ul class='carework-changes' style='margin:4px 0;padding-left:20px;"
            "line-height:1.4'>"
            + "".join(f"<li>{_e(line)}</li>" for line in head.changes) + "</ul>")


def period_line(head: Headline) -> str:
    """"Last complete period: Aug 2026, compared with Jul 2026"."""
    return t("home.period_line", period=head.period_label, previous=head.previous_label)


# ----------------------------------------------------------------------------- charts

def _png(fig: Figure) -> str:
    """``fig`` as a base64 PNG. The charts are plain ``Figure`` objects, not pyplot's: nothing
    is shown in a notebook and no backend is touched."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _ticks(ax: Axes, keys: list[str]) -> None:
    """Period keys (``2026-08``) on the x axis, in words (``08/2026``), at most about 12."""
    step = max(len(keys) // 12, 1)
    ax.set_xticks(np.arange(len(keys))[::step], [fmt_period(k) for k in keys[::step]],
                  rotation=45, ha="right", fontsize=8)


def revenue_chart(table: pd.DataFrame) -> Figure:
    """Revenue per period (:func:`carework.headline.revenue_by_period`); periods the data
    does not wholly cover are drawn pale and hatched."""
    fig = Figure(figsize=(9, 3.6))
    ax = fig.subplots()
    x = np.arange(len(table))
    complete = table["complete"].to_numpy(dtype=bool)
    ax.bar(x[complete], table.loc[complete, "revenue"], color="#2a6ebb")
    if (~complete).any():
        ax.bar(x[~complete], table.loc[~complete, "revenue"], color="#bcd0ea", hatch="//",
               edgecolor="#2a6ebb", label=t("report.chart.incomplete"))
        ax.legend(fontsize=8, loc="best")
    _ticks(ax, table["period_label"].astype(str).tolist())
    money_ticks(ax.yaxis)
    ax.set(title=t("report.chart.revenue"),
           ylabel=t("report.chart.revenue_axis", currency=get_currency()))
    fig.tight_layout()
    return fig


def survey_chart(table: pd.DataFrame) -> Figure:
    """NPS and CSAT per period with their 95% bands (the KPI tables'
    :func:`carework.kpis.survey_kpis`), as the KPI dashboard draws them."""
    from carework.kpis.plots import _band

    fig = Figure(figsize=(10, 3.6))
    a_nps, a_csat = fig.subplots(1, 2)
    frame = table.reset_index(drop=True)
    for ax, kpi, colour in ((a_nps, "nps", "#2a6ebb"), (a_csat, "csat", "#2e8b57")):
        _band(ax, frame, kpi, colour)
        ax.set(title=t(f"plot.kpi.{kpi}_title"))
        ax.legend(fontsize=7, loc="best")
        _ticks(ax, frame["period_label"].astype(str).tolist())
    a_nps.axhline(0, color="#999", linewidth=0.8)
    a_csat.set_ylabel("%")
    fig.suptitle(t("report.chart.surveys"), fontsize=11)
    fig.tight_layout()
    return fig


def risk_chart(table: pd.DataFrame) -> Figure:
    """Customers per churn-risk band (the customer base's ``risk_band``)."""
    fig = Figure(figsize=(7, 2.6))
    ax = fig.subplots()
    counts = table["risk_band"].value_counts().reindex(list(RISK_COLOURS), fill_value=0)
    y = np.arange(len(counts))
    ax.barh(y, counts.to_numpy(), color=[RISK_COLOURS[b] for b in counts.index])
    ax.set_yticks(y, [label(b, "risk_band") for b in counts.index])
    ax.invert_yaxis()
    ax.set(title=t("report.chart.risk"), xlabel=t("report.chart.customers"))
    fig.tight_layout()
    return fig


def _charts(base: CustomerBase, head: Headline) -> list[tuple[str, str | None, str]]:
    """``(title, base64 PNG or None, why not)`` per chart."""
    from carework.kpis import survey_kpis

    out: list[tuple[str, str | None, str]] = []
    revenue = revenue_by_period(base.data, head.period, as_of=base.as_of)
    out.append((t("report.chart.revenue"), _png(revenue_chart(revenue)), ""))
    surveys = base.data.surveys
    title = t("report.chart.surveys")
    if surveys is None or not len(surveys):
        out.append((title, None, t("home.reason.no_surveys")))
    else:
        try:
            out.append((title, _png(survey_chart(survey_kpis(base.data, head.period))), ""))
        except DataError as exc:
            out.append((title, None, str(exc)))
    title = t("report.chart.risk")
    if base.has_scores:
        out.append((title, _png(risk_chart(base.table)), ""))
    else:
        out.append((title, None, t("home.reason.no_scores")))
    return out


# ----------------------------------------------------------------------------- the page

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
margin:0;background:#f6f7f9;color:#222;line-height:1.4}
main{max-width:1000px;margin:0 auto;padding:12px 16px 24px;box-sizing:border-box}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:20px 0 8px}
.meta{color:#444;margin:2px 0;font-size:14px}
figure{margin:8px 0 16px}figure img{max-width:100%;height:auto;border:1px solid #e3e3e3;
background:#fff}figcaption{font-size:13px;color:#555}
.warn{border:1px solid #f0ad4e;background:#fcf8e3;padding:6px 10px;border-radius:4px}
footer{margin-top:24px;font-size:12px;color:#666;border-top:1px solid #ddd;padding-top:8px}
ul{margin:4px 0;padding-left:20px}
"""


def report_html(base: CustomerBase, *, period: str = "month", calls: pd.DataFrame | None = None,
                head: Headline | None = None, made_at: pd.Timestamp | None = None) -> str:
    """The report of ``base`` as one HTML page in the current language (see the module
    docstring). ``head`` is the headline when the caller has it (else built here, with
    ``period`` and ``calls`` as :func:`carework.headline.headline` takes them)."""
    from carework import __version__
    from carework.findings import data_findings

    head = head or headline(base, period=period, calls=calls)
    lang = get_language()
    made = pd.Timestamp(made_at) if made_at is not None else pd.Timestamp.now().floor("s")
    parts = [f"<h1>{_e(t('report.title'))}</h1>",
             f"<p class='meta carework-data-line'>{_e(data_line(head))}</p>",
             f"<p class='meta'>{_e(period_line(head))}</p>"]
    warnings = base.gate.warnings() + base.notes
    if warnings:
        parts.append(f"<h2>{_e(t('report.warnings'))}</h2><div class='warn'><ul>"
                     + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul></div>")
    parts += [f"<h2>{_e(t('report.figures'))}</h2>", cards_html(head),
              f"<h2>{_e(t('report.changes'))}</h2>", changes_html(head),
              f"<h2>{_e(t('report.charts'))}</h2>"]
    for title, png, why in _charts(base, head):
        if png is None:
            parts.append(f"<p class='carework-no-chart'>{_e(t('report.no_chart', why=why))}"
                         f" ({_e(title)})</p>")
        else:
            parts.append(f"<figure><img alt='{_e(title)}' src='data:image/png;base64,{png}'>"
                         f"<figcaption>{_e(title)}</figcaption></figure>")
    found = data_findings(base.data)
    parts.append(f"<h2>{_e(t('report.findings'))}</h2>")
    parts.append("<ul class='carework-findings'>" + "".join(f"<li>{_e(line)}</li>"
                                                           for line in found) + "</ul>"
                 if found else f"<p>{_e(t('report.no_findings'))}</p>")
    folder = Path(base.source.source).name if base.source.source else "—"
    footer = t("report.footer", version=__version__, date=fmt_date(made),
               time=time_text(made, lang), folder=folder)
    parts.append(f"<footer>{_e(footer)}</footer>")
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return ("<!DOCTYPE html>\n"
            f"<html lang='{_e(lang)}'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{policy}\">"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(t('report.title'))} — {_e(fmt_date(head.as_of))}</title>"
            f"<style>{STYLE}</style></head><body><main>"
            + "\n".join(parts) + "</main></body></html>\n")


def write_report(base: CustomerBase, path: str | os.PathLike[str], *, period: str = "month",
                 calls: pd.DataFrame | None = None) -> Path:
    """Write the report of ``base`` to ``path`` (it must end in ``.html``), atomically: a
    reader sees the old file or the whole new one. Returns the path."""
    target = Path(path)
    if target.suffix.lower() != SUFFIX:
        raise data_error("err.export.extension", file=target.name, formats=SUFFIX,
                         example=f"{target.stem or 'report'}{SUFFIX}")
    page = report_html(base, period=period, calls=calls)
    return atomic_write(target, lambda temporary: Path(temporary).write_text(
        page, encoding="utf-8"))


__all__ = ["cards_html", "changes_html", "period_line", "report_html", "revenue_chart",
           "risk_chart", "survey_chart", "write_report"]
