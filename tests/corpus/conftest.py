"""Markers of the malformed-data corpus tests."""

from __future__ import annotations


def pytest_configure(config) -> None:  # noqa: ANN001 — pytest's Config
    config.addinivalue_line(
        "markers", "corpus_cli: runs the carework command in-process on a corpus folder "
                   "(deselect with -m 'not corpus_cli' for the loader checks alone)")
