"""Summaries shared by the model tests (the fixtures ``cdnow`` and ``sample``).

``cdnow``: the CDNOW sample log lifetimes ships, summarised in weeks with the published split
(39 weeks of calibration, 39 of holdout). ``sample``: data/sample summarised in days, calibrated
to 2026-03-31 with the holdout to 2026-09-29. A test module may define its own ``sample``.
"""

from __future__ import annotations

import pandas as pd
import pytest

import carework
from carework.datasets import CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END, cdnow_sample
from carework.rfm import summary


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    return summary(cdnow_sample(), calibration_end=CDNOW_CALIBRATION_END,
                   observation_end=CDNOW_OBSERVATION_END, unit="W")


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    tx = carework.load("data/sample").transactions
    return summary(tx, calibration_end="2026-03-31", observation_end="2026-09-29")
