"""Complaint text: does a comment complain, about which root-cause factors and topics.

The handbook sorts complaint causes into three factors — product (quality, design, packaging,
range, price, warranty), convenience (delivery, payment, location, opening hours, waiting) and
people (staff attitude and skills); the topics under them are the taxonomy
(:mod:`carework.text.taxonomy`, one data file a business extends in ``carework.toml``).

:func:`read` gives per comment whether it complains, the factors and topics it names (most
probable first, the first is the primary one), how sure the reading is, or — for text that is
neither Vietnamese nor English, too short or unreadable — ``unknown`` with the reason instead
of a guess. :func:`root_cause`, :func:`topic` and :func:`causes` are the primary factor and
topic alone.

The default model (:func:`default_classifier`) ships with carework as plain data
(``carework/text/model/default.npz``: vocabularies and weights, no pickle), trained by
``python -m carework.text.train`` on the corpus in ``carework/text/corpus/`` (see its
``PROVENANCE.md``); loading it takes milliseconds and nothing is trained at import or first
call. A business teaches its own model with ``labels.csv`` in its data folder
(:mod:`carework.text.labels`).

Examples
--------
>>> root_cause(["Giao hàng quá chậm", "nv noi chuyen coc loc", "hàng bị vỡ", "cảm ơn", None])
['convenience', 'people', 'product', 'other', 'other']
>>> topic(["giao hàng chậm", "nhân viên thái độ"])
['delivery', 'staff_attitude']
>>> reading = read(["hàng đẹp nhưng giao chậm quá", "asdfgh qwrtzx"])
>>> reading["factor"].tolist(), reading["reason"].tolist()
(['convenience', 'unknown'], [None, 'unreadable'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

from carework.text.corpus import load_corpus
from carework.text.evaluate import EvaluationResult, evaluate
from carework.text.keywords import KeywordClassifier
from carework.text.language import REASONS
from carework.text.model import OUTCOMES, READING_COLUMNS, RootCauseClassifier
from carework.text.normalise import normalise
from carework.text.taxonomy import (
    FACTORS,
    NOT_COMPLAINT,
    UNKNOWN,
    Taxonomy,
    default_taxonomy,
    taxonomy_with,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FACTORS",
    "NOT_COMPLAINT",
    "OUTCOMES",
    "READING_COLUMNS",
    "REASONS",
    "TOPICS",
    "TOPIC_FACTOR",
    "UNKNOWN",
    "EvaluationResult",
    "KeywordClassifier",
    "RootCauseClassifier",
    "Taxonomy",
    "causes",
    "default_classifier",
    "default_taxonomy",
    "evaluate",
    "load_corpus",
    "normalise",
    "read",
    "root_cause",
    "taxonomy_with",
    "topic",
]

TOPIC_FACTOR: dict[str, str] = default_taxonomy().topic_factor
"""Complaint topic (the canonical ticket categories) → root-cause factor, from the default
taxonomy."""

TOPICS = tuple(TOPIC_FACTOR)
"""The default taxonomy's topic codes, in order."""

DEFAULT_MODEL = "default.npz"


@functools.cache
def default_classifier() -> RootCauseClassifier:
    """The shipped model (``carework/text/model/default.npz``), loaded once per process."""
    ref = resources.files(__package__) / "model" / DEFAULT_MODEL
    with ref.open("rb") as fh:
        return RootCauseClassifier.load(fh)


def read(comments: Iterable[object], classifier: RootCauseClassifier | None = None
         ) -> pd.DataFrame:
    """Read comments with the default model (or ``classifier``): see
    :meth:`RootCauseClassifier.read` for the columns."""
    return (classifier or default_classifier()).read(comments)


def causes(comments: Iterable[object], classifier: RootCauseClassifier | None = None
           ) -> tuple[list[str], list[str | None]]:
    """Each comment's primary factor (one of :data:`OUTCOMES`) and topic, from one reading:
    ``(factors, topics)``."""
    return (classifier or default_classifier()).predict_causes(comments)


def root_cause(comments: Iterable[object],
               classifier: RootCauseClassifier | None = None) -> list[str]:
    """Each comment's primary factor: ``product``, ``convenience``, ``people``, ``other`` (no
    complaint; also missing, empty and emoji-only comments) or ``unknown`` (not read)."""
    return causes(comments, classifier)[0]


def topic(comments: Iterable[object],
          classifier: RootCauseClassifier | None = None) -> list[str | None]:
    """Each comment's primary topic (``None`` when it is not a complaint or not read)."""
    return causes(comments, classifier)[1]
