"""Shared by the churn model tests: errors matched in English (the ``cdnow`` and ``sample``
summaries come from tests/conftest.py; lifetimes' BG/NBD, the reference, from reference.py)."""

from __future__ import annotations

import pytest

from carework.i18n import language


@pytest.fixture()
def english():
    """Errors are matched in English (they are Vietnamese by default)."""
    with language("en"):
        yield
