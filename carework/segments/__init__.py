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
from typing import TYPE_CHECKING

import pandas as pd

from carework.errors import DataError
from carework.io import Dataset
from carework.segments.clusters import BehaviourClusters, behaviour_features
from carework.segments.compare import Finding, agreement, crosstab, findings
from carework.segments.profile import customer_profile
from carework.segments.rfm_scores import SEGMENTS, RFMScorer
from carework.segments.rules import GROUPS, RuleConfig, RuleGroups, loyalty_share

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase

COLUMNS = ["rule_group", "is_vip", "is_regular", "is_acquaintance", "is_online",
           "is_occasional", "stage", "loyalty", "age_band", "income_band", "r_score", "f_score",
           "m_score", "rfm_score", "rfm_segment", "cluster", "churn_risk",
           "risk_band", "value_at_risk", "predicted_clv", "spend", "orders", "recency_days"]
"""The segmentation's columns: the base's own facts (groups, stage, risk) and the segments
and clusters computed here."""


@dataclass
class Segmentation:
    """Everything :func:`segment` builds.

    Attributes
    ----------
    base : the customer base it reads (groups, stage, risk, value come from there).
    table : one row per customer who has bought (``COLUMNS`` that apply).
    profile : the features behind it (the base's profile).
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

    base: CustomerBase
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
        """Customers, revenue, their shares, mean churn risk, predicted CLV and value at risk
        per value of ``column`` of :attr:`table` (``rule_group``, ``rfm_segment``,
        ``cluster``, …)."""
        frame = self.table
        aggregations = {"customers": ("spend", "size"), "revenue": ("spend", "sum")}
        for extra, how in (("churn_risk", "mean"), ("predicted_clv", "mean"),
                           ("value_at_risk", "sum")):
            if extra in frame and frame[extra].notna().any():
                aggregations[extra] = (extra, how)
        out = frame.groupby(column, observed=True).agg(**aggregations)
        out.insert(1, "share", out["customers"] / out["customers"].sum())
        out.insert(3, "revenue_share", out["revenue"] / out["revenue"].sum())
        return out.sort_values("revenue", ascending=False)


def segment(data: Dataset | CustomerBase, *, as_of: object = None,
            config: RuleConfig | None = None, k: int | str = "auto",
            features: list[str] | None = None, n_bootstrap: int = 10,
            random_state: int = 0, force: bool = False) -> Segmentation:
    """RFM segments and behavioural clusters of every customer who has bought, beside the
    base's rule groups, stage and risk.

    Parameters
    ----------
    data : a customer base (:func:`carework.customer_base.build_base`), or loaded data to
        build one from (as of ``as_of``, with the folder's settings and ``force``).
    config : rule thresholds replacing the settings' ``[segments]`` (only when ``data`` is not
        a base yet).
    k, features, n_bootstrap, random_state : see :class:`BehaviourClusters`.
    """
    from carework.customer_base import CustomerBase, build_base

    if isinstance(data, CustomerBase):
        base = data
    else:
        settings = data.settings if config is None else replace(data.settings, segments=config)
        base = build_base(data, as_of=as_of, settings=settings, force=force)
    profile = base.profile
    notes = base.gate.warnings() + base.notes
    rules = base.rule_groups
    rfm = RFMScorer().fit(profile)
    table = base.table.join(rfm.predict(profile))
    clusters = None
    try:
        clusters = BehaviourClusters(k=k, features=features, n_bootstrap=n_bootstrap,
                                     random_state=random_state).fit(profile)
    except DataError as exc:
        if features is not None:
            raise
        notes.append(str(exc))
    compared = _compare(profile, table, clusters)
    stages = {str(k): int(v) for k, v in base.table["stage"].value_counts().items()}
    if base.data.customers is not None:
        stages = {"prospect": len(base.prospects), **stages}
    return Segmentation(base=base, profile=profile, rules=rules, rfm=rfm, clusters=clusters,
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
        cross = crosstab(table["rule_group"], table["cluster"])
        ari = agreement(table["rule_group"], table["cluster"])
        found = findings(profile, table["rule_group"], table["cluster"], clusters.name_codes_)
    table = table[[c for c in COLUMNS if c in table]]
    table.attrs = {"as_of": profile.attrs.get("as_of")}
    return {"table": table, "crosstab": cross, "ari": ari, "findings": found}


__all__ = ["GROUPS", "SEGMENTS", "BehaviourClusters", "Finding", "RFMScorer", "RuleConfig",
           "RuleGroups", "Segmentation", "behaviour_features", "customer_profile", "segment"]
