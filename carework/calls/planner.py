"""Today's call list: who is worth a call, why, when, by whom, and what to say.

:func:`plan` follows the handbook's care rules (see :mod:`carework.calls.rules`):

1. eligibility — never a do-not-call customer, never someone without a phone, never anyone
   contacted in the last ``cooldown_days``; one row per customer;
2. tiers — an open incident (a ticket opened and not resolved as of the date) comes first, then
   closing the loop with a detractor (NPS 0–6) or dissatisfied rating (CSAT 1–2) of the last
   ``closed_loop_days`` not contacted since; then every other reason ranked together by its
   money value (VND):

   * ``value_at_risk`` — total CLV × churn risk, for churn risk from ``at_risk_min``;
   * ``due_for_repurchase`` — past their usual gap since the last purchase (but not twice
     past it): the next basket × P(alive);
   * ``follow_up`` — a purchase about a week ago: the next basket × P(purchase in the horizon);
   * ``birthday`` — a birthday in the week ahead: the next basket × P(purchase);
   * ``welcome`` — a first purchase in the last ``welcome_days``: the predicted CLV;
   * ``win_back`` — lapsed (churn risk from ``lapsed_risk``) but among the top spenders: a
     year's spend × ``win_back_rate``;

3. capacity and slots — the first ``agents × per_agent`` customers, dealt to agents in turn and,
   for each agent, alternately to the two windows the handbook allows (09:00–11:00,
   14:30–16:30), so the most urgent calls of every agent come first in the morning;
4. talking points — the four-step care call filled from the customer's own data
   (:mod:`carework.calls.talking_points`).

Where a table or column is missing the list still builds from what exists, and
``plan(...).attrs["not_applied"]`` says which rules could not be applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.calls.rules import REASONS, WINDOWS, CallRules
from carework.calls.talking_points import talking_points
from carework.errors import DataError, ModelError
from carework.explore import snapshot
from carework.i18n import label, t
from carework.io import Dataset
from carework.segments.profile import customer_profile
from carework.segments.rules import RuleGroups, vip_spend

COLUMNS = ["customer_id", "name", "phone", "email", "agent", "window", "priority", "reason",
           "reason_label", "reasons", "value", "talking_points", "rule_group", "churn_risk",
           "last_purchase", "main_channel"]
TIER = {"open_incident": 0, "closed_loop": 1}


def _scores(data: Dataset, as_of: pd.Timestamp, rules: CallRules) -> tuple[pd.DataFrame | None,
                                                                             str]:
    from carework.churn.scores import prepare

    try:
        scoring = prepare(data.transactions, as_of=as_of)
        if scoring.model is None:
            return None, str(scoring.readiness)
        return scoring.scores(rules.horizon_days), ""
    except (DataError, ModelError) as exc:
        return None, str(exc)


def candidates(data: Dataset, as_of: str | pd.Timestamp, rules: CallRules | None = None
               ) -> pd.DataFrame:
    """Every customer who has bought, with the reasons to call them, the money value of each,
    whether they may be called, and what the talking points need; ``attrs["not_applied"]``
    lists the rules the data could not support and ``attrs["excluded"]`` counts who may not
    be called and why. Only data known at the end of ``as_of`` is used."""
    rules = rules or CallRules()
    day = call_day(as_of)
    data = snapshot(data, day)
    if data.transactions.empty:
        raise DataError(t("calls.no_purchases", date=f"{day:%d/%m/%Y}"), column="purchased_at")
    not_applied: list[str] = []
    scores, why = _scores(data, day, rules)
    profile = customer_profile(data, as_of=day, scores=scores)
    c = profile.copy()
    if scores is not None:
        for column in ("expected_spend", "total_clv", "historic_clv", "predicted_clv",
                       "avg_days_between_orders"):
            c[column] = scores[column].reindex(c.index)
        c["propensity"] = 1.0 - c["churn_risk"]
    else:
        not_applied.append(t("calls.no_scores", why=why))
        c["expected_spend"] = c["basket"]
        c["total_clv"] = c["historic_clv"] = c["spend"]
        c["predicted_clv"] = np.nan
        c["avg_days_between_orders"] = c["gap_mean"]
        c["churn_risk"] = np.nan
        c["p_alive"] = c["propensity"] = 0.5  # nothing known: even odds
    days_since = (day - c["last_purchase"]).dt.days
    people = data.customers.set_index("customer_id") if data.customers is not None else None
    for column in ("name", "phone", "email", "birth_date", "do_not_call"):
        c[column] = people[column].reindex(c.index) if people is not None and \
            column in people else np.nan

    # --- eligibility ---------------------------------------------------------------------
    excluded = {}
    callable_ = pd.Series(True, index=c.index)
    if people is None:
        not_applied.append(t("calls.no_customers"))
    else:
        if "do_not_call" in people:
            dnc = c["do_not_call"].fillna(True).astype(bool)
            excluded["do_not_call"] = int(dnc.sum())
            callable_ &= ~dnc
        else:
            not_applied.append(t("calls.no_column", column="customers.do_not_call"))
        if "phone" in people:
            no_phone = c["phone"].isna() & callable_
            excluded["no_phone"] = int(no_phone.sum())
            callable_ &= ~no_phone
        else:
            not_applied.append(t("calls.no_column", column="customers.phone"))
    last_contact = pd.Series(pd.NaT, index=c.index, dtype="datetime64[us]")
    if data.contacts is not None and len(data.contacts):
        last_contact = data.contacts.groupby("customer_id")["contacted_at"].max().reindex(
            c.index)
        cooling = (last_contact >= day - pd.Timedelta(days=rules.cooldown_days - 1)) & callable_
        excluded["cooldown"] = int(cooling.sum())
        callable_ &= ~cooling
    else:
        not_applied.append(t("calls.no_table", table=t("table.contacts")))
    c["callable"] = callable_

    # --- reasons and their money value ---------------------------------------------------
    reasons = pd.DataFrame(False, index=c.index, columns=list(REASONS))
    values = pd.DataFrame(np.nan, index=c.index, columns=list(REASONS))
    if data.tickets is not None and "status" in data.tickets:
        still_open = data.tickets[data.tickets["status"] != "resolved"].sort_values("opened_at")
        latest = still_open.groupby("customer_id").last()
        reasons["open_incident"] = c.index.isin(latest.index)
        c["open_ticket_id"] = latest["ticket_id"].reindex(c.index)
        c["open_ticket_category"] = latest["category"].reindex(c.index) \
            if "category" in latest else np.nan
        c["open_ticket_opened"] = latest["opened_at"].reindex(c.index)
    else:
        not_applied.append(t("calls.no_table", table=t("table.tickets")))
    if data.surveys is not None:
        recent = data.surveys[data.surveys["answered_at"] >= day - pd.Timedelta(
            days=rules.closed_loop_days - 1)]
        unhappy = pd.Series(False, index=recent.index)
        if "nps" in recent:
            unhappy |= recent["nps"].le(6).fillna(False).astype(bool)
        if "csat" in recent:
            unhappy |= recent["csat"].le(2).fillna(False).astype(bool)
        worst = recent[unhappy].sort_values("answered_at").groupby("customer_id").last()
        answered = worst["answered_at"].reindex(c.index)
        reasons["closed_loop"] = answered.notna() & ~(last_contact >= answered)
        for column in ("nps", "csat", "comment"):
            c[f"survey_{column}"] = worst[column].reindex(c.index) if column in worst else np.nan
        c["survey_answered"] = answered
    else:
        not_applied.append(t("calls.no_table", table=t("table.surveys")))
    basket = c["expected_spend"].fillna(c["basket"])
    risk = c["churn_risk"]
    if scores is not None:
        at_risk = (risk >= rules.at_risk_min) & (risk < rules.lapsed_risk)
        reasons["value_at_risk"] = at_risk
        values["value_at_risk"] = c["total_clv"] * risk
        yearly = vip_spend(data.transactions, day, 365).reindex(c.index).fillna(0)
        top = c["historic_clv"] >= c["historic_clv"].quantile(1 - rules.win_back_top_share)
        reasons["win_back"] = (risk >= rules.lapsed_risk) & top
        values["win_back"] = np.maximum(yearly, c["historic_clv"] / np.maximum(
            c["tenure_days"] / 365.0, 1.0)) * rules.win_back_rate
        reasons["welcome"] = (c["first_purchase"] >= day - pd.Timedelta(
            days=rules.welcome_days - 1)) & (c["orders"] == 1)
        values["welcome"] = c["predicted_clv"]
    else:
        not_applied.append(t("calls.no_money_reasons"))
    gap = c["avg_days_between_orders"]
    reasons["due_for_repurchase"] = (days_since > gap) & (days_since <= 2 * gap) & gap.notna()
    values["due_for_repurchase"] = basket * c["p_alive"]
    reasons["follow_up"] = (days_since - rules.follow_up_days).abs() <= rules.follow_up_slack
    values["follow_up"] = basket * c["propensity"]
    if people is not None and "birth_date" in people:
        birth = pd.to_datetime(c["birth_date"])
        offset = _days_to_birthday(birth, day)
        reasons["birthday"] = offset.lt(rules.birthday_days).fillna(False).astype(bool)
        values["birthday"] = basket * c["propensity"]
    else:
        not_applied.append(t("calls.no_column", column="customers.birth_date"))
    for urgent in TIER:
        values[urgent] = c["total_clv"]
    values = values.where(reasons)
    c["tier"] = np.select([reasons["open_incident"], reasons["closed_loop"]], [0, 1], 2)
    c["value"] = values.max(axis=1)
    best = values.fillna(-np.inf).to_numpy().argmax(axis=1)
    c["reason"] = np.where(reasons.any(axis=1), np.asarray(REASONS)[best], None)
    c.loc[reasons["closed_loop"], "reason"] = "closed_loop"
    c.loc[reasons["open_incident"], "reason"] = "open_incident"
    c["reasons"] = [", ".join(r for r in REASONS if row[r]) for row in
                    reasons.to_dict("records")]
    c["rule_group"] = RuleGroups().fit(profile).predict(profile)["rule_group"]
    c.attrs = {"as_of": day, "not_applied": not_applied, "excluded": excluded}
    return c


def call_day(as_of: object) -> pd.Timestamp:
    """The day of the calls (midnight), or a :class:`DataError` saying the date is unusable."""
    try:
        day = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise DataError(f"{as_of!r} is not a date", column="as_of",
                        fix="give the day of the calls as YYYY-MM-DD")
    return day.normalize()


def _days_to_birthday(birth: pd.Series, day: pd.Timestamp) -> pd.Series:
    """Days from ``day`` to each next birthday (0 = today; 29 February counts as 1 March)."""
    month, dom = birth.dt.month, birth.dt.day
    leap_day = (month == 2) & (dom == 29)
    month, dom = month.where(~leap_day, 3), dom.where(~leap_day, 1)
    this_year = pd.to_datetime(pd.DataFrame({"year": day.year, "month": month, "day": dom}),
                               errors="coerce")
    next_year = pd.to_datetime(pd.DataFrame({"year": day.year + 1, "month": month,
                                             "day": dom}), errors="coerce")
    upcoming = this_year.where(this_year >= day, next_year)
    return (upcoming - day).dt.days


def rank(table: pd.DataFrame) -> pd.DataFrame:
    """The callable customers with a reason, most important first (tier, then money value,
    then customer id, so equal inputs give an equal order)."""
    listed = table[table["callable"] & table["reason"].notna()]
    return listed.assign(_id=listed.index).sort_values(
        ["tier", "value", "_id"], ascending=[True, False, True]).drop(columns="_id")


def plan(data: Dataset, as_of: str | pd.Timestamp, agents: int, per_agent: int,
         **rules: object) -> pd.DataFrame:
    """Today's call list (see the module docstring).

    Parameters
    ----------
    data : the loaded data.
    as_of : the day of the calls; only what was known by its end is used.
    agents, per_agent : how many care agents call, and how many calls each can make.
    **rules : thresholds of :class:`CallRules` (e.g. ``cooldown_days=14``).

    Returns
    -------
    One row per customer in priority order with ``COLUMNS``; ``attrs``: ``as_of``,
    ``not_applied`` (rules the data could not support), ``excluded`` (customers not callable,
    per reason), ``reasons`` (callable candidates per main reason), ``agents`` and
    ``per_agent``.
    """
    if agents < 1 or per_agent < 1:
        raise ValueError("agents and per_agent must be at least 1")
    config = CallRules.from_mapping(dict(rules))
    table = candidates(data, as_of, config)
    ranked = rank(table).head(agents * per_agent).copy()
    position = np.arange(len(ranked))
    ranked["agent"] = [t("calls.agent", n=i + 1) for i in position % agents]
    ranked["window"] = np.asarray(WINDOWS)[(position // agents) % len(WINDOWS)]
    ranked["priority"] = position + 1
    ranked["reason_label"] = ranked["reason"].map(lambda r: label(r, "reason"))
    ranked["talking_points"] = [talking_points(row, config) for row in
                                ranked.to_dict("records")]
    out = ranked.rename_axis("customer_id").reset_index()
    out["phone"] = out["phone"].astype("string")
    out = out[[c for c in COLUMNS if c in out]]
    out.attrs = {**table.attrs, "agents": agents, "per_agent": per_agent,
                 "reasons": {r: int((table.loc[table["callable"], "reason"] == r).sum())
                             for r in REASONS}}
    return out
