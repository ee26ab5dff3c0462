"""First look at a data set: filters, headline counts and simple breakdowns.

These are the numbers the overview dashboards show before any model runs. They are plain
pandas: the tables here are per-customer or per-month, small once loaded.

Examples
--------
>>> from carework.sample import generate                          # doctest: +SKIP
>>> counts = headline(load("data/sample"))                        # doctest: +SKIP
>>> counts["buyers"]                                              # doctest: +SKIP
2760
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from carework.io import Dataset

ALL = "__all__"


def choices(data: Dataset, table: str, column: str) -> list[str]:
    """Distinct non-empty values of ``table.column``, most frequent first ([] if absent)."""
    frame = getattr(data, table)
    if frame is None or column not in frame:
        return []
    return frame[column].dropna().value_counts().index.astype(str).tolist()


def filter_data(data: Dataset, *, province: str = ALL, channel: str = ALL) -> Dataset:
    """Keep the customers of ``province`` and the purchases made through ``channel``.

    ``ALL`` (the default) keeps everything. Filtering by province needs the customers table;
    it restricts every table to those customers.
    """
    out = data
    if province != ALL and data.customers is not None and "province" in data.customers:
        keep = set(data.customers.loc[data.customers["province"] == province, "customer_id"])
        out = replace(out, **{name: frame[frame["customer_id"].isin(keep)].reset_index(drop=True)
                              for name, frame in out.tables.items()})
    if channel != ALL and "channel" in out.transactions:
        tx = out.transactions
        out = replace(out, transactions=tx[tx["channel"] == channel].reset_index(drop=True))
    return out


SNAPSHOT_DATES = {"transactions": "purchased_at", "customers": "signup_at",
                  "surveys": "answered_at", "tickets": "opened_at", "contacts": "contacted_at"}


def snapshot(data: Dataset, as_of: str | pd.Timestamp) -> Dataset:
    """The data as it was known at the end of the day ``as_of``: later purchases, surveys,
    tickets, contacts and sign-ups are left out, and a ticket resolved (or first answered)
    later is open (unanswered) again. Rows without the date are kept (nothing says they are
    later). For backtests: nothing after ``as_of`` leaks in."""
    cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    tables = {}
    for name, frame in data.tables.items():
        column = SNAPSHOT_DATES.get(name)
        if frame is None or column not in frame:
            continue
        dated = [c for c in (column, "first_response_at", "resolved_at") if c in frame
                 and (c == column or name == "tickets")]
        if not any((frame[c] >= cutoff).any() for c in dated):
            continue  # nothing after the date: the table as it is, not a copy
        frame = frame[~(frame[column] >= cutoff)].reset_index(drop=True)
        if name == "tickets":
            frame = frame.copy()
            if "status" in frame and "resolved_at" in frame:
                frame.loc[frame["resolved_at"] >= cutoff, "status"] = "open"
            for later in ("first_response_at", "resolved_at"):
                if later in frame:
                    frame.loc[frame[later] >= cutoff, later] = pd.NaT
        tables[name] = frame
    return replace(data, **tables, as_of=pd.Timestamp(as_of))


def per_customer(data: Dataset) -> pd.DataFrame:
    """One row per customer who bought: orders, revenue, first and last purchase, joined with
    the customers table's columns where present."""
    tx = data.transactions
    stats = tx.groupby("customer_id").agg(
        orders=("purchased_at", "size"), revenue=("amount", "sum"),
        first_purchase=("purchased_at", "min"), last_purchase=("purchased_at", "max"))
    if data.customers is not None:
        stats = stats.join(data.customers.set_index("customer_id"), how="left")
    return stats


def headline(data: Dataset) -> dict[str, float]:
    """Headline counts: customers, buyers, prospects, orders, revenue, repeat-buyer share, and
    survey/ticket counts where those tables exist. (Open incidents are the customer base's, as
    of its date: :mod:`carework.incidents`.)"""
    tx = data.transactions
    buyers = tx["customer_id"].nunique()
    orders_per = tx.groupby("customer_id").size()
    out: dict[str, float] = {
        "orders": len(tx),
        "buyers": buyers,
        "revenue": float(tx["amount"].sum()),
        "repeat_share": float((orders_per > 1).mean()) if buyers else np.nan,
        "first_date": tx["purchased_at"].min(),
        "last_date": tx["purchased_at"].max(),
    }
    if data.customers is not None:
        out["customers"] = len(data.customers)
        out["prospects"] = int((~data.customers["customer_id"].isin(tx["customer_id"])).sum())
    if data.surveys is not None:
        out["surveys"] = len(data.surveys)
    if data.tickets is not None:
        out["tickets"] = len(data.tickets)
    return out


def monthly(data: Dataset) -> pd.DataFrame:
    """Orders, buyers and revenue per calendar month."""
    tx = data.transactions
    month = tx["purchased_at"].dt.to_period("M").dt.to_timestamp()
    return (tx.assign(month=month).groupby("month")
            .agg(orders=("amount", "size"), buyers=("customer_id", "nunique"),
                 revenue=("amount", "sum")).reset_index())


def breakdown(data: Dataset, column: str) -> pd.DataFrame:
    """Customers, buyers, orders and revenue by a customers-table column (e.g. province)."""
    stats = per_customer(data)
    if data.customers is None or column not in data.customers:
        return pd.DataFrame(columns=[column, "customers", "buyers", "orders", "revenue"])
    everyone = data.customers.groupby(column).size().rename("customers")
    bought = stats.groupby(column).agg(buyers=("orders", "size"), orders=("orders", "sum"),
                                       revenue=("revenue", "sum"))
    table = pd.concat([everyone, bought], axis=1).fillna(0)
    table[["customers", "buyers", "orders"]] = table[["customers", "buyers", "orders"]].astype(int)
    return table.sort_values("revenue", ascending=False).rename_axis(column).reset_index()
