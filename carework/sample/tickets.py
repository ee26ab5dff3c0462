"""The tickets table: complaints after purchases, first response, resolution and status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.agents import AGENT_NAMES, AGENTS
from carework.sample.clock import DAY, into_hours
from carework.sample.columns import ids, text, timestamps
from carework.sample.draws import choice, pick, weights
from carework.text.taxonomy import default_taxonomy

__all__ = [
    "CANCEL", "FACTORS", "FRT_MEDIAN_MIN", "HANDLE_KNEE_DAYS", "HANDLE_MAX_DAYS", "REOPEN",
    "STALE", "STATUSES", "TICKET_CHANNELS", "TICKET_RATE", "TICKET_TOPICS", "TOPICS",
    "TOPIC_FACTOR_CODE", "TOPIC_MIX", "frame", "simulate", "ticket_ids",
]

TOPICS = ("product_quality", "product_design", "packaging", "product_range", "price", "warranty",
          "delivery", "payment", "store_location", "opening_hours", "staff_attitude",
          "staff_skills")
"""The ticket categories the simulator draws (topics of the taxonomy, in TOPIC_MIX order)."""
TICKET_TOPICS = {topic: default_taxonomy().factor_of(topic) for topic in TOPICS}
"""Ticket category → the handbook's root-cause factor (from the taxonomy)."""
FACTORS = ("product", "convenience", "people")
TOPIC_FACTOR_CODE = np.array([FACTORS.index(TICKET_TOPICS[t]) for t in TOPICS])
TOPIC_MIX = np.array([  # per purchase channel (store, online, phone), topics in TOPICS order
    [0.18, 0.07, 0.03, 0.10, 0.10, 0.07, 0.02, 0.08, 0.04, 0.05, 0.16, 0.10],
    [0.18, 0.06, 0.10, 0.04, 0.06, 0.04, 0.30, 0.10, 0.00, 0.00, 0.06, 0.06],
    [0.16, 0.05, 0.05, 0.05, 0.08, 0.08, 0.20, 0.08, 0.00, 0.00, 0.12, 0.13],
])
TOPIC_DELAY_H = np.array([96, 30, 30, 3, 6, 400, 60, 2, 1, 2, 2, 4], dtype=float)
TOPIC_HANDLE_H = np.array([50, 24, 20, 12, 6, 160, 36, 8, 6, 4, 14, 12], dtype=float)
TICKET_CHANNELS = ("phone", "email", "sms", "social", "store")
"""Channels through which complaints come in."""
TICKET_CHANNEL_MIX = np.array([  # per purchase channel
    [0.35, 0.05, 0.05, 0.10, 0.45],
    [0.30, 0.25, 0.05, 0.35, 0.05],
    [0.70, 0.10, 0.10, 0.10, 0.00],
])
FRT_MEDIAN_MIN = np.array([6.0, 300.0, 120.0, 50.0, 4.0])  # per ticket channel
TICKET_RATE = 0.055  # base P(ticket | purchase), times channel and customer multipliers
TICKET_CHANNEL_RATE = np.array([0.8, 1.6, 1.0])
HANDLE_KNEE_DAYS, HANDLE_MAX_DAYS = 5.0, 14.0
"""Handling times (first response to resolution) beyond the knee level off towards the bound."""
REOPEN = 0.07
"""Share of tickets the customer reopens after the first resolution (resolved again later)."""
CANCEL = 0.04
"""Share of tickets cancelled a few hours after the first response (withdrawn, duplicate)."""
STALE = 0.015
"""Share of tickets nobody ever closes in the export (open, no ``resolved_at``, any age)."""
STATUSES = ("open", "resolved", "reopened", "cancelled")
"""Ticket status codes (canonical English, see :data:`carework.schema.TICKET_STATUSES`)."""


def _level_off(x: np.ndarray, knee: float, bound: float) -> np.ndarray:
    """``x`` up to ``knee``, then rising ever more slowly towards ``bound``.

    Smooth and monotone; above the knee, ``log(x / knee)`` is squashed by a tanh, so a
    heavy tail spreads over the range below the bound instead of piling up at it.

    >>> _level_off(np.array([1.0, 5.0, 8.0, 15.0, 30.0, 1e3]), 5.0, 14.0).round(1).tolist()
    [1.0, 5.0, 7.8, 11.3, 13.2, 14.0]
    """
    span = np.log(bound / knee)
    above = knee * np.exp(span * np.tanh(np.log(np.maximum(x, knee) / knee) / span))
    return np.where(x <= knee, x, above)


def simulate(rng: np.random.Generator, p: dict[str, np.ndarray], n: int,
             horizon: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Tickets opened after the purchases ``p`` of ``n`` customers, up to ``horizon``.

    Most tickets are resolved within days; a few are reopened and resolved again, some are
    cancelled soon after the first response, and a few are never closed (``stale``). Those
    whose resolution falls after ``horizon`` are open at the export, as are the stale ones.
    ``resolved`` is the closing time (resolution or cancellation) even for open tickets;
    ``open`` says whether the export shows it.

    Returns the ticket rows (sorted by opening time; ``src`` is the purchase row) and the
    per-customer ticket propensity.
    """
    owner, chan = p["owner"], p["channel"]
    propensity = rng.gamma(2.0, 0.5, n)
    prob = np.clip(TICKET_RATE * TICKET_CHANNEL_RATE[chan] * p["ticket_mult"][owner]
                   * propensity[owner], 0, 0.6)
    has = rng.random(owner.size) < prob
    src = np.flatnonzero(has)
    m = src.size
    pch = chan[src]
    topic = pick(rng, TOPIC_MIX, pch)
    tch = pick(rng, TICKET_CHANNEL_MIX, pch)
    delay = np.exp(rng.normal(np.log(TOPIC_DELAY_H[topic]), 0.8)) * 3600
    opened = p["seconds"][src] + np.maximum(np.floor(delay), 60).astype(np.int64)
    office = (tch == 0) | (tch == 4)
    opened = np.where(office, into_hours(rng, opened, 8, 21), opened)
    agent = choice(rng, m, weights(AGENTS, 2))
    speed = np.array([a[1] for a in AGENTS])[agent]
    frt = np.exp(rng.normal(np.log(FRT_MEDIAN_MIN[tch]), 1.1)) * speed * 60
    frt = np.where(frt > 2 * DAY, 1.5 * DAY + rng.random(m) * 0.5 * DAY, frt)
    first = into_hours(rng, opened + np.maximum(np.floor(frt), 30).astype(np.int64), 8, 22)
    handle = np.exp(rng.normal(np.log(TOPIC_HANDLE_H[topic]), 0.9)) * speed**0.7 * 3600
    handle = _level_off(handle, HANDLE_KNEE_DAYS * DAY, HANDLE_MAX_DAYS * DAY)
    resolved = first + np.maximum(np.floor(handle), 300).astype(np.int64)
    reopened = rng.random(m) < REOPEN
    extra = np.exp(rng.normal(np.log(48.0), 0.6, m)) * 3600
    resolved = np.where(reopened, resolved + np.floor(extra).astype(np.int64), resolved)
    resolved = into_hours(rng, resolved, 8, 22)
    stale = rng.random(m) < STALE
    cancelled = ~stale & (rng.random(m) < CANCEL)
    wait = np.exp(rng.normal(np.log(3.0), 1.0, m)) * 3600
    cancel_at = into_hours(rng, first + np.floor(np.minimum(wait, 3 * DAY)).astype(np.int64),
                           8, 22)
    closed = np.where(cancelled, cancel_at, resolved)  # the final resolution or cancellation
    reopened &= ~cancelled

    keep = opened <= horizon
    t = {
        "src": src, "owner": owner[src], "opened": opened, "first": first,
        "resolved": closed, "channel": tch, "topic": topic, "agent": agent,
        "stale": stale, "reopened": reopened, "cancelled": cancelled,
    }
    t = {k: v[keep] for k, v in t.items()}
    t["first_missing"] = t["first"] > horizon
    t["open"] = t["stale"] | (t["resolved"] > horizon)
    t["status"] = np.select([t["open"], t["cancelled"], t["reopened"]], [0, 3, 2], 1)
    order = np.lexsort((t["owner"], t["opened"]))
    t = {k: v[order] for k, v in t.items()}
    return t, propensity


def ticket_ids(count: int) -> pa.Array:
    """Ticket numbers ``PH000001``, … in order of opening."""
    return ids("PH", count, 6)


def frame(t: dict[str, np.ndarray], cid: pa.Array, start: pd.Timestamp) -> pd.DataFrame:
    """The tickets table of the simulated tickets ``t``."""
    m = t["owner"].size
    return pd.DataFrame({
        "ticket_id": text(np.arange(m), ticket_ids(m)),
        "customer_id": text(t["owner"], cid),
        "opened_at": timestamps(start, t["opened"]),
        "first_response_at": timestamps(start, t["first"], t["first_missing"]),
        "resolved_at": timestamps(start, t["resolved"], t["open"]),
        "channel": text(t["channel"], TICKET_CHANNELS),
        "category": text(t["topic"], TOPICS),
        "agent": text(t["agent"], AGENT_NAMES),
        "status": text(t["status"], STATUSES),
    })
