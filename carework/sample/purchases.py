"""The transactions table: buy-till-you-die purchases with channel, category, store, amount.

Purchases follow BG/NBD: a first purchase at (or soon after) sign-up, then repeat purchases
at rate ``lambda`` per ordinary day in the calendar's operational time (Gamma-shaped gaps for
regulars), and after each repeat purchase the customer drops out with probability
``p_dropout``. Basket values are Gamma-Gamma around a per-customer mean spend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.calendar import Calendar
from carework.sample.clock import DAY, intraday
from carework.sample.columns import ids, text, timestamps
from carework.sample.draws import dirichlet_rows, pick
from carework.sample.personas import (
    CHANNEL_MIX,
    CHANNELS,
    DROP_A,
    DROP_B,
    GAP_SHAPE,
    LAM_MEAN,
    LAM_SHAPE,
    SAT,
    SAT_SD,
    SPEND,
)
from carework.sample.renewal import renewal

__all__ = ["CATEGORIES", "HOURS", "frame", "simulate"]

SPEND_Q = 3.0  # inverse-Gamma shape of mean spend across customers
SPEND_P = 3.0  # Gamma shape of a basket around the customer's mean
INCOME_SPEND = np.array([0.85, 1.0, 1.3])  # mean-spend factor per income band

CATEGORIES = ("Mỹ phẩm", "Thời trang", "Gia dụng", "Thực phẩm", "Mẹ và bé", "Điện tử")
"""Product categories (Vietnamese, as a shop's export would write them)."""
CAT_PRICE = np.array([0.9, 1.1, 1.3, 0.55, 0.9, 2.0])
CAT_PREF = np.array([  # female, male
    [0.28, 0.24, 0.12, 0.14, 0.14, 0.08],
    [0.08, 0.22, 0.14, 0.18, 0.06, 0.32],
])
STORES = (  # per chain city (HCMC, Hà Nội): name, weight
    (("CH Quận 1", 1.4), ("CH Quận 3", 1.0), ("CH Quận 7", 1.1), ("CH Bình Thạnh", 0.9),
     ("CH Thủ Đức", 0.8)),
    (("CH Cầu Giấy", 1.3), ("CH Hoàn Kiếm", 1.1), ("CH Đống Đa", 1.0), ("CH Hà Đông", 0.8)),
)
HOURS = np.arange(8, 22)  # purchases happen 08:00-21:59
HOUR_PROFILE = np.array([  # store, online, phone: weight per hour 8..21
    [2, 3, 4, 5, 5, 4, 4, 4, 5, 6, 7, 8, 7, 4],
    [2, 2, 3, 3, 4, 3, 3, 3, 4, 5, 7, 9, 10, 9],
    [3, 5, 6, 6, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1],
], dtype=float)


def _segment_last(owner: np.ndarray, value: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Per owner (0..n-1) the maximum of ``value``; ``fill`` where an owner has no rows."""
    out = np.full(n, fill, dtype=value.dtype)
    np.maximum.at(out, owner, value)
    return out


def simulate(rng: np.random.Generator, c: dict[str, np.ndarray],
             cal: Calendar) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Purchases of the customers ``c``: (rows sorted by time, per-customer truth)."""
    n = c["persona"].size
    persona, pattern = c["persona"], c["pattern"]
    buyer = ~c["prospect"]

    lam = rng.gamma(LAM_SHAPE[persona], LAM_MEAN[persona] / LAM_SHAPE[persona])
    gap_shape = GAP_SHAPE[persona].copy()
    sat = SAT[persona] + rng.normal(0.0, SAT_SD, n)
    p = rng.beta(DROP_A[persona], DROP_B[persona])
    fade = pattern == 2
    p = np.where(fade, rng.beta(2.0, 6.0, n), p)
    logit = np.log(p / (1 - p)) - 0.35 * (sat - SAT[persona])  # unhappy customers leave more
    p = np.clip(1 / (1 + np.exp(-logit)), 1e-4, 0.95)

    # First purchase: the sign-up day or soon after.
    delay = np.where(rng.random(n) < 0.7, 0, 1 + rng.geometric(0.15, n))
    first_day = c["signup"] + delay
    first_day = np.where(first_day >= cal.days, c["signup"], first_day)
    first_frac = rng.random(n)
    op0 = cal.op(first_day + first_frac)
    room = np.maximum(cal.total - op0, 0.0)

    # Slow-downs (operational days after the first purchase) and their factors.
    slow_at = np.full(n, np.inf)
    slow_factor = np.ones(n)
    sr = pattern == 1
    slow_at[sr] = rng.uniform(120, 400, sr.sum())
    slow_factor[sr] = rng.uniform(3.0, 4.0, sr.sum())
    slow_at[fade] = rng.uniform(40, 160, fade.sum())
    slow_factor[fade] = rng.uniform(2.0, 3.0, fade.sum())
    slowed = room > slow_at
    horizon = room.copy()
    horizon[slowed] = slow_at[slowed] + (room[slowed] - slow_at[slowed]) / slow_factor[slowed]

    k_repeat = np.where(buyer, rng.geometric(p), 0)
    chunk = 250_000
    own_parts, tau_parts = [], []
    for lo in range(0, n, chunk):
        sl = slice(lo, min(n, lo + chunk))
        o, t = renewal(rng, lam[sl], gap_shape[sl], horizon[sl], k_repeat[sl])
        own_parts.append(o + lo)
        tau_parts.append(t)
    own_r = np.concatenate(own_parts)
    tau = np.concatenate(tau_parts)
    got = np.bincount(own_r, minlength=n)
    dead = buyer & (got >= k_repeat) & (k_repeat > 0)
    sa = slow_at[own_r]
    late = tau > sa
    tau[late] = sa[late] + (tau[late] - sa[late]) * slow_factor[own_r][late]
    op = np.minimum(op0[own_r] + tau, cal.total - 1e-9)
    day_r, frac_r = cal.inv(op)

    buyers = np.flatnonzero(buyer)
    owner = np.concatenate([buyers, own_r])
    day = np.concatenate([first_day[buyers], day_r])
    frac = np.concatenate([first_frac[buyers], frac_r])

    # Channel, category, store, amount.
    chan_prop = CHANNEL_MIX[persona].copy()
    chan_prop[fade] = [0.1, 0.85, 0.05]
    chan_prop = dirichlet_rows(rng, chan_prop, 10.0)
    channel = pick(rng, chan_prop, owner)
    seconds = day * DAY + intraday(frac, HOUR_PROFILE, channel, int(HOURS[0]))

    cat_pref = dirichlet_rows(rng, CAT_PREF[c["female"].astype(np.int64) ^ 1], 3.0)
    category = pick(rng, cat_pref, owner)

    home = np.empty(n, dtype=np.int64)
    store_names: list[str] = []
    store_city: list[int] = []
    for ci, stores in enumerate(STORES):
        store_names += [s for s, _ in stores]
        store_city += [ci] * len(stores)
    store_w = np.array([w for stores in STORES for _, w in stores])
    store_city_a = np.array(store_city)
    city_table = np.vstack([np.where(store_city_a == ci, store_w, 0.0)
                            for ci in range(len(STORES))])
    home[:] = pick(rng, city_table, c["city"])
    loyal_store = np.where(persona == 2, 0.3, 0.8)
    other_store = pick(rng, city_table, c["city"][owner])
    store = np.where(rng.random(owner.size) < loyal_store[owner], home[owner], other_store)
    store = np.where(channel == 0, store, -1)

    mean_spend = (SPEND[persona] * np.where(fade, 3.5, 1.0) * INCOME_SPEND[c["income"]]
                  * (SPEND_Q - 1) / rng.gamma(SPEND_Q, 1.0, n))
    norm = cat_pref @ CAT_PRICE
    raw = (mean_spend[owner] * CAT_PRICE[category] / norm[owner]
           * rng.gamma(SPEND_P, 1.0 / SPEND_P, owner.size))
    amount = np.maximum(np.round(raw / 1000.0), 10).astype(np.int64) * 1000

    order = np.lexsort((owner, seconds))
    rows = {"owner": owner[order], "seconds": seconds[order], "amount": amount[order],
            "channel": channel[order], "category": category[order], "store": store[order]}
    rows["store_names"] = store_names

    last = _segment_last(rows["owner"], rows["seconds"], n, -1)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, rows["owner"], rows["seconds"])
    truth = {
        "lam": lam, "gap_shape": gap_shape, "p": p, "dead": dead, "last": last,
        "first": first, "n_purchases": np.bincount(rows["owner"], minlength=n),
        "slow_at_op": np.where(np.isfinite(slow_at) & (room > slow_at), op0 + slow_at, np.nan),
        "slow_factor": slow_factor, "mean_spend": mean_spend, "sat": sat,
    }
    return rows, truth


def frame(cols: dict[str, np.ndarray], cid: pa.Array, n_orders: int,
          store_names: list[str], start: pd.Timestamp) -> pd.DataFrame:
    """The transactions table of purchase rows ``cols`` (with any injected flaw rows)."""
    return pd.DataFrame({
        "customer_id": text(cols["owner"], cid),
        "purchased_at": timestamps(start, cols["seconds"]),
        "amount": cols["amount"].astype(np.int64),
        "order_id": text(cols["order"], ids("HD", n_orders, 7)),
        "channel": text(cols["channel"], CHANNELS),
        "product_category": text(cols["category"], CATEGORIES),
        "store": text(cols["store"], store_names),
    })
