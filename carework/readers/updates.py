"""Rows that repeat a key: later rows are updates of the earlier ones.

A customers export often lists a customer again when something changed (a new phone number, a
request not to be called), and a tickets export lists a ticket again when its status changed.
Those rows are merged into one per key, in file order:

* each column takes the last value given (an empty cell changes nothing);
* ``do_not_call`` is true if any row says so — a conflict resolves to the safe side, never to a
  call the customer refused.

The merged rows are set aside as ``merged_update`` (their values live on in the kept row), so
accepted + set aside = rows read still holds. A row that repeats a key but names another
*identity* (a ticket number reused for another customer or another opening time) is not an
update: it is left to the caller, who sets it aside as a duplicate key.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"customer_id": ["A", "B", "A"], "phone": ["01", "02", None],
...                      "do_not_call": [False, False, True]})
>>> merged, later = merge_updates(rows, "customer_id", keep=pd.Series(True, index=rows.index))
>>> merged.loc[0, "phone"], bool(merged.loc[0, "do_not_call"]), later.tolist()
('01', True, [False, False, True])
"""

from __future__ import annotations

import pandas as pd

SAFE_TRUE = ("do_not_call",)
"""Flags where any row saying yes wins."""


def merge_updates(frame: pd.DataFrame, key: str, keep: pd.Series,
                  identity: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.Series]:
    """Merge the kept rows of ``frame`` that share ``key`` into the first of them.

    Parameters
    ----------
    frame : parsed rows.
    key : the key column.
    keep : rows still kept (others are ignored and left as they are).
    identity : columns an update must agree with (where both rows have a value): rows of the
        same key that disagree are not merged.

    Returns
    -------
    (frame, merged) : ``frame`` with each key's first kept row carrying the merged values, and
        the mask of the later rows merged into it.
    """
    kept = frame[keep]
    for column in identity:
        if column in kept:  # a repeat naming another identity is not an update of the first
            first_value = kept.groupby(key, sort=False)[column].transform("first")
            agrees = kept[column].isna() | first_value.isna() | (kept[column] == first_value)
            kept = kept[agrees]
    repeated = kept[key].duplicated(keep=False)
    if not repeated.any():
        return frame, pd.Series(False, index=frame.index)
    group = kept[repeated]
    first = group.groupby(key, sort=False).head(1).index
    out = frame.copy()
    values = group.drop(columns=[key]).groupby(group[key], sort=False).last()
    for column in values.columns:
        if column in SAFE_TRUE:
            values[column] = group[column].fillna(False).astype(bool) \
                .groupby(group[key], sort=False).any()
        target = out[column]
        merged = group.loc[first, key].map(values[column])
        if target.dtype != object and merged.dtype == object:
            merged = merged.infer_objects()
        out.loc[first, column] = merged.to_numpy()
    later = pd.Series(False, index=frame.index)
    later[group.index.difference(first)] = True
    return out, later
