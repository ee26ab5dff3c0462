"""The container :func:`carework.sample.generate` returns: tables, injected flaws, hidden truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from carework.schema import TABLES

__all__ = ["SampleData"]


@dataclass
class SampleData:
    """A generated data set: the five canonical tables, injected flaws and the hidden truth.

    Attributes
    ----------
    customers, transactions, surveys, tickets, contacts : pandas.DataFrame
        The canonical tables, with exactly the columns of :data:`carework.schema.TABLES`, in
        schema order. Timestamps are ``datetime64[us]`` (dates at midnight), scores are
        nullable ``Int64``, ``do_not_call`` is ``bool``.
    flaws : dict of str to int
        Injected export flaws and their exact counts:
        ``transactions.returns`` (return rows) and ``transactions.duplicate_row``
        (extra verbatim copies of a row).
    truth : pandas.DataFrame
        One row per customer (same order as ``customers``): ``customer_id``, ``persona``,
        ``pattern`` (``none``/``slowed_regular``/``fading_big_spender``), ``prospect``,
        ``lambda`` (repeat purchases per ordinary day), ``gap_shape``, ``p_dropout``,
        ``dropout_at`` (NaT if alive at the end or never bought), ``slowdown_at``,
        ``slowdown_factor``, ``mean_spend`` (VND), ``satisfaction`` (NPS points),
        ``ticket_propensity``, ``first_purchase_at``, ``n_purchases``.
    survey_truth : pandas.DataFrame
        One row per survey (same order as ``surveys``): the linked ``ticket_id`` (if any),
        ``ticket_effect`` (the summed :data:`SCORE_EFFECTS`), ``comment_kind``
        (``none``/``complaint``/``praise``/``neutral``), ``comment_topic`` and
        ``comment_factor`` (the complaint's root cause, empty otherwise), ``folded`` (comment
        written without diacritics) and ``slang`` (abbreviations applied).
    params : dict
        The arguments of :func:`generate`.
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    surveys: pd.DataFrame
    tickets: pd.DataFrame
    contacts: pd.DataFrame
    flaws: dict[str, int]
    truth: pd.DataFrame
    survey_truth: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The five canonical tables by name, in :data:`carework.schema.TABLES` order."""
        return {name: getattr(self, name) for name in TABLES}
