"""The headline: the few figures a care manager reads first, for the home page and the report.

:func:`headline` reads every figure from where carework already computes it, as of the customer
base's date, and keeps it in codes and numbers (:class:`HeadlineFigure`); the texts around them
(the periods' names, the details, what changed) are written in the current language when the
headline is built, and :func:`figure_text` writes a value the way a card shows it.

==================  =======  ===================================================================
figure              kind     read from
==================  =======  ===================================================================
active_customers    count    ``base.table``: customers whose ``stage`` is ``active``
revenue             money    the transactions known as of the date, summed over the last
                             complete period and the one before (:func:`revenue_by_period`)
share_at_risk       percent  ``base.table``: the active customers in the ``medium`` churn-risk
                             band, the band ``[churn] risk_bands`` calls "at risk" (the ``high``
                             band is the ``lapsed`` stage: no active customer is in it)
nps, csat           score,   :func:`carework.kpis.survey_kpis` of the last complete period and
                    percent  the one before, with the 95% interval and the test of the change
open_incidents      count    ``base.table``: ``open_incidents`` (stale tickets are counted apart)
calls_today         count    :func:`carework.calls.plan` for the base's date: the list's size
==================  =======  ===================================================================

The *last complete period* is the last month (week, quarter) that ended by the end of the
as-of day; the *previous period* is the one before it. A figure the data cannot give is
``None`` with a ``reason`` (an i18n key), shown as "—" with that reason, never as 0:
no surveys or too few answers (fewer than ``[kpis] min_answers``), a
period the data does not cover from its first day, no churn scores, no tickets table, nobody
who can be called.

Examples
--------
>>> from carework.customer_base import build_base                 # doctest: +SKIP
>>> h = headline(build_base(carework.load("data/sample")))         # doctest: +SKIP
>>> figure_text(h.figure("nps"), lang="en")                        # doctest: +SKIP
'NPS 31 (24–38)'
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from babel.dates import format_time

from carework.errors import DataError
from carework.i18n import (
    LOCALES,
    MISSING,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_period,
    get_language,
    t,
)
from carework.kpis.tables import PERIODS, _check_period, period_key, survey_kpis

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase
    from carework.io import Dataset

FIGURES = ("active_customers", "revenue", "share_at_risk", "nps", "csat", "open_incidents",
           "calls_today")
"""The headline's figures, in the order they are shown."""
KINDS = {"active_customers": "count", "revenue": "money", "share_at_risk": "percent",
         "nps": "score", "csat": "percent", "open_incidents": "count", "calls_today": "count"}
"""How each figure is written: ``count``, ``money``, ``percent`` (0–100) or ``score``."""
PERIOD_FIGURES = ("revenue", "nps", "csat")
"""Figures of the last complete period (the others are as of the base's date)."""
AT_RISK_BAND = "medium"
"""The churn-risk band the settings call "at risk" (``high`` is "lapsed")."""


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline figure (see the module docstring).

    Attributes
    ----------
    key : the figure's code (:data:`FIGURES`).
    kind : ``count``, ``money``, ``percent`` (in percent, 0–100) or ``score``.
    value : the figure; ``None`` when the data cannot give it (``reason`` says why).
    low, high : its 95% interval (NPS, CSAT), else ``None``.
    previous : the same figure for the previous period, when defined.
    reason : the i18n key saying why ``value`` (or, when ``value`` is defined, ``previous``)
        is undefined.
    detail : short context in the language of the build ("214 of 2,756 customers").
    """

    key: str
    kind: str
    value: float | None
    low: float | None = None
    high: float | None = None
    previous: float | None = None
    reason: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Headline:
    """The headline figures of a customer base (see the module docstring).

    Attributes
    ----------
    as_of : the day the figures describe (the base's).
    data_start, data_end : the first and last purchase days known as of that day.
    loaded_at : when the data was read from disk.
    period : ``week``, ``month`` or ``quarter``.
    period_label, previous_label : the last complete period and the one before, in words.
    figures : one :class:`HeadlineFigure` per :data:`FIGURES` entry, in that order.
    changes : what changed since the previous period, in words, largest moves first (only
        the figures defined in both periods).
    """

    as_of: pd.Timestamp
    data_start: pd.Timestamp
    data_end: pd.Timestamp
    loaded_at: pd.Timestamp
    period: str
    period_label: str
    previous_label: str
    figures: tuple[HeadlineFigure, ...]
    changes: tuple[str, ...]

    def figure(self, key: str) -> HeadlineFigure:
        """The figure ``key`` (a :data:`FIGURES` code)."""
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The figures as a table for analysts: codes and numbers, with the text a card shows
        (``text``) and the reason in words (``why``); index ``key``."""
        rows = [{"key": f.key, "kind": f.kind, "value": f.value, "low": f.low, "high": f.high,
                 "previous": f.previous, "text": figure_text(f, lang), "reason": f.reason,
                 "why": t(f.reason, lang=lang) if f.reason else "", "detail": f.detail}
                for f in self.figures]
        frame = pd.DataFrame(rows).set_index("key")
        numbers = ["value", "low", "high", "previous"]
        frame[numbers] = frame[numbers].astype(float)  # undefined: NaN, with its reason
        frame.attrs = {"as_of": self.as_of, "period": self.period,
                       "period_label": self.period_label,
                       "previous_label": self.previous_label}
        return frame


# ----------------------------------------------------------------------------- periods

def complete_periods(as_of: pd.Timestamp, period: str = "month") -> tuple[pd.Period, pd.Period]:
    """The last ``period`` that ended by the end of the day ``as_of``, and the one before.

    >>> complete_periods(pd.Timestamp("2026-09-29"))
    (Period('2026-08', 'M'), Period('2026-07', 'M'))
    >>> complete_periods(pd.Timestamp("2026-09-30"))[0]
    Period('2026-09', 'M')
    """
    _check_period(period)
    day = pd.Timestamp(as_of).normalize()
    current = pd.Period(day, freq=PERIODS[period][1])
    last = current if current.end_time.normalize() <= day else current - 1
    return last, last - 1


def period_name(p: pd.Period, lang: str | None = None) -> str:
    """A period in words (:func:`carework.i18n.fmt_period`): ``08/2026`` / ``Aug 2026``,
    ``Q3/2026`` / ``Q3 2026``, ``Tuần 35/2026`` / ``Week 35, 2026``."""
    return fmt_period(p, lang=lang)


def time_text(moment: pd.Timestamp, lang: str | None = None) -> str:
    """The time of day of ``moment`` as the language writes it (``14:05`` / ``2:05 PM``)."""
    lang = lang or get_language()
    return format_time(dt.time(moment.hour, moment.minute), "short", locale=LOCALES[lang])


def revenue_by_period(data: Dataset, period: str = "month",
                      as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Revenue (the net amount of the purchases) and buyers per ``period`` of ``data``'s
    transactions, every period from the first purchase to ``as_of`` (default: the last
    purchase day) included, empty ones as 0.

    Returns
    -------
    DataFrame, one row per period: ``period`` (a ``pd.Period``), ``period_label`` (the KPI
    tables' code, ``2026-08``), ``revenue``, ``buyers``, ``complete`` (the period lies wholly
    inside the data: it starts on or after the first purchase day and ended by ``as_of``).
    """
    _check_period(period)
    freq = PERIODS[period][1]
    tx = data.transactions
    day = pd.Timestamp(as_of if as_of is not None else tx["purchased_at"].max()).normalize()
    first_day = tx["purchased_at"].min().normalize()
    periods = tx["purchased_at"].dt.to_period(freq)
    stats = tx.groupby(periods).agg(revenue=("amount", "sum"),
                                    buyers=("customer_id", "nunique"))
    every = pd.period_range(pd.Period(first_day, freq=freq), pd.Period(day, freq=freq),
                            freq=freq)
    stats = stats.reindex(every, fill_value=0)
    frame = pd.DataFrame({
        "period": every,
        "period_label": [period_key(p, period) for p in every],
        "revenue": stats["revenue"].astype(float).to_numpy(),
        "buyers": stats["buyers"].astype(int).to_numpy(),
        "complete": [p.start_time >= first_day and p.end_time.normalize() <= day
                     for p in every],
    })
    frame.attrs.update(period=period, as_of=day)
    return frame


# ----------------------------------------------------------------------------- the figures

def _loaded_at(data: Dataset) -> pd.Timestamp:
    """When the data was read (``Dataset.loaded_at``; else the newest of its files' times)."""
    loaded = getattr(data, "loaded_at", None)
    if loaded is not None:
        return pd.Timestamp(loaded)
    folder = Path(data.source) if data.source else None
    times = [os.stat(folder / name).st_mtime for name in data.files.values()
             if folder is not None and (folder / name).is_file()]
    if folder is not None and folder.is_file():
        times.append(folder.stat().st_mtime)
    return pd.Timestamp.fromtimestamp(max(times)).floor("s") if times else \
        pd.Timestamp.now().floor("s")


def _active_customers(base: CustomerBase) -> HeadlineFigure:
    table = base.table
    active = int((table["stage"] == "active").sum())
    return HeadlineFigure("active_customers", "count", float(active),
                          detail=t("home.detail.active", customers=fmt_number(len(table))))


def _revenue(base: CustomerBase, period: str, last: pd.Period,
             previous: pd.Period) -> HeadlineFigure:
    table = revenue_by_period(base.data, period, as_of=base.as_of).set_index("period")

    def read(p: pd.Period) -> tuple[float | None, int, str | None]:
        if p.start_time > base.gate.data_end:
            return None, 0, "home.reason.after_data"
        if p not in table.index or not table.loc[p, "complete"]:
            return None, 0, "home.reason.not_covered"  # it began before the data
        return float(table.loc[p, "revenue"]), int(table.loc[p, "buyers"]), None

    value, buyers, reason = read(last)
    before, _buyers, why_not = read(previous)
    if value is None:
        return HeadlineFigure("revenue", "money", None, reason=reason)
    return HeadlineFigure("revenue", "money", value, previous=before, reason=why_not,
                          detail=t("home.detail.revenue", buyers=fmt_number(buyers)))


def _share_at_risk(base: CustomerBase) -> HeadlineFigure:
    if not base.has_scores:
        return HeadlineFigure("share_at_risk", "percent", None, reason="home.reason.no_scores")
    table = base.table
    active = table["stage"] == "active"
    customers = int(active.sum())
    if customers == 0:
        return HeadlineFigure("share_at_risk", "percent", None,
                              reason="home.reason.no_active")
    at_risk = int((active & (table["risk_band"] == AT_RISK_BAND)).sum())
    low, high = base.settings.churn.risk_bands
    return HeadlineFigure(
        "share_at_risk", "percent", 100.0 * at_risk / customers,
        detail=t("home.detail.at_risk", customers=fmt_number(at_risk),
                 active=fmt_number(customers), low=fmt_percent(low), high=fmt_percent(high)))


@dataclass(frozen=True)
class _Survey:
    figure: HeadlineFigure
    significant: bool | None  # the change against the previous period, when both are read


def _survey_figures(base: CustomerBase, period: str, last: pd.Period,
                    previous: pd.Period) -> tuple[_Survey, _Survey]:
    kinds = {"nps": "score", "csat": "percent"}
    none = (_Survey(HeadlineFigure("nps", "score", None, reason="home.reason.no_surveys"), None),
            _Survey(HeadlineFigure("csat", "percent", None, reason="home.reason.no_surveys"),
                    None))
    surveys = base.data.surveys
    if surveys is None or not len(surveys):
        return none
    try:
        frame = survey_kpis(base.data, period)
    except DataError:  # no answers by the base's date
        return none
    table = frame.set_index("period_label")
    out = []
    for kpi, kind in kinds.items():
        def read(p: pd.Period, kpi: str = kpi) -> tuple[pd.Series | None, str | None, int]:
            code = period_key(p, period)
            if code not in table.index or not table.loc[code, f"{kpi}_n"]:
                return None, "home.reason.no_answers", 0
            row = table.loc[code]
            n = int(row[f"{kpi}_n"])
            if bool(row[f"{kpi}_too_few"]):
                return None, "home.reason.too_few", n
            return row, None, n

        row, reason, n = read(last)
        before, why_not, _n = read(previous)
        if row is None:
            detail = t("home.detail.too_few", n=fmt_number(n),
                       min=fmt_number(frame.attrs["min_answers"])) \
                if reason == "home.reason.too_few" else ""
            out.append(_Survey(HeadlineFigure(kpi, kind, None, reason=reason, detail=detail),
                               None))
            continue
        figure = HeadlineFigure(
            kpi, kind, float(row[kpi]), low=float(row[f"{kpi}_low"]),
            high=float(row[f"{kpi}_high"]),
            previous=None if before is None else float(before[kpi]), reason=why_not,
            detail=t("home.detail.answers", n=fmt_number(n)))
        significant = None if before is None else bool(row[f"{kpi}_significant"])
        out.append(_Survey(figure, significant))
    return out[0], out[1]


def _open_incidents(base: CustomerBase) -> HeadlineFigure:
    table = base.table
    if "open_incidents" not in table:
        return HeadlineFigure("open_incidents", "count", None, reason="home.reason.no_tickets")
    return HeadlineFigure(
        "open_incidents", "count", float(table["open_incidents"].sum()),
        detail=t("home.detail.incidents",
                 customers=fmt_number(int((table["open_incidents"] > 0).sum())),
                 stale=fmt_number(len(base.stale_tickets))))


def _calls_today(base: CustomerBase, sheet: pd.DataFrame | None) -> HeadlineFigure:
    if sheet is None:
        from carework.calls import plan

        sheet = plan(base)
    attrs = sheet.attrs
    table = base.table
    callable_ = len(table) - sum(attrs.get("excluded", {}).values())
    if callable_ <= 0:
        no_phones = "phone" not in table or bool(table["phone"].isna().all())
        return HeadlineFigure("calls_today", "count", None,
                              reason="home.reason.no_phones" if no_phones
                              else "home.reason.nobody_callable")
    waiting = sum(attrs.get("reasons", {}).values())
    return HeadlineFigure(
        "calls_today", "count", float(len(sheet)),
        detail=t("home.detail.calls", waiting=fmt_number(waiting),
                 agents=fmt_number(attrs.get("agents", 0)),
                 per_agent=fmt_number(attrs.get("per_agent", 0))))


# ----------------------------------------------------------------------------- changes

def figure_change(figure: HeadlineFigure) -> tuple[float, str] | None:
    """How ``figure`` moved since the previous period: ``(amount, unit)``, the unit being
    ``share`` (revenue, relative: 0.12 = +12%), ``money`` (revenue from a previous period of
    0) or ``points`` (NPS, CSAT); ``None`` unless both periods are defined."""
    if figure.value is None or figure.previous is None:
        return None
    if figure.kind == "money":
        if figure.previous == 0:
            return figure.value - figure.previous, "money"
        return (figure.value - figure.previous) / abs(figure.previous), "share"
    return figure.value - figure.previous, "points"


def change_text(figure: HeadlineFigure, lang: str | None = None) -> str:
    """The move since the previous period with its arrow: ``▲ 12%``, ``▼ 4 điểm``, ``= 0``;
    empty unless both periods are defined."""
    moved = figure_change(figure)
    if moved is None:
        return ""
    amount, unit = moved
    rounded = _magnitude(abs(amount), unit, figure.kind, lang)
    arrow = "▲" if amount > 0 and rounded != _magnitude(0.0, unit, figure.kind, lang) else \
        "▼" if amount < 0 and rounded != _magnitude(0.0, unit, figure.kind, lang) else "="
    return f"{arrow} {rounded}"


def _magnitude(amount: float, unit: str, kind: str, lang: str | None) -> str:
    if unit == "share":
        return fmt_percent(amount, lang=lang)
    if unit == "money":
        return fmt_money(amount, lang=lang)
    key = "home.points" if kind == "score" else "home.percentage_points"
    return t(key, lang=lang, points=fmt_number(amount, lang=lang))


def _sentence(figure: HeadlineFigure, previous_label: str, significant: bool | None) -> str:
    moved = figure_change(figure)
    assert moved is not None
    text = change_text(figure)
    direction = {"▲": "up", "▼": "down", "=": "same"}[text[0]]
    sentence = t(f"home.change.{direction}", figure=t(f"home.figure.{figure.key}"),
                 change=text[2:], previous_period=previous_label,
                 value=value_text(figure.kind, figure.value),
                 previous=value_text(figure.kind, figure.previous))
    if significant is not None:
        sentence += f" — {t('home.change.significant' if significant else 'home.change.noise')}"
    return sentence


def value_text(kind: str, value: float | None, lang: str | None = None) -> str:
    """One value of a figure of ``kind``, without interval or name: ``1.234.567 ₫``, ``42%``,
    ``31``; ``—`` when undefined."""
    if value is None:
        return MISSING
    if kind == "money":
        return fmt_money(value, lang=lang)
    if kind == "percent":
        return fmt_percent(value / 100, lang=lang)
    return fmt_number(value, lang=lang)


def _order(figure: HeadlineFigure) -> float:
    """Largest moves first: revenue by its relative change in percent, NPS and CSAT by
    points; a revenue up from nothing first of all."""
    amount, unit = figure_change(figure)  # type: ignore[misc]
    return np.inf if unit == "money" else abs(amount) * (100 if unit == "share" else 1)


# ----------------------------------------------------------------------------- the headline

def headline(base: CustomerBase, *, period: str = "month",
             calls: pd.DataFrame | None = None) -> Headline:
    """The headline figures of ``base`` (see the module docstring).

    Parameters
    ----------
    base : the customer base; its date is the headline's.
    period : ``month`` (default), ``week`` or ``quarter``: the length of the periods compared.
    calls : today's call list when the caller has built it (:func:`carework.calls.plan` of
        this base, for the capacity it chose); default: ``plan(base)``.
    """
    last, previous = complete_periods(base.as_of, period)
    period_label, previous_label = period_name(last), period_name(previous)
    nps, csat = _survey_figures(base, period, last, previous)
    figures = (_active_customers(base), _revenue(base, period, last, previous),
               _share_at_risk(base), nps.figure, csat.figure, _open_incidents(base),
               _calls_today(base, calls))
    significance = {"nps": nps.significant, "csat": csat.significant}
    moved = sorted((f for f in figures if f.key in PERIOD_FIGURES and figure_change(f)),
                   key=_order, reverse=True)
    changes = tuple(_sentence(f, previous_label, significance.get(f.key)) for f in moved)
    return Headline(as_of=base.as_of, data_start=base.gate.data_start,
                    data_end=base.gate.data_end, loaded_at=_loaded_at(base.source),
                    period=period, period_label=period_label, previous_label=previous_label,
                    figures=figures, changes=changes)


# ----------------------------------------------------------------------------- words

def figure_text(figure: HeadlineFigure, lang: str | None = None) -> str:
    """A figure's value as a card shows it: ``1.234.567 ₫``, ``42%``, ``NPS 31 (24–38)``,
    ``66% (59%–72%)``; ``—`` when undefined."""
    if figure.value is None:
        return MISSING
    text = value_text(figure.kind, figure.value, lang)
    if figure.low is not None and figure.high is not None:
        dash = " – " if min(figure.low, figure.high) < 0 else "–"
        text += (f" ({value_text(figure.kind, figure.low, lang)}{dash}"
                 f"{value_text(figure.kind, figure.high, lang)})")
    if figure.kind == "score":
        text = f"{figure.key.upper()} {text}"  # the score's name: NPS, in every language
    return text


def data_line(head: Headline, lang: str | None = None) -> str:
    """"Số liệu tính đến hết ngày 29/09/2026 · dữ liệu từ 01/10/2024 đến 29/09/2026 · nạp
    lúc 14:05 15/10/2026": the line above the figures."""
    lang = lang or get_language()
    loaded = head.loaded_at
    return t("home.data_line", lang=lang, as_of=fmt_date(head.as_of, lang=lang),
             start=fmt_date(head.data_start, lang=lang), end=fmt_date(head.data_end, lang=lang),
             time=time_text(loaded, lang), date=fmt_date(loaded, lang=lang))


@dataclass(frozen=True)
class CardText:
    """What a figure's card says, in the current language: the title, the value (``—`` when
    undefined) and the lines under it (the period, the detail, the reason, the change)."""

    key: str
    title: str
    value: str
    lines: tuple[str, ...]
    undefined: bool


def card_text(head: Headline, figure: HeadlineFigure) -> CardText:
    """The texts of ``figure``'s card: the home page and the report show the same ones."""
    lines = []
    if figure.key in PERIOD_FIGURES:
        lines.append(head.period_label)
    if figure.value is None:
        lines.append(t(figure.reason) if figure.reason else "")
        lines.append(figure.detail)
    else:
        lines.append(figure.detail)
        if figure.previous is not None:
            lines.append(t("home.card.change", change=change_text(figure),
                           previous_period=head.previous_label,
                           previous=value_text(figure.kind, figure.previous)))
        elif figure.key in PERIOD_FIGURES and figure.reason:
            lines.append(t("home.card.no_previous", previous_period=head.previous_label,
                           why=t(figure.reason)))
    return CardText(figure.key, t(f"home.figure.{figure.key}"), figure_text(figure),
                    tuple(line for line in lines if line), figure.value is None)


__all__ = ["FIGURES", "KINDS", "CardText", "Headline", "HeadlineFigure", "card_text",
           "change_text", "complete_periods", "data_line", "figure_change", "figure_text",
           "headline", "period_name", "revenue_by_period", "time_text", "value_text"]
