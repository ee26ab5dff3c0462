"""Today's call list: customers worth calling, with reasons, slots and talking points.

>>> import carework                                                           # doctest: +SKIP
>>> from carework import calls                                                # doctest: +SKIP
>>> sheet = calls.plan(carework.load("data/sample"), "2026-09-30", agents=3,
...                    per_agent=20)                                          # doctest: +SKIP
>>> calls.backtest(carework.load("data/sample"), "2026-06-30", k=60)          # doctest: +SKIP
"""

from carework.calls.backtest import backtest
from carework.calls.planner import COLUMNS, candidates, plan, rank
from carework.calls.rules import REASONS, WINDOWS, CallRules

__all__ = ["COLUMNS", "REASONS", "WINDOWS", "CallRules", "backtest", "candidates", "plan",
           "rank"]
