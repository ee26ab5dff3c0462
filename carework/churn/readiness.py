"""Is there enough history to show predictions at all?

Predictive-CRM products refuse to predict below some amount of data (Klaviyo: 500 customers
with orders, 180 days of history, recent orders, some customers with 3+ orders). carework's
thresholds, chosen for shops of a few thousand customers:

==========================  ==========  =====================================================
check                       threshold   why
==========================  ==========  =====================================================
buyers                      ≥ 500       fewer give parameter estimates too loose to rank people
history_days                ≥ 180       shorter periods cannot separate "slow" from "gone"
days_since_last_purchase    ≤ 30        older data describes customers as they were, not are
repeat_buyers_3plus         ≥ 50        the model learns buying rates from people who came back
==========================  ==========  =====================================================

Examples
--------
>>> verdict = readiness(s)          # doctest: +SKIP
>>> verdict.ready, verdict.reasons() # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carework.churn.base import UNIT_DAYS
from carework.i18n import t

MIN_BUYERS = 500
MIN_HISTORY_DAYS = 180
MAX_DAYS_SINCE_LAST = 30
MIN_THREE_PLUS = 50


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, the value found, the threshold, and whether it passed."""

    name: str
    value: float
    threshold: float
    ok: bool

    def message(self) -> str:
        return t(f"ready.{self.name}", value=f"{self.value:,.0f}",
                 threshold=f"{self.threshold:,.0f}")


@dataclass(frozen=True)
class Readiness:
    """The verdict (``ready``) and the checks behind it."""

    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks)

    def reasons(self) -> list[str]:
        """Plain-language reasons for every failed check (empty when ready)."""
        return [c.message() for c in self.checks if not c.ok]

    def __str__(self) -> str:
        if self.ready:
            return t("ready.ok")
        return t("ready.not_ready") + " " + "; ".join(self.reasons())


def readiness(summary: pd.DataFrame) -> Readiness:
    """Judge whether ``summary`` (from :func:`carework.rfm.summary`) supports predictions."""
    per_day = UNIT_DAYS[summary.attrs.get("unit", "D")]
    buyers = len(summary)
    history = float(summary["T"].max()) * per_day if buyers else 0.0
    since_last = float((summary["T"] - summary["recency"]).min()) * per_day if buyers else 1e9
    three_plus = int((summary["frequency"] >= 2).sum())
    return Readiness((
        Check("buyers", buyers, MIN_BUYERS, buyers >= MIN_BUYERS),
        Check("history_days", history, MIN_HISTORY_DAYS, history >= MIN_HISTORY_DAYS),
        Check("days_since_last_purchase", since_last, MAX_DAYS_SINCE_LAST,
              since_last <= MAX_DAYS_SINCE_LAST),
        Check("repeat_buyers_3plus", three_plus, MIN_THREE_PLUS, three_plus >= MIN_THREE_PLUS),
    ))
