"""Vectorised categorical draws shared by the table generators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["choice", "dirichlet_rows", "pick", "weights"]


def weights(items: Sequence[tuple[Any, ...]], col: int = 1) -> np.ndarray:
    """Column ``col`` of ``items`` (e.g. ``(name, weight)`` pairs) normalised to sum to 1."""
    w = np.array([row[col] for row in items], dtype=float)
    return w / w.sum()


def pick(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one category per element of ``rows`` from the probability row ``table[rows]``.

    Memory stays O(len(rows)) whatever the number of categories.
    """
    table = np.asarray(table, dtype=float)
    table = table / table.sum(axis=1, keepdims=True)
    u = rng.random(rows.size)
    out = np.zeros(rows.size, dtype=np.int64)
    acc = np.zeros(rows.size)
    for k in range(table.shape[1] - 1):
        acc += table[rows, k]
        out += u >= acc
    return out


def choice(rng: np.random.Generator, n: int, probs: np.ndarray) -> np.ndarray:
    """``n`` draws of a category index with probabilities ``probs`` (normalised here)."""
    probs = np.asarray(probs, dtype=float)
    return rng.choice(probs.size, size=n, p=probs / probs.sum())


def dirichlet_rows(rng: np.random.Generator, means: np.ndarray,
                   concentration: float) -> np.ndarray:
    """Per-row Dirichlet draws with the given mean rows (zero means stay zero)."""
    g = rng.gamma(np.maximum(means * concentration, 1e-9))
    g = np.where(means > 0, g, 0.0)
    return g / g.sum(axis=1, keepdims=True)
