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

_WHOLE_FLOAT = r"^\d+\.0+$"
_SCIENTIFIC = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"


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
    known = set(reference.dropna().unique())
    distinct = pd.Series(ids[present].unique())
    unmatched = distinct[~distinct.isin(known)]
    if unmatched.empty:
        return ids, 0
    reference_ids = pd.Series(list(known))
    spellings = pd.DataFrame({"id": reference_ids, "key": id_key(reference_ids)})
    unique_keys = spellings.groupby("key")["id"].agg(lambda s: s.iloc[0] if len(s) == 1 else None)
    own_keys = id_key(distinct)
    own_unique = own_keys.map(own_keys.value_counts()) == 1
    keys = id_key(unmatched)
    mapping = {old: unique_keys.get(key) for old, key, alone in
               zip(unmatched, keys, own_unique[unmatched.index], strict=True) if alone}
    mapping = {old: new for old, new in mapping.items() if isinstance(new, str)}
    if not mapping:
        return ids, 0
    return ids.map(lambda v: mapping.get(v, v)), len(mapping)
