"""Ids as Excel mangles them, and rows that update earlier ones."""

from __future__ import annotations

import pandas as pd

from carework.readers.ids import align_ids, normalise_ids
from carework.readers.updates import merge_updates


def test_ids_excel_wrote_as_numbers():
    ids, lost = normalise_ids(pd.Series(["100123.0", "100123", "0123", "8.49E+10", "8,5e10"]))
    assert ids.tolist()[:3] == ["100123", "100123", "0123"]
    assert lost.tolist() == [False, False, False, True, True]


def test_ids_take_the_transactions_spelling_only_when_unambiguous():
    reference = pd.Series(["123", "KH01", "7", "007"])
    ids, respelled = align_ids(pd.Series(["000123", "kh01", "0007", "55"]), reference)
    # "0007" could be "7" or "007": left alone; "55" bought nothing: left alone
    assert ids.tolist() == ["123", "KH01", "0007", "55"] and respelled == 2
    ids, respelled = align_ids(pd.Series(["0123", "00123"]), pd.Series(["123"]))
    assert ids.tolist() == ["0123", "00123"] and respelled == 0  # two of ours, one key


def test_a_later_row_updates_and_do_not_call_resolves_to_yes():
    rows = pd.DataFrame({"customer_id": ["A", "B", "A", "A"],
                         "phone": ["01", "02", None, "09"],
                         "do_not_call": [True, False, False, None]})
    merged, later = merge_updates(rows, "customer_id", pd.Series(True, index=rows.index))
    assert later.tolist() == [False, False, True, True]
    assert merged.loc[0, "phone"] == "09" and bool(merged.loc[0, "do_not_call"])


def test_a_reused_ticket_number_is_not_an_update():
    rows = pd.DataFrame({"ticket_id": ["T1", "T1", "T1"], "customer_id": ["A", "A", "B"],
                         "status": ["open", "resolved", "open"]})
    merged, later = merge_updates(rows, "ticket_id", pd.Series(True, index=rows.index),
                                  identity=("customer_id",))
    assert later.tolist() == [False, True, False]  # the third names another customer
    assert merged.loc[0, "status"] == "resolved" and merged.loc[2, "customer_id"] == "B"
