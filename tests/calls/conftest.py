"""The sample data shared by the call-list tests (loaded once per test module)."""

from __future__ import annotations

import pytest

import carework

SAMPLE = "data/sample"


@pytest.fixture(scope="module")
def sample() -> carework.Dataset:
    return carework.load(SAMPLE)
