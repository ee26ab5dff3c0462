"""The care handbook's customer groups, by rule, with thresholds a user can change.

Five groups (``rule_group``): ``acquaintance`` (came through friends, family or a referral),
``regular`` (buys often), ``occasional`` (buys now and then), ``online`` (buys mostly online)
and ``vip`` (the top spenders). A customer can match several rules: every flag is kept
(``is_vip``, ``is_regular``, …) and one primary group is picked by ``precedence`` (default:
VIP, regular, acquaintance, online, occasional — value first, then how often they buy, then
how they came, then the channel; ``occasional`` catches everyone else who has bought).

The handbook's other classifications come alongside: age band (<15, 15–22, 22–50, >50), income
band (from the customers table) and purchase-count loyalty (``loyal`` from ``loyal_min_orders``
purchase-days, else ``normal``). The purchase stage (``prospect`` / ``active`` / ``lapsed``)
needs the churn risk, so the customer base sets it (:mod:`carework.customer_base`).

Thresholds come from :class:`carework.settings.SegmentRules`: its defaults, a ``[segments]``
table in the data folder's ``carework.toml``, or a TOML file of their own. An unknown key or a
threshold that makes no sense is a :class:`carework.DataError` naming it.

Examples
--------
>>> config = RuleConfig(vip_top_share=0.1)
>>> config.regular_max_gap_days
30.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.settings import GROUPS, SegmentRules

STAGES = ("prospect", "active", "lapsed")
AGE_BANDS = ("under_15", "15_22", "22_50", "over_50")


RuleConfig = SegmentRules
"""The ``[segments]`` settings (:class:`carework.settings.SegmentRules`), by their older name."""


class RuleGroups:
    """The handbook's groups as an estimator: :meth:`fit` learns the thresholds that depend
    on the data (the VIP spend cut), :meth:`predict` assigns customers.

    Parameters
    ----------
    config : thresholds (:class:`carework.settings.SegmentRules`; defaults when ``None``).

    Attributes
    ----------
    vip_min_spend_ : spend (over the look-back) from which a customer is VIP.
    unavailable_ : the classifications that need data this data set lacks, with the reason.
    """

    def __init__(self, config: SegmentRules | None = None) -> None:
        self.config = config

    @property
    def _config(self) -> SegmentRules:
        return self.config or SegmentRules()

    def _vip_spend(self, profile: pd.DataFrame, data_spend: pd.Series | None) -> pd.Series:
        return data_spend if data_spend is not None else profile["spend"]

    def fit(self, profile: pd.DataFrame, vip_spend: pd.Series | None = None) -> RuleGroups:
        """Learn the VIP cut from ``profile`` (:func:`customer_profile`); ``vip_spend``
        (spend over the look-back per customer) defaults to the profile's total spend."""
        spend = self._vip_spend(profile, vip_spend)
        spent = spend[spend > 0]  # the buyers of the look-back window
        self.vip_min_spend_ = float(np.quantile(spent, 1 - self._config.vip_top_share)) \
            if len(spent) else np.inf
        self.unavailable_ = _unavailable(profile)
        return self

    def predict(self, profile: pd.DataFrame, vip_spend: pd.Series | None = None
                ) -> pd.DataFrame:
        """Flags, primary ``rule_group`` and the other classifications, per customer."""
        if not hasattr(self, "vip_min_spend_"):
            raise RuntimeError("RuleGroups is not fitted yet: call fit(profile) first")
        c = self._config
        spend = self._vip_spend(profile, vip_spend).reindex(profile.index).fillna(0)
        out = pd.DataFrame(index=profile.index)
        out["is_vip"] = (spend >= self.vip_min_spend_) & (spend > 0)
        out["is_regular"] = ((profile["orders"] >= c.regular_min_orders)
                             & (profile["gap_mean"] <= c.regular_max_gap_days)
                             & (profile["recency_days"] <= c.regular_max_recency_days))
        source = profile.get("acquisition_source")
        out["is_acquaintance"] = (source.isin(c.acquaintance_sources) if source is not None
                                  else False)
        online = profile.get("share_online")
        out["is_online"] = online >= c.online_min_share if online is not None else False
        out["is_occasional"] = ~out["is_regular"]
        flags = out[[f"is_{g}" for g in c.precedence]].to_numpy(dtype=bool)
        out["rule_group"] = np.asarray(c.precedence)[flags.argmax(axis=1)]
        out["loyalty"] = np.where(profile["orders"] >= c.loyal_min_orders, "loyal", "normal")
        if "age" in profile:
            bands = pd.cut(profile["age"], [-np.inf, *c.age_band_edges, np.inf], right=False,
                           labels=list(AGE_BANDS))
            out["age_band"] = bands.astype(object).where(profile["age"].notna())
        if "income_band" in profile:
            out["income_band"] = profile["income_band"]
        return out


def _unavailable(profile: pd.DataFrame) -> dict[str, str]:
    """Classifications this data cannot support, with the missing table or column."""
    missing = {}
    if "acquisition_source" not in profile:
        missing["acquaintance"] = "customers.acquisition_source"
    if "share_online" not in profile:
        missing["online"] = "transactions.channel"
    if "age" not in profile:
        missing["age_band"] = "customers.birth_date"
    if "income_band" not in profile:
        missing["income_band"] = "customers.income_band"
    return missing


def loyalty_share(profile: pd.DataFrame, groups: pd.DataFrame) -> dict[str, float]:
    """Loyal customers' share of customers and of revenue (the handbook claims about 70% of
    revenue comes from loyal customers)."""
    loyal = groups["loyalty"] == "loyal"
    return {"customers": float(loyal.mean()),
            "revenue": float(profile.loc[loyal, "spend"].sum() / profile["spend"].sum())}


__all__ = ["AGE_BANDS", "GROUPS", "STAGES", "RuleConfig", "RuleGroups", "SegmentRules",
           "loyalty_share"]
