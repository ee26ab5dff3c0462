"""The hidden personas (the care handbook's five groups) and how each one behaves.

Every array here has one row (or entry) per persona, in :data:`PERSONAS` order. They are
module constants so that the README data dictionary can quote them.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ACQUISITION", "ACQ_MIX", "CHANNELS", "CHANNEL_MIX", "DROP_A", "DROP_B", "GAP_SHAPE",
    "INCOME", "INCOME_MIX", "LAM_MEAN", "LAM_SHAPE", "PERSONAS", "PROSPECT", "PROVINCE_MIX",
    "SAT", "SAT_SD", "SHARE", "SPEND",
]

PERSONAS = ("acquaintance", "regular", "occasional", "online", "vip")
"""The hidden personas, the care handbook's five rule-based groups."""

SHARE = np.array([0.22, 0.18, 0.30, 0.25, 0.05])
LAM_MEAN = np.array([1 / 45, 1 / 16, 1 / 200, 1 / 55, 1 / 30])  # repeat purchases per day
LAM_SHAPE = np.array([3.0, 5.0, 0.7, 1.2, 2.5])  # Gamma shape (r) of lambda across customers
GAP_SHAPE = np.array([1.0, 3.5, 1.0, 1.0, 1.0])  # shape of inter-purchase gaps (1 = Poisson)
DROP_A = np.array([1.0, 1.2, 1.5, 1.2, 1.0])  # p_dropout ~ Beta(a, b)
DROP_B = np.array([40.0, 40.0, 4.0, 10.0, 35.0])
SPEND = np.array([380e3, 300e3, 450e3, 350e3, 2.4e6])  # mean basket (VND)
SAT = np.array([0.5, 0.3, -0.2, -0.4, 0.3])  # satisfaction shift (NPS points)
SAT_SD = 1.1
"""Spread of the customer satisfaction around the persona's shift (NPS points)."""
PROSPECT = np.array([0.05, 0.03, 0.08, 0.17, 0.0])  # share who sign up and never buy

CHANNELS = ("store", "online", "phone")
"""Purchase channels."""
CHANNEL_MIX = np.array([  # per persona: store, online, phone
    [0.72, 0.13, 0.15],
    [0.70, 0.22, 0.08],
    [0.85, 0.12, 0.03],
    [0.08, 0.88, 0.04],
    [0.58, 0.22, 0.20],
])

PROVINCE_MIX = np.array([  # per persona: HCMC, Hà Nội, elsewhere
    [0.56, 0.36, 0.08],
    [0.56, 0.36, 0.08],
    [0.15, 0.12, 0.73],
    [0.40, 0.28, 0.32],
    [0.56, 0.36, 0.08],
])

ACQUISITION = ("referral", "friend_family", "ads", "walk_in", "online")
"""How customers first came to the business."""
ACQ_MIX = np.array([
    [0.40, 0.60, 0.00, 0.00, 0.00],
    [0.20, 0.10, 0.20, 0.40, 0.10],
    [0.04, 0.04, 0.10, 0.80, 0.02],
    [0.05, 0.00, 0.40, 0.00, 0.55],
    [0.40, 0.20, 0.10, 0.25, 0.05],
])
INCOME = ("budget", "mid", "premium")
"""Income bands."""
INCOME_MIX = np.array([
    [0.35, 0.50, 0.15],
    [0.35, 0.50, 0.15],
    [0.40, 0.48, 0.12],
    [0.45, 0.45, 0.10],
    [0.00, 0.25, 0.75],
])
