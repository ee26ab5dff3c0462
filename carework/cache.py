"""The results cache: the customer base and what is computed from it, kept on disk per data,
settings and code, shared by every dashboard kernel.

Opening a dashboard used to load the files, fit the models and cluster the customers again in
each kernel (6–27 s). Now the first kernel to need a result computes it and writes it here;
every other kernel, and every later visit, reads it (0.1 s at 30,000 customers).

What makes a result's key (any change gives a new key, so nothing stale is ever read):

* **the data**: the source's path and, for each file in the folder (or the database file), its
  name, size and modification time;
* **the settings**: ``carework.toml`` is a file of the folder, and the settings given on top
  (:meth:`carework.settings.Settings.fingerprint`) are part of the key;
* **the day**: the as-of date asked (``CAREWORK_AS_OF``), forcing the models
  (``CAREWORK_FORCE``) and today's date (staleness warnings depend on it);
* **the code**: a hash of carework's own source files, so an upgrade never reads old results.

When a folder's files change, the results of its previous state are deleted as the new ones are
written; the whole cache is also kept under ``[dashboards] cache_megabytes`` by deleting the
least recently used entries.

Safety: entries are Python pickles, written and read only by carework, in a folder only its
owner can open (mode 0700: ``CAREWORK_CACHE``, else ``$XDG_CACHE_HOME/carework``, else
``~/.cache/carework``). A folder that another user owns or can write to is never read (the
results are then computed in memory, as without a cache); ``CAREWORK_CACHE=off`` turns the
cache off. A derived result (a segmentation, a KPI report, a model fit) is pickled with
references to its base instead of a copy of it, so all results read in one kernel describe
the very same customers.

Examples
--------
>>> from carework import cache
>>> base = cache.cached_base("data/sample")                          # doctest: +SKIP
>>> report = cache.derived(base, "kpis", lambda: kpi_report(base, "month"),
...                        period="month")                           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import logging
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase

T = TypeVar("T")
CACHE_ENV = "CAREWORK_CACHE"
OFF = {"off", "0", "no", "false", "none"}
SUFFIX = ".pickle"
log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------ folder

def cache_folder() -> Path | None:
    """The cache folder (created, mode 0700), or ``None`` when the cache is off or the folder
    is not private to this user (then nothing is read from or written to it)."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env.lower() in OFF:
        return None
    if env:
        folder = Path(env).expanduser()
    else:
        root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(root) / "carework"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as exc:
        log.warning("results cache off: %s cannot be used (%s)", folder, exc.strerror)
        return None
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("results cache off: %s is not private to this user (owner and mode 0700 "
                    "needed)", folder)
        return None
    return folder


@functools.cache
def code_version() -> str:
    """A hash of carework's source and data files (the comment model and its corpus
    included): results cached by other code are never read."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".toml", ".json", ".npz", ".csv", ".txt"} \
                and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_fingerprint(source: Path) -> str:
    """The source's path and each of its files' name, size and modification time."""
    digest = hashlib.sha256(str(source.resolve()).encode())
    paths = sorted(p for p in source.iterdir()) if source.is_dir() else [source]
    for path in paths:
        with contextlib.suppress(OSError):
            info = path.stat()
            if stat.S_ISREG(info.st_mode):
                digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:24]


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


# ------------------------------------------------------------------------------------ entries

@contextlib.contextmanager
def _locked(folder: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock on ``name`` (kernels starting together wait for the first)."""
    with open(folder / f"{name}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BufferedIOBase, shared: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj: object) -> str | None:
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BufferedIOBase, shared: dict[str, object]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: str) -> object:
        return self.shared[pid]


def _shared(base: CustomerBase | None) -> dict[str, object]:
    """The base and its parts, referenced (not copied) by the results derived from it."""
    if base is None:
        return {}
    parts = {"base": base, "data": base.data, "source": base.source, "table": base.table,
             "profile": base.profile, "summary": base.summary, "settings": base.settings}
    return {name: value for name, value in parts.items() if value is not None}


def _read(path: Path, base: CustomerBase | None = None) -> Any:
    try:
        with path.open("rb") as handle:
            value = _Unpickler(handle, _shared(base)).load()
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 — a damaged entry is recomputed, never trusted
        log.warning("results cache: entry %s unreadable (%s); recomputing", path.name,
                    type(exc).__name__)
        path.unlink(missing_ok=True)
        return None
    os.utime(path)  # least recently used goes first
    return value


def _write(path: Path, value: object, base: CustomerBase | None = None) -> None:
    shared = {id(v): k for k, v in _shared(base).items()}
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            _Pickler(out, shared).dump(value)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _prune(folder: Path, keep_megabytes: float, keep: Path) -> None:
    """Delete the least recently used entries until the cache fits ``keep_megabytes``."""
    entries = []
    for path in folder.glob(f"*{SUFFIX}"):
        with contextlib.suppress(OSError):
            info = path.stat()
            entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= keep_megabytes * 1e6:
            break
        if path != keep:
            path.unlink(missing_ok=True)
            total -= size


# ------------------------------------------------------------------------------------ API

def cached_base(source: str | os.PathLike[str] | None = None, *,
                settings: dict[str, object] | None = None) -> CustomerBase:
    """The customer base of ``source`` (default: ``CAREWORK_DATA`` or ``data/sample``), as of
    ``CAREWORK_AS_OF`` (else the folder's or the data's day), with ``CAREWORK_FORCE``: read
    from the cache when this data, these settings and this code made it before, else loaded,
    built and cached.

    Raises what :func:`carework.load` and :func:`carework.customer_base.build_base` raise
    (a :class:`carework.DataError` is never cached: the files are read again next time).
    """
    from carework.customer_base import build_base
    from carework.gate import AS_OF_ENV
    from carework.io import default_folder, load

    path = Path(source) if source is not None else default_folder()
    as_of = os.environ.get(AS_OF_ENV) or None
    force = bool(os.environ.get("CAREWORK_FORCE"))

    def build() -> CustomerBase:
        return build_base(load(path, settings=settings), as_of=as_of, force=force)

    folder = cache_folder()
    if folder is None or not path.exists():
        return build()
    place = _digest("source", str(path.resolve()))
    key = _digest(code_version(), source_fingerprint(path), sorted((settings or {}).items()),
                  as_of, force, str(pd.Timestamp.today().date()))
    entry = folder / f"{place}-{key}-base{SUFFIX}"
    with _locked(folder, place):
        base = _read(entry)
        if base is None:
            base = build()
            for old in folder.glob(f"{place}-*{SUFFIX}"):  # the folder's previous state
                if not old.name.startswith(f"{place}-{key}-"):
                    old.unlink(missing_ok=True)
            _write(entry, base)
            _prune(folder, _cache_megabytes(base), entry)
    base.cache_key = f"{place}-{key}"
    return base


def derived(base: CustomerBase, what: str, compute: Callable[[], T], /, **params: object
            ) -> T:
    """A result computed from ``base`` (a segmentation, a KPI report, a fit), once per base and
    parameters: kept on the base and, when the base came from :func:`cached_base`, on disk for
    every other kernel.

    >>> seg = derived(base, "segments", lambda: segments.segment(base), k="auto")  # doctest: +SKIP
    """
    memo_key = (what, tuple(sorted(params.items())))
    if memo_key in base.derived:
        return base.derived[memo_key]
    folder = cache_folder() if base.cache_key else None
    if folder is None:
        value = base.derived[memo_key] = compute()
        return value
    entry = folder / f"{base.cache_key}-{what}-{_digest(memo_key)}{SUFFIX}"
    with _locked(folder, f"{base.cache_key}-{what}"):
        value = _read(entry, base)
        if value is None:
            value = compute()
            _write(entry, value, base)
            _prune(folder, _cache_megabytes(base), entry)
    base.derived[memo_key] = value
    return value


def _cache_megabytes(base: CustomerBase) -> float:
    return float(base.settings.dashboards.cache_megabytes)


def clear() -> int:
    """Delete every cached result; returns how many entries were deleted."""
    folder = cache_folder()
    if folder is None:
        return 0
    entries = list(folder.glob(f"*{SUFFIX}"))
    for path in entries:
        path.unlink(missing_ok=True)
    return len(entries)
