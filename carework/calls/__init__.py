"""Today's call list: customers worth calling, with reasons, slots and talking points.

>>> import carework                                                           # doctest: +SKIP
>>> from carework import calls                                                # doctest: +SKIP
>>> sheet = calls.plan(carework.load("data/sample"), agents=3, per_agent=20)  # doctest: +SKIP
>>> calls.labelled(sheet)[["reason", "talking_points"]]                       # doctest: +SKIP
>>> calls.backtest(carework.load("data/sample"), "2026-06-30", k=60)          # doctest: +SKIP
"""

from carework.calls.backtest import backtest
from carework.calls.planner import COLUMNS, candidates, labelled, plan, rank, select
from carework.calls.rules import REASONS, WINDOWS, CallRules

__all__ = ["COLUMNS", "REASONS", "WINDOWS", "CallRules", "backtest", "candidates", "labelled",
           "plan", "rank", "select"]
