"""RFM scores (1–5 for recency, frequency and monetary value) and the named RFM segments.

Scores are quintiles of the fitted customers: recency scores 5 for the most recent buyers,
frequency and monetary value 5 for the most purchase-days and the highest spend. Many
customers share a value (one purchase-day, say), so a quintile edge can repeat: tied customers
always share a score, and a score may then hold more or fewer than a fifth of them.

Segments follow the widely used R × F map (Champions, Loyal, Potential loyalist, New
customers, Promising, Need attention, About to sleep, At risk, Can't lose them, Hibernating,
Lost); labels in Vietnamese and English come from :mod:`carework.i18n` (``rfm.<segment>``).

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"recency_days": [1, 200, 30, 5, 400], "orders": [9, 1, 3, 5, 1],
...                   "spend": [9e6, 1e5, 2e6, 4e6, 2e5]})
>>> RFMScorer().fit(p).predict(p)["rfm_segment"].tolist()
['champions', 'hibernating', 'need_attention', 'loyal', 'lost']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEGMENTS = ("champions", "loyal", "potential_loyalist", "new_customers", "promising",
            "need_attention", "about_to_sleep", "at_risk", "cant_lose", "hibernating", "lost")

# (recency scores, frequency scores) → segment; first match wins
_MAP = [
    ((1,), (1,), "lost"),
    ((1, 2), (1, 2), "hibernating"),
    ((1, 2), (5,), "cant_lose"),
    ((1, 2), (3, 4), "at_risk"),
    ((3,), (1, 2), "about_to_sleep"),
    ((3,), (3,), "need_attention"),
    ((3, 4), (4, 5), "loyal"),
    ((4,), (1,), "promising"),
    ((5,), (1,), "new_customers"),
    ((4, 5), (2, 3), "potential_loyalist"),
    ((5,), (4, 5), "champions"),
]


def segment_of(r: np.ndarray, f: np.ndarray) -> np.ndarray:
    """The named segment for recency and frequency scores."""
    out = np.full(len(r), "", dtype=object)
    for rs, fs, name in reversed(_MAP):  # first match wins: apply the last rules first
        out[np.isin(r, rs) & np.isin(f, fs)] = name
    return out


class RFMScorer:
    """Quintile RFM scores learnt from a set of customers.

    Attributes
    ----------
    edges_ : per column (``recency_days``, ``orders``, ``spend``), the four inner quintile
        edges of the fitted customers.
    """

    COLUMNS = ("recency_days", "orders", "spend")

    def __init__(self, bins: int = 5) -> None:
        self.bins = bins

    def fit(self, profile: pd.DataFrame) -> RFMScorer:
        """Learn the quintile edges from ``profile`` (:func:`customer_profile`)."""
        quantiles = np.linspace(0, 1, self.bins + 1)[1:-1]
        self.edges_ = {c: np.quantile(profile[c].to_numpy(dtype=float), quantiles)
                       for c in self.COLUMNS}
        return self

    def predict(self, profile: pd.DataFrame) -> pd.DataFrame:
        """``r_score``, ``f_score``, ``m_score`` (1–5), ``rfm_score`` ("545") and
        ``rfm_segment`` per customer."""
        if not hasattr(self, "edges_"):
            raise RuntimeError("RFMScorer is not fitted yet: call fit(profile) first")

        def score(column: str, higher_is_better: bool) -> np.ndarray:
            values = profile[column].to_numpy(dtype=float)
            edges = self.edges_[column]
            below = np.searchsorted(edges, values, side="left")  # edges strictly below
            return below + 1 if higher_is_better else self.bins - below

        r, f, m = score("recency_days", False), score("orders", True), score("spend", True)
        out = pd.DataFrame({"r_score": r, "f_score": f, "m_score": m}, index=profile.index)
        out["rfm_score"] = (out["r_score"].astype(str) + out["f_score"].astype(str)
                            + out["m_score"].astype(str))
        out["rfm_segment"] = segment_of(r, f)
        return out
