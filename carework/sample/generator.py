""":func:`generate`: run the table simulations in order and assemble a :class:`SampleData`.

Each table draws from its own random stream (spawned from the seed), so changing how one
table is simulated leaves the others' draws untouched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.sample import comments, contacts, purchases, surveys, tickets, truth
from carework.sample import customers as customer_table
from carework.sample import flaws as export_flaws
from carework.sample.calendar import Calendar
from carework.sample.columns import SAMPLE_COLUMNS, ids
from carework.sample.data import SampleData
from carework.sample.personas import SAT

__all__ = ["generate"]


def generate(customers: int = 3000, seed: int = 42, *, start: str = "2024-10-01",
             end: str = "2026-09-30", flaws: bool = True) -> SampleData:
    """Generate a deterministic synthetic data set.

    Parameters
    ----------
    customers : int
        Number of customers (about 8 % of them are prospects who never buy).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical frames.
    start, end : str
        The observation period. Every timestamp ``x`` satisfies ``start <= x <= end`` (``end``
        read as a timestamp, i.e. midnight when a date is given, so the last day with
        activity is the day before ``end``). The period must be at least 60 days long.
    flaws : bool
        Inject realistic export flaws into ``transactions``: return rows (negative amount,
        same customer and order a few days after the purchase) and verbatim duplicate
        lines. Their exact counts go to :attr:`SampleData.flaws`.

    Returns
    -------
    SampleData
        The five canonical tables, the flaws, and the hidden truth.

    Raises
    ------
    ValueError
        If ``customers`` < 1 or the period is shorter than 60 days.
    """
    if int(customers) < 1:
        raise ValueError("customers must be at least 1")
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    t0 = t0.normalize()
    if (t1 - t0).days < 60:
        raise ValueError(f"the period {start} – {end} must span at least 60 days")
    n = int(customers)
    cal = Calendar.build(t0, t1)
    horizon = int((t1 - t0).total_seconds())
    rng = np.random.default_rng(seed)
    r_cust, r_buy, r_flaw, r_tick, r_surv, r_text, r_cont = rng.spawn(7)

    c = customer_table.simulate(r_cust, n, cal, t1)
    p, tr = purchases.simulate(r_buy, c, cal)
    p["ticket_mult"] = np.exp(-0.25 * (tr["sat"] - SAT[c["persona"]]))
    t, propensity = tickets.simulate(r_tick, p, n, horizon)
    p["first_seconds"] = tr["first"]
    s = surveys.simulate(r_surv, p, t, tr["sat"], horizon)
    text, folded, slang = comments.comments(r_text, s)
    k = contacts.simulate(r_cont, c, p, t, cal, horizon, tr["mean_spend"])

    cid = ids("KH", n, 6)
    n_purch = p["owner"].size
    cols = {"owner": p["owner"], "seconds": p["seconds"], "amount": p["amount"],
            "order": np.arange(n_purch), "channel": p["channel"], "category": p["category"],
            "store": p["store"]}
    n_ret = n_dup = 0
    if flaws:
        cols, n_ret, n_dup = export_flaws.inject(r_flaw, cols, horizon)

    frames = {
        "transactions": purchases.frame(cols, cid, n_purch, p["store_names"], t0),
        "customers": customer_table.frame(c, cid, t0, t1),
        "surveys": surveys.frame(s, text, cid, t0),
        "tickets": tickets.frame(t, cid, t0),
        "contacts": contacts.frame(k, cid, t0),
    }
    frames = {name: frame[list(SAMPLE_COLUMNS[name])] for name, frame in frames.items()}
    return SampleData(
        customers=frames["customers"], transactions=frames["transactions"],
        surveys=frames["surveys"], tickets=frames["tickets"], contacts=frames["contacts"],
        flaws={"transactions.returns": n_ret, "transactions.duplicate_row": n_dup},
        truth=truth.frame(c, tr, cid, propensity * p["ticket_mult"], cal, t0),
        survey_truth=surveys.truth_frame(s, folded, slang, tickets.ticket_ids(t["owner"].size)),
        params={"customers": n, "seed": seed, "start": str(start), "end": str(end),
                "flaws": bool(flaws)},
    )
