"""Rules vs clusters: where they agree, and what the rules miss.

A finding is a part of one rule group that behaves unlike the rest of its group: the
customers of that group who fall in one cluster, when they differ from the group's other
customers by at least half a standard deviation (of all customers) on something a care team
acts on — churn risk, days since the last purchase, spend, satisfaction, tickets — in the
direction that calls for action. Findings are ranked by the revenue they concern
and written in words from the i18n table; nothing is hard-coded about the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from carework.i18n import fmt_decimal, fmt_money, fmt_number, fmt_percent, label, t

# metric → direction that deserves attention (+1: higher is worse or worth more; -1: lower)
METRICS = {"churn_risk": +1, "recency_days": +1, "spend": +1, "nps_mean": -1, "tickets": +1}
MIN_EFFECT = 0.5


@dataclass
class Finding:
    """A sub-group the rules lump in with others: ``customers`` of ``rule_group`` in
    ``cluster``, their metrics against the rest of the group (``metrics``: name → (cell,
    rest)),
    the revenue they brought (``revenue``) and a sentence for a manager (``text``)."""

    rule_group: str
    cluster: int
    customers: int
    revenue: float
    metrics: dict[str, tuple[float, float]] = field(default_factory=dict)
    cluster_codes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The finding in the current language (rendered when read, never stored)."""
        from carework.segments.clusters import cluster_name

        details = "; ".join(t(f"finding.{m}", cell=_format(m, c), group=_format(m, g))
                            for m, (c, g) in self.metrics.items())
        return t("finding.text", customers=fmt_number(self.customers),
                 group=label(self.rule_group, "group"),
                 cluster=cluster_name(self.cluster_codes, self.cluster), details=details)


def crosstab(rule_group: pd.Series, cluster_name: pd.Series) -> pd.DataFrame:
    """Customers per rule group (rows) and cluster (columns), with totals."""
    return pd.crosstab(rule_group, cluster_name, margins=True, margins_name="total")


def agreement(rule_group: pd.Series, cluster: pd.Series) -> float:
    """Adjusted Rand index between the rule groups and the clusters (1 = the same partition,
    about 0 = unrelated)."""
    return float(adjusted_rand_score(rule_group, cluster))


def _format(metric: str, value: float) -> str:
    if metric == "churn_risk":
        return fmt_percent(value)
    if metric == "spend":
        return fmt_money(value, short=True)
    return fmt_decimal(value, 1 if metric in ("nps_mean", "tickets") else 0)


def findings(profile: pd.DataFrame, rule_group: pd.Series, cluster: pd.Series,
             names: dict[int, tuple[str, ...]], *, min_customers: int | None = None, top: int = 5
             ) -> list[Finding]:
    """The parts of rule groups that behave unlike their group, largest revenue first.

    Parameters
    ----------
    profile : :func:`customer_profile` rows (the metrics present are used).
    rule_group, cluster : per customer (indexed like ``profile``).
    names : cluster name codes (:attr:`BehaviourClusters.name_codes_`).
    min_customers : smallest part worth a finding (default: 1% of customers, at least 10).
    """
    metrics = [m for m in METRICS if m in profile and profile[m].notna().any()]
    if not metrics:
        return []
    min_customers = min_customers or max(10, int(0.01 * len(profile)))
    spread = profile[metrics].std().replace(0, np.nan)
    frame = profile[metrics].assign(rule_group=rule_group.reindex(profile.index),
                                    cluster=cluster.reindex(profile.index))
    cells = frame.groupby(["rule_group", "cluster"])
    out = []
    for (group, number), cell in cells:
        rest = frame[(frame["rule_group"] == group) & (frame["cluster"] != number)]
        if len(cell) < min_customers or len(rest) < min_customers:
            continue
        means, others = cell[metrics].mean(), rest[metrics].mean()
        effects = {m: METRICS[m] * (means[m] - others[m]) / spread[m] for m in metrics}
        notable = sorted((m for m in metrics if effects[m] >= MIN_EFFECT),
                         key=lambda m: -effects[m])
        if not notable:
            continue
        revenue = float(profile.loc[cell.index, "spend"].sum()) if "spend" in profile else 0.0
        shown = {m: (float(means[m]), float(others[m])) for m in notable[:3]}
        out.append(Finding(str(group), int(number), len(cell), revenue, shown,
                           names.get(int(number), ())))
    out.sort(key=lambda f: -f.revenue)
    return out[:top]
