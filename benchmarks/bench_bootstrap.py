"""Bootstrap cost at scale: 200 refits of BG/NBD × Gamma-Gamma for 1M customers.

Customers are simulated from BG/NBD (daily units, joining over two years) with Gamma-Gamma spend
rounded to 1,000 VND, in five segments. The script reports the number of distinct cells the
resampling works on, the time of the full-data fit and of the 200 redraws, and appends them to
benchmarks/RESULTS.md.

Run: ``.venv/bin/python benchmarks/bench_bootstrap.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_fit import simulate

from carework.churn.bootstrap import bootstrap

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k customers, 20 redraws")
    args = parser.parse_args()
    n, n_boot = (100_000, 20) if args.quick else (1_000_000, 200)
    rng = np.random.default_rng(7)
    s = simulate(n, days=rng.integers(1, 731, n), rng=rng)
    nu = rng.gamma(3.0, 1.0 / 60_000.0, n)  # Gamma-Gamma: q = 3, gamma = 60,000 VND
    mean_spend = rng.gamma(6.0 * np.maximum(s["frequency"], 1), 1.0 / nu) / np.maximum(
        s["frequency"], 1)
    s["monetary_value"] = np.where(s["frequency"] > 0, np.round(mean_spend, -3).clip(1000), 0.0)
    s.index = pd.Index([f"KH{i:07d}" for i in range(n)], name="customer_id")
    segments = pd.Series(rng.choice(["acquaintance", "regular", "occasional", "online", "vip"],
                                    n), index=s.index)
    started = time.perf_counter()
    bootstrap(s, horizon_days=90, groups=segments, n_boot=1)
    base_s = time.perf_counter() - started  # preparation, full-data fit and one redraw
    started = time.perf_counter()
    result = bootstrap(s, horizon_days=90, groups=segments, n_boot=n_boot)
    total_s = time.perf_counter() - started
    cells = len(s.assign(g=segments).drop_duplicates())
    line = (f"| {n:,} | {cells:,} | {n_boot} | {base_s:.1f} | {total_s:.0f} | "
            f"{(total_s - base_s) / max(n_boot, 1):.2f} |")
    print(result.totals.round(1).to_string())
    print(line)
    if not args.quick:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n## Bootstrap, BG/NBD × Gamma-Gamma — {time.strftime('%Y-%m-%d')}\n\n"
                      f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
                      f"Python {platform.python_version()}. 90-day horizon, five segments.\n\n"
                      "| customers | distinct cells | redraws | fit + 1 redraw s | total s "
                      "| s per redraw |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n"
                      f"{line}\n")


if __name__ == "__main__":
    main()
