"""Customer segments: the handbook's rule groups, RFM segments and behavioural clusters, side by
side, with what the rules miss.

>>> import carework                                                        # doctest: +SKIP
>>> from carework import segments                                          # doctest: +SKIP
>>> result = segments.segment(carework.load("data/sample"))                # doctest: +SKIP
>>> result.table[["rule_group", "rfm_segment", "cluster_name"]].head()     # doctest: +SKIP
>>> [f.text for f in result.findings]                                      # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from carework.errors import DataError
from carework.explore import snapshot
from carework.io import Dataset, read_section
from carework.segments.clusters import BehaviourClusters, behaviour_features
from carework.segments.compare import Finding, agreement, crosstab, findings
from carework.segments.profile import customer_profile
from carework.segments.rfm_scores import SEGMENTS, RFMScorer
from carework.segments.rules import GROUPS, RuleConfig, RuleGroups, loyalty_share, vip_spend

COLUMNS = ["rule_group", "is_vip", "is_regular", "is_acquaintance", "is_online",
           "is_occasional", "stage", "loyalty", "age_band", "income_band", "r_score", "f_score",
           "m_score", "rfm_score", "rfm_segment", "cluster", "cluster_name", "churn_risk",
           "predicted_clv", "spend", "orders", "recency_days"]


@dataclass
class Segmentation:
    """Everything :func:`segment` builds.

    Attributes
    ----------
    table : one row per customer who has bought (``COLUMNS`` that apply).
    profile : the features behind it (:func:`customer_profile`).
    rules, rfm, clusters : the fitted estimators (``clusters`` is ``None`` when too few
        customers).
    crosstab : customers per rule group and cluster; ``ari`` : their adjusted Rand index.
    findings : what the rules miss (:func:`carework.segments.compare.findings`).
    loyalty : loyal customers' share of customers and of revenue.
    stages : customers per purchase stage: ``prospect`` (in the customers table, no purchase
        yet; absent without that table), ``active``, ``lapsed``.
    unavailable : classifications the data cannot support, with what is missing.
    notes : anything else the reader should know (e.g. why there are no churn scores).
    """

    table: pd.DataFrame
    profile: pd.DataFrame
    rules: RuleGroups
    rfm: RFMScorer
    clusters: BehaviourClusters | None
    crosstab: pd.DataFrame
    ari: float
    findings: list[Finding]
    loyalty: dict[str, float]
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stages: dict[str, int] = field(default_factory=dict)

    def recluster(self, k: int | str = "auto", features: list[str] | None = None,
                  n_bootstrap: int = 10, random_state: int = 0) -> Segmentation:
        """The same customers and rule groups with another clustering (k or features)."""
        clusters = BehaviourClusters(k=k, features=features, n_bootstrap=n_bootstrap,
                                     random_state=random_state).fit(self.profile)
        return replace(self, clusters=clusters, **_compare(self.profile, self.table, clusters))

    def value_by(self, column: str) -> pd.DataFrame:
        """Customers, revenue, their shares, mean churn risk and predicted CLV per value of
        ``column`` of :attr:`table` (``rule_group``, ``rfm_segment``, ``cluster_name``, …)."""
        frame = self.table.assign(spend=self.profile["spend"])
        aggregations = {"customers": ("spend", "size"), "revenue": ("spend", "sum")}
        for extra in ("churn_risk", "predicted_clv"):
            if extra in frame:
                aggregations[extra] = (extra, "mean")
        out = frame.groupby(column, observed=True).agg(**aggregations)
        out.insert(1, "share", out["customers"] / out["customers"].sum())
        out.insert(3, "revenue_share", out["revenue"] / out["revenue"].sum())
        return out.sort_values("revenue", ascending=False)


def rule_config(data: Dataset) -> RuleConfig:
    """The ``[segments]`` of the data folder's ``carework.toml``, else the defaults."""
    values, path = read_section(data.source, "segments") if data.source else ({}, "")
    return RuleConfig.from_mapping(values, path)


def churn_scores(data: Dataset, as_of: pd.Timestamp, horizon_days: float = 90
                 ) -> tuple[pd.DataFrame | None, str]:
    """Churn scores when the history supports them, else ``None`` and the reason."""
    from carework.churn.scores import prepare
    from carework.errors import ModelError

    try:
        scoring = prepare(data.transactions, as_of=as_of)
    except (DataError, ModelError) as exc:
        return None, str(exc)
    if scoring.model is None:
        return None, str(scoring.readiness)
    return scoring.scores(horizon_days), ""


def segment(data: Dataset, *, as_of: str | pd.Timestamp | None = None,
            config: RuleConfig | None = None, k: int | str = "auto",
            features: list[str] | None = None, horizon_days: float = 90,
            n_bootstrap: int = 10, random_state: int = 0) -> Segmentation:
    """Rule groups, RFM segments and behavioural clusters of every customer who has bought,
    as of ``as_of`` (default: the last purchase day).

    Parameters
    ----------
    config : rule thresholds (default: the data folder's ``carework.toml``, else the
        handbook defaults).
    k, features, n_bootstrap, random_state : see :class:`BehaviourClusters`.
    horizon_days : horizon of the churn risk used for "lapsed" and as a clustering feature.
    """
    tx = data.transactions
    if tx.empty:
        raise DataError("there are no purchases to segment", column="purchased_at",
                        fix="check the transactions table")
    end = pd.Timestamp(as_of if as_of is not None else tx["purchased_at"].max()).normalize()
    config = config or rule_config(data)
    scores, why = churn_scores(data, end, horizon_days)
    notes = [why] if why else []
    profile = customer_profile(data, as_of=end, scores=scores)
    spend = vip_spend(tx[tx["purchased_at"] < end + pd.Timedelta(days=1)], end,
                      config.vip_lookback_days)
    rules = RuleGroups(config).fit(profile, spend)
    table = rules.predict(profile, spend)
    rfm = RFMScorer().fit(profile)
    table = table.join(rfm.predict(profile))
    clusters = None
    try:
        clusters = BehaviourClusters(k=k, features=features, n_bootstrap=n_bootstrap,
                                     random_state=random_state).fit(profile)
    except DataError as exc:
        if features is not None:
            raise
        notes.append(str(exc))
    for column in ("churn_risk", "predicted_clv", "spend", "orders", "recency_days"):
        if column in profile:
            table[column] = profile[column]
    compared = _compare(profile, table, clusters)
    stages = {str(k): int(v) for k, v in table["stage"].value_counts().items()}
    if data.customers is not None:
        known = snapshot(data, end).customers["customer_id"]
        stages = {"prospect": int((~known.isin(profile.index)).sum()), **stages}
    return Segmentation(profile=profile, rules=rules, rfm=rfm, clusters=clusters,
                        loyalty=loyalty_share(profile, table), unavailable=rules.unavailable_,
                        notes=notes, stages=stages, **compared)


def _compare(profile: pd.DataFrame, table: pd.DataFrame, clusters: BehaviourClusters | None
             ) -> dict:
    """The cluster columns of ``table``, the crosstab, the ARI and the findings."""
    table = table.drop(columns=["cluster", "cluster_name"], errors="ignore")
    if clusters is None:
        cross, ari, found = pd.DataFrame(), float("nan"), []
    else:
        table["cluster"] = clusters.labels_
        table["cluster_name"] = table["cluster"].map(clusters.names_)
        cross = crosstab(table["rule_group"], table["cluster_name"])
        ari = agreement(table["rule_group"], table["cluster"])
        found = findings(profile, table["rule_group"], table["cluster"], clusters.names_)
    table = table[[c for c in COLUMNS if c in table]]
    table.attrs = {"as_of": profile.attrs.get("as_of")}
    return {"table": table, "crosstab": cross, "ari": ari, "findings": found}


__all__ = ["GROUPS", "SEGMENTS", "BehaviourClusters", "Finding", "RFMScorer", "RuleConfig",
           "RuleGroups", "Segmentation", "behaviour_features", "customer_profile", "segment"]
