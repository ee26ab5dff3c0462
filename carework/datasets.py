"""Published reference data sets, as canonical transactions.

The CDNOW sample (Fader & Hardie): 2,357 customers who first bought CDs in the first quarter of
1997, followed until the end of June 1998. Its raw log ships with lifetimes; carework reads that
log itself (not lifetimes' pre-made summary) so that the summary is checked too. The published
BTYD analyses use weeks, calibration up to 1997-09-30 and holdout up to 1998-06-30.
"""

from __future__ import annotations

from importlib.resources import files

import pandas as pd

CDNOW_CALIBRATION_END = "1997-09-30"
CDNOW_OBSERVATION_END = "1998-06-30"


def cdnow_sample() -> pd.DataFrame:
    """The raw CDNOW sample log: ``customer_id``, ``purchased_at``, ``amount`` (USD), ``cds``.

    Examples
    --------
    >>> tx = cdnow_sample()
    >>> len(tx), tx["customer_id"].nunique()
    (6919, 2357)
    """
    path = files("lifetimes") / "datasets" / "CDNOW_sample.txt"
    raw = pd.read_csv(str(path), sep=r"\s+", header=None, dtype={1: str},
                      names=["master_id", "customer_id", "date", "cds", "amount"])
    return pd.DataFrame({
        "customer_id": raw["customer_id"],
        "purchased_at": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
        "amount": raw["amount"].astype(float),
        "cds": raw["cds"],
    })
