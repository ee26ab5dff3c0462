"""The care handbook's customer groups, by rule, with thresholds a user can change.

Five groups (``rule_group``): ``acquaintance`` (came through friends, family or a referral),
``regular`` (buys often), ``occasional`` (buys now and then), ``online`` (buys mostly online)
and ``vip`` (the top spenders). A customer can match several rules: every flag is kept
(``is_vip``, ``is_regular``, …) and one primary group is picked by ``precedence`` (default:
VIP, regular, acquaintance, online, occasional — value first, then how often they buy, then
how they came, then the channel; ``occasional`` catches everyone else who has bought).

The handbook's other classifications come alongside: purchase stage (``prospect`` / ``active``
/ ``lapsed``; lapsed from the churn scores when there are some, else from the days since the
last purchase), age band (<15, 15–22, 22–50, >50), income band (from the customers table) and
purchase-count loyalty (``loyal`` from ``loyal_min_orders`` purchase-days, else ``normal``).

Thresholds come from :class:`RuleConfig`: its defaults, a ``[segments]`` table in the data
folder's ``carework.toml``, or a TOML file of their own. An unknown key or a threshold that
makes no sense is a :class:`carework.DataError` naming it.

Examples
--------
>>> config = RuleConfig(vip_top_share=0.1)
>>> config.regular_max_gap_days
30.0
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carework.errors import DataError
from carework.settings import from_mapping, refuse_nonsense

GROUPS = ("acquaintance", "regular", "occasional", "online", "vip")
STAGES = ("prospect", "active", "lapsed")
AGE_BANDS = ("under_15", "15_22", "22_50", "over_50")


@dataclass(frozen=True)
class RuleConfig:
    """Thresholds of the rule groups (defaults from the handbook's meaning).

    Attributes
    ----------
    vip_top_share : VIP = the top spenders, this share of the buyers (by spend over
        ``vip_lookback_days``).
    vip_lookback_days : the spend that counts for VIP (0 = all history).
    regular_max_gap_days : regular = buys at least every this many days on average ...
    regular_min_orders : ... with at least this many purchase-days ...
    regular_max_recency_days : ... and has bought within this many days.
    online_min_share : online = at least this share of their purchases online.
    acquaintance_sources : acquisition sources that make an acquaintance.
    loyal_min_orders : purchase-days from which a customer counts as loyal.
    lapsed_churn_risk : lapsed = churn risk (no purchase within the scores' horizon) at least
        this ...
    lapsed_days : ... or, without churn scores, no purchase for this many days.
    age_band_edges : the handbook's age bands: <15, 15–22, 22–50, >50.
    precedence : order in which a customer's matching groups pick the primary one.
    """

    vip_top_share: float = 0.05
    vip_lookback_days: float = 365.0
    regular_max_gap_days: float = 30.0
    regular_min_orders: int = 3
    regular_max_recency_days: float = 90.0
    online_min_share: float = 0.5
    acquaintance_sources: tuple[str, ...] = ("referral", "friend_family")
    loyal_min_orders: int = 5
    lapsed_churn_risk: float = 0.8
    lapsed_days: float = 180.0
    age_band_edges: tuple[float, ...] = (15.0, 22.0, 50.0)
    precedence: tuple[str, ...] = ("vip", "regular", "acquaintance", "online", "occasional")

    def __post_init__(self) -> None:
        refuse_nonsense("segment rules", self._checks())

    def _checks(self) -> list[tuple[str, Any, bool, str]]:
        edges = self.age_band_edges
        return [
            ("vip_top_share", self.vip_top_share, 0 < self.vip_top_share <= 0.5,
             "a share of the buyers above 0 and at most 0.5"),
            ("vip_lookback_days", self.vip_lookback_days, self.vip_lookback_days >= 0,
             "0 (all history) or more days"),
            ("regular_max_gap_days", self.regular_max_gap_days,
             self.regular_max_gap_days > 0, "more than 0 days"),
            ("regular_min_orders", self.regular_min_orders, self.regular_min_orders >= 2,
             "at least 2 purchase-days (one gap between them)"),
            ("regular_max_recency_days", self.regular_max_recency_days,
             self.regular_max_recency_days > 0, "more than 0 days"),
            ("online_min_share", self.online_min_share, 0 < self.online_min_share <= 1,
             "a share above 0 and at most 1"),
            ("loyal_min_orders", self.loyal_min_orders, self.loyal_min_orders >= 2,
             "at least 2 purchase-days"),
            ("lapsed_churn_risk", self.lapsed_churn_risk, 0 < self.lapsed_churn_risk < 1,
             "a probability between 0 and 1"),
            ("lapsed_days", self.lapsed_days, self.lapsed_days > 0, "more than 0 days"),
            ("age_band_edges", edges, len(edges) == 3 and list(edges) == sorted(set(edges))
             and edges[0] > 0, "three increasing ages, like [15, 22, 50]"),
            ("precedence", self.precedence, sorted(self.precedence) == sorted(GROUPS),
             f"each of {', '.join(GROUPS)} exactly once"),
        ]

    @classmethod
    def from_mapping(cls, values: dict[str, Any], source: str = "") -> RuleConfig:
        """Defaults overridden by ``values`` (e.g. a ``[segments]`` TOML table)."""
        return from_mapping(cls, values, "segment rules", source)

    @classmethod
    def from_file(cls, path: str | Path) -> RuleConfig:
        """Read a TOML file: the settings at the top level or under ``[segments]``."""
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise DataError("the rules file does not exist", file=str(path),
                            fix="check the path") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"the rules file cannot be read: {exc}", file=str(path),
                            fix="write it as TOML, like the example in the README") from None
        return cls.from_mapping(raw.get("segments", raw), str(path))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RuleGroups:
    """The handbook's groups as an estimator: :meth:`fit` learns the thresholds that depend
    on the data (the VIP spend cut), :meth:`predict` assigns customers.

    Parameters
    ----------
    config : thresholds (:class:`RuleConfig`; defaults when ``None``).

    Attributes
    ----------
    vip_min_spend_ : spend (over the look-back) from which a customer is VIP.
    unavailable_ : the classifications that need data this data set lacks, with the reason.
    """

    def __init__(self, config: RuleConfig | None = None) -> None:
        self.config = config

    @property
    def _config(self) -> RuleConfig:
        return self.config or RuleConfig()

    def _vip_spend(self, profile: pd.DataFrame, data_spend: pd.Series | None) -> pd.Series:
        return data_spend if data_spend is not None else profile["spend"]

    def fit(self, profile: pd.DataFrame, vip_spend: pd.Series | None = None) -> RuleGroups:
        """Learn the VIP cut from ``profile`` (:func:`customer_profile`); ``vip_spend``
        (spend over the look-back per customer) defaults to the profile's total spend."""
        spend = self._vip_spend(profile, vip_spend)
        self.vip_min_spend_ = float(np.quantile(spend, 1 - self._config.vip_top_share))
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
        out["stage"] = self._stage(profile)
        out["loyalty"] = np.where(profile["orders"] >= c.loyal_min_orders, "loyal", "normal")
        if "age" in profile:
            bands = pd.cut(profile["age"], [-np.inf, *c.age_band_edges, np.inf], right=False,
                           labels=list(AGE_BANDS))
            out["age_band"] = bands.astype(object).where(profile["age"].notna())
        if "income_band" in profile:
            out["income_band"] = profile["income_band"]
        return out

    def _stage(self, profile: pd.DataFrame) -> pd.Series:
        c = self._config
        if "churn_risk" in profile and profile["churn_risk"].notna().any():
            lapsed = profile["churn_risk"] >= c.lapsed_churn_risk
        else:
            lapsed = profile["recency_days"] >= c.lapsed_days
        return pd.Series(np.where(lapsed, "lapsed", "active"), index=profile.index)


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


def vip_spend(transactions: pd.DataFrame, as_of: pd.Timestamp, lookback_days: float
              ) -> pd.Series:
    """Spend per customer over the ``lookback_days`` up to ``as_of`` (all history for 0)."""
    tx = transactions
    if lookback_days > 0:
        start = as_of.normalize() - pd.Timedelta(days=lookback_days - 1)
        tx = tx[tx["purchased_at"] >= start]
    return tx.groupby("customer_id")["amount"].sum()


def loyalty_share(profile: pd.DataFrame, groups: pd.DataFrame) -> dict[str, float]:
    """Loyal customers' share of customers and of revenue (the handbook claims about 70% of
    revenue comes from loyal customers)."""
    loyal = groups["loyalty"] == "loyal"
    return {"customers": float(loyal.mean()),
            "revenue": float(profile.loc[loyal, "spend"].sum() / profile["spend"].sum())}
