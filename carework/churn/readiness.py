"""Is there enough history to show predictions at all?

Predictive-CRM products refuse to predict below some amount of data (Klaviyo: 500 customers
with orders, 180 days of history, recent orders, some customers with 3+ orders). carework's
checks, with thresholds from ``[churn]`` in the settings
(:class:`carework.settings.ChurnSettings`; defaults chosen for shops of a few thousand
customers):

==========================  =======  ===========================================================
check                       default  why
==========================  =======  ===========================================================
buyers                      ≥ 500    fewer give parameter estimates too loose to rank people
history_days                ≥ 180    shorter periods cannot separate "slow" from "gone"
days_since_last_purchase    ≤ 30     the as-of date is this far past the data's last purchase:
                                     the data cannot say what happened in between
repeat_buyers_3plus         ≥ 50     the model learns buying rates from people who came back
==========================  =======  ===========================================================

Examples
--------
>>> verdict = readiness(s)          # doctest: +SKIP
>>> verdict.ready, verdict.reasons() # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carework.churn.base import UNIT_DAYS
from carework.i18n import fmt_number, t
from carework.settings import ChurnSettings


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, the value found, the threshold, and whether it passed."""

    name: str
    value: float
    threshold: float
    ok: bool

    def message(self) -> str:
        return t(f"ready.{self.name}", value=fmt_number(self.value),
                 threshold=fmt_number(self.threshold))


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


def readiness(summary: pd.DataFrame, settings: ChurnSettings | None = None) -> Readiness:
    """Judge whether ``summary`` (from :func:`carework.rfm.summary`) supports predictions."""
    s = settings or ChurnSettings()
    per_day = UNIT_DAYS[summary.attrs.get("unit", "D")]
    buyers = len(summary)
    history = float(summary["T"].max()) * per_day if buyers else 0.0
    since_last = float((summary["T"] - summary["recency"]).min()) * per_day if buyers else 1e9
    three_plus = int((summary["frequency"] >= 2).sum())
    return Readiness((
        Check("buyers", buyers, s.min_buyers, buyers >= s.min_buyers),
        Check("history_days", history, s.min_history_days, history >= s.min_history_days),
        Check("days_since_last_purchase", since_last, s.max_days_uncovered,
              since_last <= s.max_days_uncovered),
        Check("repeat_buyers_3plus", three_plus, s.min_repeat_buyers,
              three_plus >= s.min_repeat_buyers),
    ))
