"""The care handbook's call rules, with the numbers a care manager may change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carework.settings import from_mapping, refuse_nonsense

WINDOWS = ("09:00–11:00", "14:30–16:30")
"""The only hours the handbook allows for care calls."""

REASONS = ("open_incident", "closed_loop", "value_at_risk", "due_for_repurchase", "follow_up",
           "birthday", "welcome", "win_back")
"""Every reason to call, in the order of the tiers: an open incident first, then closing the
loop with an unhappy customer, then the rest ranked together by their money value."""


@dataclass(frozen=True)
class CallRules:
    """Thresholds of the call list (defaults from the handbook).

    Attributes
    ----------
    cooldown_days : never call anyone contacted in the last this many days.
    closed_loop_days : a detractor (NPS 0–6) or dissatisfied rating (CSAT 1–2) this recent, not
        contacted since, is called right after the open incidents.
    follow_up_days : the purchase this many days ago gets a follow-up call (± ``follow_up_slack``).
    follow_up_slack : days either side of ``follow_up_days``.
    birthday_days : birthdays within this many days from the date (the week ahead).
    welcome_days : a first purchase this recent gets a welcome call.
    at_risk_min : churn risk from which a valuable customer's value counts as at risk.
    lapsed_risk : churn risk from which a customer is lapsed (win-back instead of at-risk).
    win_back_top_share : lapsed customers among this top share by past spend are worth winning
        back.
    win_back_rate : share of a lapsed customer's yearly spend a win-back call is expected to
        bring back (an assumption the backtest checks, not a measured fact).
    horizon_days : horizon of the churn risk and expected purchases behind the money values.
    """

    cooldown_days: int = 7
    closed_loop_days: int = 14
    follow_up_days: int = 7
    follow_up_slack: int = 1
    birthday_days: int = 7
    welcome_days: int = 7
    at_risk_min: float = 0.5
    lapsed_risk: float = 0.85
    win_back_top_share: float = 0.2
    win_back_rate: float = 0.1
    horizon_days: int = 90

    def __post_init__(self) -> None:
        checks = [
            ("cooldown_days", self.cooldown_days >= 0, "0 or more days"),
            ("closed_loop_days", self.closed_loop_days > 0, "more than 0 days"),
            ("follow_up_days", self.follow_up_days > self.follow_up_slack >= 0,
             "more days than follow_up_slack"),
            ("birthday_days", self.birthday_days > 0, "more than 0 days"),
            ("welcome_days", self.welcome_days > 0, "more than 0 days"),
            ("at_risk_min", 0 < self.at_risk_min < self.lapsed_risk < 1,
             "a probability below lapsed_risk"),
            ("lapsed_risk", 0 < self.lapsed_risk < 1, "a probability between 0 and 1"),
            ("win_back_top_share", 0 < self.win_back_top_share <= 1, "a share above 0"),
            ("win_back_rate", 0 < self.win_back_rate <= 1, "a share above 0"),
            ("horizon_days", self.horizon_days > 0, "more than 0 days"),
        ]
        refuse_nonsense("call rules", ((name, getattr(self, name), ok, must)
                                       for name, ok, must in checks))

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> CallRules:
        """Defaults overridden by ``values`` (e.g. keyword arguments of ``plan``)."""
        return from_mapping(cls, values, "call rules")
