"""lifetimes, the reference every BTYD figure of carework is checked against."""

from __future__ import annotations

import warnings

import pandas as pd


def lifetimes_bgnbd(s: pd.DataFrame, penalizer: float = 0.0):
    from lifetimes import BetaGeoFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BetaGeoFitter(penalizer_coef=penalizer).fit(s["frequency"], s["recency"], s["T"])
