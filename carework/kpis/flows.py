"""Customer retention and churn per period, as the handbook writes them, from the purchases.

The handbook's formulas use three counts per period:

* **CS** customers at the start of the period,
* **CE** customers at the end,
* **CN** new customers in the period,

with **CRR** (customer retention rate) = (CE − CN) / CS × 100 and **CCR** (customer churn
rate, handbook form) = (CS − CE) / CS × 100. The handbook's CCR nets new customers against
lost ones: it equals the share of customers lost only when nobody new came, and it is negative
when the base grows. So the **lost-customer rate** is reported next to it: customers counted at
the start who are no longer customers at the end, over CS. Whenever CRR is defined,
CRR + lost rate = 100.

The three rates share the denominator CS, and are **undefined** (``NaN``, never 0 or −100%)
where CS is not known, with the reason in ``crr_undefined``:

* ``"no_customers_at_start"`` — nobody was a customer at the start (CS = 0);
* ``"warming_up"`` — the activity window at the start reaches back before the data's first
  purchase, so the customers at the start are not all known: CS is undercounted and every
  rate would be biased (CCR near −100%, CRR near 100%, in the data's first periods).

A table shows an undefined rate as "—" with its reason
(:func:`carework.i18n.fmt_undefined`).

"Customer at a date" means "bought within the ``active_days`` days up to that date" (the
activity window; 90 days by default, set it to the business's buying cycle). CS counts the
customers on the day before the period starts, CE on its last day, CN those counted at the end
but not at the start — first-time buyers (``first_time``) and lapsed customers who came back
(``returned``). The counting is an ibis expression (one range join of purchase-days against the
period edges), so it runs on DuckDB or Spark like the RFM summary.

Examples
--------
>>> retention_rate(cs=200, ce=210, cn=30)
90.0
>>> churn_rate(cs=200, ce=210)
-5.0
>>> lost_rate(cs=200, lost=20)
10.0
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from carework.errors import data_error
from carework.i18n import fmt_date
from carework.kpis.tables import PERIODS, _check_period, period_key
from carework.rfm import as_table

ACTIVE_DAYS = 90

UNDEFINED_REASONS = ("no_customers_at_start", "warming_up")
"""Why a period's rates are undefined (the values of ``crr_undefined``), in this order of
precedence."""


def _check_counts(**counts: float) -> None:
    for name, value in counts.items():
        if value is None or np.isnan(value) or value < 0:
            raise ValueError(f"{name} must be a count ≥ 0, not {value!r}")


def retention_rate(cs: float, ce: float, cn: float) -> float:
    """CRR = (CE − CN) / CS × 100, the share of the starting customers still customers at the
    end (``NaN`` when CS is 0).

    Raises
    ------
    ValueError : a negative count, or CN larger than CE.
    """
    _check_counts(cs=cs, ce=ce, cn=cn)
    if cn > ce:
        raise ValueError(f"cn ({cn}) cannot exceed ce ({ce}): new customers are part of CE")
    return float("nan") if cs == 0 else 100.0 * (ce - cn) / cs


def churn_rate(cs: float, ce: float) -> float:
    """CCR as the handbook writes it: (CS − CE) / CS × 100 (``NaN`` when CS is 0).

    This is the *net* change of the customer base: new customers offset lost ones, and it is
    negative when the base grew. For the share of customers lost, use :func:`lost_rate`.
    """
    _check_counts(cs=cs, ce=ce)
    return float("nan") if cs == 0 else 100.0 * (cs - ce) / cs


def lost_rate(cs: float, lost: float) -> float:
    """Lost-customer rate: customers at the start who are not customers at the end, over CS,
    × 100 (``NaN`` when CS is 0)."""
    _check_counts(cs=cs, lost=lost)
    if lost > cs:
        raise ValueError(f"lost ({lost}) cannot exceed cs ({cs})")
    return float("nan") if cs == 0 else 100.0 * lost / cs


def _edges(first: pd.Timestamp, last: pd.Timestamp, period: str) -> pd.DataFrame:
    freq = PERIODS[period][1]
    periods = pd.period_range(first, last, freq=freq)
    return pd.DataFrame({
        "period": periods.start_time.normalize(),
        "period_label": [period_key(p, period) for p in periods],
        "start_edge": (periods.start_time.normalize() - pd.Timedelta(days=1)).date,
        "end_edge": periods.end_time.normalize().date,
    })


def customer_flows(transactions: pd.DataFrame | ir.Table, period: str = "month", *,
                   active_days: int = ACTIVE_DAYS, start: str | pd.Timestamp | None = None,
                   end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """CS, CE, CN and the retention and churn rates of each period.

    Parameters
    ----------
    transactions : canonical transactions (pandas or an ibis table on any backend).
    period : ``"week"``, ``"month"`` or ``"quarter"``.
    active_days : the activity window: a customer at a date bought within this many days up
        to it.
    start, end : first and last day to report (default: the data's first and last purchase
        day).

    Returns
    -------
    DataFrame, one row per period: ``period``, ``period_label``, ``partial`` (the data ends
    inside it), ``warming_up`` (the activity window at its start reaches before the first
    purchase in the data, so CS is undercounted), ``cs``, ``ce``, ``cn``, ``first_time``,
    ``returned``, ``retained``, ``lost``, ``retention_rate`` (CRR), ``churn_rate`` (CCR,
    handbook form), ``lost_rate`` (all three ``NaN`` where undefined) and ``crr_undefined``
    (why they are: ``"no_customers_at_start"`` or ``"warming_up"``, see the module
    docstring; missing where they are defined). ``period_label`` is the period's stable key
    (``2026-09``, ``2026-Q3``, ``2026-W37``); show it with :func:`carework.i18n.fmt_period`.
    """
    _check_period(period)
    if not isinstance(active_days, int | np.integer) or active_days < 1:
        raise ValueError(f"active_days must be a whole number of days ≥ 1, not {active_days!r}")
    t = as_table(transactions)
    days = t.select(customer_id=t.customer_id, day=t.purchased_at.cast("date")).distinct()
    bounds = days.aggregate(first=days.day.min(), last=days.day.max()).to_pandas()
    if bounds.empty or pd.isna(bounds["first"].iloc[0]):
        raise data_error("err.kpis.no_purchases", column="purchased_at")
    data_first, data_last = (pd.Timestamp(bounds["first"].iloc[0]),
                             pd.Timestamp(bounds["last"].iloc[0]))
    first = pd.Timestamp(start) if start is not None else data_first
    last = pd.Timestamp(end) if end is not None else data_last
    if last < first:
        raise ValueError(f"end {fmt_date(last)} is before start {fmt_date(first)}")
    edges = _edges(first, last, period)
    edge_days = pd.DataFrame({"edge": sorted(set(edges["start_edge"]) | set(edges["end_edge"]))})
    e = ibis.memtable(edge_days)
    window = ibis.interval(days=active_days)
    active = (days.join(e, [days.day <= e.edge, days.day > e.edge - window])
              .select("customer_id", "edge").distinct())
    firsts = days.group_by("customer_id").aggregate(first_day=days.day.min())
    p = ibis.memtable(edges[["period", "start_edge", "end_edge"]])
    at_start = p.join(active, p.start_edge == active.edge).select(
        "period", "customer_id")
    at_end = p.join(active, p.end_edge == active.edge).select(
        "period", "customer_id", "start_edge")
    starts = at_start.select(s_period="period", s_customer="customer_id")
    marked = at_end.left_join(starts, [at_end.period == starts.s_period,
                                       at_end.customer_id == starts.s_customer])
    marked = marked.join(firsts, marked.customer_id == firsts.customer_id)
    end_counts = marked.group_by("period").aggregate(
        ce=marked.count(),
        retained=marked.s_customer.notnull().cast("int64").sum(),
        first_time=(marked.first_day > marked.start_edge).cast("int64").sum(),
    ).to_pandas()
    start_counts = at_start.group_by("period").aggregate(cs=at_start.count()).to_pandas()
    frame = edges.merge(start_counts, on="period", how="left").merge(
        end_counts, on="period", how="left")
    for column in ("cs", "ce", "retained", "first_time"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["cn"] = frame["ce"] - frame["retained"]
    frame["returned"] = frame["cn"] - frame["first_time"]
    frame["lost"] = frame["cs"] - frame["retained"]
    frame["partial"] = pd.to_datetime(frame["end_edge"]) > data_last
    frame["warming_up"] = (pd.to_datetime(frame["start_edge"])
                           - pd.Timedelta(days=active_days - 1)) < data_first
    reason = np.select([frame["cs"] == 0, frame["warming_up"]], list(UNDEFINED_REASONS), "")
    frame["crr_undefined"] = pd.Series(reason, index=frame.index, dtype=object).where(
        reason != "", None)
    known = frame["crr_undefined"].isna()
    cs = frame["cs"].where(known & (frame["cs"] > 0)).astype(float)
    frame["retention_rate"] = 100 * (frame["ce"] - frame["cn"]) / cs
    frame["churn_rate"] = 100 * (frame["cs"] - frame["ce"]) / cs
    frame["lost_rate"] = 100 * frame["lost"] / cs
    frame.attrs.update(period=period, active_days=active_days)
    return frame[["period", "period_label", "partial", "warming_up", "cs", "ce", "cn",
                  "first_time", "returned", "retained", "lost", "retention_rate",
                  "churn_rate", "lost_rate", "crr_undefined"]]
