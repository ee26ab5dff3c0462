"""Serve the notebooks as Voila dashboards: on this computer, or shared with the team.

One Voila server serves the whole ``notebooks/`` folder; each notebook is a dashboard at
``http://HOST:PORT/voila/render/<name>.ipynb`` and ``/`` opens the home dashboard
(``00_home.ipynb``). ``make dashboards``, the ``carework dashboards`` command and the browser
tests all start it through :func:`voila_command` and :func:`voila_env`, so they serve the same
thing: Voila 0.5 run as :func:`main` (``python -m carework.serve``), which is Voila with three
of its handlers changed.

Choices:

* **Loopback unless asked.** The server binds ``127.0.0.1``: nobody else on the network can
  open the dashboards (they show customer data) and no login is asked. Bound anywhere else
  (``--host 0.0.0.0``) it needs a token (:func:`login_token`): ``CAREWORK_TOKEN``, ``--token``
  or a generated one, printed in the addresses to send. An empty token off loopback is refused.
* **A closed tab stops its kernel.** Voila's page posts ``voila/api/shutdown/<kernel>`` from
  ``beforeunload`` with the ``_xsrf`` cookie, which Voila 0.5 standalone never sets: the post was
  refused (403, "'_xsrf' argument missing") and every visit left a kernel (about 400 MB) behind.
  The dashboard handler sets the cookie, so the check passes; XSRF protection stays on. The
  template sends the same request from ``pagehide`` too (once per page).
* **Idle kernels are culled** after ``[dashboards] cull_idle_minutes`` with no tab connected
  (jupyter_server's culler): the safety net for a tab that died without a word. Kernels
  connected to an open tab are kept (a manager back from lunch finds a working page); the
  preheated pool is never culled (Voila's kernel manager skips it), and a kernel taken from it
  counts its idle time from the visit, not from its warm-up.
* **Preheated kernels.** Each notebook is executed ahead of the next visitor
  (``[dashboards] pool_size`` kernels per notebook in reserve, refilled after each visit), which
  brings the time to usable widgets from about 6 s to about 2 s.
* **Never the file list.** ``/`` and ``/voila/tree...`` redirect to the home dashboard (the
  first notebook when there is no ``00_home.ipynb``), with their query string.
* **Offline.** carework's own Voila template (``carework/share/jupyter/voila/templates/
  carework``, found through ``JUPYTER_PATH``) is the ``lab`` template without the Font Awesome
  links it loads from a CDN, so a page asks for nothing beyond its server.
* **No tracebacks.** Voila's ``show_tracebacks`` stays off; dashboards show data problems
  themselves (:func:`carework.dashboards.load_data`).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carework.i18n import t

if TYPE_CHECKING:
    from carework.settings import DashboardSettings

TEMPLATE = "carework"
SHARE = Path(__file__).resolve().parent / "share" / "jupyter"
HOST = "127.0.0.1"
HOME = "00_home.ipynb"
TOKEN_ENV = "CAREWORK_TOKEN"
"""The login token, from the user to :func:`serve` and from :func:`voila_env` to :func:`main`
(which takes it out of the environment: kernels and ``ps`` never see it)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this computer only (``127.x.x.x``, ``::1``,
    ``localhost``).

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("192.168.1.20")
    (True, False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def login_token(host: str, token: str | None = None) -> str | None:
    """The token visitors must give, or ``None`` for no login.

    ``token`` is ``--token``; when it is ``None``, ``CAREWORK_TOKEN`` counts. On loopback no token
    is needed (one given is still required). Off loopback, without either, a random token is
    generated; an empty one is refused: anyone on the network could open the dashboards.

    Raises
    ------
    carework.DataError
        ``host`` is not loopback and the token given is empty.
    """
    if token is None:
        token = os.environ.get(TOKEN_ENV)
    if is_loopback(host):
        return token or None
    if token is None:
        return secrets.token_urlsafe(24)
    if not token.strip():
        from carework.errors import data_error

        raise data_error("err.serve.empty_token", host=host)
    return token


def home_notebook(notebook_dir: Path | str) -> str | None:
    """The notebook ``/`` opens: ``00_home.ipynb``, else the first by name (``None``: none)."""
    folder = Path(notebook_dir)
    if (folder / HOME).is_file():
        return HOME
    names = sorted(nb.name for nb in folder.glob("*.ipynb"))
    return names[0] if names else None


def voila_command(notebook_dir: Path, *, port: int, ip: str = HOST, open_browser: bool = False,
                  preheat: bool = True, settings: DashboardSettings | None = None) -> list[str]:
    """The command line that serves ``notebook_dir`` with carework's template on ``ip:port``.

    ``preheat`` keeps ``settings.pool_size`` kernels per notebook running the notebook ahead of
    the next visitor, so a dashboard opens with its widgets ready instead of waiting for a kernel
    to start. ``settings`` (``[dashboards]``, defaults when ``None``) also sets when idle kernels
    are culled. The login token travels in the environment (:func:`voila_env`).
    """
    from carework.settings import DashboardSettings

    settings = settings or DashboardSettings()
    pool = settings.pool_size if preheat else 0
    command = [sys.executable, "-m", "carework.serve", str(notebook_dir), f"--port={port}",
               f"--Voila.ip={ip}", f"--template={TEMPLATE}", "--show_tracebacks=False",
               "--Voila.log_level=WARN", f"--preheat_kernel={pool > 0}", f"--pool_size={pool}",
               f"--MappingKernelManager.cull_idle_timeout={settings.cull_idle_seconds}",
               f"--MappingKernelManager.cull_interval={settings.cull_interval_seconds}",
               "--MappingKernelManager.cull_connected=False"]
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_env(data_dir: Path | str | None = None, language: str | None = None,
              token: str | None = None) -> dict[str, str]:
    """The environment for the server and its kernels.

    Adds carework's template folder to ``JUPYTER_PATH``, sets ``CAREWORK_DATA`` (an absolute
    path: kernels run in the notebooks' folder) and ``CAREWORK_LANG`` when given,
    ``TQDM_DISABLE=1``, and ``CAREWORK_TOKEN`` to ``token`` (removed when ``None``: no login).
    """
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH")) if p)
    if data_dir is not None:
        env["CAREWORK_DATA"] = str(Path(data_dir).expanduser().resolve())
    if language is not None:
        env["CAREWORK_LANG"] = language
    env["TQDM_DISABLE"] = "1"
    env.pop(TOKEN_ENV, None)
    if token:
        env[TOKEN_ENV] = token
    return env


def dashboard_urls(notebook_dir: Path, port: int, ip: str = HOST) -> list[str]:
    """The address of each notebook's dashboard."""
    return [f"http://{ip}:{port}/voila/render/{nb.name}"
            for nb in sorted(Path(notebook_dir).glob("*.ipynb"))]


def share_hosts(host: str) -> list[str]:
    """The names others can reach a server bound to ``host`` by: for ``0.0.0.0`` (``::``, ``""``)
    this computer's address on the network it routes through, and its name; else ``host``."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"[{host}]" if ":" in host else host]
    hosts = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: no packet is sent
            hosts.append(probe.getsockname()[0])
    except OSError:  # no network route
        pass
    hosts.append(socket.gethostname())
    return [h for h in dict.fromkeys(hosts) if not is_loopback(h)] or ["127.0.0.1"]


def serve(notebook_dir: Path, *, port: int = 8866, host: str = HOST, token: str | None = None,
          data_dir: Path | str | None = None, language: str | None = None,
          preheat: bool = True) -> int:
    """Serve the dashboards in the foreground until Ctrl-C; returns the server's exit code.

    ``host`` other than loopback shares them with the network, behind a token
    (:func:`login_token`: ``token``, else ``CAREWORK_TOKEN``, else generated). The data folder's
    ``[dashboards]`` settings say how many kernels are kept warm and when idle ones are culled.
    With ``preheat`` a dashboard shows the data as loaded when its kernel was warmed up (each
    dashboard says when); ``preheat=False`` loads the data at every visit.

    Raises
    ------
    carework.DataError
        An empty token off loopback, or the data folder's ``carework.toml`` makes no sense.
    """
    from carework.io import default_folder, read_settings

    given = token if token is not None else os.environ.get(TOKEN_ENV)
    token = login_token(host, token)
    settings = read_settings(Path(data_dir) if data_dir is not None else default_folder())
    if is_loopback(host):
        print(t("serve.urls"))
        for url in dashboard_urls(notebook_dir, port, host):
            print(f"  {url}")
    else:
        print(t("serve.shared"))
        query = f"?token={token}" if token and not given else ""
        for name in share_hosts(host):
            print(f"  http://{name}:{port}/{query}")
    if token:
        print(t("serve.login.given") if given else t("serve.login.generated", token=token))
    print(t("serve.stop"), flush=True)
    command = voila_command(notebook_dir, port=port, ip=host, preheat=preheat,
                            settings=settings.dashboards)
    process = subprocess.Popen(command, env=voila_env(data_dir, language, token))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0


# ------------------------------------------------------------------------------ the server

def voila_app() -> type:
    """Voila's application with carework's handlers (imported only by the server process).

    * the dashboard page sets the ``_xsrf`` cookie that the page's shutdown request sends back;
    * ``/``, ``/voila/`` and ``/voila/tree...`` redirect to :func:`home_notebook`;
    * the contents API behind Voila's file list is not served.
    """
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_escape, url_path_join
    from tornado import web
    from voila.app import Voila
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class DashboardHandler(TornadoVoilaHandler):
        """A dashboard page that also sets the ``_xsrf`` cookie (once per browser)."""

        async def prepare(self) -> None:
            await super().prepare()
            if not self._finished:  # not redirected to the login page
                _ = self.xsrf_token  # sets the cookie the page's shutdown request sends back

    class HomeHandler(JupyterHandler):
        """Redirects to the home dashboard, keeping the query string."""

        def initialize(self, notebook_dir: str) -> None:
            self.notebook_dir = notebook_dir

        @web.authenticated
        def get(self, path: str = "") -> None:
            name = home_notebook(self.notebook_dir)
            if name is None:
                raise web.HTTPError(404)
            url = url_path_join(self.base_url, "voila/render", url_escape(name))
            self.redirect(f"{url}?{self.request.query}" if self.request.query else url)

    class CareworkVoila(Voila):
        """Voila with :class:`DashboardHandler` and :class:`HomeHandler`."""

        def init_handlers(self) -> list[Any]:
            home = (HomeHandler, {"notebook_dir": self.root_dir})
            handlers: list[Any] = [(url_path_join(self.server_url, "/voila/?"), *home)]
            for pattern, handler, *options in super().init_handlers():
                if handler is TornadoVoilaTreeHandler:
                    handlers.append((pattern, *home))
                elif handler is TornadoVoilaHandler:
                    handlers.append((pattern, DashboardHandler, *options))
                elif handler is not VoilaContentsHandler:
                    handlers.append((pattern, handler, *options))
            return handlers

    return CareworkVoila


def main(argv: list[str] | None = None) -> None:
    """Run the dashboard server: Voila's command line (:func:`voila_command` writes it), with
    the token taken from ``CAREWORK_TOKEN`` (and removed from the environment)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    token = os.environ.pop(TOKEN_ENV, "")
    if token:
        argv.append(f"--Voila.token={token}")
    voila_app().launch_instance(argv=argv)


if __name__ == "__main__":
    main()
