"""Every notebook served by Voila on 127.0.0.1 and opened in Debian's headless Chromium.

The pattern of Voila's own UI tests: open ``/voila/render/X.ipynb``, wait for the widgets,
interact, assert what a person would see, keep a screenshot (``test-artifacts/``).
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

import carework
from carework import explore
from carework.dashboards.common import ERROR, READY, fmt_number
from carework.i18n import fmt_decimal, fmt_period, t
from carework.serve import voila_command, voila_env
from carework.settings import DashboardSettings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SAMPLE = ROOT / "data" / "sample"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FORBIDDEN_TEXT = ("Traceback", "There was an error when executing cell", "Error")
RENDER_TIMEOUT_MS = 120_000
ONE_KERNEL_AHEAD = DashboardSettings(pool_size=1)
"""The tests' server keeps one kernel per dashboard ahead (the default two would warm eight
kernels at once on the 2-core test machine); tests/dashboards/test_server.py covers the pool."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A Voila server for notebooks/ on the sample data; yields its base URL and pid."""
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(voila_command(ROOT / "notebooks", port=port,
                                                 settings=ONE_KERNEL_AHEAD),
                                   env=voila_env(SAMPLE, language="vi"), stdout=out,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            # any answer, on a path that renders no dashboard (/ would use up the home
            # page's kernel)
            with urllib.request.urlopen(f"{base}/favicon.ico", timeout=5):
                break
        except urllib.error.HTTPError:
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Voila did not answer on {base}:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    yield base, process.pid
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def voila(voila_server) -> str:
    return voila_server[0]


def test_voila_listens_on_loopback_only(voila_server):
    import psutil

    listening = [c.laddr for c in psutil.Process(voila_server[1]).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and {address.ip for address in listening} == {"127.0.0.1"}




class Watched:
    """A page with its console errors, page errors and requests to other hosts recorded."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", lambda msg: self.errors.append(f"console: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return
        self.foreign.append(request.url)

    def open(self, url: str, chart: bool = True) -> None:
        self.page.goto(url, timeout=RENDER_TIMEOUT_MS, wait_until="domcontentloaded")
        self.page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
        if chart:
            self.page.wait_for_selector(f".{READY} img", timeout=RENDER_TIMEOUT_MS)

    def text(self) -> str:
        return self.page.inner_text("body")

    def check_clean(self) -> None:
        text = self.text()
        for word in FORBIDDEN_TEXT:
            assert word not in text, f"{word!r} shown on the page"
        assert self.page.query_selector(f".{ERROR}") is None, "a data problem was shown"
        assert self.errors == [], self.errors
        assert self.foreign == [], f"requests left this computer: {self.foreign}"


def filters(page, name: str):
    """The select of the page's filter bar labelled ``name``."""
    return page.locator(".carework-filters .widget-dropdown", has_text=name).locator("select")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_dashboard_renders_cleanly_offline(voila, browser, notebook):
    view = Watched(browser)
    started = time.monotonic()
    view.open(f"{voila}/voila/render/{notebook.name}", chart=notebook.stem != "00_home")
    seconds = time.monotonic() - started
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.png"), full_page=True)
    view.check_clean()
    title = {"00": "home", "01": "segmentation", "02": "churn",
             "03": "survey_kpis"}[notebook.stem[:2]]
    assert t(f"title.{title}", lang="vi") in view.text()  # Vietnamese, the default language
    print(f"{notebook.stem}: widgets ready in {seconds:.1f} s")
    view.page.close()


def test_segmentation_dashboard_reclusters_in_the_page(voila, browser):
    data = carework.load(SAMPLE)
    view = Watched(browser)
    view.open(f"{voila}/voila/render/01_segmentation.ipynb")
    text = view.text()
    assert "Phân khúc khách hàng" in text and "Điều các nhóm theo quy tắc chưa cho thấy" in text
    assert "For analysts" not in text
    cards = view.page.locator(f".{READY} .widget-hbox >> nth=1")
    assert fmt_number(data.transactions["customer_id"].nunique()) in cards.inner_text()
    view.page.locator(f".{READY} select:not([multiple])").first.select_option(label="3")
    view.page.get_by_role("button", name="Phân cụm lại").click()
    view.page.wait_for_function(
        "() => { const e = document.querySelectorAll('.carework-ready .widget-hbox')[1];"
        " return e && e.innerText.split('\\n').includes('3'); }", timeout=60_000)
    view.page.get_by_text("Đang phân cụm").wait_for(state="hidden", timeout=60_000)
    view.page.get_by_role("tab", name="Cụm hành vi").click()
    view.page.locator(f".{READY} img").nth(1).wait_for(state="visible", timeout=30_000)
    view.page.screenshot(path=str(ARTIFACTS / "01_segmentation_clusters.png"), full_page=True)
    view.check_clean()
    view.page.close()


def test_churn_dashboard_channel_filter_and_horizon(voila, browser):
    data = carework.load(SAMPLE)
    online = explore.filter_data(data, channel="online").transactions["customer_id"].nunique()
    view = Watched(browser)
    view.open(f"{voila}/voila/render/02_churn.ipynb")
    cards = f".{READY} .widget-hbox >> nth=1"
    assert fmt_number(data.transactions["customer_id"].nunique()) in view.page.inner_text(cards)
    filters(view.page, "Kênh mua").select_option(label="Trực tuyến")
    view.page.wait_for_function(
        "([want]) => [...document.querySelectorAll('.carework-ready .widget-hbox')]"
        ".some(e => e.innerText.includes(want))", arg=[fmt_number(online)], timeout=30_000)
    text = view.text()
    assert "khách hàng cần chú ý" in text and "Tạo file Excel" in text
    assert "For analysts" not in text  # the notebook's analyst cells are left out
    view.page.screenshot(path=str(ARTIFACTS / "02_churn_online.png"), full_page=True)
    view.check_clean()
    view.page.close()


def test_call_list_tab(voila, browser):
    view = Watched(browser)
    view.open(f"{voila}/voila/render/02_churn.ipynb")
    view.page.get_by_role("tab", name="Danh sách gọi hôm nay").click()
    view.page.get_by_text("Tải danh sách gọi").wait_for(state="visible", timeout=30_000)
    text = view.text()
    assert "Nhân viên 1" in text and "09:00–11:00" in text and "****" in text
    view.page.screenshot(path=str(ARTIFACTS / "02_call_list.png"), full_page=True)
    view.check_clean()
    view.page.close()


def test_churn_dashboard_model_choice_and_checks(voila, browser):
    """Another model refits in the page; the model checks open with their three charts."""
    view = Watched(browser)
    view.open(f"{voila}/voila/render/02_churn.ipynb")
    cards = view.page.locator(f".{READY} .widget-hbox >> nth=1")
    before = cards.inner_text()
    view.page.locator(f".{READY} select >> nth=0").select_option(label="Pareto/NBD")
    view.page.wait_for_function(
        "([before]) => { const e = document.querySelectorAll('.carework-ready .widget-hbox')[1];"
        " return e && e.innerText !== before; }", arg=[before], timeout=60_000)
    view.page.get_by_text("Đang khớp mô hình").wait_for(state="hidden", timeout=60_000)
    view.page.get_by_text("Mô hình có đáng tin không?").click()
    charts = view.page.locator(f".{READY} .jupyter-widget-Accordion img, "
                               f".{READY} .widget-accordion img")
    charts.nth(2).wait_for(state="visible", timeout=30_000)
    assert charts.count() == 3
    assert "Mô hình được học trên dữ liệu trừ 180 ngày cuối" in view.text()
    view.page.screenshot(path=str(ARTIFACTS / "02_churn_pnbd.png"), full_page=True)
    view.page.locator(f".{READY} .widget-accordion, .{READY} .jupyter-widget-Accordion").first\
        .screenshot(path=str(ARTIFACTS / "02_churn_pnbd_checks.png"))
    view.check_clean()
    view.page.close()


def test_kpi_dashboard_period_drivers_and_comment_search(voila, browser):
    """Quarterly KPIs in the cards, the driver quadrant, and a comment search typed without
    diacritics that finds comments written with them."""
    from carework import kpis

    data = carework.load(SAMPLE)
    quarters = kpis.survey_kpis(data, "quarter")
    last = quarters[~quarters["partial"]].iloc[-1]
    view = Watched(browser)
    view.open(f"{voila}/voila/render/03_survey_kpis.ipynb")
    text = view.text()
    assert t("kpiui.card.retention", lang="vi") in text and "For analysts" not in text
    view.page.locator(f".{READY} select").first.select_option(label="Quý")
    want = f"Kỳ hiển thị: {fmt_period(last['period_label'], 'quarter', 'vi')}"
    view.page.wait_for_function("([want]) => document.body.innerText.includes(want)",
                                arg=[want], timeout=60_000)
    assert fmt_decimal(last["nps"]) in view.text()
    view.page.get_by_role("tab", name="Yếu tố tác động").click()
    view.page.get_by_text("Ưu tiên cải thiện").first.wait_for(state="visible", timeout=30_000)
    view.page.screenshot(path=str(ARTIFACTS / "03_drivers.png"), full_page=True)
    view.page.get_by_role("tab", name="Bình luận").click()
    box = view.page.get_by_placeholder(t("kpiui.search_hint", lang="vi"))
    box.fill("nhan vien")
    box.press("Enter")
    view.page.wait_for_function(
        "() => [...document.querySelectorAll('.carework-ready td')]"
        ".some(e => e.innerText.toLowerCase().includes('nhân viên'))", timeout=30_000)
    view.page.screenshot(path=str(ARTIFACTS / "03_comments.png"), full_page=True)
    view.check_clean()
    view.page.close()


def test_a_data_problem_is_shown_in_the_page_not_as_a_traceback(browser, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "transactions.csv").write_text("customer_id,amount\nKH1,5\n", encoding="utf-8")
    port = free_port()
    env = voila_env(broken, language="en")
    process = subprocess.Popen(voila_command(ROOT / "notebooks", port=port), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        view = Watched(browser)
        url = f"http://127.0.0.1:{port}/voila/render/02_churn.ipynb"
        deadline = time.monotonic() + 60
        while True:
            try:
                view.page.goto(url, timeout=RENDER_TIMEOUT_MS, wait_until="domcontentloaded")
                break
            except Exception:  # noqa: BLE001 — the server is still starting
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        view.page.wait_for_selector(f".{ERROR}", timeout=RENDER_TIMEOUT_MS)
        message = view.page.inner_text(f".{ERROR}")
        assert "The data cannot be used" in message
        assert "transactions.csv" in message and "purchased_at" in message
        assert "Traceback" not in view.text()
        view.page.screenshot(path=str(ARTIFACTS / "data_problem.png"), full_page=True)
        view.page.close()
    finally:
        process.terminate()
        process.wait(timeout=15)




def test_filters_travel_in_the_address_and_between_pages(voila, browser):
    """A shared address opens on its filters; a change is written back to the address; the
    links to the other dashboards carry it; the drill-down list exports what it shows."""
    import io

    from openpyxl import load_workbook

    from carework.dashboards.filters import ViewFilters

    data = carework.load(SAMPLE)
    base = carework.customer_base.build_base(data)
    vip = len(ViewFilters(group="vip").customers(base))
    view = Watched(browser)
    view.open(f"{voila}/voila/render/02_churn.ipynb?group=vip")
    view.page.wait_for_function(
        "([want]) => { const e = document.querySelectorAll('.carework-ready .widget-hbox')[1];"
        " return e && e.innerText.split('\\n').includes(want); }", arg=[fmt_number(vip)],
        timeout=60_000)
    assert filters(view.page, "Nhóm khách").input_value() == "Khách VIP"  # option labels
    filters(view.page, "Kênh mua").select_option(label="Trực tuyến")
    view.page.wait_for_function("() => location.search.includes('channel=online')",
                                timeout=30_000)
    assert "group=vip" in view.page.url
    # the list behind a figure, and its export (built only when asked for)
    drill = view.page.locator(".carework-drilldown").first
    drill.locator("select").select_option(index=0)
    drill.get_by_role("button", name=t("drill.show", lang="vi")).click()
    drill.get_by_text("khách hàng", exact=False).first.wait_for(timeout=30_000)
    assert view.page.locator("a[download]").count() == 0  # no file before it is asked for
    drill.get_by_role("button", name=t("drill.export", lang="vi")).click()
    link = drill.locator("a[download]")
    link.wait_for(timeout=60_000)
    with view.page.expect_download() as download:
        link.click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cover = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[0]}
    assert cover["Nhóm khách"] == "Khách VIP" and cover["Kênh mua"] == "Trực tuyến"
    view.page.screenshot(path=str(ARTIFACTS / "02_churn_filtered.png"), full_page=True)
    # to the KPI dashboard, with the same filters
    view.page.locator("a.carework-nav-survey_kpis").first.click()
    view.page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    assert "group=vip" in view.page.url and "channel=online" in view.page.url
    view.page.wait_for_function(
        "() => [...document.querySelectorAll('.carework-filters select')]"
        ".some(s => s.value === 'Trực tuyến')", timeout=60_000)
    assert filters(view.page, "Nhóm khách").input_value() == "Khách VIP"
    view.check_clean()
    view.page.close()


VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024), "laptop": (1366, 768)}


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_every_page_fits_a_phone_a_tablet_and_a_laptop(voila, browser, size):
    """At each size the controls stack inside the screen (no control reaches past its right
    edge, the page does not scroll sideways); wide tables scroll inside their own box."""
    width, height = VIEWPORTS[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    for notebook in NOTEBOOKS:
        page.goto(f"{voila}/voila/render/{notebook.name}", timeout=RENDER_TIMEOUT_MS,
                  wait_until="domcontentloaded")
        page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
        page.wait_for_timeout(500)  # let the layout settle
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}_{size}.png"), full_page=True)
        overflow = page.evaluate(
            """(width) => {
                const controls = document.querySelectorAll(
                    '.carework-filters .widget-dropdown, .carework-filters .widget-slider,' +
                    ' .carework-filters button, .carework-ready select,' +
                    ' .carework-ready button, .carework-ready .widget-slider');
                const out = [];
                for (const c of controls) {
                    const r = c.getBoundingClientRect();
                    if (r.width > 0 && (r.right > width + 1 || r.left < -1))
                        out.push((c.innerText || c.className).slice(0, 40) + ' ' +
                                 Math.round(r.left) + '-' + Math.round(r.right));
                }
                return {controls: out,
                        page: document.documentElement.scrollWidth - window.innerWidth};
            }""", width)
        assert overflow["controls"] == [], f"{notebook.stem} at {size}: {overflow['controls']}"
        assert overflow["page"] <= 1, f"{notebook.stem} at {size} scrolls sideways"
    page.close()
