"""Customer and order identifiers as exports spell them, made to join.

Three things break joins between tables that come from different tools:

* Excel writes a number-like id stored as a number as ``100123.0`` (read back from CSV) — read
  as ``100123``.
* Excel shows long numbers in scientific notation (``8.49E+10``): the digits beyond the first
  few are gone, so distinct customers would merge. Such an id cannot be recovered: the row is
  set aside (``id_lost_precision``) with the fix (format the column as Text before exporting).
* One tool keeps leading zeros (``000123``), another drops them (``123``); or one writes
  ``kh001`` and the other ``KH001``. An id of another table that matches no transaction is
  matched on its *key* — digits without leading zeros, other ids in upper case without
  surrounding spaces — and takes the transactions' spelling, but only when that key has one
  spelling among the transactions and one among the table's own ids: nothing is merged.

Examples
--------
>>> import pandas as pd
>>> normalise_ids(pd.Series(["100123.0", "KH01", "8.49E+10", ""]))[0].tolist()
['100123', 'KH01', '8.49E+10', '']
>>> normalise_ids(pd.Series(["100123.0", "KH01", "8.49E+10", ""]))[1].tolist()
[False, False, True, False]
>>> align_ids(pd.Series(["000123", "77"]), pd.Series(["123", "5"]))[0].tolist()
['123', '77']
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_WHOLE_FLOAT = r"^\d+\.0+$"
_SCIENTIFIC = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"


def isin(ids: pd.Series, among: object) -> pd.Series:
    """``ids.isin(among)`` for text ids, in Arrow (pandas' own is a Python loop over Arrow
    strings: 0.9 s against 0.02 s for 240,000 ids)."""
    values = pa.array(ids.astype("str"))
    value_set = pa.array(pd.Series(among, dtype="str").dropna())
    found = pc.fill_null(pc.is_in(values, value_set=value_set), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=ids.index)


def normalise_ids(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read ``100123.0`` as ``100123``; flag ids in scientific notation.

    Parameters
    ----------
    text : the ids as stripped strings (``""`` for missing).

    Returns
    -------
    (ids, lost) : the ids, and the mask of ids whose digits Excel rounded away.
    """
    ids = text.str.replace(r"\.0+$", "", regex=True).where(text.str.match(_WHOLE_FLOAT), text)
    lost = text.str.match(_SCIENTIFIC)
    return ids, lost


def id_key(ids: pd.Series) -> pd.Series:
    """The spelling-free key of each id: digits without leading zeros, else upper case."""
    text = ids.astype(str).str.strip()
    digits = text.str.fullmatch(r"\d+")
    stripped = text.str.lstrip("0").replace("", "0")
    return stripped.where(digits, text.str.upper())


def align_ids(ids: pd.Series, reference: pd.Series) -> tuple[pd.Series, int]:
    """Respell the ``ids`` that match no ``reference`` id but share a key with exactly one.

    Returns
    -------
    (ids, respelled) : the ids, and how many distinct ids took the reference's spelling.
    """
    present = ids.notna() & (ids.astype(str) != "")
    known = pd.Series(reference.dropna().unique())
    distinct = pd.Series(ids[present].unique())
    unmatched = distinct[~isin(distinct, known)]
    if unmatched.empty:
        return ids, 0
    known_keys = id_key(known)
    alone = known_keys.map(known_keys.value_counts()).eq(1).to_numpy()
    spelling = pd.Series(known.to_numpy()[alone], index=known_keys.to_numpy()[alone])
    own_keys = id_key(distinct)
    own_alone = own_keys.map(own_keys.value_counts()).eq(1)
    keys = id_key(unmatched)
    usable = own_alone[unmatched.index].to_numpy() & isin(keys, spelling.index).to_numpy()
    if not usable.any():
        return ids, 0
    mapping = dict(zip(unmatched[usable], spelling[keys[usable]].to_numpy(), strict=True))
    respelled = isin(ids, list(mapping))
    return ids.where(~respelled, ids.map(mapping)), len(mapping)
