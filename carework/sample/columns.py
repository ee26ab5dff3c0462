"""Frame columns from simulation arrays: ids, text labels, timestamps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from carework.schema import TABLES

__all__ = ["SAMPLE_COLUMNS", "ids", "text", "timestamps"]

NOT_IN_SAMPLE = {"transactions": ("cancels_order_id",)}
"""Schema columns the sample leaves out: it books a return under the order it returns
(``order_id``), the way most shop exports do, so it has no separate link column."""

SAMPLE_COLUMNS = {name: tuple(c for c in table.column_names
                              if c not in NOT_IN_SAMPLE.get(name, ()))
                  for name, table in TABLES.items()}
"""The columns of each sample table, in schema order."""


def timestamps(start: pd.Timestamp, seconds: np.ndarray,
               missing: np.ndarray | None = None) -> np.ndarray:
    """``datetime64[us]`` values ``start + seconds`` (NaT where ``missing``)."""
    out = np.datetime64(start.to_datetime64(), "s") + seconds.astype("timedelta64[s]")
    out = out.astype("datetime64[us]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def ids(prefix: str, count: int, width: int) -> pa.Array:
    """``count`` sequential ids from 1, zero-padded to ``width`` digits (more if needed)."""
    width = max(width, len(str(count)))
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, count + 1)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def text(codes: np.ndarray,
         labels: Sequence[str] | pa.Array) -> pd.api.extensions.ExtensionArray:
    """A pandas ``str`` array of ``labels[codes]`` (missing where ``codes`` < 0).

    Built as an Arrow dictionary and cast, which is much faster than object arrays for
    millions of rows.
    """
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0)
    if not isinstance(labels, pa.Array):
        labels = pa.array(list(labels), type=pa.string())
    array = pa.DictionaryArray.from_arrays(indices, labels)
    return pd.array(array.cast(pa.string()), dtype="str")
