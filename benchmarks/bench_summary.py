"""RFM summary speed and memory: carework against lifetimes, same transaction log, same run.

The target: summarising 10M transactions of 1M customers is ≥ 10× faster than lifetimes'
``summary_data_from_transaction_data`` with a peak memory under 4 GB.

Data: a synthetic log from numpy (seed 2026): 1,000,000 customers whose first purchase falls
on a uniform day of two years (2024-01-01 to 2025-12-31) at a random time of day; after it each
buys as a Poisson process until the end of the period, with gamma-distributed rates (shape 0.5,
scaled for ~10,000,000 transactions in all). Timestamps are to the second, so customers with
high rates often buy several times on one day — purchases both implementations must merge into
one purchase-day. Amounts are log-normal around 300,000 VND, rounded to 1,000 VND (whole
numbers, so every sum is exact whatever the order of addition). The log, sorted by time, is
written once to a Parquet file in a temporary folder.

Contenders, each in its own subprocess so that its peak RSS (``ru_maxrss`` of the worker, read
and imports included) is its own:

* ``carework-pandas``: the file read into pandas, then :func:`carework.rfm.summary` on the
  DataFrame (through DuckDB); the time is that of the summary call, the read is shown apart;
* ``carework-ibis-parquet``: ``ibis.duckdb.connect().read_parquet(path)`` handed to the same
  function — DuckDB reads the file itself, no pandas input; the time is from the file to the
  per-customer pandas result;
* ``lifetimes``: the file read into pandas, then ``summary_data_from_transaction_data(df,
  "customer_id", "purchased_at", monetary_value_col="amount", observation_period_end=END,
  freq="D")``; time of that call.

lifetimes 0.11.3 runs unchanged on pandas 3 here (datetime64[us] and the ``str`` dtype the
Parquet read gives): no workaround is needed beyond silencing the deprecation warning it raises
at import. Its index comes back in order of first appearance and is sorted for the comparison.

Each worker writes its summary to Parquet; the parent checks that every contender has the same
customers with exactly equal ``frequency``, ``recency`` and ``T`` and ``monetary_value`` equal
to 1e-9 relative, and reports the largest differences. Peak RSS is shown in GiB (KiB / 1024²,
as in the other benchmarks); the 4 GB check is against 4·10⁹ bytes.

Run: ``.venv/bin/python benchmarks/bench_summary.py [--quick]`` (quick: 100k customers, 1M
transactions, nothing written); the full run appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("RESULTS.md")
START = np.datetime64("2024-01-01", "D")
END = "2025-12-31"
DAYS = int((np.datetime64(END, "D") - START).astype(int)) + 1  # 731: 2024 is a leap year
SEED = 2026
CONTENDERS = ("carework-pandas", "carework-ibis-parquet", "lifetimes")
EXACT = ("frequency", "recency", "T")
PEAK_LIMIT_BYTES = 4e9


def generate(customers: int, transactions: int, seed: int = SEED):  # noqa: ANN201
    """The synthetic log as a pyarrow Table (customer_id, purchased_at, amount), time-sorted."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    first = rng.integers(0, DAYS, customers) + rng.random(customers)  # in days from START
    span = DAYS - first
    rate = rng.gamma(0.5, 1.0, customers)
    rate *= (transactions - customers) / (rate * span).sum()  # expected total = transactions
    repeats = rng.poisson(rate * span)
    owner = np.repeat(np.arange(customers, dtype=np.int32), repeats)
    later = first[owner] + rng.random(owner.size) * span[owner]
    who = np.concatenate([np.arange(customers, dtype=np.int32), owner])
    days = np.concatenate([first, later])
    seconds = np.floor(days * 86_400).astype(np.int64)  # whole seconds, below DAYS days
    order = np.argsort(seconds, kind="stable")
    micros = START.astype("datetime64[us]").astype(np.int64) + seconds[order] * 1_000_000
    amount = np.maximum(np.round(rng.lognormal(np.log(300_000), 0.7, who.size) / 1000), 1)
    names = pa.array([f"C{i:07d}" for i in range(customers)], pa.string())
    ids = pa.DictionaryArray.from_arrays(pa.array(who[order]), names).dictionary_decode()
    return pa.table({"customer_id": ids,
                     "purchased_at": pa.array(micros, pa.timestamp("us")),
                     "amount": pa.array(amount * 1000.0, pa.float64())})


def worker(name: str, source: str, out: str) -> dict[str, object]:
    """Run one contender on the Parquet file ``source``; write its summary to ``out``."""
    import pandas as pd

    read_s = None
    if name == "carework-ibis-parquet":
        import ibis

        from carework.rfm import summary

        start = time.perf_counter()
        table = ibis.duckdb.connect().read_parquet(source)
        result = summary(table, observation_end=END)
        summary_s = time.perf_counter() - start
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifetimes sets a deprecated pandas option
            from lifetimes.utils import summary_data_from_transaction_data

            from carework.rfm import summary
        start = time.perf_counter()
        df = pd.read_parquet(source)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        if name == "carework-pandas":
            result = summary(df, observation_end=END)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = summary_data_from_transaction_data(
                    df, "customer_id", "purchased_at", monetary_value_col="amount",
                    observation_period_end=END, freq="D")
        summary_s = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.attrs = {}
    result.to_parquet(out)
    return {"contender": name, "read_s": read_s, "summary_s": summary_s, "peak_kib": peak_kib,
            "customers": len(result)}


def run(name: str, source: Path, out: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--worker", name, str(source), str(out)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(result, flush=True)
    return result


def compare(ours, reference) -> dict[str, object]:  # noqa: ANN001
    """Same customers? Largest differences of the columns (monetary_value relative)."""
    ours, reference = ours.sort_index(), reference.sort_index()
    same = len(ours) == len(reference) and bool((ours.index == reference.index).all())
    if not same:
        return {"same_customers": False}
    diffs = {c: float(np.abs(ours[c].to_numpy() - reference[c].to_numpy()).max()) for c in EXACT}
    a, b = ours["monetary_value"].to_numpy(), reference["monetary_value"].to_numpy()
    rel = np.abs(a - b) / np.maximum(np.abs(b), np.finfo(float).tiny)
    rel[(a == 0) & (b == 0)] = 0.0
    return {"same_customers": True, "max_abs_diff": diffs,
            "max_rel_monetary_diff": float(rel.max()),
            "equal": all(v == 0 for v in diffs.values()) and bool(rel.max() <= 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="100k customers, 1M transactions, nothing written")
    parser.add_argument("--worker", nargs=3, metavar=("NAME", "PARQUET", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return

    import pandas as pd
    import pyarrow.parquet as pq

    customers, transactions = (100_000, 1_000_000) if args.quick else (1_000_000, 10_000_000)
    with tempfile.TemporaryDirectory(prefix="bench_summary_") as tmp:
        source = Path(tmp) / "transactions.parquet"
        start = time.perf_counter()
        log = generate(customers, transactions)
        pq.write_table(log, source)
        n_rows = log.num_rows
        del log
        print(f"{n_rows:,} transactions of {customers:,} customers generated and written in "
              f"{time.perf_counter() - start:.1f} s ({source.stat().st_size / 1e6:.0f} MB)",
              flush=True)
        rows, summaries = {}, {}
        for name in CONTENDERS:
            out = Path(tmp) / f"{name}.parquet"
            rows[name] = run(name, source, out)
            summaries[name] = pd.read_parquet(out)
    reference = summaries["lifetimes"]
    purchase_days = int((reference["frequency"] + 1).sum())
    checks = {name: compare(summaries[name], reference) for name in CONTENDERS[:2]}
    print(f"purchase-days: {purchase_days:,} ({n_rows - purchase_days:,} same-day transactions "
          f"merged)")
    for name, check in checks.items():
        print(f"{name} vs lifetimes: {check}")

    lines = []
    for name in CONTENDERS:
        r = rows[name]
        ratio = rows["lifetimes"]["summary_s"] / r["summary_s"]
        lines.append(f"| {name} | {n_rows:,} | {r['customers']:,} | {r['summary_s']:.2f} | "
                     f"{r['peak_kib'] / 1024 ** 2:.2f} | {ratio:.1f}× |")
    table = ["| contender | transactions | customers | seconds | peak RSS GB "
             "| ratio vs lifetimes |", "| --- | ---: | ---: | ---: | ---: | ---: |", *lines]
    reads = ", ".join(f"{n} {rows[n]['read_s']:.2f} s" for n in CONTENDERS
                      if rows[n]["read_s"] is not None)
    under = {n: rows[n]["peak_kib"] * 1024 < PEAK_LIMIT_BYTES for n in CONTENDERS[:2]}
    verdict = "; ".join(
        f"{n}: {rows['lifetimes']['summary_s'] / rows[n]['summary_s']:.1f}× "
        f"({'meets' if rows['lifetimes']['summary_s'] >= 10 * rows[n]['summary_s'] else 'misses'}"
        f" ≥ 10×), peak {'<' if under[n] else '≥'} 4 GB" for n in CONTENDERS[:2])
    equal = "; ".join(
        f"{n}: " + ("same customers, frequency/recency/T max abs diff "
                    + ", ".join(f"{v:g}" for v in c["max_abs_diff"].values())
                    + f", monetary_value max rel diff {c['max_rel_monetary_diff']:.1e}"
                    + (" — equal" if c["equal"] else " — NOT equal")
                    if c["same_customers"] else "different customers")
        for n, c in checks.items())
    machine = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}. Synthetic log (seed {SEED}), {purchase_days:,} "
               f"purchase-days after merging {n_rows - purchase_days:,} same-day transactions; "
               f"each contender in its own subprocess, peak RSS of the whole worker (read "
               f"included). Seconds of the summary call: after the Parquet read for the pandas "
               f"paths (read: {reads}), from the file for carework-ibis-parquet.")
    lines = ["", f"## RFM summary — {time.strftime('%Y-%m-%d')}", "", machine, "", *table, "",
             f"Target ≥ 10×, peak < 4 GB: {verdict}.", "",
             f"Results against lifetimes: {equal}."]
    print("\n".join(lines))
    if not args.quick:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
