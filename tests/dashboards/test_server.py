"""The dashboard server stays bounded and shares safely (issue 20), on a real Voila server and
Debian's headless Chromium:

* a closed tab stops its kernel (Voila's ``beforeunload`` request, which the server's ``_xsrf``
  cookie lets through; ``pagehide`` too, once); 30 visits leave no kernel behind and the
  server's memory flat;
* a visit that never says goodbye is culled after ``[dashboards] cull_idle_minutes``; the
  preheated pool is neither culled nor slowed: the next visitor still gets a warm kernel;
* ``/`` opens the home dashboard, never Voila's file list;
* the address bar follows the page's ``carework-view-state`` element;
* off loopback nothing is served without the token; an empty token is refused.

The visits use ``00_home.ipynb``, the lightest dashboard (about 3 CPU-seconds to warm a kernel,
against 6 to 9 for the others), alone in a folder: one pool kernel keeps the 30 visits within
the time and memory of a 2-core test machine, and the server works the same for any notebook.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import psutil
import pytest

from carework.cli import main as carework_main
from carework.dashboards.common import READY
from carework.serve import HOME, voila_command, voila_env
from carework.settings import DashboardSettings
from tests.dashboards.test_browser import (
    ARTIFACTS,
    RENDER_TIMEOUT_MS,
    ROOT,
    SAMPLE,
    free_port,
)

pytestmark = pytest.mark.browser

CULL = DashboardSettings(cull_idle_minutes=10 / 60, cull_interval_seconds=2, pool_size=1)
"""Kernels culled after 10 s idle, looked for every 2 s (the defaults: 20 min, 60 s)."""
CYCLES = 30
KERNEL_ID = re.compile(r"kernel-([0-9a-f-]{36})\.json")


def wait_until(condition: Callable[[], object], timeout: float, what: str,
               every: float = 0.2) -> object:
    """``condition()``'s first true value, polled until ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout:.0f} s: {what}")
        time.sleep(every)


class Server:
    """A running dashboard server: its base address, kernels and memory."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        wait_until(self._answers, 120, f"no server on {self.base}:\n{self._tail()}")

    @property
    def voila(self) -> psutil.Process:
        """The Voila process (the command's own, or the child of ``carework dashboards``)."""
        process = psutil.Process(self.process.pid)
        if "carework.cli" in process.cmdline():
            return next(child for child in process.children()
                        if "carework.serve" in child.cmdline())
        return process

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the server exited:\n{self._tail()}")
        try:
            return get(self.base, "/voila/static/voila.js")[0] == 200
        except OSError:
            return False

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def kernels(self) -> dict[str, psutil.Process]:
        """The live kernels by id."""
        found = {}
        for child in self.voila.children(recursive=True):
            try:
                match = KERNEL_ID.search(" ".join(child.cmdline()))
            except psutil.Error:  # gone, or a zombie not yet reaped
                continue
            if match:
                found[match.group(1)] = child
        return found

    def rss_mib(self) -> float:
        """The resident memory of Voila and all its children (the kernels), MiB."""
        total = 0
        voila = self.voila
        for process in (voila, *voila.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total / 2**20

    def settled(self, pool: int, ignore: set[str] = frozenset()) -> bool:
        """``pool`` kernels alive (besides ``ignore``), none of them working: a refill has
        finished."""
        kernels = [k for kernel_id, k in self.kernels().items() if kernel_id not in ignore]
        if len(kernels) != pool:
            return False
        try:
            before = sum(sum(k.cpu_times()[:2]) for k in kernels)
            time.sleep(0.8)  # long enough to tell a kernel at rest from one that waits its turn
            after = sum(sum(k.cpu_times()[:2]) for k in kernels)
        except psutil.Error:
            return False
        return after - before < 0.03

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for child in psutil.Process(self.process.pid).children(recursive=True):
                child.kill()
            self.process.kill()
            self.process.wait()


def get(base: str, path: str, headers: dict[str, str] | None = None
        ) -> tuple[int, str | None, str]:
    """GET ``path`` without following redirects: status, Location and body."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return (response.status, response.getheader("Location"),
                response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def page_kernel(page) -> str:
    """The id of the kernel a dashboard page runs on."""
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


# ------------------------------------------------------------------------------- fixtures





@pytest.fixture(scope="module")
def home_server(tmp_path_factory) -> Iterator[Server]:
    """The home dashboard, alone in a folder, preheated (one kernel), culled after 10 s."""
    folder = tmp_path_factory.mktemp("home")
    shutil.copy(ROOT / "notebooks" / HOME, folder / HOME)
    port = free_port()
    log = folder / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(voila_command(folder, port=port, settings=CULL),
                                   env=voila_env(SAMPLE, language="vi"), stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory) -> Iterator[tuple[Server, str]]:
    """``carework dashboards --host 0.0.0.0`` on two tiny notebooks (no 00_home), as a person
    starts it: no token given, so one is generated and printed. The data folder's carework.toml
    sets the culling. Yields the server and what the command printed."""
    folder = tmp_path_factory.mktemp("shared")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    for name in ("a_first", "b_second"):
        cell = nbformat.v4.new_code_cell(
            "from IPython.display import HTML\n"
            f"HTML(\"<p class='{READY}'>{name} served</p>\")")
        notebook = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {
            "name": "python3", "display_name": "Python 3", "language": "python"}})
        nbformat.write(notebook, notebooks / f"{name}.ipynb")
    data = folder / "data"
    data.mkdir()
    (data / "carework.toml").write_text(
        "[dashboards]\ncull_idle_minutes = 0.25\ncull_interval_seconds = 2\n", encoding="utf-8")
    port = free_port()
    printed, log = folder / "printed.txt", folder / "voila.log"
    env = voila_env()  # the template's path; no CAREWORK_TOKEN
    with printed.open("wb") as out, log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "carework.cli", "--lang", "en", "dashboards", "--host",
             "0.0.0.0", "--port", str(port), "--notebooks", str(notebooks), "--data", str(data),
             "--no-preheat"], env=env, stdout=out, stderr=err)
    server = Server(process, port, log)
    yield server, printed.read_text(encoding="utf-8")
    server.stop(signal.SIGINT)  # Ctrl-C: the command stops Voila and its kernels


# ------------------------------------------------------------------------------- the tests

def test_pagehide_stops_the_kernel_and_a_page_asks_only_once(home_server, browser):
    """``pagehide`` (a phone, the back-forward cache) stops the kernel without
    ``beforeunload``; Voila's own request on closing is then not sent again."""
    page = browser.new_page()
    shutdowns: list[str] = []
    page.on("request", lambda r: shutdowns.append(r.url) if "/api/shutdown/" in r.url else None)
    page.goto(f"{home_server.base}/voila/render/{HOME}", timeout=RENDER_TIMEOUT_MS,
              wait_until="domcontentloaded")
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    kernel = page_kernel(page)
    assert kernel in home_server.kernels()
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    wait_until(lambda: kernel not in home_server.kernels(), 10,
               "the kernel still runs after pagehide")
    page.close(run_before_unload=True)
    time.sleep(1)
    assert len(shutdowns) == 1 and shutdowns[0].endswith(kernel)
    assert "403 POST" not in home_server.log.read_text(errors="replace")


def test_thirty_visits_leave_no_kernel_behind_and_memory_flat(home_server, browser):
    """A visit that never says goodbye (no browser: a browser that crashed, a laptop shut) is
    culled while the home dashboard is opened and closed 30 times, as a person closing the
    tab: each visit's kernel stops at once (not culled), the live kernels stay at the pool, the
    server's memory does not grow. The pool kernel is never culled, and the next visitor gets
    it warm although it idled past the cull timeout."""
    pool = CULL.pool_size  # x 1 notebook
    wait_until(lambda: home_server.settled(pool), 120, "the pool did not warm up")
    status, _, body = get(home_server.base, f"/voila/render/{HOME}")
    assert status == 200
    orphan = re.search(r'"kernelId": "([0-9a-f-]{36})"', body).group(1)
    abandoned = time.monotonic()
    assert orphan in home_server.kernels()

    figures = []
    for cycle in range(1, CYCLES + 1):
        started = time.monotonic()
        page = browser.new_page()
        page.goto(f"{home_server.base}/voila/render/{HOME}", timeout=RENDER_TIMEOUT_MS,
                  wait_until="domcontentloaded")
        page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
        opened = time.monotonic() - started
        kernel = page_kernel(page)
        page.close(run_before_unload=True)  # as a closed tab does
        closed = time.monotonic()
        wait_until(lambda: kernel not in home_server.kernels(), 10,  # noqa: B023
                   f"visit {cycle}: its kernel still runs after the tab closed")
        stopped = time.monotonic() - closed
        wait_until(lambda: home_server.settled(pool, {orphan}), 120, f"visit {cycle}: no refill")
        figures.append((cycle, opened, stopped, len(home_server.kernels()),
                        home_server.rss_mib(), time.monotonic() - started))
        print("visit {:2d}: open {:4.1f} s, kernel stopped {:3.1f} s after closing, "
              "{} kernel(s), {:5.0f} MiB, cycle {:4.1f} s".format(*figures[-1]))
    kernels = [f[3] for f in figures]
    rss = [f[4] for f in figures]
    assert max(kernels) <= pool * 1 + 2
    assert max(rss[-10:]) <= 1.3 * max(rss[4:10]), rss
    print(f"kernels max {max(kernels)}; RSS cycles 5-10 max {max(rss[4:10]):.0f} MiB, "
          f"last 10 max {max(rss[-10:]):.0f} MiB; mean cycle "
          f"{sum(f[5] for f in figures) / len(figures):.1f} s")

    # the abandoned kernel was culled; the visits' kernels were not (the tab stopped them)
    wait_until(lambda: orphan not in home_server.kernels(),
               abandoned + CULL.cull_idle_seconds + 15 - time.monotonic(),
               "the abandoned kernel was not culled")
    culls = re.findall(r"Culling '\w+' kernel .*\(([0-9a-f-]{36})\)",
                       home_server.log.read_text(errors="replace"))
    assert culls == [orphan]

    # the pool kernel idles past the cull timeout and is kept ...
    warm = set(home_server.kernels())
    assert len(warm) == pool
    time.sleep(CULL.cull_idle_seconds + 2 * CULL.cull_interval_seconds)
    assert set(home_server.kernels()) == warm, "a preheated kernel was culled"
    print(f"after the cull timeout with no tab open: {len(warm)} kernel(s) (the pool), "
          f"{home_server.rss_mib():.0f} MiB")
    # ... and the next visitor gets it warm; connected, it is not culled
    page = browser.new_page()
    started = time.monotonic()
    page.goto(f"{home_server.base}/voila/render/{HOME}", timeout=RENDER_TIMEOUT_MS,
              wait_until="domcontentloaded")
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    print(f"opened on the preheated kernel in {time.monotonic() - started:.1f} s")
    assert page_kernel(page) in warm
    time.sleep(CULL.cull_interval_seconds * 2)
    assert page_kernel(page) in home_server.kernels()
    page.close(run_before_unload=True)


def test_root_opens_the_home_dashboard_never_the_file_list(home_server, browser):
    for path, query in (("/", ""), ("/?group=vip", "?group=vip"), ("/voila/", ""),
                        ("/voila/tree", ""), ("/voila/tree/sub/folder?from=2026-01",
                                              "?from=2026-01")):
        status, location, body = get(home_server.base, path)
        assert (status, location) == (302, f"/voila/render/{HOME}{query}"), path
        assert HOME not in body
    assert get(home_server.base, "/voila/api/contents/")[0] == 404  # the list's data
    page = browser.new_page()
    answers: list[tuple[str, int]] = []
    page.on("response", lambda r: answers.append((urlparse(r.url).path, r.status))
            if r.request.resource_type == "document" else None)
    page.goto(f"{home_server.base}/", timeout=RENDER_TIMEOUT_MS, wait_until="domcontentloaded")
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    assert answers[:2] == [("/", 302), (f"/voila/render/{HOME}", 200)]
    assert urlparse(page.url).path == f"/voila/render/{HOME}"
    assert page.locator(".jp-DirListing, .voila-notebooks, .list-header").count() == 0
    assert ".ipynb" not in page.inner_text("body")
    page.close(run_before_unload=True)


def test_the_address_bar_follows_the_view_state(home_server, browser):
    """Other code writes the filters as ``<span class="carework-view-state" data-query=...>``;
    the template's script copies them into the address (history.replaceState, no reload)."""
    page = browser.new_page()
    page.goto(f"{home_server.base}/voila/render/{HOME}?old=1", timeout=RENDER_TIMEOUT_MS,
              wait_until="domcontentloaded")
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    page.evaluate("() => { window.carework_same_page = true; }")

    def address_is(search: str) -> None:
        page.wait_for_function("([want]) => location.search === want", arg=[search],
                               timeout=5_000)
        assert urlparse(page.url).path == f"/voila/render/{HOME}"

    page.evaluate("""() => { const box = document.createElement('div');
        box.innerHTML = "<span class='carework-view-state' data-query='from=2026-01&amp;group=vip'>"
                        + "</span>";
        document.querySelector('.carework-ready').appendChild(box); }""")
    address_is("?from=2026-01&group=vip")  # appeared, deep in the page
    page.evaluate("""() => document.querySelector('.carework-view-state')
        .setAttribute('data-query', 'group=regular')""")
    address_is("?group=regular")  # changed
    page.evaluate("""() => { const e = document.createElement('b');
        e.setAttribute('data-query', 'channel=online');
        document.body.appendChild(e); e.className = 'carework-view-state'; }""")
    address_is("?channel=online")  # became one
    page.evaluate("""() => document.querySelector('.carework-view-state')
        .setAttribute('data-query', '')""")
    address_is("")  # all filters cleared: no "?"
    assert page.evaluate("() => window.carework_same_page === true")  # never reloaded
    page.close(run_before_unload=True)


def test_off_loopback_nothing_is_served_without_the_token(shared_server, browser):
    server, printed = shared_server
    voila = server.voila
    listening = {c.laddr.ip for c in voila.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    assert listening == {"0.0.0.0"}
    # the command printed where to go, with the token it generated, and how to log in
    token = re.search(r"http://\S+:\d+/\?token=([\w-]+)", printed).group(1)
    assert len(token) >= 32 and f"type the token on the login page: {token}" in printed
    assert "they show customer data" in printed
    # the token is in neither the command line (ps) nor a kernel's environment
    assert token not in " ".join(voila.cmdline())
    command = " ".join(voila.cmdline())
    assert "--MappingKernelManager.cull_idle_timeout=15" in command  # from carework.toml
    assert "--MappingKernelManager.cull_interval=2" in command

    for path in ("/voila/render/a_first.ipynb", "/", "/voila/render/b_second.ipynb?token=x"):
        status, location, body = get(server.base, path)
        assert status == 302 and location.startswith("/login?next="), path
        assert "a_first served" not in body
    status, _, body = get(server.base, "/login")
    assert status == 200 and 'name="password"' in body and "a_first served" not in body
    assert server.kernels() == {}  # nothing ran for them

    assert get(server.base, f"/?token={token}")[1] == f"/voila/render/a_first.ipynb?token={token}"
    status, _, body = get(server.base, "/voila/render/b_second.ipynb",
                          headers={"Authorization": f"token {token}"})
    assert status == 200 and "b_second served" in body

    # in the browser: the printed address opens the first dashboard (no 00_home here), the
    # login is remembered, and closing the tab stops the kernel (the _xsrf check passes)
    context = browser.new_context()
    foreign: list[str] = []
    context.on("request", lambda r: foreign.append(r.url)
               if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
    page = context.new_page()
    page.goto(f"{server.base}/?token={token}", timeout=RENDER_TIMEOUT_MS,
              wait_until="domcontentloaded")
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    assert urlparse(page.url).path == "/voila/render/a_first.ipynb"
    assert {"_xsrf"} <= {c["name"] for c in context.cookies()}
    kernel = page_kernel(page)
    page.goto(f"{server.base}/voila/render/b_second.ipynb", timeout=RENDER_TIMEOUT_MS,
              wait_until="domcontentloaded")  # no token: the login cookie
    page.wait_for_selector(f".{READY}", timeout=RENDER_TIMEOUT_MS)
    wait_until(lambda: kernel not in server.kernels(), 5, "the first page's kernel still runs")
    second = page_kernel(page)
    environment = server.kernels()[second].environ()
    assert "CAREWORK_TOKEN" not in environment and token not in json.dumps(environment)
    page.close(run_before_unload=True)
    wait_until(lambda: second not in server.kernels(), 5, "the kernel still runs after closing")
    context.clear_cookies()
    login = context.new_page()
    login.goto(f"{server.base}/voila/render/a_first.ipynb", timeout=RENDER_TIMEOUT_MS)
    assert urlparse(login.url).path == "/login" and login.locator("input[type=password]").count()
    ARTIFACTS.mkdir(exist_ok=True)
    login.screenshot(path=str(ARTIFACTS / "login.png"))
    assert "a_first served" not in login.inner_text("body")
    assert foreign == []  # the login page too asks nothing of another host
    context.close()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_empty_token_off_loopback_is_refused(how, monkeypatch, capsys):
    argv = ["--lang", "en", "dashboards", "--host", "0.0.0.0", "--port", str(free_port())]
    if how == "option":
        monkeypatch.delenv("CAREWORK_TOKEN", raising=False)
        argv += ["--token", ""]
    else:
        monkeypatch.setenv("CAREWORK_TOKEN", " ")
    assert carework_main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "an empty token would let anyone who can reach 0.0.0.0 open the dashboards" in err


def test_loopback_needs_no_token(monkeypatch):
    from carework.serve import login_token

    monkeypatch.delenv("CAREWORK_TOKEN", raising=False)
    assert login_token("127.0.0.1") is None and login_token("localhost", "") is None
    assert login_token("::1", "mine") == "mine"  # one given is still asked for
    generated = login_token("0.0.0.0")
    assert generated and generated != login_token("0.0.0.0")  # fresh each start
    monkeypatch.setenv("CAREWORK_TOKEN", "from-the-environment")
    assert login_token("192.168.1.20") == "from-the-environment"
    assert login_token("192.168.1.20", "from-the-option") == "from-the-option"



def test_the_dashboards_settings_shape_the_server_command():
    from carework import DataError
    from carework.settings import Settings

    def flags(**settings: object) -> set[str]:
        return set(voila_command(Path("notebooks"), port=8866,
                                 settings=DashboardSettings(**settings)))

    assert {"--MappingKernelManager.cull_idle_timeout=1200",  # the defaults: 20 min, 60 s,
            "--MappingKernelManager.cull_interval=60",           # two kernels ahead
            "--MappingKernelManager.cull_connected=False", "--preheat_kernel=True",
            "--pool_size=2"} <= flags()
    assert {"--MappingKernelManager.cull_idle_timeout=0", "--preheat_kernel=False",
            "--pool_size=0"} <= flags(cull_idle_minutes=0, pool_size=0)  # never; no pool
    assert "--pool_size=0" in voila_command(Path("notebooks"), port=8866, preheat=False)
    assert Settings.from_mapping({"dashboards": {"cull_idle_minutes": 0.5}}
                                 ).dashboards.cull_idle_seconds == 30
    for wrong in ({"pool_size": 9}, {"cull_interval_seconds": 0}, {"cull_idle_minutes": -1},
                  {"pool_size": 1.5}, {"cache_megabytes": 0}):
        with pytest.raises(DataError, match=next(iter(wrong))):
            Settings.from_mapping({"dashboards": wrong}, "carework.toml")
