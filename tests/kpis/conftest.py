"""Data shared by the KPI tests: the sample data, and a large generated set whose built-in effects
are known (each built once per test module)."""

from __future__ import annotations

import pytest

import carework
from carework.sample import generate


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    return carework.load("data/sample")


@pytest.fixture(scope="module")
def generated():
    return generate(customers=15000, seed=11)
