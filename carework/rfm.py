"""Transaction log → one row per customer: the frequency / recency / T summary of BTYD models.

The summary follows the buy-till-you-die literature and lifetimes'
``summary_data_from_transaction_data``:

* purchases on the same calendar day are one purchase (their amounts add up);
* ``frequency`` counts *repeat* purchase-days (all purchase-days but the first);
* ``recency`` is the time from the first to the last purchase-day, ``T`` from the first
  purchase-day to the end of the observation (calibration) period, both measured in days and
  expressed in ``unit`` (``"D"`` days, ``"W"`` weeks = days / 7);
* ``monetary_value`` is the mean value of the repeat purchase-days (0 without repeats).

With ``calibration_end`` the customers who bought by then are summarised up to it, and their
purchases after it, up to ``observation_end``, give ``frequency_holdout`` (purchase-days),
``monetary_value_holdout`` (their mean value) and ``duration_holdout``. Both ends are whole
days: a purchase at 10:00 on ``calibration_end`` belongs to the calibration period.

Two deliberate differences from lifetimes' ``calibration_and_holdout_data``, which compares
timestamps with the end *date* at midnight (so a purchase during the last calibration day falls
into its holdout while ``T`` still counts that day) and averages the holdout value per
transaction while it counts holdout purchase-days: here both periods are cut at day ends and
``monetary_value_holdout`` is the mean per purchase-day, like ``monetary_value``. On date-only
data with one transaction per day the two agree exactly (tests/test_rfm.py).

The computation is one ibis expression: it runs where the transactions are (DuckDB for pandas
input and files, Spark or a warehouse for their tables); only the per-customer result comes back
to pandas.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
...                    "purchased_at": pd.to_datetime(["2025-01-01", "2025-01-01",
...                                                    "2025-01-11", "2025-01-05"]),
...                    "amount": [10.0, 5.0, 30.0, 20.0]})
>>> summary(tx, observation_end="2025-01-31")  # doctest: +NORMALIZE_WHITESPACE
             frequency  recency     T  monetary_value
customer_id
a                  1.0     10.0  30.0            30.0
b                  0.0      0.0  26.0             0.0

References
----------
Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from carework.errors import data_error

UNITS = {"D": 1.0, "W": 7.0}
REQUIRED = ("customer_id", "purchased_at", "amount")


def as_table(transactions: pd.DataFrame | ir.Table) -> ir.Table:
    """An ibis table of the canonical transaction columns (pandas input goes to DuckDB)."""
    if isinstance(transactions, ir.Table):
        missing = [c for c in REQUIRED if c not in transactions.columns]
        table = transactions
    else:
        missing = [c for c in REQUIRED if c not in transactions.columns]
        if not missing:
            # a memtable runs on the default backend, DuckDB (ibis 12's create_table from a
            # DataFrame fails on DuckDB 2.0)
            table = ibis.memtable(transactions[list(REQUIRED)])
    if missing:
        raise data_error("err.rfm.missing_column", column=missing[0])
    return table


def _day(value: str | dt.date | pd.Timestamp | None) -> dt.date | None:
    return None if value is None else pd.Timestamp(value).date()


def summary(transactions: pd.DataFrame | ir.Table, *,
            calibration_end: str | dt.date | pd.Timestamp | None = None,
            observation_end: str | dt.date | pd.Timestamp | None = None,
            unit: str = "D") -> pd.DataFrame:
    """Summarise a transaction log per customer (see the module docstring for the meaning).

    Parameters
    ----------
    transactions : canonical transactions (``customer_id``, ``purchased_at``, ``amount``), as
        a pandas DataFrame or an ibis Table on any backend.
    calibration_end : last day of the calibration period; adds the holdout columns.
    observation_end : last day observed (default: the last purchase day). Later purchases are
        ignored.
    unit : ``"D"`` (days) or ``"W"`` (weeks of 7 days) for ``recency``, ``T`` and
        ``duration_holdout``.

    Returns
    -------
    DataFrame indexed by ``customer_id`` (sorted) with ``frequency``, ``recency``, ``T``,
    ``monetary_value`` and, with ``calibration_end``, ``frequency_holdout``,
    ``monetary_value_holdout``, ``duration_holdout``. Its ``attrs`` record ``unit``,
    ``observation_end`` and ``calibration_end``, which the models' predictions use.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {sorted(UNITS)}, not {unit!r}")
    scale = UNITS[unit]
    t = as_table(transactions)
    daily = (t.mutate(day=t.purchased_at.cast("date"))
             .group_by(["customer_id", "day"]).aggregate(value=lambda d: d.amount.sum()))

    end = _day(observation_end)
    if end is None:
        end = pd.Timestamp(daily.day.max().execute()).date()
    cal_end = _day(calibration_end) or end
    if cal_end > end:
        raise ValueError(f"calibration_end {cal_end} is after observation_end {end}")

    cal = daily.filter(daily.day <= cal_end)
    per = cal.group_by("customer_id").aggregate(
        first=cal.day.min(), last=cal.day.max(), days=cal.count(), total=cal.value.sum(),
        first_value=cal.value.argmin(cal.day))
    repeats = per.days - 1
    result = per.select(
        "customer_id",
        frequency=repeats.cast("float64"),
        recency=per["last"].delta(per["first"], unit="day").cast("float64") / scale,
        T=ibis.literal(cal_end).delta(per["first"], unit="day").cast("float64") / scale,
        monetary_value=ibis.ifelse(repeats > 0, (per.total - per.first_value) / repeats, 0.0),
    )
    if calibration_end is not None:
        hold = daily.filter((daily.day > cal_end) & (daily.day <= end))
        hold = hold.group_by("customer_id").aggregate(
            frequency_holdout=hold.count().cast("float64"),
            monetary_value_holdout=hold.value.mean())
        result = result.left_join(hold, "customer_id").select(
            *[result[c] for c in result.columns],
            frequency_holdout=hold.frequency_holdout.fill_null(0.0),
            monetary_value_holdout=hold.monetary_value_holdout.fill_null(0.0),
            duration_holdout=ibis.literal((end - cal_end).days / scale, type="float64"),
        )
    frame = result.to_pandas().set_index("customer_id").sort_index()
    frame.index = frame.index.astype(str)
    frame = frame.astype(float)
    frame.attrs.update(unit=unit, observation_end=pd.Timestamp(end),
                       calibration_end=pd.Timestamp(cal_end) if calibration_end else None)
    return frame


def summary_from_days(days: pd.DataFrame, observation_end: str | dt.date | pd.Timestamp,
                      unit: str = "D") -> pd.DataFrame:
    """The same summary as :func:`summary` (without a holdout), read off per-customer totals
    of purchase-days that another aggregation already made, so the log is not read twice.

    Parameters
    ----------
    days : indexed by ``customer_id``: ``orders`` (purchase-days), ``spend`` (their total),
        ``first_value`` (the first purchase-day's value), ``first_purchase`` and
        ``last_purchase`` (days), as :func:`carework.segments.profile.customer_profile` gives.
    observation_end : the last day observed (every purchase in ``days`` is on or before it).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {sorted(UNITS)}, not {unit!r}")
    end = pd.Timestamp(observation_end).normalize()
    repeats = days["orders"].astype(float) - 1.0
    first = days["first_purchase"].dt.normalize()
    frame = pd.DataFrame({
        "frequency": repeats,
        "recency": (days["last_purchase"].dt.normalize() - first).dt.days.astype(float),
        "T": (end - first).dt.days.astype(float),
        "monetary_value": ((days["spend"] - days["first_value"]) / repeats.where(repeats > 0))
        .fillna(0.0),
    }, index=days.index)
    frame[["recency", "T"]] /= UNITS[unit]
    frame = frame.sort_index()
    frame.attrs.update(unit=unit, observation_end=end, calibration_end=None)
    return frame
