"""Would the call list have picked the right customers? A backtest on past data.

The list is built as of a past date from the data known then (:func:`carework.explore.snapshot`:
nothing later leaks in), and the top ``k`` are judged by what they actually bought in the
following ``horizon_days``, against

* ``k`` random callable customers — their exact expectation, the mean over every callable
  customer (no luck of the draw), and
* a rule baseline from the handbook's groups: VIP first, then regulars, each by past spend,
  then everyone else by past spend.

Lifts are ratios of revenue per called customer (and, as ``*_buyers``, of the share who bought
at all). The gain curves show, for each share of callable customers called in each order, the
share of the following period's revenue they brought.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.calls.planner import call_day, candidates, rank
from carework.customer_base import build_base
from carework.errors import data_error
from carework.i18n import fmt_date
from carework.io import Dataset

RULE_ORDER = {"vip": 0, "regular": 1}


def _rule_order(pool: pd.DataFrame) -> pd.Index:
    key = pool["rule_group"].map(RULE_ORDER).fillna(len(RULE_ORDER))
    return pool.assign(_key=key, _id=pool.index).sort_values(
        ["_key", "spend", "_id"], ascending=[True, False, True]).index


def backtest(data: Dataset, as_of: str | pd.Timestamp, k: int, *, horizon_days: int = 30,
             **rules: object) -> dict[str, object]:
    """Build the list as of ``as_of`` and measure its top ``k`` over the next ``horizon_days``.

    Returns
    -------
    A mapping: ``lift_vs_random`` and ``lift_vs_rules`` (revenue per called customer),
    ``lift_vs_random_buyers`` and ``lift_vs_rules_buyers`` (share who bought), the
    ``revenue_per_customer`` and ``buyer_rate`` of ``list``, ``random`` and ``rules``, ``k``,
    ``callable`` (customers who could be called), ``horizon_days``, ``as_of`` and ``gains``
    (a DataFrame: share called → share of revenue for the list's order, the rules' and random).
    """
    day = call_day(as_of)
    end = day + pd.Timedelta(days=horizon_days)
    tx = data.transactions
    if tx["purchased_at"].max() < end:
        raise data_error("err.calls.backtest_too_late", column="purchased_at",
                         end=fmt_date(end), days=horizon_days, day=fmt_date(day))
    base = build_base(data, as_of=day)
    config = base.settings.calls.replace(**rules)
    table = candidates(base, rules=config)
    pool = table[table["callable"]]
    after = tx[(tx["purchased_at"] >= day + pd.Timedelta(days=1)) & (tx["purchased_at"] < end
                                                                     + pd.Timedelta(days=1))]
    revenue = after.groupby("customer_id")["amount"].sum().reindex(pool.index).fillna(0.0)
    listed = rank(table).index
    rest = pool.index.difference(listed)
    planner_order = listed.append(pool.loc[rest].sort_values("total_clv", ascending=False)
                                  .index)
    rules_order = _rule_order(pool)
    k = min(k, len(pool))
    if k < 1:
        raise data_error("err.calls.nobody_callable")
    picks = {"list": planner_order[:k], "rules": rules_order[:k]}
    out: dict[str, object] = {"k": k, "callable": len(pool), "horizon_days": horizon_days,
                              "as_of": day}
    money = {name: float(revenue[idx].mean()) for name, idx in picks.items()}
    money["random"] = float(revenue.mean())
    buyers = {name: float((revenue[idx] > 0).mean()) for name, idx in picks.items()}
    buyers["random"] = float((revenue > 0).mean())
    out["revenue_per_customer"], out["buyer_rate"] = money, buyers
    out["lift_vs_random"] = money["list"] / money["random"] if money["random"] else np.nan
    out["lift_vs_rules"] = money["list"] / money["rules"] if money["rules"] else np.nan
    out["lift_vs_random_buyers"] = buyers["list"] / buyers["random"] if buyers["random"] \
        else np.nan
    out["lift_vs_rules_buyers"] = buyers["list"] / buyers["rules"] if buyers["rules"] \
        else np.nan
    total = revenue.sum() or 1.0
    share = np.arange(1, len(pool) + 1) / len(pool)
    out["gains"] = pd.DataFrame({
        "list": revenue[planner_order].cumsum().to_numpy() / total,
        "rules": revenue[rules_order].cumsum().to_numpy() / total,
        "random": share}, index=pd.Index(share, name="share_called"))
    return out
