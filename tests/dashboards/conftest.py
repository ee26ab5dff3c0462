"""A small generated data set shared by the dashboard tests (written and loaded once per test
module)."""

from __future__ import annotations

import pytest

import carework
from carework.sample import generate, write


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> carework.Dataset:
    folder = tmp_path_factory.mktemp("sample")
    write(generate(customers=400, seed=7), folder)
    return carework.load(folder)
