"""The contacts table: care calls and messages (purchase follow-ups, ticket follow-ups, birthdays).

Contacts happen on weekdays, mostly in the handbook's call windows (09:00-11:00 and
14:30-16:30), never to do-not-call customers, at most one per customer and day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.agents import AGENT_NAMES, AGENTS
from carework.sample.calendar import Calendar
from carework.sample.clock import DAY
from carework.sample.columns import text, timestamps
from carework.sample.draws import choice, weights

__all__ = ["CONTACT_CHANNELS", "OUTCOMES", "frame", "simulate"]

CONTACT_CHANNELS = ("phone", "sms", "email")
"""How customers are contacted."""
OUTCOMES = ("reached", "no_answer", "callback", "declined")
"""Results of a contact."""


def simulate(rng: np.random.Generator, c: dict[str, np.ndarray], p: dict[str, np.ndarray],
             t: dict[str, np.ndarray], cal: Calendar, horizon: int,
             mean_spend: np.ndarray) -> dict[str, np.ndarray]:
    """Contacts with the customers ``c`` after purchases ``p`` and tickets ``t``, by time."""
    n = c["persona"].size
    vip = c["persona"] == 4
    high_value = vip | (mean_spend > np.quantile(mean_spend, 0.9))
    reachable = ~c["do_not_call"] & (~c["phone_missing"] | c["has_email"])

    # Follow-up about a week after a purchase, mostly for high-value customers.
    owner = p["owner"]
    big = p["amount"] > 2_000_000
    prob = np.where(high_value[owner], 0.07, 0.007) * np.where(big, 2.0, 1.0)
    chosen = rng.random(owner.size) < prob
    fu_owner = owner[chosen]
    fu_day = p["seconds"][chosen] // DAY + rng.integers(5, 10, chosen.sum())

    # Ticket follow-ups one to three days after a complaint is opened.
    tpick = rng.random(t["owner"].size) < 0.3
    tk_owner = t["owner"][tpick]
    tk_day = t["opened"][tpick] // DAY + rng.integers(1, 4, tpick.sum())

    # Birthday greetings for high-value customers (each year in the period).
    bd_owner_l, bd_day_l = [], []
    birth = cal.start.normalize() + pd.Timedelta(days=cal.days)  # the end date
    birth_dates = (np.datetime64(birth.to_datetime64(), "D")
                   - c["birth_days"].astype("timedelta64[D]"))
    bmonth = (birth_dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    bday = (birth_dates - birth_dates.astype("datetime64[M]")).astype(np.int64) + 1
    bday = np.where((bmonth == 2) & (bday == 29), 28, bday)
    start_day = np.datetime64(cal.start.to_datetime64(), "D")
    first_day = p["first_seconds"] // DAY
    for year in range(cal.start.year, cal.start.year + cal.days // 365 + 2):
        months = np.datetime64(f"{year:04d}-01", "M") + (bmonth - 1)
        when = (months.astype("datetime64[D]") + (bday - 1) - start_day).astype(np.int64)
        ok = (high_value & ~c["birth_missing"] & (when >= first_day) & (when >= 0)
              & (rng.random(n) < 0.6))
        bd_owner_l.append(np.flatnonzero(ok))
        bd_day_l.append(when[ok])

    who = np.concatenate([fu_owner, tk_owner, *bd_owner_l])
    day = np.concatenate([fu_day, tk_day, *bd_day_l])
    reason = np.concatenate([np.zeros(fu_owner.size, np.int64), np.ones(tk_owner.size, np.int64),
                             np.full(sum(x.size for x in bd_owner_l), 2, np.int64)])
    wd = cal.weekday(day)
    day = day + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
    k = who.size
    w = rng.random(k)
    window = np.where(w < 0.52, 9 * 3600 + rng.random(k) * 7200,
                      np.where(w < 0.88, 14.5 * 3600 + rng.random(k) * 7200,
                               8 * 3600 + rng.random(k) * 10 * 3600))
    seconds = day * DAY + np.floor(window).astype(np.int64)
    phone_ok = ~c["phone_missing"][who]
    ch_u = rng.random(k)
    channel = np.where(phone_ok, np.where(ch_u < 0.82, 0, np.where(ch_u < 0.94, 1, 2)), 2)
    channel = np.where((channel == 2) & ~c["has_email"][who], 1, channel)
    outcome = np.where(channel == 0, choice(rng, k, np.array([0.56, 0.24, 0.12, 0.08])),
                       np.where(rng.random(k) < 0.85, 0, 1))
    agent = choice(rng, k, weights(AGENTS, 2))
    keep = reachable[who] & (seconds <= horizon) & (seconds >= 0)
    out = {"owner": who, "seconds": seconds, "channel": channel, "outcome": outcome,
           "agent": agent, "reason": reason}
    out = {key: v[keep] for key, v in out.items()}
    # One call per customer and day at most.
    per_day = pd.DataFrame({"o": out["owner"], "d": out["seconds"] // DAY})
    first = ~per_day.duplicated().to_numpy()
    out = {key: v[first] for key, v in out.items()}
    order = np.lexsort((out["owner"], out["seconds"]))
    return {key: v[order] for key, v in out.items()}


def frame(k: dict[str, np.ndarray], cid: pa.Array, start: pd.Timestamp) -> pd.DataFrame:
    """The contacts table of the simulated contacts ``k``."""
    return pd.DataFrame({
        "customer_id": text(k["owner"], cid),
        "contacted_at": timestamps(start, k["seconds"]),
        "channel": text(k["channel"], CONTACT_CHANNELS),
        "agent": text(k["agent"], AGENT_NAMES),
        "outcome": text(k["outcome"], OUTCOMES),
    })
