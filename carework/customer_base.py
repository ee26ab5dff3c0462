"""The customer base: every per-customer fact, computed once per (data, as-of date, settings)
and read by everything else.

Segmentation, the call list, the KPI breakdowns, the dashboards, the notebooks and the CLI all
read :attr:`CustomerBase.table`; none of them recomputes a fact it holds. One row per customer
who has bought by the as-of date (index ``customer_id``), in codes (translated only where they
are shown):

================================  ===========================================================
column                            meaning
================================  ===========================================================
spend, orders, transactions,      what they bought: total spend (= ``historic_clv``),
first_purchase, last_purchase,    purchase-days, transaction rows, first and last purchase
recency_days, tenure_days,        day, days since the last and the first, spend per
basket, gap_mean, gap_cv,         purchase-day, mean days between purchase-days and its
share_<channel>, main_channel,    coefficient of variation, channel shares, main channel,
last_category                     last product category
frequency, recency, T,            the RFM summary in days (:func:`carework.rfm.summary`)
monetary_value
rule_group, is_<group>            the handbook's group (and every matching flag), from
                                  ``[segments]``
stage                             ``active`` / ``lapsed`` (the ``high`` risk band; without
                                  scores, no purchase for ``lapsed_days``)
loyalty, age_band, income_band    the handbook's other classifications
p_alive, expected_purchases,      the churn model over ``[churn] horizon_days``: churn risk is
churn_risk, churn_risk_low,       P(no purchase within the horizon), with its interval;
churn_risk_high, risk_band,       band ``low``/``medium``/``high`` from ``risk_bands``
expected_next_purchase,
avg_days_between_orders
expected_spend, historic_clv,     CLV: spent so far, predicted (discounted) over the horizon,
predicted_clv, total_clv,         their sum; value at risk = churn risk × total CLV
value_at_risk
open_incidents, stale_incidents,  tickets open as of the date (:mod:`carework.incidents`) and
open_ticket_id, _category,        the latest one; stale ones are data-quality items
_opened, tickets,
last_ticket_category
last_unhappy_at, _nps, _csat,     the latest detractor (NPS 0–6) or dissatisfied (CSAT 1–2)
_comment, _factor                 answer, and its comment's root cause as read by the data
                                  folder's model (:mod:`carework.text.readings`)
last_contact                      the latest contact by the care team
name, phone, email, province,     from the customers table; ``do_not_call`` is true when the
birth_date, do_not_call           table says so or cannot be read (the safe side)
================================  ===========================================================

Columns whose data is missing are absent; the score columns are empty (NaN) when the gate
(:mod:`carework.gate`) does not allow the models, and ``notes`` says why.

Examples
--------
>>> import carework
>>> from carework.customer_base import build_base
>>> base = build_base(carework.load("data/sample"))                   # doctest: +SKIP
>>> base.table[["rule_group", "stage", "churn_risk", "risk_band"]].head()  # doctest: +SKIP
>>> base.gate.label()                                                 # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from carework.churn import fit, fit_spend, predicted_clv, readiness, spend_usable
from carework.churn.base import FittedModel
from carework.churn.gamma_gamma import SpendModel
from carework.errors import DataError, ModelError
from carework.explore import snapshot
from carework.gate import Gate, resolve_as_of
from carework.i18n import fmt_date, fmt_number, t
from carework.incidents import incidents_by_customer, stale_tickets
from carework.io import Dataset
from carework.rfm import summary_from_days
from carework.segments.profile import attach, customer_profile
from carework.segments.rules import RuleGroups
from carework.settings import Settings

SCORE_COLUMNS = ["p_alive", "expected_purchases", "churn_risk", "churn_risk_low",
                 "churn_risk_high", "risk_band", "expected_next_purchase",
                 "avg_days_between_orders", "expected_spend", "historic_clv", "predicted_clv",
                 "total_clv", "value_at_risk"]
PEOPLE_COLUMNS = ("name", "phone", "email", "province", "birth_date", "do_not_call")


@dataclass
class CustomerBase:
    """Every per-customer fact as of one date (see the module docstring); build it with
    :func:`build_base`.

    Attributes
    ----------
    data : the data as known at the end of ``as_of`` (:func:`carework.explore.snapshot`).
    source : the data as loaded (for what happened after ``as_of``: backtests).
    as_of, settings, gate : the date, the settings and the gate of every figure.
    table : one row per customer who has bought (the facts).
    profile : the behavioural features of the same customers (clustering reads them).
    summary : the RFM summary in days (the models' input).
    model, spend : the fitted churn and spend models (``None`` when the gate says no).
    prospects : customers in the customers table who have not bought by the date.
    stale_tickets : open tickets older than the stale age: the data-quality list.
    rule_groups : the fitted :class:`carework.segments.rules.RuleGroups` (its VIP cut).
    fits : holdout fits of this base's data (:func:`carework.churn.evaluation.calibration_fit`
        keeps them here, so the dashboard's model checks and the analyst's comparison share
        them).
    notes : what a reader should know about the facts, in the current language (kept as
        ``note_codes``, i18n keys with their values, and rendered when read).
    cache_key : the base's key in the results cache (:mod:`carework.cache`), empty when it was
        not read from or written to it.
    derived : results computed from this base (a segmentation, KPI reports, other models),
        kept by :func:`carework.cache.derived` so each is computed once per base.
    """

    data: Dataset
    source: Dataset
    as_of: pd.Timestamp
    settings: Settings
    gate: Gate
    table: pd.DataFrame
    profile: pd.DataFrame
    summary: pd.DataFrame
    model: FittedModel | None
    spend: SpendModel | None
    prospects: pd.Index
    stale_tickets: pd.DataFrame
    rule_groups: RuleGroups | None = None
    note_codes: list[tuple[str, dict]] = field(default_factory=list)
    fits: dict = field(default_factory=dict, repr=False)
    cache_key: str = ""
    derived: dict = field(default_factory=dict, repr=False)
    _scores: dict = field(default_factory=dict, repr=False)

    @property
    def notes(self) -> list[str]:
        return [t(key, **{k: fmt_number(v) if isinstance(v, int) else v
                          for k, v in params.items()}) for key, params in self.note_codes]

    @property
    def has_scores(self) -> bool:
        return self.model is not None

    def scores(self, horizon_days: float | None = None) -> pd.DataFrame:
        """The score columns over ``horizon_days`` (default ``[churn] horizon_days``), computed
        once per horizon and model and kept on the base."""
        if self.model is None:
            raise self.gate.refusal()
        horizon = float(horizon_days or self.settings.churn.horizon_days)
        key = (self.model.name, horizon)
        if key not in self._scores:
            self._scores[key] = _score(self, self.model, horizon)
        return self._scores[key]

    def with_model(self, name: str) -> CustomerBase:
        """The same base scored by another churn model (``bgnbd``, ``pnbd``, ``mbgnbd``); each
        model is fitted once per base, whichever base asks for it."""
        from carework.cache import derived

        if self.model is None or name == self.model.name:
            return self
        model = derived(self, "model", lambda: fit(self.summary, model=name,
                                                   penalizer=self.settings.churn.penalizer),
                        name=name)
        other = replace(self, model=model, table=self.table.copy(), derived={},
                        cache_key=f"{self.cache_key}-{name}" if self.cache_key else "")
        scores = other.scores()
        attach(other.table, scores)
        other.table["stage"] = _stage(other.table, self.settings)
        return other


def build_base(data: Dataset, *, as_of: object = None, settings: Settings | None = None,
               force: bool = False) -> CustomerBase:
    """Build the customer base of ``data`` as of ``as_of`` (see :mod:`carework.gate` for the
    default) with ``settings`` (default: the folder's ``carework.toml``).

    The churn and spend models are fitted once, when the gate allows (or ``force``); a model
    that cannot be fitted leaves the score columns empty and says why in ``notes``. Customers
    whose spend the spend model cannot use (a free or returned repeat purchase) are scored
    without CLV and counted in ``notes``: one bad row never blocks everyone.
    """
    settings = settings or data.settings
    day = resolve_as_of(data.transactions, as_of, settings.as_of)
    known = snapshot(data, day)
    if known.transactions.empty:
        raise DataError(t("gate.no_purchases_by", date=fmt_date(day)), column="purchased_at",
                        fix=t("gate.no_purchases_fix"))
    profile = customer_profile(known, as_of=day,
                               recent_days=settings.segments.vip_lookback_days)
    summary = summary_from_days(profile, day)
    tx = known.transactions
    verdict = readiness(summary, settings.churn)
    gate = Gate(as_of=day, data_start=tx["purchased_at"].min().normalize(),
                data_end=tx["purchased_at"].max().normalize(),
                today=pd.Timestamp.today().normalize(), readiness=verdict,
                forced=force and not verdict.ready, settings=settings.churn)
    model = spend = None
    notes: list[tuple[str, dict]] = []
    if gate.models_allowed:
        try:
            model = fit(summary, model=settings.churn.model,
                        penalizer=settings.churn.penalizer)
            spend = fit_spend(summary, penalizer=settings.churn.spend_penalizer)
        except (DataError, ModelError) as exc:
            model = spend = None
            gate = replace(gate, models_failed=str(exc))
    table = profile.join(summary)
    base = CustomerBase(data=known, source=data, as_of=day, settings=settings, gate=gate,
                        table=table, profile=profile, summary=summary, model=model, spend=spend,
                        prospects=_prospects(known, profile.index),
                        stale_tickets=stale_tickets(known.tickets, day,
                                                    settings.incidents.stale_days),
                        note_codes=notes)
    if model is not None:
        scores = base.scores()
        attach(table, scores)
        unusable = int((summary["frequency"] > 0).sum() - spend_usable(summary).sum())
        if unusable:
            notes.append(("base.no_clv", {"customers": unusable}))
        attach(profile, scores[["churn_risk", "p_alive", "expected_next_purchase",
                                "predicted_clv", "expected_purchases"]])  # clustering features
    else:
        table["historic_clv"] = table["spend"]
        for column in SCORE_COLUMNS:
            if column not in table:
                table[column] = np.nan
    spend_window = profile["recent_spend"]
    base.rule_groups = RuleGroups(settings.segments).fit(profile, spend_window)
    groups = base.rule_groups.predict(profile, spend_window)
    attach(table, groups)
    table["stage"] = _stage(table, settings)
    _add_incidents(table, known, day, settings)
    _add_people(table, known)
    table.attrs = {"as_of": day}
    return base


def _score(base: CustomerBase, model: FittedModel, horizon: float) -> pd.DataFrame:
    """Churn risk (with its interval), expected purchases, CLV and value at risk."""
    s, churn = base.summary, base.settings.churn
    out = model.predict(s, horizon, as_of=base.as_of)
    out = out.join(model.churn_risk_interval(s, horizon, churn.interval_level))
    out["risk_band"] = churn.risk_bands_of(out["churn_risk"])
    out["expected_spend"] = base.spend.expected_spend(s)
    out["historic_clv"] = base.profile["spend"].reindex(s.index)
    out["predicted_clv"] = predicted_clv(model, base.spend, s, horizon, churn.annual_discount)
    out["total_clv"] = out["historic_clv"] + out["predicted_clv"]
    out["value_at_risk"] = out["churn_risk"] * out["total_clv"]
    out.attrs = {"model": model.name, "params": model.params,
                 "spend_params": base.spend.params, "horizon_days": horizon,
                 "as_of": base.as_of}
    return out[SCORE_COLUMNS]


def _stage(table: pd.DataFrame, settings: Settings) -> pd.Series:
    """``lapsed`` for the ``high`` risk band (without scores: no purchase for
    ``lapsed_days``), else ``active``."""
    if table["churn_risk"].notna().any():
        lapsed = table["risk_band"] == "high"
    else:
        lapsed = table["recency_days"] >= settings.segments.lapsed_days
    return pd.Series(np.where(lapsed, "lapsed", "active"), index=table.index)


def _prospects(known: Dataset, buyers: pd.Index) -> pd.Index:
    if known.customers is None:
        return pd.Index([], name="customer_id", dtype=str)
    ids = pd.Index(known.customers["customer_id"].astype(str).unique(), name="customer_id")
    return ids.difference(buyers)


def _add_incidents(table: pd.DataFrame, known: Dataset, day: pd.Timestamp,
                   settings: Settings) -> None:
    if known.tickets is None:
        return
    found = incidents_by_customer(known.tickets, day, settings.incidents.stale_days)
    attach(table, found, fill={"open_incidents": 0, "stale_incidents": 0})
    for column in ("open_incidents", "stale_incidents"):
        table[column] = table[column].astype(int)


def _add_people(table: pd.DataFrame, known: Dataset) -> None:
    """The customers table's contact columns, the last contact and the last unhappy answer."""
    if known.customers is not None:
        people = known.customers.drop_duplicates("customer_id", keep="last") \
            .set_index("customer_id")
        attach(table, people[[c for c in PEOPLE_COLUMNS if c in people
                              and c not in table]])
        if "do_not_call" in table:
            # unknown (not in the table, or unreadable) is the safe side: do not call
            table["do_not_call"] = table["do_not_call"].astype("boolean").fillna(True) \
                .astype(bool)
    if known.contacts is not None and len(known.contacts):
        last = known.contacts.groupby("customer_id")["contacted_at"].max()
        attach(table, last.to_frame("last_contact"))
    if known.surveys is not None and len(known.surveys):
        s = known.surveys
        unhappy = pd.Series(False, index=s.index)
        if "nps" in s:
            unhappy |= s["nps"].le(6).fillna(False).astype(bool)
        if "csat" in s:
            unhappy |= s["csat"].le(2).fillna(False).astype(bool)
        columns = ["answered_at"] + [c for c in ("nps", "csat", "comment") if c in s]
        worst = s.loc[unhappy, ["customer_id", *columns]].sort_values("answered_at") \
            .groupby("customer_id").last()
        if "comment" in worst and worst["comment"].notna().any():
            from carework.text.readings import comment_readings

            readings = comment_readings(known)
            factor = readings["factor"].reindex(s.index)
            worst = worst.join(s.loc[unhappy].assign(factor=factor).sort_values("answered_at")
                               .groupby("customer_id")["factor"].last())
            columns.append("factor")
        attach(table, worst.rename(columns={c: f"last_unhappy_{c}" for c in columns})
               .rename(columns={"last_unhappy_answered_at": "last_unhappy_at"}))
