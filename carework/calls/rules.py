"""The care handbook's call rules: the reasons to call, in the order of their tiers.

The numbers a care manager may change live in the settings (``[calls]`` in ``carework.toml``,
:class:`carework.settings.CallRules`); the churn-risk bands that make a customer "at risk" or
"lapsed" are ``[churn] risk_bands``.
"""

from __future__ import annotations

from carework.settings import CallRules

WINDOWS = CallRules().windows
"""The handbook's hours for care calls (the default of ``[calls] windows``)."""

REASONS = ("open_incident", "closed_loop", "value_at_risk", "due_for_repurchase", "follow_up",
           "birthday", "welcome", "win_back")
"""Every reason to call, in the order of the tiers: an open incident first, then closing the
loop with an unhappy customer, then the rest ranked together by their money value."""

URGENT = ("open_incident", "closed_loop")
"""Reasons handled at once, before any other, whatever their money value."""

__all__ = ["REASONS", "URGENT", "WINDOWS", "CallRules"]
