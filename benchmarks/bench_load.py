"""Loading a data folder: ``carework.load`` against the floor of reading its CSV files.

``carework.load(folder)`` reads the five CSV files of a data folder (transactions, customers,
surveys, tickets, contacts) and validates them: encoding detection, CSV structure checks, value
parsing, returns netting, id joining. The *floor* is what any loader must at least do: a plain
``pandas.read_csv(path, dtype=str, keep_default_na=False)`` of the same five files, the frames
kept until the end as ``load`` keeps its tables. Sides, each run in its own subprocess so that
its memory is its own:

* ``floor``: the five ``read_csv`` calls;
* ``load``: ``carework.load(folder)`` of this repository;
* ``before``: for context, ``carework.load(folder)`` of the tree before this round's loader
  changes (commit 2d5ea64), when a git worktree of it exists (default /tmp/cw_before; make it
  with ``git -C /work/main worktree add /tmp/cw_before 2d5ea64``). The worker puts the tree
  first on ``sys.path`` and checks ``carework.__file__``.

Data: the folders that ``bench_base.py`` generates and caches under /tmp/carework_bench/N/
(sample generator of commit 990f542, seed 11, export flaws included; generated once if missing,
which needs its worktree /tmp/carework_before). Before the first measurement of a size the
parent reads the five files once so that every side finds them in the page cache.

Each worker imports everything first (pandas, carework), resets the kernel's RSS high-water mark
(``/proc/self/clear_refs``), then times only the read or the load. The ``load`` and ``before``
workers also time ``carework.io.read_file`` (decoding and splitting the files into raw strings)
inside the load, by wrapping it; the rest of the load (parsing values, rejects, netting, joins)
is load − read. Memory: RSS after the imports, and the peak RSS of the worker (``VmHWM`` after
the measurement; the imports' own peak is reset away). GiB = KiB / 1024².

The machines are noisy: the sides interleave (floor, load, before, floor, load, before, …) per
size, and the summary takes the median of the runs of each side and the ratio load / floor of
those medians. ``--repeat`` runs per side (default 3); sizes of ``--large`` customers or more
(default 1,000,000) run ``--large-repeat`` times (default 1).

Run: ``.venv/bin/python benchmarks/bench_load.py [--sizes 30000 100000 1000000] [--repeat 3]``.
Prints a markdown table; writes nothing in the repository.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench_base import BEFORE_TREE as GENERATOR_TREE
from bench_base import DATA_ROOT, SEED, _fmt, _gib, _kib, _reset_peak, ensure_data

REPO = Path(__file__).resolve().parent.parent
BEFORE_TREE = Path("/tmp/cw_before")
BEFORE_COMMIT = "2d5ea64"
TABLES = ("transactions", "customers", "surveys", "tickets", "contacts")
SIDES = ("floor", "load", "before")
LABELS = {"floor": "floor (read_csv ×5)", "load": "carework.load",
          "before": f"before ({BEFORE_COMMIT})"}


# --- children ------------------------------------------------------------------------------

def worker(side: str, folder: str, tree: str) -> dict[str, object]:
    """Measure one side on ``folder`` in this (fresh) process."""
    sys.path.insert(0, tree)
    import pandas as pd

    import carework
    import carework.io

    out: dict[str, object] = {"side": side, "carework_file": carework.__file__}
    if not Path(carework.__file__).resolve().is_relative_to(Path(tree).resolve()):
        out["error"] = f"carework imported from {carework.__file__}, not from {tree}"
        return out
    paths = [Path(folder) / f"{name}.csv" for name in TABLES]
    gc.collect()
    out["rss_start_kib"] = _kib("VmRSS")
    out["peak_reset"] = _reset_peak()
    try:
        if side == "floor":
            start = time.perf_counter()
            frames = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths}
            out["seconds"] = time.perf_counter() - start
            out["rows"] = {name: len(frame) for name, frame in frames.items()}
        else:
            read_file = carework.io.read_file
            spent: list[float] = []

            def timed_read_file(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                begin = time.perf_counter()
                try:
                    return read_file(*args, **kwargs)
                finally:
                    spent.append(time.perf_counter() - begin)

            carework.io.read_file = timed_read_file
            start = time.perf_counter()
            data = carework.load(folder)
            out["seconds"] = time.perf_counter() - start
            out["read_s"] = sum(spent)
            out["files_read"] = len(spent)
            out["rows"] = {name: (None if getattr(data, name) is None
                                  else len(getattr(data, name))) for name in TABLES}
            out["rejects"] = len(data.rejects)
    except Exception as exc:  # noqa: BLE001 — a failing side is a result to report
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=-4)
        return out
    out["peak_kib"] = _kib("VmHWM")
    out["rss_end_kib"] = _kib("VmRSS")
    return out


# --- parent --------------------------------------------------------------------------------

def _child(side: str, folder: Path, tree: Path) -> dict[str, object]:
    env = {**os.environ, "TQDM_DISABLE": "1"}
    env.pop("PYTHONPATH", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", side,
                           str(folder), str(tree)], env=env, capture_output=True, text=True,
                          cwd="/tmp", check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"side": side, "error": f"worker exited with {done.returncode}",
                "stderr": done.stderr.strip()[-3000:]}
    result = json.loads(lines[-1])
    result["child_s"] = time.perf_counter() - start
    return result


def _warm_cache(folder: Path) -> None:
    for name in TABLES:
        with open(folder / f"{name}.csv", "rb") as file:
            while file.read(1 << 24):
                pass


def _median(results: list[dict[str, object]], key: str) -> float | None:
    values = [r[key] for r in results if r.get(key) is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000],
                        help="numbers of generated customers (default: 30000 100000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="interleaved runs per side and size (default 3)")
    parser.add_argument("--large", type=int, default=1_000_000,
                        help="sizes from this many customers use --large-repeat")
    parser.add_argument("--large-repeat", type=int, default=1,
                        help="runs per side for the large sizes (default 1)")
    parser.add_argument("--before-tree", type=Path, default=BEFORE_TREE,
                        help=f"worktree of {BEFORE_COMMIT} (default {BEFORE_TREE}; skipped "
                             "when absent)")
    parser.add_argument("--data", type=Path, default=DATA_ROOT,
                        help=f"where the generated data folders are cached (default {DATA_ROOT})")
    parser.add_argument("--worker", nargs=3, metavar=("SIDE", "FOLDER", "TREE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    has_before = (args.before_tree / "carework" / "__init__.py").exists()
    sides = SIDES if has_before else SIDES[:2]
    trees = {"floor": REPO, "load": REPO, "before": args.before_tree}
    if not has_before:
        print(f"no before tree at {args.before_tree}: the before side is skipped",
              file=sys.stderr)
    else:
        head = subprocess.run(["git", "-C", str(args.before_tree), "rev-parse", "--short",
                               "HEAD"], capture_output=True, text=True, check=False)
        print(f"before tree {args.before_tree} at {head.stdout.strip() or '?'} "
              f"(labelled {BEFORE_COMMIT})", flush=True)

    results: list[dict[str, object]] = []
    datasets: dict[int, dict[str, object]] = {}
    for size in args.sizes:
        folder, meta = ensure_data(size, args.data, GENERATOR_TREE)
        datasets[size] = meta
        _warm_cache(folder)
        repeat = args.large_repeat if size >= args.large else args.repeat
        print(f"data {size:,}: {folder}, {meta['megabytes']:.0f} MB, rows written "
              f"{meta['rows_written']}; {repeat} run(s) per side", flush=True)
        for run in range(1, repeat + 1):
            for side in sides:
                result = _child(side, folder, trees[side])
                result.update(size=size, run=run)
                results.append(result)
                print(json.dumps({k: v for k, v in result.items() if k != "traceback"}),
                      flush=True)
                if "traceback" in result:
                    print(result["traceback"], file=sys.stderr, flush=True)

    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{_gib(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024):.0f} GiB, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, load "
          "average " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f". Data: generator "
          f"seed {SEED} with export flaws; each run in its own subprocess, sides interleaved.")
    print()
    print("| customers | MB | side | runs | s (median) | s per run | read_file s | rest s | "
          "× floor | RSS after imports GiB | peak RSS GiB |")
    print("| ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        mine = [r for r in results if r["size"] == size]
        floor = _median([r for r in mine if r["side"] == "floor" and "seconds" in r], "seconds")
        for side in sides:
            ok = [r for r in mine if r["side"] == side and "seconds" in r]
            failed = [r for r in mine if r["side"] == side and "seconds" not in r]
            head = f"| {size:,} | {datasets[size]['megabytes']:.0f} | {LABELS[side]} |"
            if not ok:
                error = failed[0].get("error", "?") if failed else "not run"
                print(f"{head} 0 | failed: {str(error)[:100]} | | | | | | |")
                continue
            seconds = _median(ok, "seconds")
            read = _median(ok, "read_s")
            rest = _median([{"v": r["seconds"] - r["read_s"]} for r in ok if "read_s" in r],
                           "v")
            ratio = seconds / floor if floor else None
            per_run = ", ".join(f"{r['seconds']:.2f}" for r in ok)
            print(f"{head} {len(ok)} | {seconds:.2f} | {per_run} | {_fmt(read, '.2f')} | "
                  f"{_fmt(rest, '.2f')} | {_fmt(ratio, '.1f')} | "
                  f"{_gib(_median(ok, 'rss_start_kib')):.2f} | "
                  f"{_gib(_median(ok, 'peak_kib')):.2f} |"
                  + (f" ({len(failed)} failed)" if failed else ""))
    print()
    for size in args.sizes:
        mine = [r for r in results if r["size"] == size and "seconds" in r]
        floor = [r for r in mine if r["side"] == "floor"]
        load = [r for r in mine if r["side"] == "load"]
        if not floor or not load:
            print(f"{size:,}: no load/floor ratio (a side failed)")
            continue
        ratio = _median(load, "seconds") / _median(floor, "seconds")
        pairs = {r["run"]: r["seconds"] for r in floor}
        per_run = [r["seconds"] / pairs[r["run"]] for r in load if r["run"] in pairs]
        rows = {side: sorted({json.dumps(r["rows"]) for r in mine if r["side"] == side})
                for side in sides}
        print(f"{size:,}: load / floor {ratio:.1f} (medians; per run "
              + ", ".join(f"{x:.1f}" for x in per_run) + "); peak RSS load / floor "
              f"{_median(load, 'peak_kib') / _median(floor, 'peak_kib'):.1f}; rows kept "
              + "; ".join(f"{side} {', '.join(rows[side])}" for side in sides))


if __name__ == "__main__":
    main()
