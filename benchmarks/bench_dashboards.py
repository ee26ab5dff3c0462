"""Dashboards: time to widgets and page weight, as a visitor's browser sees them (issue 20).

Each dashboard notebook (``00_home`` when present, ``01_segmentation``, ``02_churn``,
``03_survey_kpis``) is served by Voila exactly as ``carework dashboards`` serves it (the command
of ``carework.serve.voila_command``, the environment of ``carework.serve.voila_env`` in
Vietnamese, the data folder's ``[dashboards]`` settings) on a free loopback port, in its own
process group (killed at the end), and opened in Debian's headless Chromium
(``/usr/bin/chromium``) driven by Playwright's Python package.

The code measured: a copy of ``carework/`` and ``notebooks/*.ipynb`` taken at the start into
/tmp/carework_bench_dash/tree and put first on ``PYTHONPATH`` of this process, the servers and
their kernels (``--live``: the working tree itself). Others edit the working tree while this
runs, and the results cache is keyed by the code's hash: an edit in the middle of a run would
turn a warm cache cold.

Data sizes: ``sample`` (``data/sample``) and generated folders of N customers
(``carework.sample.generate(customers=N, seed=11)`` + ``carework.sample.write``, export flaws
included), generated once in a subprocess into /tmp/carework_bench_dash/N/ and reused: a
``bench_meta.json`` written last marks a complete folder.

Results cache (``CAREWORK_CACHE``): the benchmark's own folder /tmp/carework_bench_dash/cache,
emptied before every cold visit; ``TQDM_DISABLE=1``.

Situations, per notebook and size:

* **cold**: a fresh server started with ``preheat=False`` and an empty cache, a fresh browser
  context: the first visit ever (the kernel starts, loads the files, builds the customer base
  and the results the page needs, and writes them to the cache);
* **preheated**: one server per size with preheated kernels (the settings' ``pool_size`` per
  notebook, default 1, for every notebook of the folder, as in production; ``--pool-size``),
  the cache warm from the cold visits, visited in a fresh browser context once the pool is
  ready. Ready = the server's process tree (Voila and its kernels, psutil) used less than 5 %
  of one core in each of two consecutive 1-second windows, no earlier than 2.5 s after the last
  visit (Voila refills a pool 1 s after a visit takes its kernel) and, at start, with at least
  ``pool_size`` × notebooks kernels running;
* **reopened**: the same page closed (``page.close(run_before_unload=True)``, a tab closed by
  its user) and opened again at once in the same browser context (static files in the browser's
  cache) on the preheated server. The previous visit took the notebook's pooled kernel, so this
  visit gets the refill (started 1 s after that visit) wherever it has got to.

Times are the page's own clock (``performance.now()``, from navigation start), recorded by a
script added before any page script (``BrowserContext.add_init_script``) that looks at the
document at every animation frame; Python only waits for it:

* **HTML s**: navigation timing ``responseEnd`` of the document. Voila streams the page while
  the kernel executes the notebook, so this is when the server had finished it (a preheated
  kernel executed it before the visit);
* **page loaded s**: navigation timing ``loadEventEnd`` (Voila's scripts, about 5 MB, loaded);
* **kernel socket s**: the page opens its first WebSocket (to the kernel);
* **first widget s**: the first frame in which an element ``.jupyter-widgets`` has a non-empty
  box. Voila keeps the cells hidden until its widget manager has rendered all of them, so in
  practice this is when the whole page appears;
* **full render s**: the first frame with ``.carework-ready`` present and the first ``img``
  inside it loaded (``complete``, natural width > 0); the home page has no chart: its full
  render is ``.carework-ready`` present.

Page MB: the bytes of the HTML document (decoded body) plus the payload of every websocket
frame the page received until its full render (Playwright ``page.on("websocket")`` →
``ws.on("framereceived")``); MB = 10⁶ bytes. The static files (Voila's scripts, styles, fonts:
the same for every dashboard, cached by the browser) are counted apart (``static MB``, wire
bytes; 0 when they came from the browser's cache).

Filter change (``02_churn``, every size; the target is for 30,000 customers): on the reopened
page, once the server is idle again, the channel dropdown of the filter bar
(``.carework-filters .widget-dropdown`` whose label is ``t("filter.channel", lang="vi")``) is
set to the label of ``online`` with Playwright's ``select_option``. Time from the select's
``change`` event (page clock, a capturing listener) to the first frame in which the cards
(``.carework-ready .widget-hbox``, the second) show another text. "Settled": to the last
websocket frame before 1 s without any (wall clock; the charts and tables redrawn). Bytes:
websocket frames received from the change until then; page MB after = page MB + those.

Server memory: after the preheated and reopened visits of a size, once idle, the total RSS of
the server's process tree (Voila + kernels, psutil) and the kernels alive (the pool holds
``pool_size`` per notebook; more means closed pages left kernels behind).

Where the time goes (``--breakdown warm cold``; default warm, ``--breakdown`` alone skips it):
each notebook's dashboard cells (those the template shows: ``analyst`` cells left out)
executed by nbclient in a subprocess with the server's environment, with the benchmark's
cache (warm, after the visits) or an empty one (cold): kernel start
(``NotebookClient.setup_kernel``: start and wait until ready), imports (two added first
cells: one wraps the functions timed below, importing ``carework.cache``, ``carework.text``
and matplotlib, one imports ipywidgets, ``matplotlib.pyplot`` and ``carework.dashboards``),
then each dashboard cell's wall time; inside them
the time spent in ``carework.cache.cached_base`` and ``carework.cache.derived`` (wrapped before
the dashboards import them; outermost calls only), in matplotlib's ``print_figure`` (charts to
PNG) and in ``carework.text.default_classifier`` (the complaint classifier, trained once per
process). Without a browser and without Voila's own rendering of the outputs: a lower bound
of what a kernel does before a page can show.

The machines are noisy (2 cores, shared): every figure comes from one run, the situations of a
size run back to back, and the load average is printed at the start and the end.

Run: ``.venv/bin/python benchmarks/bench_dashboards.py [--sizes sample 30000]
[--notebooks 00_home 02_churn] [--breakdown warm cold] [--pool-size 2] [--no-cold]
[--json out.json]``. Prints markdown tables; writes nothing in the repository (logs of the
servers in /tmp/carework_bench_dash/logs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
SAMPLE = REPO / "data" / "sample"
ROOT = Path("/tmp/carework_bench_dash")
SEED = 11
LANG = "vi"
DEFAULT_NOTEBOOKS = ("00_home", "01_segmentation", "02_churn", "03_survey_kpis")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY = "carework-ready"  # carework.dashboards.common.READY
HOME = "carework-home"  # carework.dashboards.home.HOME: the home page has no chart
VISIT_TIMEOUT_S = 240
IDLE_CORES = 0.05
TARGETS = {"preheated_first_widget_s": 3.0, "reopened_s": 2.0, "filter_s": 1.0, "page_mb": 2.0}

PROBE = """
(() => {
  const cw = window.__cwbench = {first_widget: null, ready: null, chart: null, change: null,
                                 changed: null, before: null, socket: null};
  document.addEventListener("change", () => { cw.change = performance.now(); }, true);
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      if (cw.socket === null) { cw.socket = performance.now(); }
    }
  };
  function shown(e) { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  function cards() { return document.querySelectorAll(".__READY__ .widget-hbox")[1]; }
  function tick() {
    const now = performance.now();
    if (cw.first_widget === null) {
      for (const e of document.querySelectorAll(".jupyter-widgets")) {
        if (shown(e)) { cw.first_widget = now; break; }
      }
    }
    const root = document.querySelector(".__READY__");
    if (root && cw.ready === null) { cw.ready = now; }
    if (root && cw.chart === null) {
      const img = root.querySelector("img");
      if (root.classList.contains("__HOME__")
          || (img && img.complete && img.naturalWidth > 0)) { cw.chart = now; }
    }
    if (cw.before !== null && cw.changed === null) {
      const e = cards();
      if (e && e.innerText !== cw.before) { cw.changed = now; }
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
""".replace("__READY__", READY).replace("__HOME__", HOME)


# --- the code measured ----------------------------------------------------------------------

def snapshot(folder: Path) -> Path:
    """A copy of ``carework/`` and the notebooks in ``folder``, put first on the path of this
    process and of every process it starts: the code stays the same during the run while
    others edit the working tree (the results cache is keyed by the code's hash)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    shutil.copytree(REPO / "carework", folder / "carework", ignore=skip)
    (folder / "notebooks").mkdir()
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy2(notebook, folder / "notebooks" / notebook.name)
    return folder


def use_tree(tree: Path) -> None:
    """Import carework from ``tree`` here and in every child (``PYTHONPATH``)."""
    global NOTEBOOKS
    NOTEBOOKS = tree / "notebooks"
    sys.path.insert(0, str(tree))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(tree), os.environ.get("PYTHONPATH")) if p)


# --- data ----------------------------------------------------------------------------------

def generate_worker(customers: int, folder: str) -> dict[str, object]:
    """Generate ``customers`` with this tree's generator and write them into ``folder``."""
    from carework.sample import generate, write

    start = time.perf_counter()
    data = generate(customers=customers, seed=SEED)
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    write(data, folder)
    return {"customers": customers, "seed": SEED, "generate_s": generate_s,
            "write_s": time.perf_counter() - start,
            "rows": {name: len(frame) for name, frame in data.tables().items()}}


def ensure_data(size: str) -> Path:
    """The data folder of ``size`` ("sample" or a number of customers), generated once."""
    if size == "sample":
        return SAMPLE
    folder = ROOT / size
    if (folder / "bench_meta.json").exists():
        meta = json.loads((folder / "bench_meta.json").read_text(encoding="utf-8"))
        if meta.get("seed") == SEED:
            return folder
    partial = ROOT / f"{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True)
    print(f"generating {int(size):,} customers into {folder} ...", file=sys.stderr, flush=True)
    meta = _child(["--generate", size, str(partial)], os.environ | {"TQDM_DISABLE": "1"})
    (partial / "bench_meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    partial.rename(folder)
    return folder


def _child(args: list[str], env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], env=env,
                          capture_output=True, text=True, cwd="/tmp", check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"worker {args} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def empty_cache(folder: Path) -> Path:
    """``folder`` emptied and private (mode 0700: the results cache reads no other)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    folder.chmod(0o700)
    return folder


def code_version() -> str:
    """carework's code hash, which keys the cache (others editing carework change it)."""
    from carework.cache import code_version as version

    version.cache_clear()
    return version()


# --- the server ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A dashboard server in its own process group, with its process tree's CPU and RSS."""

    def __init__(self, data: Path, cache: Path, *, preheat: bool, log: Path,
                 pool_size: int | None = None) -> None:
        import dataclasses

        import psutil

        from carework.io import read_settings
        from carework.serve import voila_command, voila_env

        self.settings = read_settings(data).dashboards
        if pool_size is not None:
            self.settings = dataclasses.replace(self.settings, pool_size=pool_size)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = voila_env(data, LANG) | {"CAREWORK_CACHE": str(cache), "TQDM_DISABLE": "1"}
        self.command = voila_command(NOTEBOOKS, port=self.port, preheat=preheat,
                                     settings=self.settings)
        self.pool = self.settings.pool_size if preheat else 0
        self.started = time.perf_counter()
        with log.open("wb") as out:
            self.process = subprocess.Popen(self.command, env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.proc = psutil.Process(self.process.pid)
        self.log = log
        self._wait_listening()

    def _wait_listening(self, timeout: float = 90) -> None:
        """Until the server answers HTTP (a path that renders nothing: no kernel is used)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/favicon.ico", timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # an answer (404): listening
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"Voila did not answer on {self.base}:\n"
                                 f"{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def url(self, notebook: str) -> str:
        return f"{self.base}/voila/render/{notebook}.ipynb"

    def tree(self) -> list:
        import psutil

        try:
            return [self.proc, *self.proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self) -> list:
        out = []
        for proc in self.tree()[1:]:
            with contextlib.suppress(Exception):
                if any("ipykernel" in part for part in proc.cmdline()):
                    out.append(proc)
        return out

    def cpu(self) -> dict[int, float]:
        out = {}
        for proc in self.tree():
            with contextlib.suppress(Exception):
                times = proc.cpu_times()
                out[proc.pid] = times.user + times.system
        return out

    def wait_idle(self, *, after: float = 2.5, kernels: int = 0, timeout: float = 600) -> float:
        """Seconds until the process tree is idle (see the module's docstring)."""
        start = time.perf_counter()
        time.sleep(after)
        quiet, before = 0, self.cpu()
        while time.perf_counter() - start < timeout:
            time.sleep(1.0)
            now = self.cpu()
            used = sum(max(cpu - before.get(pid, 0.0), 0.0) for pid, cpu in now.items())
            before = now
            enough = len(self.kernels()) >= kernels
            quiet = quiet + 1 if used < IDLE_CORES and enough else 0
            if quiet >= 2:
                return time.perf_counter() - start
        print(f"warning: server not idle after {timeout:.0f} s", file=sys.stderr, flush=True)
        return time.perf_counter() - start

    def memory(self) -> dict[str, float]:
        rss = 0
        for proc in self.tree():
            with contextlib.suppress(Exception):
                rss += proc.memory_info().rss
        return {"rss_gib": rss / 1024 ** 3, "kernels": len(self.kernels()),
                "processes": len(self.tree())}

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # kernels left in the group
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


@contextlib.contextmanager
def server(data: Path, cache: Path, *, preheat: bool, log: Path,
           pool_size: int | None = None) -> Iterator[Server]:
    running = Server(data, cache, preheat=preheat, log=log, pool_size=pool_size)
    try:
        yield running
    finally:
        running.stop()


# --- the browser ---------------------------------------------------------------------------

class Visit:
    """One page: its websocket bytes, its requests, its timings."""

    def __init__(self, context) -> None:  # noqa: ANN001 — a Playwright BrowserContext
        self.page = context.new_page()
        self.ws_bytes = 0
        self.last_frame = time.perf_counter()
        self.requests: list = []
        self.page.on("websocket", self._socket)
        self.page.on("requestfinished", lambda request: self.requests.append(request))
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _socket(self, ws) -> None:  # noqa: ANN001
        ws.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)
        self.last_frame = time.perf_counter()

    def open(self, url: str) -> dict[str, object]:
        response = self.page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_S * 1000)
        self.page.wait_for_function("() => window.__cwbench && window.__cwbench.chart !== null",
                                    timeout=VISIT_TIMEOUT_S * 1000)
        ws_bytes = self.ws_bytes
        marks = self.page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {...window.__cwbench, response_end: n.responseEnd,"
            " loaded: n.loadEventEnd}; }")
        html = len(response.body())
        static = 0
        for request in list(self.requests):
            if request.resource_type != "document":
                with contextlib.suppress(Exception):
                    static += max(request.sizes()["responseBodySize"], 0)  # -1: from cache
        return {"html_s": marks["response_end"] / 1000, "loaded_s": marks["loaded"] / 1000,
                "socket_s": None if marks["socket"] is None else marks["socket"] / 1000,
                "first_widget_s":
                marks["first_widget"] / 1000, "ready_s": marks["ready"] / 1000,
                "full_s": marks["chart"] / 1000, "html_bytes": html, "ws_bytes": ws_bytes,
                "page_mb": (html + ws_bytes) / 1e6, "static_mb": static / 1e6,
                "status": response.status}

    def filter_change(self, label: str, value: str) -> dict[str, object]:
        """Select ``value`` in the filter bar's dropdown labelled ``label``."""
        cards = self.page.locator(f".{READY} .widget-hbox >> nth=1")
        self.page.evaluate("([before]) => { const cw = window.__cwbench; cw.before = before;"
                           " cw.changed = null; cw.change = null; }", [cards.inner_text()])
        start_bytes = self.ws_bytes
        select = self.page.locator(".carework-filters .widget-dropdown",
                                   has_text=label).locator("select")
        select.select_option(label=value)
        self.page.wait_for_function("() => window.__cwbench.changed !== null",
                                    timeout=VISIT_TIMEOUT_S * 1000)
        changed_bytes = self.ws_bytes - start_bytes
        changed_at = time.perf_counter()
        while time.perf_counter() - self.last_frame < 1.0 and \
                time.perf_counter() - changed_at < 60:
            self.page.wait_for_timeout(100)
        marks = self.page.evaluate("() => window.__cwbench")
        return {"shown_s": (marks["changed"] - marks["change"]) / 1000,
                "settled_s": max(self.last_frame - changed_at, 0.0)
                + (marks["changed"] - marks["change"]) / 1000,
                "shown_mb": changed_bytes / 1e6, "settled_mb": (self.ws_bytes - start_bytes) / 1e6}

    def close(self) -> None:
        self.page.close(run_before_unload=True)


def new_context(browser):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PROBE)
    return context


# --- one size --------------------------------------------------------------------------------

def run_size(browser, size: str, notebooks: list[str], logs: Path,  # noqa: ANN001
             pool_size: int | None = None, cold: bool = True) -> dict[str, object]:
    from carework.i18n import t

    data = ensure_data(size)
    cache = ROOT / "cache"
    rows: list[dict[str, object]] = []
    out: dict[str, object] = {"size": size, "data": str(data), "rows": rows,
                              "code_start": code_version()}

    def record(notebook: str, situation: str, result: dict[str, object]) -> None:
        result.update(notebook=notebook, size=size, situation=situation)
        rows.append(result)
        print(json.dumps(result), flush=True)

    for notebook in notebooks if cold else ():  # a fresh server, an empty cache, a fresh context
        empty_cache(cache)
        with server(data, cache, preheat=False, log=logs / f"{size}-{notebook}-cold.log") as srv:
            context = new_context(browser)
            visit = Visit(context)
            try:
                record(notebook, "cold", visit.open(srv.url(notebook)))
            except Exception as exc:  # noqa: BLE001 — a failed visit is a row to report
                record(notebook, "cold", {"error": f"{type(exc).__name__}: {exc}"[:300]})
            visit.close()
            context.close()

    # the cache is warm for every notebook measured; the pool warms up every notebook
    with server(data, cache, preheat=True, log=logs / f"{size}-preheated.log",
                pool_size=pool_size) as srv:
        expected = srv.pool * len(list(NOTEBOOKS.glob("*.ipynb")))
        srv.wait_idle(after=2.5, kernels=expected)
        out["pool_ready_s"] = time.perf_counter() - srv.started  # the 2 quiet seconds included
        out["pool_kernels"] = expected
        for notebook in notebooks:
            srv.wait_idle()
            context = new_context(browser)
            visit = Visit(context)
            try:
                record(notebook, "preheated", visit.open(srv.url(notebook)))
                visit.close()
                visit = Visit(context)
                record(notebook, "reopened", visit.open(srv.url(notebook)))
                if notebook == "02_churn":
                    srv.wait_idle()
                    change = visit.filter_change(t("filter.channel", lang=LANG),
                                                 t("value.online", lang=LANG))
                    change["page_mb"] = rows[-1]["page_mb"]
                    out["filter"] = change
                    print(json.dumps({"filter": change}), flush=True)
            except Exception as exc:  # noqa: BLE001
                record(notebook, "failed", {"error": f"{type(exc).__name__}: {exc}"[:300]})
            visit.close()
            context.close()
        srv.wait_idle()
        out["memory"] = srv.memory()
        out["settings"] = {"pool_size": srv.settings.pool_size,
                           "cull_idle_minutes": srv.settings.cull_idle_minutes}
    out["code_end"] = code_version()
    return out


# --- where the time goes ---------------------------------------------------------------------

INSTRUMENT = """
import json as _json, time as _time, functools as _functools
import carework.cache as _cache, carework.text as _text
from matplotlib.backend_bases import FigureCanvasBase as _Canvas
_bench = {"cached_base": 0.0, "derived": 0.0, "charts": 0.0, "classifier": 0.0}
_inside = []
def _timed(function, key, nested):
    @_functools.wraps(function)
    def inner(*args, **kwargs):
        outer = not (nested and _inside)
        _inside.append(key) if nested else None
        start = _time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _inside.pop() if nested else None
            if outer:
                _bench[key] += _time.perf_counter() - start
                _bench[key + "_n"] = _bench.get(key + "_n", 0) + 1
    return inner
_cache.cached_base = _timed(_cache.cached_base, "cached_base", True)
_cache.derived = _timed(_cache.derived, "derived", True)
_Canvas.print_figure = _timed(_Canvas.print_figure, "charts", False)
_text.default_classifier = _timed(_text.default_classifier, "classifier", False)
"""
IMPORTS = "import ipywidgets, matplotlib.pyplot\nfrom carework import dashboards"
REPORT = "_bench['carework'] = _cache.__file__\nprint(_json.dumps(_bench))"


def breakdown_worker(path: str) -> dict[str, object]:
    """Execute the dashboard cells of the notebook at ``path`` with nbclient, timing kernel
    start and cells."""
    import nbformat
    from nbclient import NotebookClient

    notebook = Path(path)
    source = nbformat.read(notebook, as_version=4)
    cells = [cell for cell in source.cells if cell.cell_type == "code"
             and "analyst" not in cell.get("metadata", {}).get("tags", [])]
    new = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[new(INSTRUMENT), new(IMPORTS), *cells, new(REPORT)],
                                  metadata=source.metadata)
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    out: dict[str, object] = {"notebook": notebook.stem, "cells_s": []}
    start = time.perf_counter()
    with client.setup_kernel():
        out["kernel_s"] = time.perf_counter() - start
        for index, cell in enumerate(nb.cells):
            start = time.perf_counter()
            client.execute_cell(cell, index)
            out["cells_s"].append(time.perf_counter() - start)
    errors = [o for cell in nb.cells for o in cell.outputs if o.output_type == "error"]
    if errors:
        out["error"] = f"{errors[0].ename}: {errors[0].evalue}"[:300]
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    out["inside"] = json.loads(text.strip().splitlines()[-1])
    out["instrument_s"] = out["cells_s"][0]  # imports carework.cache, carework.text, matplotlib
    out["imports_s"] = out["cells_s"][0] + out["cells_s"][1]
    out["dashboard_cells_s"] = out["cells_s"][2:-1]
    return out


def breakdown(size: str, notebook: str, cache: Path) -> dict[str, object]:
    from carework.serve import voila_env

    env = voila_env(ensure_data(size), LANG) | {"CAREWORK_CACHE": str(cache), "TQDM_DISABLE": "1"}
    try:
        return _child(["--breakdown-worker", str(NOTEBOOKS / f"{notebook}.ipynb")], env)
    except SystemExit as exc:
        return {"notebook": notebook, "error": str(exc)[-300:]}


# --- report ----------------------------------------------------------------------------------

def _f(value: object, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def size_label(size: str) -> str:
    return "sample" if size == "sample" else f"{int(size):,}"


def report(sizes: list[dict[str, object]], breakdowns: list[dict[str, object]],
           load_start: tuple[float, ...], started: float) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}; load average "
          f"{', '.join(f'{x:.1f}' for x in load_start)} at the start, {load} at the end; "
          f"{(time.perf_counter() - started) / 60:.1f} min in all.")
    pools = sorted({block.get("settings", {}).get("pool_size") for block in sizes} - {None})
    print(f"Preheated servers: pool_size {', '.join(map(str, pools)) or '—'} per notebook, "
          f"every notebook of the folder preheated; page and browser clocks, MB = 10⁶ bytes.")
    print()
    print("| notebook | data | situation | HTML s | page loaded s | kernel socket s | "
          "first widget s | full render s | page MB | static MB | target |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for block in sizes:
        for r in block["rows"]:
            head = f"| {r['notebook']} | {size_label(r['size'])} | {r['situation']} |"
            if "error" in r:
                print(f"{head} failed: {r['error'][:100]} | | | | | | | |")
                continue
            target = ""
            if r["size"] == "sample" and r["situation"] == "preheated":
                target = (f"first widget < {TARGETS['preheated_first_widget_s']:.0f} s: "
                          f"{verdict(r['first_widget_s'] < TARGETS['preheated_first_widget_s'])}")
            elif r["size"] == "sample" and r["situation"] == "reopened":
                target = (f"reopen < {TARGETS['reopened_s']:.0f} s: "
                          f"{verdict(r['first_widget_s'] < TARGETS['reopened_s'])}")
            elif r["size"] != "sample":
                target = (f"page < {TARGETS['page_mb']:.0f} MB: "
                          f"{verdict(r['page_mb'] < TARGETS['page_mb'])}")
            print(f"{head} {r['html_s']:.2f} | {r['loaded_s']:.2f} | {_f(r['socket_s'])} | "
                  f"{r['first_widget_s']:.2f} | {r['full_s']:.2f} | "
                  f"{r['page_mb']:.2f} | {r['static_mb']:.1f} | {target} |")
    print()
    if any(block.get("filter") for block in sizes):
        print("Filter change on 02_churn (channel → online), on the reopened page once the server "
              "is idle:")
        print()
        print("| data | cards changed s | settled s | MB to the change | MB until settled | "
              "page MB before | page MB after | target |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for block in sizes:
            change = block.get("filter")
            if not change:
                continue
            target = "" if block["size"] == "sample" else (
                f"< {TARGETS['filter_s']:.0f} s: {verdict(change['shown_s'] < TARGETS['filter_s'])}"
                f"; page < {TARGETS['page_mb']:.0f} MB: "
                f"{verdict(change['page_mb'] + change['settled_mb'] < TARGETS['page_mb'])}")
            print(f"| {size_label(block['size'])} | {change['shown_s']:.2f} | "
                  f"{change['settled_s']:.2f} | {change['shown_mb']:.3f} | "
                  f"{change['settled_mb']:.3f} | {change['page_mb']:.2f} | "
                  f"{change['page_mb'] + change['settled_mb']:.2f} | {target} |")
        print()
    print("| data | pool ready after server start s | kernels alive after the visits | "
          "processes | server RSS GiB (Voila + kernels) | cache code unchanged |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for block in sizes:
        memory = block.get("memory", {})
        same = ("yes" if block["code_start"] == block.get("code_end")
                else "no: carework edited during the run")
        print(f"| {size_label(block['size'])} | {_f(block.get('pool_ready_s'), '.1f')} | "
              f"{memory.get('kernels', '—')} (pool {block.get('pool_kernels', '—')}) | "
              f"{memory.get('processes', '—')} | {_f(memory.get('rss_gib'))} | "
              f"{same} |")
    if not breakdowns:
        return
    print()
    print("Where the time goes (nbclient, dashboard cells only; s):")
    print()
    print("| notebook | data | cache | kernel start | imports | cell 0 (title, load_base) | "
          "of which cached_base | cell 1 (widgets) | of which derived | of which charts (n) | "
          "of which classifier | cell 2 (follow_url) | total |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: |")
    for b in breakdowns:
        head = f"| {b['notebook']} | {size_label(b['size'])} | {b['cache']} |"
        if "inside" not in b:
            print(f"{head} failed: {b.get('error', '?')[:100]} | | | | | | | | | |")
            continue
        cells = b["dashboard_cells_s"] + [None] * 3
        inside = b["inside"]
        total = b["kernel_s"] + b["imports_s"] + sum(b["dashboard_cells_s"])
        print(f"{head} {b['kernel_s']:.2f} | {b['imports_s']:.2f} | {_f(cells[0])} | "
              f"{inside['cached_base']:.2f} | {_f(cells[1])} | {inside['derived']:.2f} | "
              f"{inside['charts']:.2f} ({inside.get('charts_n', 0)}) | "
              f"{inside['classifier']:.2f} | {_f(cells[2])} | "
              f"{total:.2f} |" + (f" error: {b['error'][:80]}" if "error" in b else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["sample", "30000"],
                        help="'sample' and/or numbers of generated customers "
                             "(default: sample 30000)")
    parser.add_argument("--notebooks", nargs="+", default=None,
                        help="notebook names without .ipynb (default: "
                             + " ".join(DEFAULT_NOTEBOOKS) + ", those present)")
    parser.add_argument("--breakdown", nargs="*", choices=("warm", "cold"), default=["warm"],
                        help="time the cells with nbclient with the warm and/or an empty cache "
                             "(default: warm; no value: skip)")
    parser.add_argument("--pool-size", type=int, default=None,
                        help="preheated kernels per notebook (default: the data folder's "
                             "[dashboards] pool_size)")
    parser.add_argument("--no-cold", action="store_true",
                        help="skip the cold visits (the cache must then be warm already)")
    parser.add_argument("--live", action="store_true",
                        help="serve the working tree itself, not a copy taken at the start")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--generate", nargs=2, metavar=("N", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--breakdown-worker", metavar="NOTEBOOK", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate_worker(int(args.generate[0]), args.generate[1])))
        return
    if args.breakdown_worker:
        try:
            result = breakdown_worker(args.breakdown_worker)
        except Exception as exc:  # noqa: BLE001
            result = {"notebook": args.breakdown_worker, "error": f"{type(exc).__name__}: {exc}",
                      "traceback": traceback.format_exc(limit=-3)}
        print(json.dumps(result))
        return
    if not CHROMIUM.exists():
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    for size in args.sizes:
        if size != "sample" and not size.isdigit():
            raise SystemExit(f"--sizes: 'sample' or a number of customers, not {size!r}")
    names = args.notebooks or [n for n in DEFAULT_NOTEBOOKS
                               if (NOTEBOOKS / f"{n}.ipynb").exists()]
    names = [n.removesuffix(".ipynb") for n in names]
    missing = [n for n in names if not (NOTEBOOKS / f"{n}.ipynb").exists()]
    if missing:
        raise SystemExit(f"no such notebook in {NOTEBOOKS}: {missing}")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # servers stopped on the way out
    started, load_start = time.perf_counter(), os.getloadavg()
    ROOT.mkdir(parents=True, exist_ok=True)
    use_tree(REPO if args.live else snapshot(ROOT / "tree"))
    logs = ROOT / "logs"
    logs.mkdir(exist_ok=True)
    for size in args.sizes:
        ensure_data(size)
    from playwright.sync_api import sync_playwright

    sizes, breakdowns = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            for size in args.sizes:
                sizes.append(run_size(browser, size, names, logs, args.pool_size,
                                      cold=not args.no_cold))
                for cache in args.breakdown:
                    for notebook in names:  # warm: the cache the visits used
                        folder = ROOT / "cache" if cache == "warm" else empty_cache(
                            ROOT / "cache-cold")
                        result = breakdown(size, notebook, folder)
                        result.update(size=size, cache=cache)
                        breakdowns.append(result)
                        print(json.dumps(result), flush=True)
        finally:
            browser.close()
    if args.json:
        args.json.write_text(json.dumps({"sizes": sizes, "breakdowns": breakdowns}, indent=1),
                             encoding="utf-8")
    report(sizes, breakdowns, load_start, started)


if __name__ == "__main__":
    main()
