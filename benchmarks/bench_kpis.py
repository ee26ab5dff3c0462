"""KPI tables at scale: survey and ticket KPIs per month and group, customer flows and the
NPS drivers on 100k and 1M generated customers.

Data: carework's sample generator without the injected export flaws, handed over as a
Dataset. Each size runs in its own subprocess so its peak memory (ru_maxrss) is its own.
Reported per step (seconds): the customer dimensions (profile + rule groups, shared by the
province and rule-group breakdowns), survey KPIs overall and per channel / agent (as-of join
to tickets) / province / rule group, ticket KPIs overall and per agent, customer flows per
month (a range join of purchase-days against month edges), and the drivers regression.
The aggregations are ibis expressions on DuckDB; the root-cause classifier is timed in
benchmarks/eval_root_cause.py.

Run: ``.venv/bin/python benchmarks/bench_kpis.py [--quick]`` (quick: 20k only, nothing
written); the full run appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def worker(customers: int) -> dict:
    from carework.io import Dataset
    from carework.kpis import customer_flows, survey_kpis, ticket_kpis
    from carework.kpis.drivers import Drivers
    from carework.kpis.tables import customer_dimensions
    from carework.sample import generate

    started = time.perf_counter()
    g = generate(customers=customers, seed=5)
    tx = g.transactions[g.transactions["amount"] > 0].drop_duplicates()
    data = Dataset(transactions=tx, customers=g.customers, surveys=g.surveys,
                   tickets=g.tickets, contacts=g.contacts)
    out: dict = {"customers": customers, "transactions": len(tx), "surveys": len(g.surveys),
                 "tickets": len(g.tickets), "generate_s": time.perf_counter() - started}

    def timed(name, fn):
        t0 = time.perf_counter()
        result = fn()
        out[name] = time.perf_counter() - t0
        return result

    dims = timed("dimensions_s", lambda: customer_dimensions(data))
    timed("surveys_all_s", lambda: survey_kpis(data, "month"))
    for by in ("channel", "agent", "province", "rule_group"):
        timed(f"surveys_{by}_s", lambda by=by: survey_kpis(data, "month", by, dims=dims))
    timed("tickets_all_s", lambda: ticket_kpis(data, "month"))
    timed("tickets_agent_s", lambda: ticket_kpis(data, "month", "agent"))
    flows = timed("flows_month_s", lambda: customer_flows(data.transactions, "month"))
    out["flow_periods"] = len(flows)
    drivers = timed("drivers_s", lambda: Drivers("nps").fit(data))
    out["drivers_n"] = drivers.n_
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--worker", type=int)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    sizes = [20_000] if args.quick else [100_000, 1_000_000]
    rows = []
    for size in sizes:
        done = subprocess.run([sys.executable, __file__, "--worker", str(size)],
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    if args.quick:
        return
    steps = [k for k in rows[0] if k.endswith("_s")]
    lines = ["", "## KPI tables at scale (issue 11)", "",
             f"`benchmarks/bench_kpis.py`, {platform.processor() or platform.machine()}, "
             f"2 cores; generated data, months as periods; seconds per step.", "",
             "| step | " + " | ".join(f"{r['customers']:,} customers" for r in rows) + " |",
             "| --- | " + " | ".join("---:" for _ in rows) + " |"]
    for key in ("transactions", "surveys", "tickets"):
        lines.append(f"| {key} | " + " | ".join(f"{r[key]:,}" for r in rows) + " |")
    for step in steps:
        lines.append(f"| {step[:-2]} | " + " | ".join(f"{r[step]:.2f}" for r in rows) + " |")
    lines.append("| peak memory (GB, incl. generation) | "
                 + " | ".join(f"{r['peak_gb']:.1f}" for r in rows) + " |")
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
