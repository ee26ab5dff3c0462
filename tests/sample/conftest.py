"""Generated data sets shared by the sample tests (generated once per test session)."""

from __future__ import annotations

import pytest

from carework.sample import SampleData, generate


@pytest.fixture(scope="session")
def small() -> SampleData:
    return generate(customers=600, seed=7)


@pytest.fixture(scope="session")
def default() -> SampleData:
    """The default size: statistical checks need a few thousand customers (~0.2 s)."""
    return generate()


@pytest.fixture(scope="session")
def large() -> SampleData:
    """Ten times the default (~0.6 s): rare events (stale tickets) in useful numbers."""
    return generate(customers=30_000)
