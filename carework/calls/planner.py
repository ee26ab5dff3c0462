"""Today's call list: who is worth a call, why, when, by whom, and what to say.

:func:`plan` reads the customer base (:mod:`carework.customer_base`: groups, churn risk and its
band, CLV, value at risk, incidents as of the date, last contact, do-not-call) and follows the
handbook's care rules (thresholds in ``[calls]`` of the settings):

1. eligibility — never a do-not-call customer, never someone without a phone number (without
   a customers table or its phone column nobody can be called, and the list says so), never
   anyone contacted in the last ``cooldown_days``; one row per customer;
2. tiers — an open incident (a ticket open as of the date and not stale) comes first, then
   closing the loop with a detractor (NPS 0–6) or dissatisfied rating (CSAT 1–2) of the last
   ``closed_loop_days`` not contacted since; then every other reason ranked together by its
   money value (in the shop's currency):

   * ``value_at_risk`` — the base's value at risk (churn risk × total CLV) of customers in the
     ``medium`` risk band (at risk, not yet lapsed): long-time, high-value customers first;
   * ``due_for_repurchase`` — past their usual gap since the last purchase (but not twice
     past it): the next basket × P(alive);
   * ``follow_up`` — a purchase about a week ago: the next basket × P(purchase in the horizon);
   * ``birthday`` — a birthday in the week ahead: the next basket × P(purchase);
   * ``welcome`` — a first purchase in the last ``welcome_days``: the predicted CLV;
   * ``win_back`` — lapsed (the ``high`` risk band) but among the top spenders: a year's spend
     × ``win_back_rate``;

   each of these reasons gets its best ``min_per_reason`` customers onto the list first, and
   none fills more than ``max_reason_share`` of it while customers with other reasons are
   waiting;
3. capacity and slots — the first ``agents × per_agent`` customers, dealt to agents in turn and,
   for each agent, alternately to the call windows (09:00–11:00, 14:30–16:30 by default), so
   the most urgent calls of every agent come first in the morning;
4. talking points — the four-step care call filled from the customer's own data
   (:mod:`carework.calls.talking_points`).

Stale tickets (open longer than ``[incidents] stale_days``) are not calls: they are listed in
``attrs["stale_tickets"]`` for someone to check and close. Where a table or column is missing
the list still builds from what exists, and ``attrs["not_applied"]`` says which rules could not
be applied. The list keeps codes (``reason``, ``rule_group``, ``risk_band``); the words and the
talking points are applied where it is shown or written (:func:`labelled`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.calls.rules import REASONS, URGENT, CallRules
from carework.calls.talking_points import talking_points
from carework.customer_base import CustomerBase, build_base
from carework.gate import parse_day
from carework.i18n import fmt_date, label, t
from carework.io import Dataset

COLUMNS = ["customer_id", "name", "phone", "email", "agent", "window", "priority", "reason",
           "reasons", "value", "rule_group", "stage", "risk_band", "churn_risk", "value_at_risk",
           "last_purchase", "main_channel", "last_category", "last_ticket_category",
           "open_ticket_id", "open_ticket_category", "open_ticket_opened", "last_unhappy_at",
           "last_unhappy_nps", "last_unhappy_csat", "last_unhappy_comment",
           "last_unhappy_factor"]
"""The list's columns, in codes; :func:`labelled` adds the words and the talking points."""


def _base(data: Dataset | CustomerBase, as_of: object) -> CustomerBase:
    if isinstance(data, CustomerBase):
        if as_of is not None and call_day(as_of) != data.as_of:
            raise ValueError(f"the base is as of {fmt_date(data.as_of)}, not {as_of}: build a "
                             "base for that date")
        return data
    return build_base(data, as_of=None if as_of is None else call_day(as_of))


def candidates(data: Dataset | CustomerBase, as_of: object = None,
               rules: CallRules | None = None) -> pd.DataFrame:
    """Every customer who has bought, with the reasons to call them, the money value of each,
    whether they may be called, and what the talking points need.

    ``data`` is a customer base, or loaded data to build one from as of ``as_of`` (default:
    the data's last purchase day). ``rules`` default to the settings' ``[calls]``.
    ``attrs``: ``as_of``, ``not_applied`` (rules the data could not support, as messages),
    ``excluded`` (who may not be called, per reason), ``stale_tickets`` (records of the tickets
    to check and close), ``warnings`` (the gate's) and ``as_of_label``.
    """
    base = _base(data, as_of)
    rules = rules or base.settings.calls
    day = base.as_of
    known = base.data
    c = base.table.copy()
    not_applied: list[str] = []
    if not base.has_scores:
        not_applied.append(t("calls.no_scores", why="; ".join(base.gate.warnings())))
        c["expected_spend"] = c["basket"]
        c["total_clv"] = c["historic_clv"]
        c["avg_days_between_orders"] = c["gap_mean"]
        c["p_alive"] = c["propensity"] = 0.5  # nothing known: even odds
    else:
        c["propensity"] = 1.0 - c["churn_risk"]
    days_since = (day - c["last_purchase"]).dt.days

    # --- eligibility ---------------------------------------------------------------------
    excluded: dict[str, int] = {}
    callable_ = pd.Series(True, index=c.index)
    if known.customers is not None and "do_not_call" in c:
        excluded["do_not_call"] = int(c["do_not_call"].sum())
        callable_ &= ~c["do_not_call"]
    elif known.customers is not None:
        not_applied.append(t("calls.no_column", column="customers.do_not_call"))
    # only reachable customers: without a phone number nobody can be called
    no_phone = (c["phone"].isna() if "phone" in c else pd.Series(True, index=c.index)) \
        & callable_
    excluded["no_phone"] = int(no_phone.sum())
    callable_ &= ~no_phone
    if "phone" not in c:
        not_applied.append(t("calls.no_phones"))
    if "last_contact" in c:
        cooling = (c["last_contact"] >= day - pd.Timedelta(days=rules.cooldown_days - 1)) \
            & callable_
        excluded["cooldown"] = int(cooling.sum())
        callable_ &= ~cooling
    else:
        not_applied.append(t("calls.no_table", table=t("table.contacts")))
        c["last_contact"] = pd.NaT
    c["callable"] = callable_

    # --- reasons and their money value ---------------------------------------------------
    reasons = pd.DataFrame(False, index=c.index, columns=list(REASONS))
    values = pd.DataFrame(np.nan, index=c.index, columns=list(REASONS))
    if "open_incidents" in c:
        reasons["open_incident"] = c["open_incidents"] > 0
    else:
        not_applied.append(t("calls.no_table", table=t("table.tickets")))
    if "last_unhappy_at" in c:
        recent = c["last_unhappy_at"] >= day - pd.Timedelta(days=rules.closed_loop_days - 1)
        reasons["closed_loop"] = recent & ~(c["last_contact"] >= c["last_unhappy_at"])
    elif known.surveys is None:
        not_applied.append(t("calls.no_table", table=t("table.surveys")))
    basket = c["expected_spend"].fillna(c["basket"])
    if base.has_scores:
        reasons["value_at_risk"] = c["risk_band"] == "medium"
        values["value_at_risk"] = c["value_at_risk"]
        # a year's spend: the base's spend over the VIP look-back, as a yearly rate
        lookback = base.settings.segments.vip_lookback_days
        yearly = c["recent_spend"] * (365.0 / lookback) if lookback > 0 else 0.0
        top = c["historic_clv"] >= c["historic_clv"].quantile(1 - rules.win_back_top_share)
        reasons["win_back"] = (c["risk_band"] == "high") & top
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
    if "birth_date" in c:
        offset = _days_to_birthday(pd.to_datetime(c["birth_date"]), day)
        reasons["birthday"] = offset.lt(rules.birthday_days).fillna(False).astype(bool)
        values["birthday"] = basket * c["propensity"]
    else:
        not_applied.append(t("calls.no_column", column="customers.birth_date"))
    for urgent in URGENT:
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
    c.attrs = {"as_of": day, "not_applied": not_applied, "excluded": excluded,
               "stale_tickets": base.stale_tickets.to_dict("records"),
               "warnings": base.gate.warnings(), "as_of_label": base.gate.label()}
    return c


call_day = parse_day
"""The day of the calls (midnight), or a :class:`DataError` saying the date is unusable."""


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


def select(table: pd.DataFrame, capacity: int, rules: CallRules) -> pd.DataFrame:
    """The ``capacity`` customers to call, in :func:`rank` order.

    Every urgent call comes first (open incidents, then unhappy customers). Then each other
    reason with callable customers gets its best ``min_per_reason`` (breadth first: every
    reason's best before any reason's second), and the remaining places go by money value,
    no reason taking more than ``max_reason_share`` of the list while customers with other
    reasons are waiting.
    """
    ranked = rank(table)
    urgent = ranked[ranked["tier"] < 2].head(capacity)
    rest = ranked[ranked["tier"] == 2]
    slots = capacity - len(urgent)
    cap = max(1, int(np.floor(rules.max_reason_share * capacity)))
    by_reason = {reason: list(group.index) for reason, group in rest.groupby("reason",
                                                                             sort=False)}
    chosen: list[object] = []
    taken: dict[str, int] = {}
    for round_ in range(rules.min_per_reason):
        for reason in REASONS:
            waiting = by_reason.get(reason, [])
            if len(chosen) < slots and round_ < len(waiting) and taken.get(reason, 0) < cap:
                chosen.append(waiting[round_])
                taken[reason] = taken.get(reason, 0) + 1
    picked = set(chosen)
    for customer, reason in zip(rest.index, rest["reason"], strict=True):
        if len(chosen) >= slots:
            break
        if customer not in picked and taken.get(reason, 0) < cap:
            chosen.append(customer)
            picked.add(customer)
            taken[reason] = taken.get(reason, 0) + 1
    if len(chosen) < slots:  # the other reasons ran out: the capped ones fill the rest
        chosen += [c for c in rest.index if c not in picked][:slots - len(chosen)]
    keep = ranked.index.isin(urgent.index) | ranked.index.isin(chosen)
    return ranked[keep]


def plan(data: Dataset | CustomerBase, as_of: object = None, agents: int = 3,
         per_agent: int = 20, customers: pd.Index | None = None, **rules: object
         ) -> pd.DataFrame:
    """Today's call list (see the module docstring).

    Parameters
    ----------
    data : the customer base, or loaded data to build one from as of ``as_of``.
    as_of : the day of the calls (default: the base's date, the data's last purchase day);
        only what was known by its end is used.
    agents, per_agent : how many care agents call, and how many calls each can make.
    customers : only these customers' calls (a dashboard's filtered view); default everyone.
    **rules : thresholds of :class:`CallRules` replacing the settings' (e.g.
        ``cooldown_days=14``).

    Returns
    -------
    One row per customer in priority order with ``COLUMNS``; ``attrs``: those of
    :func:`candidates`, ``reasons`` (callable candidates per main reason), ``agents`` and
    ``per_agent``.
    """
    if agents < 1 or per_agent < 1:
        raise ValueError("agents and per_agent must be at least 1")
    base = _base(data, as_of)
    config = base.settings.calls
    if rules:
        config = config.replace(**rules)
    table = candidates(base, rules=config)
    if customers is not None:
        kept = table[table.index.isin(customers)]
        kept.attrs = table.attrs
        table = kept
    chosen = select(table, agents * per_agent, config).copy()
    position = np.arange(len(chosen))
    chosen["agent"] = [t("calls.agent", n=i + 1) for i in position % agents]
    chosen["window"] = np.asarray(config.windows)[(position // agents) % len(config.windows)]
    chosen["priority"] = position + 1
    out = chosen.rename_axis("customer_id").reset_index()
    if "phone" in out:
        out["phone"] = out["phone"].astype("string")
    out = out[[c for c in COLUMNS if c in out]]
    out.attrs = {**table.attrs, "agents": agents, "per_agent": per_agent,
                 "reasons": {r: int((table.loc[table["callable"], "reason"] == r).sum())
                             for r in REASONS}}
    return out


def labelled(sheet: pd.DataFrame) -> pd.DataFrame:
    """The list with its codes in words of the current language (reason, group, risk band)
    and the talking points, for showing or exporting."""
    out = sheet.copy()
    out["talking_points"] = [talking_points(row) for row in sheet.to_dict("records")]
    for column, prefix in (("reason", "reason"), ("rule_group", "group"),
                           ("risk_band", "risk_band")):
        if column in out:
            out[column] = out[column].map(lambda v, p=prefix: "" if pd.isna(v) else label(v, p))
    if "reasons" in out:
        out["reasons"] = out["reasons"].map(lambda text: ", ".join(
            label(r, "reason") for r in str(text).split(", ") if r))
    out.attrs = sheet.attrs
    return out
