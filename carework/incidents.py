"""Incidents as of a date: which tickets were open then, and which of those are stale.

A ticket is **open** on the day ``as_of`` (at its end) when it was opened by then and was not
closed by then. It is closed by a date when its ``resolved_at`` (the final resolution or the
cancellation) is on or before it, or — without a ``resolved_at`` — when its status says it is
closed (``resolved``, ``cancelled``; the loader reads Vietnamese and English statuses such as
``Đã xử lý``, ``Đóng``, ``Hủy``, ``cancelled``; see :data:`carework.schema.TICKET_STATUSES`).
A ticket opened after the date does not exist yet.

An open ticket opened more than ``stale_days`` before the date (``[incidents] stale_days``,
default 60) is **stale**: most likely handled and never closed in the export. It is a
data-quality item to check, not an incident to call about.

Examples
--------
>>> import pandas as pd
>>> tickets = pd.DataFrame({
...     "ticket_id": ["T1", "T2", "T3", "T4"], "customer_id": ["a", "a", "b", "c"],
...     "opened_at": pd.to_datetime(["2026-09-20", "2026-05-01", "2026-09-25", "2026-10-02"]),
...     "resolved_at": pd.to_datetime([None, None, "2026-09-26", None]),
...     "status": ["open", "open", "resolved", "open"]})
>>> ticket_states(tickets, "2026-09-29", stale_days=60)["state"].tolist()
['open', 'stale', 'closed', 'not_yet']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CLOSED_STATUSES = ("resolved", "cancelled")
STATES = ("open", "stale", "closed", "not_yet")


def ticket_states(tickets: pd.DataFrame, as_of: str | pd.Timestamp,
                  stale_days: int = 60) -> pd.DataFrame:
    """Each ticket with its ``state`` at the end of ``as_of`` (``open``, ``stale``, ``closed``
    or ``not_yet``) and ``open_days`` (days open by then, for open and stale tickets)."""
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    opened = tickets["opened_at"]
    resolved = tickets["resolved_at"] if "resolved_at" in tickets else \
        pd.Series(pd.NaT, index=tickets.index, dtype="datetime64[us]")
    status = tickets["status"].astype("string") if "status" in tickets else \
        pd.Series(pd.NA, index=tickets.index, dtype="string")
    closed = resolved.lt(end).fillna(False).astype(bool) | (
        resolved.isna() & status.isin(CLOSED_STATUSES).fillna(False).astype(bool))
    not_yet = opened.ge(end).fillna(False).astype(bool)
    age = (end - pd.Timedelta(days=1) - opened.dt.normalize()).dt.days
    stale = ~closed & ~not_yet & (age > stale_days)
    state = np.select([not_yet, closed, stale], ["not_yet", "closed", "stale"], "open")
    out = tickets.assign(state=state, open_days=age.where(np.isin(state, ("open", "stale"))))
    return out


def incidents_by_customer(tickets: pd.DataFrame | None, as_of: str | pd.Timestamp,
                          stale_days: int = 60) -> pd.DataFrame:
    """Per customer with a ticket opened by the date: ``open_incidents`` and
    ``stale_incidents`` (counts as of the date), and the latest open (not stale) ticket's
    ``open_ticket_id``, ``open_ticket_category``, ``open_ticket_opened``. Index
    ``customer_id``."""
    columns = ["open_incidents", "stale_incidents", "open_ticket_id", "open_ticket_category",
               "open_ticket_opened"]
    if tickets is None or not len(tickets):
        return pd.DataFrame(columns=columns, index=pd.Index([], name="customer_id", dtype=str))
    states = ticket_states(tickets, as_of, stale_days)
    known = states[states["state"] != "not_yet"]
    out = pd.DataFrame(index=pd.Index(known["customer_id"].unique(), name="customer_id"))
    out["open_incidents"] = (known["state"] == "open").groupby(known["customer_id"]).sum()
    out["stale_incidents"] = (known["state"] == "stale").groupby(known["customer_id"]).sum()
    open_now = known[known["state"] == "open"].sort_values("opened_at")
    latest = open_now.groupby("customer_id").last()
    out["open_ticket_id"] = latest["ticket_id"]
    out["open_ticket_category"] = latest.get("category", np.nan)
    out["open_ticket_opened"] = latest["opened_at"]
    out.index = out.index.astype(str)
    out.index.name = "customer_id"
    return out[columns]


def stale_tickets(tickets: pd.DataFrame | None, as_of: str | pd.Timestamp,
                  stale_days: int = 60) -> pd.DataFrame:
    """The stale tickets as of the date (the data-quality list): ticket, customer, opened,
    days open, category, agent where known; oldest first."""
    if tickets is None or not len(tickets):
        return pd.DataFrame(columns=["ticket_id", "customer_id", "opened_at", "open_days"])
    states = ticket_states(tickets, as_of, stale_days)
    stale = states[states["state"] == "stale"]
    columns = [c for c in ("ticket_id", "customer_id", "opened_at", "open_days", "category",
                           "agent", "status") if c in stale]
    return stale.sort_values("opened_at")[columns].reset_index(drop=True)
