"""Net returns and cancellations against the purchases they undo.

A transactions log often records a return or a cancelled order as a row with a negative
amount. Counting only the positive rows overstates what customers spent: an order cancelled
minutes later still counts at full value. :func:`net_returns` nets every negative row against
the purchase(s) it undoes and says, row by row, what it did.

Rules
-----
1. A row with ``amount < 0`` is a **return** (a refund or a cancellation); a row with
   ``amount >= 0`` is a **purchase**. A purchase worth 0 is kept as it is (the caller decides
   what to do with it) and is never netted. Every return row is set aside: its money is moved
   onto the purchase it undoes, or dropped when there is none.
2. **Linked by order id** (rule ``order_id``, when ``cancels_column`` is given): the column
   names the order a return cancels (e.g. ``original_order_id``, "mã đơn gốc"). The return is
   netted against the purchase rows of the *same customer* whose ``order_id`` is that value,
   whatever their date: if one of them has exactly the returned amount left it is cancelled,
   otherwise they are reduced latest first as in rule 4. A return whose column is blank, or
   names an order this customer does not have (or has already fully returned), is a
   ``return_without_purchase``.
3. **Otherwise by customer, amount and time** (rule ``customer_amount_time``): returns are taken
   in time order. For each, the candidates are the same customer's purchases made before it or
   in the same minute (times are compared to the minute), and not more than ``window_days``
   days before it. If a candidate has exactly the returned amount left (to the cent), the
   latest such candidate is a **full cancellation**: that purchase is set aside as
   ``cancelled_order`` and the return as ``cancellation``. A purchase is matched at most once,
   so two returns of £10 cancel two £10 orders, the later order first.
4. Otherwise it is a **partial return**: the returned amount reduces the candidates, latest
   first, until it is used up. A purchase reduced to 0 is set aside as ``cancelled_order``; one
   still positive is kept with its new amount and flagged in ``reduced``. The return is set
   aside as ``cancellation`` if it reduced anything; what the candidates could not absorb is
   dropped, and a return that absorbed nothing is a ``return_without_purchase``.
   A return never makes a purchase negative and never reduces another customer's purchase;
   under rule 3 it never reduces a later purchase, nor one more than ``window_days`` before it.
5. Nothing else is removed: ``len(amount) + len(set_aside) == len(transactions)``. Rows with a
   missing amount are kept as they are; a return with a missing customer (rule 3: or date) is a
   ``return_without_purchase``; a purchase with a missing customer (rule 3: or date) is never
   netted.

Amounts are compared and reduced in whole cents (rounded), so a reduced purchase's new amount
is rounded to the cent (VND amounts stay whole numbers).

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({
...     "customer_id": ["a", "a", "a", "b"],
...     "purchased_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:12",
...                                     "2024-02-01 09:00", "2024-01-05 15:30"]),
...     "amount": [500.0, -500.0, 80.0, 60.0]})
>>> netting = net_returns(log)
>>> netting.set_aside
            reason  matched_row
0  cancelled_order            1
1     cancellation            0
>>> netting.amount.tolist()
[80.0, 60.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carework.readers.ids import isin

REASONS: tuple[str, ...] = ("cancelled_order", "cancellation", "return_without_purchase")
"""The values of ``Netting.set_aside["reason"]``."""

RULES: tuple[str, ...] = ("order_id", "customer_amount_time")
"""The values of ``Netting.rule``."""

_KEPT, _CANCELLED_ORDER, _CANCELLATION, _WITHOUT_PURCHASE = 0, 1, 2, 3
_MAX_ROUNDS = 8  # rounds of the vectorised exact pass before the remaining customers are looped
_NS_PER_DAY = 86_400 * 10**9


@dataclass
class Netting:
    """What :func:`net_returns` did to a transactions table.

    Attributes
    ----------
    amount : pd.Series
        The net amount of every kept row (index: the input index of the kept rows, in input
        order): the original amount, or the amount left after partial returns.
    set_aside : pd.DataFrame
        The removed rows (index: their input index, in input order). ``reason`` is one of
        ``cancelled_order`` (a purchase fully cancelled or returned), ``cancellation`` (a
        return netted against purchases) or ``return_without_purchase`` (a return with nothing
        to net against). ``matched_row`` is the input index of the row it was netted with (for
        a return that reduced several purchases, the latest one; for a purchase used up by
        several returns, the last one), or NA.
    reduced : pd.Series
        Bool, same index as ``amount``: kept purchases whose amount a partial return reduced.
    rule : str
        ``"order_id"`` (returns linked by ``cancels_column``) or ``"customer_amount_time"``.
    summary : dict[str, float]
        ``returns`` (number of rows with a negative amount), ``matched_exact`` (returns that
        cancelled a purchase of exactly their amount), ``matched_partial`` (returns that
        reduced one or more purchases otherwise), ``unmatched`` (returns without purchase),
        ``cancelled_orders`` (purchases set aside), ``reduced_orders`` (purchases kept at a
        lower amount); money: ``gross`` (sum of purchases), ``returns_amount`` (sum of the
        returned amounts, positive), ``returned`` (the part of it netted against purchases),
        ``unabsorbed`` (the part dropped), ``net`` (sum of ``amount``, = gross − returned).
    """

    amount: pd.Series
    set_aside: pd.DataFrame
    reduced: pd.Series
    rule: str
    summary: dict[str, float] = field(default_factory=dict)

    def apply(self, transactions: pd.DataFrame) -> pd.DataFrame:
        """The kept rows of ``transactions`` with their net amounts.

        Parameters
        ----------
        transactions : pd.DataFrame
            The table given to :func:`net_returns`.

        Returns
        -------
        pd.DataFrame
            ``transactions.loc[amount.index]`` with ``amount`` replaced by the net amount.
        """
        out = transactions.loc[self.amount.index].copy()
        out["amount"] = self.amount
        return out


class _State:
    """Per-row arrays (positions 0..n-1) that the matching rules update in place."""

    def __init__(self, cents: np.ndarray, purchase: np.ndarray) -> None:
        n = len(cents)
        self.cents = cents
        self.rem = np.where(purchase, cents, 0)  # what is left of each purchase, in cents
        self.reason = np.zeros(n, dtype=np.int8)
        self.matched = np.full(n, -1, dtype=np.int64)
        self.exact = np.zeros(n, dtype=bool)
        self.reduced = np.zeros(n, dtype=bool)
        self.absorbed = np.zeros(n, dtype=np.int64)  # per return, cents netted

    def cancel(self, r: int | np.ndarray, p: int | np.ndarray) -> None:
        """Return ``r`` cancels purchase ``p`` (whose remaining amount equals it); also for
        arrays of (return, purchase) pairs, no position repeated."""
        self.absorbed[r] = self.rem[p]
        self.rem[p] = 0
        self.reason[p] = _CANCELLED_ORDER
        self.matched[p] = r
        self.reason[r] = _CANCELLATION
        self.matched[r] = p
        self.exact[r] = True

    def settle(self, r: int, candidates: np.ndarray) -> None:
        """Net return ``r`` against ``candidates`` (purchase positions, oldest first).

        The latest candidate with exactly the returned amount left is cancelled; otherwise the
        candidates are reduced latest first until the return is used up (rules 3 and 4).
        """
        wanted = -int(self.cents[r])
        rem = self.rem
        if candidates.size and wanted > 0:
            left = rem[candidates]
            hits = np.flatnonzero(left == wanted)
            if hits.size:
                self.cancel(r, int(candidates[hits[-1]]))
                return
            candidates = candidates[left > 0]
        else:
            candidates = candidates[:0]
        first = -1
        todo = wanted
        for p in candidates[::-1].tolist():
            if todo <= 0:
                break
            take = min(int(rem[p]), todo)
            rem[p] -= take
            todo -= take
            if first < 0:
                first = p
            if rem[p] == 0:
                self.reason[p] = _CANCELLED_ORDER
                self.matched[p] = r
            else:
                self.reduced[p] = True
        self.absorbed[r] = wanted - todo if wanted > 0 else 0
        if self.absorbed[r] > 0:
            self.reason[r] = _CANCELLATION
            self.matched[r] = first
        else:
            self.reason[r] = _WITHOUT_PURCHASE


def net_returns(transactions: pd.DataFrame, *, window_days: int = 90,
                cancels_column: str | None = None) -> Netting:
    """Net returns (negative amounts) against the purchases they undo.

    The rules are in the module docstring (:mod:`carework.readers.returns`).

    Parameters
    ----------
    transactions : pd.DataFrame
        ``customer_id``, ``purchased_at`` (datetime64), ``amount`` (float), optionally
        ``order_id`` and others. The index must be unique; it is the row key of the result.
    window_days : int
        Rule ``customer_amount_time``: a return is netted only against purchases made at most
        this many days before it (inclusive, times compared to the minute).
    cancels_column : str, optional
        A column naming, on return rows, the ``order_id`` of the order they cancel. When given,
        returns are netted by it (rule ``order_id``) and not by amount and time.

    Returns
    -------
    Netting
        Net amounts of the kept rows, the rows set aside with their reason and match, the
        reduced flags, the rule used and a summary.

    Raises
    ------
    KeyError
        A required column is missing.
    ValueError
        The index has duplicates or ``window_days`` is negative.
    """
    needed = ["customer_id", "purchased_at", "amount"]
    if cancels_column is not None:
        needed += ["order_id", cancels_column]
    missing = [name for name in needed if name not in transactions.columns]
    if missing:
        raise KeyError(f"net_returns needs the column(s) {', '.join(missing)}")
    if not transactions.index.is_unique:
        raise ValueError("net_returns needs a unique index (the row key of its result)")
    if window_days < 0:
        raise ValueError(f"window_days must be ≥ 0, not {window_days}")

    amount = transactions["amount"].to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(amount)
    cents = np.zeros(len(amount), dtype=np.int64)
    cents[finite] = np.rint(amount[finite] * 100).astype(np.int64)
    is_return = finite & (amount < 0)
    is_purchase = finite & (amount >= 0)
    customer = pd.factorize(transactions["customer_id"], use_na_sentinel=True)[0].astype(np.int64)
    stamps = pd.DatetimeIndex(transactions["purchased_at"]).as_unit("ns")
    when = stamps.asi8
    minute = stamps.floor("min").asi8
    known = (customer >= 0) & ~stamps.isna()

    state = _State(cents, is_purchase)
    state.reason[is_return] = _WITHOUT_PURCHASE  # until netted
    if cancels_column is None:
        rule = "customer_amount_time"
        _net_by_time(state, customer, when, minute, known, is_return, is_purchase,
                     window_days * _NS_PER_DAY)
    else:
        rule = "order_id"
        _net_by_order(state, customer, when, is_return, is_purchase,
                      _keys(transactions["order_id"]), _keys(transactions[cancels_column]))
    return _result(transactions.index, amount, state, is_return, is_purchase, rule)


def net_linked_returns(transactions: pd.DataFrame, *, window_days: int = 90) -> Netting:
    """Net every return, each by the best rule it allows: a return that names its order — in
    ``cancels_order_id``, or booked under the ``order_id`` of one of the same customer's
    purchases — by that order (rule 2), the others by customer, amount and time (rules 3–4)
    against what the linked returns left. One :class:`Netting` for both; its ``rule`` is
    ``"order_id"``, ``"customer_amount_time"`` or both joined by ``+``.
    """
    returned = transactions["amount"] < 0
    if "cancels_order_id" in transactions:
        link = transactions["cancels_order_id"].where(returned)
        linked = returned & link.notna()
    elif "order_id" in transactions:
        orders = transactions["order_id"]
        pairs = transactions["customer_id"].astype("str") + "\x1f" + orders.astype("str")
        linked = returned & orders.notna() & isin(pairs, pairs[~returned])
        link = orders.where(linked)
    else:
        link, linked = None, returned & False
    purchases = transactions[~returned]
    stages: list[tuple[str, Netting]] = []
    if linked.any():
        frame = pd.concat([purchases, transactions[linked]]).assign(_link=link)
        stages.append(("order_id", net_returns(frame, window_days=window_days,
                                               cancels_column="_link")))
        purchases = purchases.assign(amount=stages[-1][1].amount.reindex(purchases.index))
        purchases = purchases[purchases["amount"].notna()]
    if (returned & ~linked).any() or not stages:
        frame = pd.concat([purchases, transactions[returned & ~linked]])
        stages.append(("customer_amount_time", net_returns(frame, window_days=window_days)))
    if len(stages) == 1:
        return stages[0][1]
    (_, first), (_, second) = stages
    summary = {key: first.summary.get(key, 0) + value for key, value in second.summary.items()}
    summary["gross"] = first.summary["gross"]  # the second stage's gross is the first's net …
    summary["net"] = second.summary["net"]      # … and its net is the final one
    set_aside = pd.concat([first.set_aside, second.set_aside]).reindex(
        transactions.index.intersection(first.set_aside.index.union(second.set_aside.index)))
    kept = transactions.index.difference(set_aside.index, sort=False)
    amount = first.amount.reindex(kept)  # every kept row is a purchase stage 1 kept …
    amount.update(second.amount)          # … at the amount stage 2 left
    reduced = (first.reduced.reindex(kept, fill_value=False)
               | second.reduced.reindex(kept, fill_value=False))
    summary["reduced_orders"] = int(reduced.sum())  # a purchase reduced twice counts once
    return Netting(amount=amount, set_aside=set_aside, reduced=reduced,
                   rule="order_id+customer_amount_time", summary=summary)


def _keys(values: pd.Series) -> np.ndarray:
    """Order ids as comparable text (object array, ``None`` when blank); ``12.0`` → ``"12"``."""
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if (whole == np.floor(whole)).all():
            values = values.astype("Int64")
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    return text.astype(object).where(text.notna(), None).to_numpy()


def _net_by_order(state: _State, customer: np.ndarray, when: np.ndarray, is_return: np.ndarray,
                  is_purchase: np.ndarray, order_id: np.ndarray, cancels: np.ndarray) -> None:
    """Rule ``order_id``: each return against the same customer's rows of the order it names."""
    returns = np.flatnonzero(is_return & (customer >= 0) & pd.notna(cancels))
    if not returns.size:
        return
    wanted = set(zip(customer[returns].tolist(), cancels[returns].tolist(), strict=True))
    purchases = np.flatnonzero(is_purchase & (customer >= 0))
    purchases = purchases[pd.Series(order_id[purchases]).isin(cancels[returns]).to_numpy()]
    purchases = purchases[np.argsort(when[purchases], kind="stable")]  # oldest first, NaT first
    rows: dict[tuple[int, str], list[int]] = {}
    for p, key in zip(purchases.tolist(), zip(customer[purchases].tolist(),
                                              order_id[purchases].tolist(), strict=True),
                      strict=True):
        if key in wanted:
            rows.setdefault(key, []).append(p)
    order = np.argsort(np.where(when[returns] == np.iinfo(np.int64).min,
                                np.iinfo(np.int64).max, when[returns]), kind="stable")
    empty = np.empty(0, dtype=np.int64)
    for r in returns[order].tolist():
        found = rows.get((int(customer[r]), cancels[r]))
        state.settle(r, np.asarray(found, dtype=np.int64) if found else empty)


def _net_by_time(state: _State, customer: np.ndarray, when: np.ndarray, minute: np.ndarray,
                 known: np.ndarray, is_return: np.ndarray, is_purchase: np.ndarray,
                 window: int) -> None:
    """Rule ``customer_amount_time``: a vectorised pass settles the customers whose returns all
    cancel a purchase of the same amount; the others are replayed return by return."""
    returns = np.flatnonzero(is_return & known)
    purchases = np.flatnonzero(is_purchase & known & (state.cents > 0))
    if not returns.size:
        return
    pairs, loop = _exact_pass(customer, when, minute, state.cents, returns, purchases, window)
    pairs = pairs[~np.isin(customer[pairs[:, 0]], loop)]
    state.cancel(pairs[:, 0], pairs[:, 1])
    if not loop.size:
        return
    returns = returns[np.isin(customer[returns], loop)]
    purchases = purchases[np.isin(customer[purchases], loop)]
    # lexsort is stable: ties keep input order
    returns = returns[np.lexsort((when[returns], customer[returns]))]
    purchases = purchases[np.lexsort((when[purchases], customer[purchases]))]
    r_customer = customer[returns]
    p_customer = customer[purchases]
    p_minute = minute[purchases]
    r_bounds = np.searchsorted(r_customer, loop, side="left"), \
        np.searchsorted(r_customer, loop, side="right")
    p_bounds = np.searchsorted(p_customer, loop, side="left"), \
        np.searchsorted(p_customer, loop, side="right")
    for r0, r1, p0, p1 in zip(*r_bounds, *p_bounds, strict=True):
        own = purchases[p0:p1]
        own_minute = p_minute[p0:p1]
        for r in returns[r0:r1].tolist():
            hi = np.searchsorted(own_minute, minute[r], side="right")
            lo = np.searchsorted(own_minute, minute[r] - window, side="left")
            state.settle(r, own[lo:hi])


def _exact_pass(customer: np.ndarray, when: np.ndarray, minute: np.ndarray, cents: np.ndarray,
                returns: np.ndarray, purchases: np.ndarray,
                window: int) -> tuple[np.ndarray, np.ndarray]:
    """Full cancellations by ``merge_asof`` on (customer, cents), in rounds.

    Each round matches every open return to the latest free purchase of its customer and amount
    in its window; when several returns pick the same purchase the earliest wins (it is the one
    the sequential rule would give it) and the others try again in the next round.

    Returns
    -------
    pairs : (k, 2) array of (return, purchase) positions.
    loop : sorted customer codes to replay return by return (a return found no equal purchase,
        or still conflicted after the last round); their pairs must be ignored.
    """
    open_ = returns[np.argsort(when[returns], kind="stable")]  # time order: the earliest wins
    # only purchases that some return could cancel: same customer, same amount
    free = purchases[np.isin(cents[purchases], -cents[returns])
                     & np.isin(customer[purchases], customer[returns])]
    free = free[np.argsort(when[free], kind="stable")]
    found: list[np.ndarray] = []
    loop: list[np.ndarray] = []
    for _ in range(_MAX_ROUNDS):
        left = pd.DataFrame({"key": minute[open_], "customer": customer[open_],
                             "cents": -cents[open_], "r": open_})
        right = pd.DataFrame({"key": minute[free], "customer": customer[free],
                              "cents": cents[free], "p": free})
        hit = pd.merge_asof(left, right, on="key", by=["customer", "cents"],
                            direction="backward", tolerance=window, allow_exact_matches=True)
        p = hit["p"].to_numpy(dtype=float, na_value=np.nan)
        none = np.isnan(p)
        loop.append(customer[open_[none]])
        p = np.where(none, -1, p).astype(np.int64)
        first = ~pd.Series(p).duplicated(keep="first").to_numpy() & ~none
        found.append(np.column_stack([open_[first], p[first]]))
        again = ~first & ~none
        open_ = open_[again]
        if not open_.size:
            break
        free = free[~np.isin(free, p[first])]
        free = free[np.isin(customer[free], customer[open_])]
    else:
        loop.append(customer[open_])
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    return pairs, np.unique(np.concatenate(loop))


def _result(index: pd.Index, amount: np.ndarray, state: _State, is_return: np.ndarray,
            is_purchase: np.ndarray, rule: str) -> Netting:
    kept = state.reason == _KEPT
    reduced = state.reduced & kept
    net = np.where(reduced, state.rem / 100, amount)
    aside = np.flatnonzero(~kept)
    matched = state.matched[aside]
    has_match = matched >= 0
    labels = index.take(np.where(has_match, matched, 0))
    if pd.api.types.is_integer_dtype(index.dtype):
        matched_row = pd.array(np.asarray(labels, dtype=np.int64), dtype="Int64")
        matched_row[~has_match] = pd.NA
    else:
        matched_row = pd.array(np.where(has_match, np.asarray(labels, dtype=object), pd.NA),
                               dtype=object)
    set_aside = pd.DataFrame(
        {"reason": pd.array(np.asarray(REASONS, dtype=object)[state.reason[aside] - 1],
                            dtype="str"),
         "matched_row": matched_row},
        index=index[aside])
    netted = pd.Series(net[kept], index=index[kept], name="amount")
    returned = int(state.absorbed[is_return].sum())
    returns_amount = -int(state.cents[is_return].sum())
    summary: dict[str, float] = {
        "returns": int(is_return.sum()),
        "matched_exact": int(state.exact[is_return].sum()),
        "matched_partial": int(((state.reason == _CANCELLATION) & ~state.exact).sum()),
        "unmatched": int((state.reason == _WITHOUT_PURCHASE).sum()),
        "cancelled_orders": int((state.reason == _CANCELLED_ORDER).sum()),
        "reduced_orders": int(reduced.sum()),
        "gross": float(amount[is_purchase].sum()),
        "returns_amount": returns_amount / 100,
        "returned": returned / 100,
        "unabsorbed": (returns_amount - returned) / 100,
        "net": float(np.nansum(net[kept])),
    }
    return Netting(amount=netted, set_aside=set_aside,
                   reduced=pd.Series(reduced[kept], index=index[kept], name="reduced"),
                   rule=rule, summary=summary)
