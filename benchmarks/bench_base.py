"""Building the customer base: the per-customer facts before and after the customer-base module.

"The customer base" is one row per customer who bought, with everything downstream steps read:
the RFM summary, the churn model fits and their scores (P(alive), churn risk), CLV, the rule
group, open incidents, the last contact and do-not-call. Two implementations are measured on
the same data folder, each in its own subprocess so that its memory is its own:

* ``before``: the code as of commit 990f542, where the closest equivalent is
  ``carework.calls.planner.candidates(data, as_of)`` (profile, churn scores, CLV, rule groups,
  incidents, contacts, do-not-call per customer, plus the call reasons it derives from them).
  It runs from a git worktree of that commit outside the repository (default
  /tmp/carework_before; make it with ``git -C /work/main worktree add /tmp/carework_before
  990f542``), put first on ``PYTHONPATH``; the worker checks ``carework.__file__``.
* ``after``: ``carework.customer_base.build_base(data, as_of=as_of).table`` from this
  repository. If the module or function does not exist (yet), the row says "not available" and
  the before side is still measured.

Data: the sample generator of the *before* tree (``carework.sample.generate(customers=N,
seed=11)``, export flaws included, then ``carework.sample.write``) into
/tmp/carework_bench/N/, generated once in its own subprocess and reused by later runs (a
``bench_meta.json`` written last marks a complete folder and keeps the generation figures).
Each worker first loads the folder with ``carework.load(folder)`` (its own tree's loader; load
time reported, not timed with the build), takes ``as_of`` = the last purchase day, imports the
modules the build needs, then times only the build. Memory, from the kernel: the RSS just
before the build, the build's own peak (the high-water mark is reset through
``/proc/self/clear_refs`` after loading, so the load's peak does not hide it), the RSS increase
(build peak − RSS before) and the peak RSS of the whole worker (``ru_maxrss``: max of the load
and the build). GiB = KiB / 1024².

The machines are noisy: compare the two sides through the after/before ratio of the same run.
With ``--repeat 2`` the runs interleave (before, after, before, after) per size and the ratio
uses the best time of each side.

Run: ``.venv/bin/python benchmarks/bench_base.py [--sizes 30000 1000000] [--repeat 1]
[--only before|after]``. Prints a markdown table; writes nothing in the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEFORE_TREE = Path("/tmp/carework_before")
BEFORE_COMMIT = "990f542"
DATA_ROOT = Path("/tmp/carework_bench")
SEED = 11
IMPLEMENTATIONS = ("before", "after")
WARM_IMPORTS = ("carework.churn.scores", "carework.customer_base", "carework.segments.profile",
                "carework.rfm", "scipy.stats", "scipy.special", "duckdb", "ibis.backends.duckdb")


def _kib(field: str) -> int:
    """A ``Vm*`` line of /proc/self/status in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    """Reset the process's RSS high-water mark (Linux ≥ 4.0); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _gib(kib: float) -> float:
    return kib / 1024 ** 2


# --- children ------------------------------------------------------------------------------

def generate_worker(customers: int, folder: str) -> dict[str, object]:
    """Generate and write the data set of ``customers`` into ``folder`` (before tree)."""
    import carework
    from carework.sample import generate, write

    start = time.perf_counter()
    data = generate(customers=customers, seed=SEED)
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    write(data, folder)
    write_s = time.perf_counter() - start
    rows = {name: len(frame) for name, frame in data.tables().items()}
    return {"customers": customers, "seed": SEED, "flaws": True, "tree": BEFORE_COMMIT,
            "carework_file": carework.__file__, "generate_s": generate_s, "write_s": write_s,
            "rows_written": rows,
            "peak_gib": _gib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "megabytes": sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6}


def bench_worker(implementation: str, folder: str, tree: str) -> dict[str, object]:
    """Load ``folder``, then time building the customer base with ``implementation``."""
    import importlib

    import pandas as pd

    import carework

    out: dict[str, object] = {"implementation": implementation,
                              "carework_file": carework.__file__}
    if not Path(carework.__file__).resolve().is_relative_to(Path(tree).resolve()):
        out["error"] = f"carework imported from {carework.__file__}, not from {tree}"
        return out
    if implementation == "before":
        from carework.calls.planner import candidates

        def build(data, as_of):  # noqa: ANN001, ANN202
            return candidates(data, as_of)
    else:
        try:
            from carework.customer_base import build_base
        except ImportError as exc:
            out["unavailable"] = f"{type(exc).__name__}: {exc}"
            return out

        def build(data, as_of):  # noqa: ANN001, ANN202
            return build_base(data, as_of=as_of).table
    for module in WARM_IMPORTS:  # lazy imports inside the build are not what is measured
        with contextlib.suppress(ImportError):
            importlib.import_module(module)

    start = time.perf_counter()
    data = carework.load(folder)
    out["load_s"] = time.perf_counter() - start
    out["transactions"] = len(data.transactions)
    as_of = pd.Timestamp(data.transactions["purchased_at"].max()).normalize()
    out["as_of"] = f"{as_of:%Y-%m-%d}"
    gc.collect()
    out["load_peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["peak_reset"] = _reset_peak()
    out["rss_before_kib"] = _kib("VmRSS")

    start = time.perf_counter()
    try:
        table = build(data, as_of)
    except Exception as exc:  # noqa: BLE001 — a failing build is a result to report
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=-4)
        return out
    out["build_s"] = time.perf_counter() - start
    out["build_peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["peak_kib"] = max(out["load_peak_kib"], out["build_peak_kib"])
    out["rows"] = len(table)
    out["columns"] = table.shape[1]
    return out


# --- parent --------------------------------------------------------------------------------

def _child(args: list[str], tree: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(tree), "TQDM_DISABLE": "1"}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], env=env,
                          capture_output=True, text=True, cwd="/tmp", check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": f"worker exited with {done.returncode}",
                "stderr": done.stderr.strip()[-3000:]}
    return json.loads(lines[-1])


def ensure_data(customers: int, root: Path, before: Path) -> tuple[Path, dict[str, object]]:
    """The data folder of ``customers``, generated (by the before tree) unless cached."""
    folder = root / str(customers)
    meta_path = folder / "bench_meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("seed") == SEED and meta.get("tree") == BEFORE_COMMIT:
            meta["cached"] = True
            return folder, meta
    partial = root / f"{customers}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True)
    print(f"generating {customers:,} customers into {folder} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    meta = _child(["--generate", str(customers), str(partial)], before)
    if "error" in meta:
        raise SystemExit(f"generation of {customers:,} failed: {meta}")
    meta["child_s"] = time.perf_counter() - start
    (partial / "bench_meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    partial.rename(folder)
    meta["cached"] = False
    return folder, meta


def _fmt(value: object, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 1_000_000],
                        help="numbers of generated customers (default: 30000 1000000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per implementation and size, interleaved (default 1)")
    parser.add_argument("--only", choices=IMPLEMENTATIONS, help="measure one side only")
    parser.add_argument("--before-tree", type=Path, default=BEFORE_TREE,
                        help=f"worktree of {BEFORE_COMMIT} (default {BEFORE_TREE})")
    parser.add_argument("--after-tree", type=Path, default=REPO,
                        help=f"tree whose carework is 'after' (default {REPO})")
    parser.add_argument("--data", type=Path, default=DATA_ROOT,
                        help=f"where the generated data folders are cached (default {DATA_ROOT})")
    parser.add_argument("--generate", nargs=2, metavar=("N", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=3, metavar=("IMPL", "FOLDER", "TREE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate_worker(int(args.generate[0]), args.generate[1])))
        return
    if args.worker:
        print(json.dumps(bench_worker(*args.worker)))
        return
    if not (args.before_tree / "carework" / "__init__.py").exists():
        raise SystemExit(f"no before tree at {args.before_tree}; make it with: git -C {REPO} "
                         f"worktree add {args.before_tree} {BEFORE_COMMIT}")
    sides = (args.only,) if args.only else IMPLEMENTATIONS
    trees = {"before": args.before_tree, "after": args.after_tree}

    datasets, results = {}, []
    for size in args.sizes:
        folder, meta = ensure_data(size, args.data, args.before_tree)
        datasets[size] = meta
        how = "cached" if meta["cached"] else "generated now"
        print(f"data {size:,}: {folder} ({how}); generate {meta['generate_s']:.1f} s, write "
              f"{meta['write_s']:.1f} s, generator peak RSS {meta['peak_gib']:.2f} GiB, "
              f"{meta['megabytes']:.0f} MB on disk, rows {meta['rows_written']}", flush=True)
        for run in range(1, args.repeat + 1):
            for side in sides:
                result = _child(["--worker", side, str(folder), str(trees[side])], trees[side])
                result.update(size=size, run=run, implementation=side)
                results.append(result)
                print(json.dumps({k: v for k, v in result.items() if k != "traceback"}),
                      flush=True)
                if "traceback" in result:
                    print(result["traceback"], file=sys.stderr, flush=True)

    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, load average "
          + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f". Generator seed {SEED} "
          f"({BEFORE_COMMIT}), as_of = last purchase day; each run in its own subprocess.")
    print()
    print("| customers | transactions | implementation | run | load s | build s | RSS before "
          "build GiB | build peak GiB | RSS increase GiB | peak RSS GiB (worker) | rows |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        head = f"| {r['size']:,} | {_fmt(r.get('transactions'), ',')} | {r['implementation']} " \
               f"| {r['run']} |"
        if "unavailable" in r:
            print(f"{head} not available (ImportError) | | | | | | |")
            continue
        if "build_s" not in r:
            print(f"{head} {_fmt(r.get('load_s'), '.1f')} | failed: "
                  f"{r.get('error', '?')[:120]} | | | | | |")
            continue
        print(f"{head} {r['load_s']:.1f} | {r['build_s']:.2f} | "
              f"{_gib(r['rss_before_kib']):.2f} | {_gib(r['build_peak_kib']):.2f} | "
              f"{_gib(r['build_peak_kib'] - r['rss_before_kib']):.2f} | "
              f"{_gib(r['peak_kib']):.2f} | {r['rows']:,} |")
    if any(not r.get("peak_reset", True) for r in results):
        print("\nThe RSS high-water mark could not be reset: build peak = peak of the worker.")

    print()
    for size in args.sizes:
        ok = {side: [r for r in results if r["size"] == size and r["implementation"] == side
                     and "build_s" in r] for side in IMPLEMENTATIONS}
        missing = [f"{side}: " + next(("not available (ImportError)"
                                       if "unavailable" in r else "failed" for r in results
                                       if r["size"] == size and r["implementation"] == side),
                                      "not run") for side in sides if not ok[side]]
        if missing or len(sides) < 2:
            print(f"{size:,}: no after/before ratio" + (f" ({'; '.join(missing)})"
                                                       if missing else " (one side only)"))
            continue
        best = {side: min(r["build_s"] for r in ok[side]) for side in IMPLEMENTATIONS}
        peak = {side: min(r["build_peak_kib"] for r in ok[side]) for side in IMPLEMENTATIONS}
        grow = {side: min(r["build_peak_kib"] - r["rss_before_kib"] for r in ok[side])
                for side in IMPLEMENTATIONS}
        rows = {side: {r["rows"] for r in ok[side]} for side in IMPLEMENTATIONS}
        print(f"{size:,}: after/before build time {best['after'] / best['before']:.2f} "
              f"(best of {args.repeat}: {best['after']:.2f} s / {best['before']:.2f} s; "
              f"before/after {best['before'] / best['after']:.1f}×), build peak "
              f"{peak['after'] / peak['before']:.2f}, RSS increase "
              f"{grow['after'] / max(grow['before'], 1):.2f}; rows after {sorted(rows['after'])}"
              f" vs before {sorted(rows['before'])}")


if __name__ == "__main__":
    main()
