"""The sample data shared by the segmentation tests (loaded once per test module)."""

from __future__ import annotations

import pytest

import carework

SAMPLE = "data/sample"


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    return carework.load(SAMPLE)
