"""BG/NBD fitting speed: carework against lifetimes, same data, same run.

Two cases from the issue:

* a cohort of 400k customers who all joined together, observed 39 weeks (weekly units);
* 1M customers joining over two years, measured in days.

Customers are simulated from BG/NBD itself (parameters near CDNOW's), with times in whole days,
as a transaction log would give them. Each case reports carework's time (compress + fit),
lifetimes' time on every customer (what its users run) and on the same compressed triples with
weights (lifetimes at its best), the ratios, and the largest relative parameter difference.

Run: ``.venv/bin/python benchmarks/bench_fit.py [--quick]``; appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from carework import churn
from carework.churn import bgnbd
from carework.churn.base import Triples

RESULTS = Path(__file__).with_name("RESULTS.md")


def simulate(n: int, *, days: np.ndarray, rng: np.random.Generator, r: float = 0.25,
             alpha_days: float = 30.0, a: float = 0.8, b: float = 2.5) -> pd.DataFrame:
    """BG/NBD customers observed for ``days`` each: frequency, recency, T in whole days."""
    lam = rng.gamma(r, 1.0 / alpha_days, n)
    p = rng.beta(a, b, n)
    T = days.astype(float)
    t_last = np.zeros(n)
    x = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    now = np.zeros(n)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1.0, idx.size) / lam[idx]
        inside = now[idx] <= T[idx]
        buy = idx[inside]
        x[buy] += 1
        t_last[buy] = now[buy]
        alive[idx[~inside]] = False
        alive[buy[rng.random(buy.size) < p[buy]]] = False
    return pd.DataFrame({"frequency": x, "recency": np.floor(t_last), "T": T})


def timed(function, repeat: int = 1):  # noqa: ANN001, ANN201
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def lifetimes_fit(frequency, recency, T, weights=None):  # noqa: ANN001, ANN201
    from lifetimes import BetaGeoFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BetaGeoFitter().fit(frequency, recency, T, weights=weights)


def run_case(name: str, summary: pd.DataFrame) -> dict[str, object]:
    ours_s, model = timed(lambda: churn.fit(summary), repeat=3)
    data = Triples.from_summary(summary)
    ref_all_s, ref = timed(lambda: lifetimes_fit(summary["frequency"], summary["recency"],
                                                 summary["T"]))
    ref_w_s, _ = timed(lambda: lifetimes_fit(data.x, data.t_x, data.T, data.weights))
    diff = max(abs(model.params[k] / ref.params_[k] - 1) for k in bgnbd.PARAMS)
    row = {"case": name, "customers": len(summary), "triples": len(data.x),
           "carework_s": ours_s, "lifetimes_s": ref_all_s, "lifetimes_weighted_s": ref_w_s,
           "ratio": ref_all_s / ours_s, "ratio_weighted": ref_w_s / ours_s,
           "max_rel_param_diff": diff}
    print({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    rng = np.random.default_rng(2026)
    cohort_n, joins_n = int(400_000 * scale), int(1_000_000 * scale)
    cohort = simulate(cohort_n, days=np.full(cohort_n, 273), rng=rng)
    cohort[["recency", "T"]] /= 7.0  # weekly units, as in the CDNOW analyses
    joins = simulate(joins_n, days=rng.integers(1, 731, joins_n), rng=rng)
    rows = [run_case(f"cohort {cohort_n:,}, 39 weeks, weekly units", cohort),
            run_case(f"{joins_n:,} joining over 2 years, daily units", joins)]
    table = pd.DataFrame(rows)
    lines = [f"\n## BG/NBD fit — {time.strftime('%Y-%m-%d')}\n",
             f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
             f"{len(__import__('os').sched_getaffinity(0))} cores, Python "
             f"{platform.python_version()}. Best of 3 for carework, 1 run for lifetimes.\n",
             "| case | customers | distinct triples | carework s | lifetimes s (all customers) "
             "| ratio | lifetimes s (weighted triples) | ratio | max rel. param diff |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in table.itertuples():
        lines.append(f"| {r.case} | {r.customers:,} | {r.triples:,} | {r.carework_s:.3f} "
                     f"| {r.lifetimes_s:.2f} | {r.ratio:.0f}× | {r.lifetimes_weighted_s:.2f} "
                     f"| {r.ratio_weighted:.0f}× | {r.max_rel_param_diff:.1e} |")
    if not args.quick:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
