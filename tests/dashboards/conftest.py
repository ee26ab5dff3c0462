"""Shared by the dashboard tests: a small generated data set (written and loaded once per test
module), Debian's headless Chromium, and no proxy for the local server."""

from __future__ import annotations

import pytest

import carework
from carework.sample import generate, write


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> carework.Dataset:
    folder = tmp_path_factory.mktemp("sample")
    write(generate(customers=400, seed=7), folder)
    return carework.load(folder)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (never a downloaded browser)."""
    from tests.dashboards.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it "
                    "(apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Requests to the local server never go through a proxy."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
