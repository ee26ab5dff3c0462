"""Fitting speed of the repeat-buying models: carework against lifetimes, same data, same run.

``--model`` picks the model and its lifetimes reference: ``bgnbd`` (BG/NBD, ``BetaGeoFitter``,
the default), ``pnbd`` (Pareto/NBD, ``ParetoNBDFitter``) or ``mbgnbd`` (MBG/NBD,
``ModifiedBetaGeoFitter``). Two cases from the issue:

* a cohort of 400k customers who all joined together, observed 39 weeks (weekly units);
* 1M customers joining over two years, measured in days.

Customers are simulated from BG/NBD (parameters near CDNOW's) for every model, with times in
whole days, as a transaction log would give them: the point is the speed on identical input and
the equality of the optimum, not the fit of the model. Each case reports carework's time
(compress + fit, ``penalizer=0``), lifetimes' time on every customer (what its users run) and on
the same compressed triples with weights (lifetimes at its best; all three fitters take
``weights``), the ratios, and the largest relative parameter difference from lifetimes' fit on
every customer, with lifetimes' default settings and ``penalizer_coef=0``.

Pareto/NBD: lifetimes minimises with Nelder-Mead from a random start (numpy's global generator,
seeded here) and its default ``tol=1e-4`` stops short of the optimum, so the parameter
difference above is mostly lifetimes' own error. An extra column refits the weighted triples
(the same optimum at penalizer 0) with ``tol=1e-10, maxiter=20000`` and gives the difference from
that fit: the equality check. With penalizer 0 the two libraries' penalties (carework: per mean
log-likelihood; lifetimes' Pareto/NBD: on the sum) do not come into play.

Run: ``.venv/bin/python benchmarks/bench_fit.py [--model {bgnbd,pnbd,mbgnbd}] [--quick]``;
appends to benchmarks/RESULTS.md.
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
from carework.churn import bgnbd, pnbd
from carework.churn.base import Triples

RESULTS = Path(__file__).with_name("RESULTS.md")
# name in carework -> (heading, parameter names, lifetimes fitter)
MODELS = {"bgnbd": ("BG/NBD", bgnbd.PARAMS, "BetaGeoFitter"),
          "pnbd": ("Pareto/NBD", pnbd.PARAMS, "ParetoNBDFitter"),
          "mbgnbd": ("MBG/NBD", bgnbd.PARAMS, "ModifiedBetaGeoFitter")}
TIGHT = {"tol": 1e-10, "maxiter": 20000}  # lifetimes' Pareto/NBD run to its optimum


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


def lifetimes_fit(model: str, frequency, recency, T, weights=None,  # noqa: ANN001, ANN201
                  **options: float):
    import lifetimes

    fitter = getattr(lifetimes, MODELS[model][2])
    np.random.seed(0)  # ParetoNBDFitter starts Nelder-Mead from np.random.normal(1, 0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fitter().fit(frequency, recency, T, weights=weights, **options)


def run_case(name: str, summary: pd.DataFrame, model_name: str) -> dict[str, object]:
    params = MODELS[model_name][1]
    ours_s, model = timed(lambda: churn.fit(summary, model=model_name, penalizer=0.0), repeat=3)
    data = Triples.from_summary(summary)
    ref_all_s, ref = timed(lambda: lifetimes_fit(model_name, summary["frequency"],
                                                 summary["recency"], summary["T"]))
    ref_w_s, _ = timed(lambda: lifetimes_fit(model_name, data.x, data.t_x, data.T, data.weights))
    diff = max(abs(model.params[k] / ref.params_[k] - 1) for k in params)
    row = {"case": name, "customers": len(summary), "triples": len(data.x),
           "carework_s": ours_s, "lifetimes_s": ref_all_s, "lifetimes_weighted_s": ref_w_s,
           "ratio": ref_all_s / ours_s, "ratio_weighted": ref_w_s / ours_s,
           "max_rel_param_diff": diff}
    if model_name == "pnbd":
        tight_s, tight = timed(lambda: lifetimes_fit(model_name, data.x, data.t_x, data.T,
                                                     data.weights, **TIGHT))
        row["lifetimes_tight_s"] = tight_s
        row["max_rel_param_diff_tight"] = max(abs(model.params[k] / tight.params_[k] - 1)
                                              for k in params)
        print({"carework": model.params, "lifetimes": dict(ref.params_),
               "lifetimes tight": dict(tight.params_)}, flush=True)
    print({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--model", choices=sorted(MODELS), default="bgnbd",
                        help="the model to fit (default: bgnbd)")
    args = parser.parse_args()
    title = MODELS[args.model][0]
    scale = 0.1 if args.quick else 1.0
    rng = np.random.default_rng(2026)
    cohort_n, joins_n = int(400_000 * scale), int(1_000_000 * scale)
    cohort = simulate(cohort_n, days=np.full(cohort_n, 273), rng=rng)
    cohort[["recency", "T"]] /= 7.0  # weekly units, as in the CDNOW analyses
    joins = simulate(joins_n, days=rng.integers(1, 731, joins_n), rng=rng)
    rows = [run_case(f"cohort {cohort_n:,}, 39 weeks, weekly units", cohort, args.model),
            run_case(f"{joins_n:,} joining over 2 years, daily units", joins, args.model)]
    table = pd.DataFrame(rows)
    tight = args.model == "pnbd"
    note = (" Data simulated from BG/NBD; penalizer 0; lifetimes' ParetoNBDFitter with its "
            "defaults (Nelder-Mead, tol=1e-4, maxiter=2000, start seeded), the last column "
            "from its refit of the weighted triples with tol=1e-10, maxiter=20000."
            if tight else "" if args.model == "bgnbd" else
            " Data simulated from BG/NBD; penalizer 0; lifetimes with its default settings.")
    lines = [f"\n## {title} fit — {time.strftime('%Y-%m-%d')}\n",
             f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
             f"{len(__import__('os').sched_getaffinity(0))} cores, Python "
             f"{platform.python_version()}. Best of 3 for carework, 1 run for lifetimes.{note}\n",
             "| case | customers | distinct triples | carework s | lifetimes s (all customers) "
             "| ratio | lifetimes s (weighted triples) | ratio | max rel. param diff |"
             + (" lifetimes s (tight, weighted) | max rel. param diff (tight) |" if tight else ""),
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
             + (" ---: | ---: |" if tight else "")]
    for r in table.itertuples():
        lines.append(f"| {r.case} | {r.customers:,} | {r.triples:,} | {r.carework_s:.3f} "
                     f"| {r.lifetimes_s:.2f} | {r.ratio:.0f}× | {r.lifetimes_weighted_s:.2f} "
                     f"| {r.ratio_weighted:.0f}× | {r.max_rel_param_diff:.1e} |"
                     + (f" {r.lifetimes_tight_s:.2f} | {r.max_rel_param_diff_tight:.1e} |"
                        if tight else ""))
    if not args.quick:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
