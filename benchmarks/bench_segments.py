"""Segmentation at scale: the whole `segment()` pipeline on 100k and 1M customers.

Data: carework's own sample generator (five personas, BG/NBD purchases, Tết, tickets and
surveys) at 100,000 and 1,000,000 customers, without the injected export flaws, handed to
the customer base and the segmentation as a Dataset (the loader's own speed is measured
elsewhere). Each size runs in its own subprocess so its peak memory (ru_maxrss) is its own.
Reported per stage: the customer base (profile, summary, BG/NBD and Gamma-Gamma fits, scores,
rule groups, incidents: :func:`carework.customer_base.build_base`), RFM scores, and the
clustering (k chosen on a
20,000-customer subsample, MiniBatchKMeans on everyone beyond 50,000, 10 bootstrap refits for
the stability) — plus the chosen k, its stability and the ARI against the rules.

Run: ``.venv/bin/python benchmarks/bench_segments.py [--quick]`` (quick: 20k and 100k,
nothing written); the full run appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def worker(customers: int) -> dict:
    import pandas as pd

    from carework.customer_base import build_base
    from carework.io import Dataset
    from carework.sample import generate
    from carework.segments import BehaviourClusters
    from carework.segments.compare import agreement, findings
    from carework.segments.rfm_scores import RFMScorer

    started = time.perf_counter()
    sample = generate(customers=customers, seed=11, flaws=False)
    data = Dataset(transactions=sample.transactions, customers=sample.customers,
                   surveys=sample.surveys, tickets=sample.tickets, contacts=sample.contacts)
    timings = {"generate": time.perf_counter() - started}

    def stage(name: str, function):  # noqa: ANN001, ANN202
        begin = time.perf_counter()
        result = function()
        timings[name] = time.perf_counter() - begin
        return result

    base = stage("customer base", lambda: build_base(data))
    profile = base.profile
    table = stage("RFM", lambda: base.table[["rule_group"]].join(
        RFMScorer().fit(profile).predict(profile)))
    clusters = stage("clustering", lambda: BehaviourClusters().fit(profile))

    def compare():  # noqa: ANN202
        labels = pd.Series(clusters.labels_, index=profile.index)
        return (agreement(table["rule_group"], labels),
                findings(profile, table["rule_group"], labels, clusters.name_codes_))

    ari, found = stage("rules vs clusters", compare)
    return {"customers": len(profile), "transactions": len(data.transactions),
            "timings": timings, "k": clusters.k_, "stability": clusters.stability_["mean"],
            "ari": ari, "findings": len(found),
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}


def run(customers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", str(customers)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


STAGES = ("customer base", "RFM", "clustering", "rules vs clusters")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20k and 100k, nothing written")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    sizes = (20_000, 100_000) if args.quick else (100_000, 1_000_000)
    rows = []
    for size in sizes:
        result = run(size)
        total = sum(result["timings"][s] for s in STAGES)
        print(f"{size:,} generated customers: {result}")
        rows.append(
            f"| {result['customers']:,} | {result['transactions']:,} | "
            + " | ".join(f"{result['timings'][s]:.1f}" for s in STAGES)
            + f" | {total:.1f} | {result['peak_gb']:.2f} | {result['k']} | "
              f"{result['stability']:.2f} | {result['ari']:.2f} | {result['findings']} |")
    if args.quick:
        return
    machine = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}. Generator seed 11, no export flaws; seconds per "
               f"stage, peak RSS of the whole worker (generation included).")
    header = ("| buyers | transactions | " + " | ".join(f"{s} s" for s in STAGES)
              + " | total s | peak RSS GB | k | stability (ARI) | ARI vs rules | findings |")
    lines = ["", f"## Segmentation — {time.strftime('%Y-%m-%d')}", "", machine, "", header,
             "| " + " | ".join(["---:"] * (len(STAGES) + 8)) + " |", *rows]
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
