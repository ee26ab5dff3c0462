"""Serve the notebooks as Voila dashboards, on this computer only.

One Voila server serves the whole ``notebooks/`` folder; each notebook is a dashboard at
``http://127.0.0.1:PORT/voila/render/<name>.ipynb``. ``make dashboards``, the ``carework
dashboards`` command and the browser tests all start Voila through :func:`voila_command` and
:func:`voila_env`, so they serve the same thing.

Choices:

* **Loopback only.** Voila binds ``127.0.0.1``; nobody else on the network can open the
  dashboards (they show customer data). Without a token, any local user can.
* **Offline.** carework's own Voila template (``carework/share/jupyter/voila/templates/
  carework``, found through ``JUPYTER_PATH``) is the ``lab`` template without the Font Awesome
  links it loads from a CDN, so a page asks for nothing beyond 127.0.0.1.
* **Preheated kernels.** Each notebook is executed ahead of the next visitor (one kernel per
  notebook in reserve), which brings the time to usable widgets from about 6 s to about 2 s.
* **No tracebacks.** Voila's ``show_tracebacks`` stays off; dashboards show data problems
  themselves (:func:`carework.dashboards.load_data`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from carework.i18n import t

TEMPLATE = "carework"
SHARE = Path(__file__).resolve().parent / "share" / "jupyter"
HOST = "127.0.0.1"


def voila_command(notebook_dir: Path, *, port: int, ip: str = HOST, open_browser: bool = False,
                  preheat: bool = True) -> list[str]:
    """The command line that serves ``notebook_dir`` with carework's template on ``ip:port``.

    ``preheat`` keeps one kernel per notebook running the notebook ahead of the next visitor,
    so a dashboard opens with its widgets ready instead of waiting for a kernel to start.
    """
    command = [sys.executable, "-m", "voila", str(notebook_dir), f"--port={port}",
               f"--Voila.ip={ip}", f"--template={TEMPLATE}", "--show_tracebacks=False",
               "--Voila.log_level=WARN", f"--preheat_kernel={preheat}", "--pool_size=1"]
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_env(data_dir: Path | str | None = None, language: str | None = None) -> dict[str, str]:
    """The environment for Voila and its kernels.

    Adds carework's template folder to ``JUPYTER_PATH``, sets ``CAREWORK_DATA`` (an absolute
    path: kernels run in the notebooks' folder) and ``CAREWORK_LANG`` when given, and
    ``TQDM_DISABLE=1``.
    """
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH")) if p)
    if data_dir is not None:
        env["CAREWORK_DATA"] = str(Path(data_dir).expanduser().resolve())
    if language is not None:
        env["CAREWORK_LANG"] = language
    env["TQDM_DISABLE"] = "1"
    return env


def dashboard_urls(notebook_dir: Path, port: int, ip: str = HOST) -> list[str]:
    """The address of each notebook's dashboard."""
    return [f"http://{ip}:{port}/voila/render/{nb.name}"
            for nb in sorted(Path(notebook_dir).glob("*.ipynb"))]


def serve(notebook_dir: Path, *, port: int = 8866, data_dir: Path | str | None = None,
          language: str | None = None, preheat: bool = True) -> int:
    """Serve the dashboards in the foreground until Ctrl-C; returns Voila's exit code.

    With ``preheat`` a dashboard shows the data as loaded when its kernel was warmed up (each
    dashboard says when); ``preheat=False`` loads the data at every visit.
    """
    print(t("serve.urls"))
    for url in dashboard_urls(notebook_dir, port):
        print(f"  {url}")
    print(t("serve.stop"), flush=True)
    process = subprocess.Popen(voila_command(notebook_dir, port=port, preheat=preheat),
                               env=voila_env(data_dir, language))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0
