"""One row per customer who has bought: the behaviour, value, risk and voice behind every
segmentation.

The per-customer aggregation of the transaction log is one ibis expression (DuckDB for pandas
input), like :func:`carework.rfm.summary`; the optional tables (customers, surveys, tickets) are
joined in pandas, per customer.

Examples
--------
>>> import carework
>>> profile = customer_profile(carework.load("data/sample"))     # doctest: +SKIP
>>> profile[["spend", "orders", "recency_days", "share_online"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

from carework.explore import snapshot
from carework.io import Dataset
from carework.rfm import REQUIRED

CHANNELS = ("store", "online", "phone")
MAX_CATEGORIES = 8


def _purchases(data: Dataset, end: pd.Timestamp, categories: list[str],
               recent_days: float | None = None) -> pd.DataFrame:
    """Per customer: spend, purchase-days, first and last day and the first day's value,
    channel and category shares, mean basket per purchase-day, and the mean and spread of the
    days between purchases. The purchase-day totals are those of :func:`carework.rfm.summary`,
    so the summary can be read off this table instead of aggregating the log again."""
    tx = data.transactions
    extra = [c for c in ("channel", "product_category") if c in tx]
    t = ibis.memtable(tx[list(REQUIRED) + extra])
    t = t.mutate(day=t.purchased_at.cast("date"))
    shares = {}
    if "channel" in extra:
        shares |= {f"share_{c}": (t.channel == c).cast("float64").mean() for c in CHANNELS}
    if "product_category" in extra:
        shares |= {f"cat_{i}": (t.product_category == c).cast("float64").mean()
                   for i, c in enumerate(categories)}
    if "product_category" in extra:
        shares["last_category"] = t.product_category.argmax(t.purchased_at)
    per = t.group_by("customer_id").aggregate(spend=t.amount.sum(), transactions=t.count(),
                                              **shares)
    daily = t.group_by(["customer_id", "day"]).aggregate(value=t.amount.sum())
    window = ibis.window(group_by="customer_id", order_by="day")
    daily = daily.mutate(gap=daily.day.delta(daily.day.lag().over(window), unit="day")
                         .cast("float64"))
    recent = {}
    if recent_days is not None:
        start = (end - pd.Timedelta(days=recent_days - 1)).date() if recent_days > 0 else None
        value = daily.value if start is None else ibis.ifelse(daily.day >= start, daily.value,
                                                              0.0)
        recent["recent_spend"] = value.sum()
    days = daily.group_by("customer_id").aggregate(
        **recent, orders=daily.count(), first_day=daily.day.min(), last_day=daily.day.max(),
        first_value=daily.value.argmin(daily.day), gap_mean=daily.gap.mean(),
        gap_std=daily.gap.std(how="pop"), gaps=daily.gap.count())
    frame = per.inner_join(days, "customer_id").to_pandas()
    frame = frame.set_index("customer_id").sort_index()
    frame.index = frame.index.astype(str)
    frame = frame.rename(columns={f"cat_{i}": f"cat_{c}" for i, c in enumerate(categories)})
    first, last = (pd.to_datetime(frame.pop(c)) for c in ("first_day", "last_day"))
    frame["first_purchase"], frame["last_purchase"] = first, last
    frame["recency_days"] = (end - last).dt.days.astype(float)
    frame["tenure_days"] = (end - first).dt.days.astype(float)
    frame["basket"] = frame["spend"] / frame["orders"]
    frame["gaps"] = frame["gaps"].fillna(0)
    # regularity of the gaps: coefficient of variation (0 = clockwork); needs two gaps
    frame["gap_cv"] = np.where(frame["gaps"] >= 2, frame["gap_std"] / frame["gap_mean"], np.nan)
    return frame.drop(columns=["gap_std"])


def attach(table: pd.DataFrame, columns: pd.DataFrame, fill: dict | None = None) -> None:
    """Add ``columns`` (indexed by customer) to ``table``, aligned on its index with one
    look-up for all of them (aligning column by column costs a look-up each: seconds at a
    million customers), missing customers empty or ``fill``."""
    aligned = columns.reindex(table.index)
    if fill:
        aligned = aligned.fillna(fill)
    for column in aligned.columns:
        table[column] = aligned[column].to_numpy()


def _last_of(frame: pd.DataFrame, date: str, column: str) -> pd.Series:
    latest = frame.dropna(subset=[column]).sort_values(date).groupby("customer_id").last()
    return latest[column]


def customer_profile(data: Dataset, *, as_of: str | pd.Timestamp | None = None,
                     recent_days: float | None = None) -> pd.DataFrame:
    """Everything known about each customer who has bought, as of ``as_of`` (default: the
    last purchase day; later rows of every table are left out, see
    :func:`carework.explore.snapshot`).

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``spend``, ``orders`` (purchase-days),
    ``transactions``, ``first_purchase``, ``last_purchase``, ``recency_days`` (days since the
    last purchase), ``tenure_days`` (since the first), ``basket`` (spend per purchase-day),
    ``gap_mean`` and ``gap_cv`` (days between purchases and their coefficient of variation),
    ``first_value`` (the first purchase-day's value), ``share_store/online/phone`` and
    ``cat_<category>`` (shares of the transactions, where the columns exist),
    ``main_channel``, ``last_category``; from the customers table
    ``age``, ``income_band``, ``acquisition_source``, ``province``, ``birth_date``; from
    surveys ``surveys``, ``nps_mean``, ``csat_mean``; from tickets ``tickets`` and
    ``last_ticket_category``; with ``recent_days``, ``recent_spend`` (the spend of the last
    ``recent_days`` up to ``as_of``, all of it for 0: the VIP rule's look-back) (open
    incidents are the customer base's:
    :mod:`carework.incidents`). ``attrs["as_of"]`` is the date used and ``attrs["missing"]``
    lists the tables that were absent. The customer base (:mod:`carework.customer_base`)
    adds the churn scores the clustering uses (``churn_risk``, ``predicted_clv``, …).
    """
    end = pd.Timestamp(as_of if as_of is not None
                       else data.transactions["purchased_at"].max()).normalize()
    data = snapshot(data, end)
    categories: list[str] = []
    if "product_category" in data.transactions:
        categories = (data.transactions["product_category"].value_counts()
                      .index[:MAX_CATEGORIES].astype(str).tolist())
    profile = _purchases(data, end, categories, recent_days)
    tx = data.transactions
    if "channel" in tx:
        shares = profile[[f"share_{c}" for c in CHANNELS]].fillna(0.0)  # walk-ins: no channel
        profile["main_channel"] = shares.idxmax(axis=1).str.removeprefix("share_").where(
            shares.sum(axis=1) > 0)
    missing = []
    if data.customers is not None:
        people = data.customers.drop_duplicates("customer_id", keep="last").set_index(
            "customer_id")
        wanted = [c for c in ("birth_date", "income_band", "acquisition_source", "province")
                  if c in people]
        attach(profile, people[wanted])
        if "birth_date" in profile:
            profile["age"] = (end - pd.to_datetime(profile["birth_date"])).dt.days / 365.25
    else:
        missing.append("customers")
    if data.surveys is not None:
        votes = data.surveys.groupby("customer_id")
        answers = pd.DataFrame({"surveys": votes.size()})
        for column in ("nps", "csat"):
            if column in data.surveys:
                answers[f"{column}_mean"] = votes[column].mean().astype(float)
        attach(profile, answers, fill={"surveys": 0})
    else:
        missing.append("surveys")
    if data.tickets is not None:
        tickets = data.tickets
        found = pd.DataFrame({"tickets": tickets.groupby("customer_id").size()})
        if "category" in tickets:
            found["last_ticket_category"] = _last_of(tickets, "opened_at", "category")
        attach(profile, found, fill={"tickets": 0})
    else:
        missing.append("tickets")
    profile.attrs = {"as_of": end, "missing": missing, "categories": categories}
    return profile
