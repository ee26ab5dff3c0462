"""The static report (`carework report`, carework.report): one self-contained HTML file that
asks for nothing when opened, shows the home page's figures in the same words, escapes every
text, and is refused under any name but .html."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import carework
from carework.customer_base import build_base
from carework.dashboards.home import home_dashboard
from carework.headline import figure_text
from carework.i18n import language, t
from carework.report import report_html, write_report

EXE = Path(sys.executable).with_name("carework")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UCI = ROOT.parent / "shared" / "real" / "uci_online_retail_ii"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "weekly.html"
    done = run("report", "--data", "data/sample", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and "Traceback" not in done.stderr
    return out


@pytest.fixture(scope="module")
def base():
    return build_base(carework.load("data/sample"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


def open_offline(browser, path: Path, width: int = 1100):
    """``path`` in a page whose every request but the file itself is aborted and recorded."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    asked: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url == path.as_uri():
            request_route.continue_()
        else:
            asked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: None if request.url.startswith(("data:", "file:"))
            else asked.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, asked


def without_images(text: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:…", text)


def test_the_file_is_self_contained(written):
    text = written.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<html lang='vi'>" in text
    bare = without_images(text)
    for forbidden in ("<script", "<link", "@import", "url(", "://", "src='http", "//"):
        assert forbidden not in bare, forbidden
    assert len(re.findall(r"<img [^>]*src='data:image/png;base64,", text)) == 3
    assert "default-src 'none'" in text  # and the page's own policy forbids fetching anything


def test_it_opens_offline_and_shows_the_home_pages_figures(written, base, browser):
    page, asked = open_offline(browser, written)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert asked == []
    body = page.inner_text("body").replace("\xa0", " ")
    assert all(page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)"))
    home = home_dashboard(base)  # Vietnamese, the default language, like the report
    for figure in home.headline.figures:
        value = figure_text(figure).replace("\xa0", " ")
        assert value in body, figure.key
        assert value in home.cards.value.replace("\xa0", " ")  # as the home page shows it
    for line in home.headline.changes:
        assert line.replace("\xa0", " ") in body
    assert t("report.title") in body
    assert "29/09/2026" in body and "01/10/2024" in body  # as of, and the data's range
    assert t("report.findings") in body and "carework 0.1.0" in body
    page.close()


def test_the_cards_wrap_on_a_phone(written, browser):
    page, asked = open_offline(browser, written, width=390)
    assert asked == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = page.evaluate("[...document.querySelectorAll('.carework-card')].map(c => {"
                          "const r = c.getBoundingClientRect(); return [r.left, r.right, r.top]})")
    assert len(boxes) == 7
    assert all(left >= 0 and right <= 390 for left, right, _top in boxes)
    assert len({round(top) for *_lr, top in boxes}) >= 4  # at most two a row
    page.screenshot(path=str(ARTIFACTS / "report_phone.png"), full_page=True)
    page.close()


def test_every_text_is_escaped(base):
    source = replace(base.source, source="/data/<b onclick='x'>Shop & Co")
    page = report_html(replace(base, source=source))
    assert "<b onclick" not in page
    assert "&lt;b onclick=&#x27;x&#x27;&gt;Shop &amp; Co" in page


def test_in_english(base):
    with language("en"):
        page = report_html(base)
    assert "<html lang='en'>" in page and "Customer care report" in page
    assert "Active customers" in page and "Tổng quan" not in page and "Doanh thu" not in page


def test_anything_but_html_is_refused_before_any_work(tmp_path):
    for name in ("weekly.pdf", "weekly.htm", "weekly"):
        done = run("--lang", "en", "report", "--data", "data/sample", "--out",
                   str(tmp_path / name))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"'{tmp_path / name}': the output must end in one of .html" in done.stderr
        assert "Figures as of" not in done.stderr  # refused before loading anything
        assert not (tmp_path / name).exists()
    with pytest.raises(carework.DataError):
        write_report(None, tmp_path / "x.txt")  # the function refuses too  # type: ignore


@pytest.mark.skipif(not UCI.is_dir(), reason="../shared/real is not beside this clone")
def test_a_real_export_without_surveys_tickets_or_phones(tmp_path):
    folder = tmp_path / "uci"
    folder.mkdir()
    for file in UCI.glob("*.csv"):
        shutil.copyfile(file, folder / file.name)
    (folder / "carework.toml").write_text('[display]\ncurrency = "GBP"\n', encoding="utf-8")
    out = tmp_path / "uci.html"
    done = run("--lang", "en", "report", "--data", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "£1,135,932.90" in page and "Nov 2011" in page  # net of returns
    assert "up 16% against Oct 2011" in page
    for reason in ("no_surveys", "no_tickets", "no_phones"):
        assert t(f"home.reason.{reason}", lang="en") in page
    assert page.count("data-figure=") == 7 and page.count(">—</div>") == 4
    assert len(re.findall(r"<img ", page)) == 2  # revenue and risk bands; no survey chart
    assert "Returns and cancellations: 7,901" in page  # what loading found
