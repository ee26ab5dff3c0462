"""KPI tables per period and per group: surveys (NPS, CSAT) and service (FRT, ATHT).

Counts and time statistics are ibis expressions (DuckDB for pandas input), one group-by per
table; the percentages, intervals and period-over-period tests are computed from those counts
(:mod:`carework.kpis.scores`). Only one row per (period, group) comes back to pandas.

* Surveys count in the period they were answered in; tickets in the period they were opened.
* ``FRT`` (first response time) = ``first_response_at − opened_at``; ``ATHT`` (ticket handling
  time) = ``resolved_at − opened_at`` of resolved tickets; both in hours, as mean, median and
  90th percentile. ``open`` counts tickets of the period still unresolved when the data ends.
* Groups: ``channel`` (the survey's or the ticket's own channel), ``agent`` (the ticket's
  agent; for surveys, the agent of the customer's ticket linked to the answer, see
  :func:`link_tickets`), ``province`` and ``rule_group`` (the customer's, from the customers
  table and the rule groups as of the end of the data).
* Each row carries the change against the same group's previous period, the p-value of that
  change (NPS, CSAT) and ``*_significant``; ``*_too_few`` flags fewer answers than
  ``[kpis] min_answers`` (30, :class:`carework.settings.KpiSettings`); ``partial`` marks a
  period the data ends inside.
* A change is tested only when both periods have at least ``min_answers`` answers: a group of
  one answer is never "significant". Otherwise its p-value is ``NaN``, ``*_significant`` is
  False and ``*_untested`` says why (:data:`UNTESTED_REASONS`).
* ``period_label`` is a stable key (``2026-09``, ``2026-Q3``, ``2026-W37``), the same in
  every language, to select and join on; a reader sees :func:`carework.i18n.fmt_period` of it
  (``09/2026`` / ``Sep 2026``).

Examples
--------
>>> from carework import load                                   # doctest: +SKIP
>>> survey_kpis(load("data/sample"), period="quarter").iloc[-1]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from carework.errors import data_error
from carework.io import Dataset
from carework.kpis.scores import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    UNTESTED_REASONS,
    change_from,
    min_answers_of,
    nps_from_counts,
    proportion_from_counts,
    untested_reasons,
)

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase

PERIODS = {"week": ("W", "W-SUN"), "month": ("M", "M"), "quarter": ("Q", "Q")}
"""Period name → (ibis truncate unit, pandas period frequency)."""
DIMENSIONS = ("channel", "agent", "province", "rule_group")
LINK_DAYS = 30
"""A survey is linked to the customer's latest ticket opened up to this many days before it."""
ALL_GROUP = "__all__"


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def _check_by(by: str | None) -> None:
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)} or None, not {by!r}")


SURVEYS_NEEDED = ("err.kpis.no_surveys", "answered_at")
TICKETS_NEEDED = ("err.kpis.no_tickets", "opened_at")


def required(frame: pd.DataFrame | None, needed: tuple[str, str]) -> pd.DataFrame:
    """``frame`` if it has rows, else a :class:`DataError` (message key, column)."""
    if frame is None or not len(frame):
        key, column = needed
        raise data_error(key, column=column)
    return frame


def with_columns(frame: pd.DataFrame, columns: tuple[str, ...], dtype: str) -> pd.DataFrame:
    """``frame`` with the absent ``columns`` added, empty, of ``dtype``."""
    missing = {c: pd.Series(pd.NA, index=frame.index).astype(dtype)
               for c in columns if c not in frame}
    return frame.assign(**missing) if missing else frame


def _memtable(frame: pd.DataFrame) -> ir.Table:
    return ibis.memtable(frame.reset_index(drop=True))


def customer_dimensions(data: Dataset | CustomerBase) -> pd.DataFrame:
    """Per customer: ``province`` (customers table) and ``rule_group`` (the customer base's,
    as of its date), where the data allows; index ``customer_id``. ``data`` is a customer base,
    or loaded data to build one from (as of the data's last purchase day)."""
    from carework.customer_base import CustomerBase, build_base

    base = data if isinstance(data, CustomerBase) else build_base(data)
    out = pd.DataFrame(index=pd.Index([], name="customer_id", dtype=str))
    people = base.data.customers
    if people is not None and "province" in people:
        out = people.drop_duplicates("customer_id", keep="last").set_index(
            "customer_id")[["province"]]
    out = out.join(base.table[["rule_group"]], how="outer")
    out.index = out.index.astype(str)
    out.index.name = "customer_id"
    return out


def link_tickets(surveys: pd.DataFrame, tickets: pd.DataFrame | None,
                 days: float = LINK_DAYS) -> ir.Table:
    """Surveys with the customer's latest ticket opened within ``days`` before the answer.

    An ibis as-of join. Adds ``ticket_id``, ``agent``, ``ticket_category``, ``opened_at``,
    ``first_response_at``, ``resolved_at``, ``ticket_status`` (null without a ticket) and
    ``survey_row`` (the survey's position, to join results back).
    """
    s = surveys.reset_index(drop=True).assign(survey_row=np.arange(len(surveys)))
    left = _memtable(s)
    wanted = {"ticket_id": "ticket_id", "agent": "agent", "category": "ticket_category",
              "opened_at": "opened_at", "first_response_at": "first_response_at",
              "resolved_at": "resolved_at", "status": "ticket_status"}
    if tickets is None or not len(tickets):
        return left.mutate(**{new: ibis.null("string") for new in wanted.values()
                              if new not in s})
    cols = ["customer_id", "opened_at"] + [c for c in wanted if c in tickets
                                           and c not in ("opened_at",)]
    right = _memtable(tickets[cols].rename(columns={"customer_id": "ticket_customer"}))
    joined = left.asof_join(right, on=left.answered_at >= right.opened_at,
                            predicates=left.customer_id == right.ticket_customer)
    near = joined.opened_at >= joined.answered_at - ibis.interval(days=int(days))
    extra = {}
    for source, new in wanted.items():
        if source in tickets:
            extra[new] = ibis.ifelse(near, joined[source], ibis.null(joined[source].type()))
    return joined.select(*[joined[c] for c in s.columns], **extra)


def _with_dimension(table: ir.Table, by: str | None, dims: pd.DataFrame | None
                    ) -> ir.Table:
    if by is None:
        return table.mutate(group=ibis.literal(ALL_GROUP))
    if by in ("province", "rule_group"):
        if dims is None or by not in dims:
            raise data_error("err.kpis.by_needs_customers", column=by, by=by)
        d = _memtable(dims[[by]].reset_index().rename(columns={by: "group",
                                                                "customer_id": "dim_id"}))
        joined = table.left_join(d, table.customer_id == d.dim_id)
        return joined.drop("dim_id")
    if by not in table.columns:
        raise data_error("err.kpis.by_no_column", column=by, by=by)
    return table.mutate(group=table[by])


def _periods(frame: pd.DataFrame, period: str, end: pd.Timestamp) -> pd.DataFrame:
    """Label, first and last day of each period; ``partial`` when the data ends inside."""
    freq = PERIODS[period][1]
    p = pd.PeriodIndex(pd.to_datetime(frame["period"]), freq=freq)
    frame = frame.assign(
        period=p.start_time.normalize(),
        period_label=[period_key(x, period) for x in p],
        partial=p.end_time.normalize() > end.normalize())
    return frame


def period_key(p: pd.Period, period: str) -> str:
    """The stable key of a period (``2026-09``, ``2026-Q3``, ``2026-W37`` with the ISO week
    and year), the same in every language: to select, sort and join on, never to show (show
    :func:`carework.i18n.fmt_period` of it)."""
    if period == "quarter":
        return f"{p.year}-Q{p.quarter}"
    if period == "week":
        iso = p.start_time.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{p.year}-{p.month:02d}"


def _previous(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The same group's previous period's ``columns`` (NaN for its first period)."""
    frame = frame.sort_values(["group", "period"]).reset_index(drop=True)
    prev = frame.groupby("group", sort=False, dropna=False)[columns].shift(1)
    return frame, prev


def survey_kpis(data: Dataset, period: str = "month", by: str | None = None, *,
                satisfied_min: int = 4, link_days: float = LINK_DAYS,
                dims: pd.DataFrame | None = None,
                min_answers: int | None = None) -> pd.DataFrame:
    """NPS and CSAT per period (and per group of ``by``), with intervals and changes.

    Parameters
    ----------
    min_answers : fewer answers are ``*_too_few``, and a change is tested only when both
        periods have at least this many (default: the data's ``[kpis] min_answers``, 30).

    Returns
    -------
    DataFrame, one row per (period, group): ``period`` (first day), ``period_label`` (the
    period's key), ``group`` (``"__all__"`` without ``by``), ``partial``; ``answers``;
    ``nps_n``, ``promoters``, ``passives``, ``detractors``, ``nps``, ``nps_low``,
    ``nps_high``, ``nps_too_few``, ``nps_change``, ``nps_p_value`` (``NaN`` when untested),
    ``nps_significant``, ``nps_untested`` (why the change was not tested; missing when it
    was); the same for ``csat`` (``csat_n``, ``satisfied``...); ``nps_mean`` and
    ``csat_mean``.
    """
    _check_period(period)
    _check_by(by)
    min_answers = min_answers_of(data, min_answers)
    surveys = with_columns(required(data.surveys, SURVEYS_NEEDED), ("nps", "csat"), "Int64")
    table = (link_tickets(surveys, data.tickets, link_days) if by == "agent"
             else _memtable(surveys))
    if by in ("province", "rule_group") and dims is None:
        dims = customer_dimensions(data)
    table = _with_dimension(table, by, dims)
    unit = PERIODS[period][0]
    table = table.mutate(period=table.answered_at.truncate(unit))
    nps_col, csat_col = table.nps, table.csat
    counts = table.group_by(["period", "group"]).aggregate(
        answers=table.count(),
        nps_n=nps_col.count(),
        promoters=(nps_col >= PROMOTER_MIN).sum(),
        detractors=(nps_col <= DETRACTOR_MAX).sum(),
        nps_mean=nps_col.mean(),
        csat_n=csat_col.count(),
        satisfied=(csat_col >= satisfied_min).sum(),
        csat_mean=csat_col.mean(),
    ).to_pandas()
    for column in ("promoters", "detractors", "satisfied"):
        counts[column] = counts[column].fillna(0).astype(int)
    counts["passives"] = counts["nps_n"] - counts["promoters"] - counts["detractors"]
    end = pd.Timestamp(data.surveys["answered_at"].max())
    frame = _periods(counts, period, end)
    frame["group"] = frame["group"].astype(object).where(frame["group"].notna(), None)
    v, lo, hi, var = nps_from_counts(frame["promoters"], frame["detractors"], frame["nps_n"])
    frame = frame.assign(nps=v, nps_low=lo, nps_high=hi, nps_var=var)
    v, lo, hi, var = proportion_from_counts(frame["satisfied"], frame["csat_n"])
    frame = frame.assign(csat=v, csat_low=lo, csat_high=hi, csat_var=var)
    frame, prev = _previous(frame, ["nps", "nps_var", "nps_n", "csat", "csat_var", "csat_n",
                                    "period"])
    for kpi in ("nps", "csat"):
        diff, _z, p = change_from(prev[kpi], prev[f"{kpi}_var"], frame[kpi],
                                  frame[f"{kpi}_var"])
        untested = untested_reasons(prev[f"{kpi}_n"], frame[f"{kpi}_n"], min_answers)
        tested = untested.isna().to_numpy()
        frame[f"{kpi}_change"] = diff
        frame[f"{kpi}_p_value"] = np.where(tested, p, np.nan)
        frame[f"{kpi}_significant"] = tested & (np.asarray(p) < 0.05)
        frame[f"{kpi}_too_few"] = frame[f"{kpi}_n"] < min_answers
        frame[f"{kpi}_untested"] = untested.to_numpy()
    columns = ["period", "period_label", "group", "partial", "answers",
               "nps_n", "promoters", "passives", "detractors", "nps", "nps_low", "nps_high",
               "nps_too_few", "nps_change", "nps_p_value", "nps_significant", "nps_untested",
               "nps_mean", "csat_n", "satisfied", "csat", "csat_low", "csat_high",
               "csat_too_few", "csat_change", "csat_p_value", "csat_significant",
               "csat_untested", "csat_mean"]
    frame = frame[columns].sort_values(["period", "group"], na_position="last")
    frame.attrs.update(period=period, by=by, satisfied_min=satisfied_min,
                       min_answers=min_answers, untested_reasons=UNTESTED_REASONS)
    return frame.reset_index(drop=True)


def _hours(later: ir.Column, earlier: ir.Column) -> ir.Column:
    return (later.epoch_seconds() - earlier.epoch_seconds()).cast("float64") / 3600


def ticket_kpis(data: Dataset, period: str = "month", by: str | None = None, *,
                dims: pd.DataFrame | None = None,
                min_answers: int | None = None) -> pd.DataFrame:
    """Service KPIs of the tickets opened in each period (and group of ``by``).

    Returns
    -------
    DataFrame, one row per (period, group): ``period``, ``period_label``, ``group``,
    ``partial``, ``tickets``, ``responded``, ``resolved`` (handled: not open, not cancelled),
    ``open`` (unresolved when the data ends), ``cancelled`` (withdrawn or duplicate: no
    handling time), ``reopened`` and ``reopened_share`` (%); ``frt_mean_h``,
    ``frt_median_h``, ``frt_p90_h``; ``atht_mean_h``, ``atht_median_h``, ``atht_p90_h``
    (resolved tickets only); and the change of
    ``frt_median_h`` and ``atht_mean_h`` against the previous period. ``tickets_too_few``
    flags fewer tickets than ``min_answers`` (default: the data's ``[kpis] min_answers``).
    """
    _check_period(period)
    _check_by(by)
    min_answers = min_answers_of(data, min_answers)
    tickets = with_columns(required(data.tickets, TICKETS_NEEDED),
                           ("first_response_at", "resolved_at"), "datetime64[us]")
    tickets = with_columns(tickets, ("status",), "string")
    if by in ("province", "rule_group") and dims is None:
        dims = customer_dimensions(data)
    table = _with_dimension(_memtable(tickets), by, dims)
    unit = PERIODS[period][0]
    frt = _hours(table.first_response_at, table.opened_at)
    atht = _hours(table.resolved_at, table.opened_at)
    is_open = table.resolved_at.isnull() | (table.status == "open").fill_null(False)
    is_cancelled = (table.status == "cancelled").fill_null(False) & ~is_open
    table = table.mutate(period=table.opened_at.truncate(unit), frt=frt,
                         atht=ibis.ifelse(is_open | is_cancelled, ibis.null("float64"), atht),
                         is_open=is_open.cast("int64"),
                         is_cancelled=is_cancelled.cast("int64"),
                         is_reopened=(table.status == "reopened").fill_null(False)
                         .cast("int64"))
    frame = table.group_by(["period", "group"]).aggregate(
        tickets=table.count(),
        responded=table.frt.count(),
        resolved=table.atht.count(),
        open=table.is_open.sum(),
        cancelled=table.is_cancelled.sum(),
        reopened=table.is_reopened.sum(),
        frt_mean_h=table.frt.mean(),
        frt_median_h=table.frt.median(),
        frt_p90_h=table.frt.quantile(0.9),
        atht_mean_h=table.atht.mean(),
        atht_median_h=table.atht.median(),
        atht_p90_h=table.atht.quantile(0.9),
    ).to_pandas()
    end = pd.Timestamp(data.tickets["opened_at"].max())
    frame = _periods(frame, period, end)
    frame["group"] = frame["group"].astype(object).where(frame["group"].notna(), None)
    frame["reopened_share"] = 100 * frame["reopened"] / frame["tickets"]
    frame, prev = _previous(frame, ["frt_median_h", "atht_mean_h"])
    frame["frt_median_change_h"] = frame["frt_median_h"] - prev["frt_median_h"]
    frame["atht_mean_change_h"] = frame["atht_mean_h"] - prev["atht_mean_h"]
    frame["tickets_too_few"] = frame["tickets"] < min_answers
    columns = ["period", "period_label", "group", "partial", "tickets", "tickets_too_few",
               "responded", "resolved", "open", "cancelled", "reopened", "reopened_share",
               "frt_mean_h", "frt_median_h", "frt_p90_h", "frt_median_change_h",
               "atht_mean_h", "atht_median_h", "atht_p90_h", "atht_mean_change_h"]
    frame = frame[columns].sort_values(["period", "group"], na_position="last")
    for column in ("tickets", "responded", "resolved", "open", "cancelled", "reopened"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame.attrs.update(period=period, by=by, min_answers=min_answers)
    return frame.reset_index(drop=True)
