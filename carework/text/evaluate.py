"""How well a comment classifier's readings match true labels.

Three views of one set of readings:

* **primary factor** — macro-F1 over ``product``, ``convenience``, ``people`` and ``other``
  (no complaint). A comment that truly complains about several factors counts as right when the
  predicted primary factor is any of them. A comment the classifier did not read (``unknown``)
  counts as wrong.
* **per factor** — for each factor, precision, recall and F1 of "this comment complains about
  that factor" (every factor named, not only the primary one).
* **complaint** — precision, recall and F1 of complaint against no complaint.

Examples
--------
>>> from carework.text import KeywordClassifier
>>> result = evaluate(["giao hàng chậm", "cảm ơn", "nv cộc lốc"],
...                   ["delivery", "praise", "people"], KeywordClassifier())
>>> round(result.macro_f1, 2), result.n
(1.0, 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from carework.text.model import parse_label
from carework.text.taxonomy import FACTORS, NOT_COMPLAINT, UNKNOWN, Taxonomy, default_taxonomy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EvaluationResult", "evaluate", "truth_of"]

PRIMARY = (*FACTORS, NOT_COMPLAINT)


@dataclass(frozen=True)
class EvaluationResult:
    """Scores of one classifier on one labelled set.

    Attributes
    ----------
    macro_f1, accuracy : float
        Of the primary factor, over the classes of :data:`PRIMARY` present in the truth.
    report : dict
        Per primary class precision, recall, f1-score and support (scikit-learn's
        ``classification_report``).
    confusion : pandas.DataFrame
        Rows the true primary class, columns the predicted one (``unknown`` included).
    per_factor : pandas.DataFrame
        Per factor ``precision``, ``recall``, ``f1`` and ``support`` of complaining about it.
    complaint : dict
        ``precision``, ``recall``, ``f1`` of complaint against no complaint, and ``support``.
    abstained : float
        Share of comments not read.
    n : int
        Comments evaluated.
    """

    macro_f1: float
    accuracy: float
    report: dict[str, Any]
    confusion: pd.DataFrame
    per_factor: pd.DataFrame
    complaint: dict[str, float]
    abstained: float
    n: int


def truth_of(labels: Iterable[object], taxonomy: Taxonomy | None = None
             ) -> tuple[list[bool | None], list[tuple[str, ...] | None]]:
    """Per label whether it is a complaint and its factors (``None`` for a complaint whose
    factor is not known: label ``complaint``)."""
    tax = taxonomy or default_taxonomy()
    complaint, factors = [], []
    for label in labels:
        sentiment, named, _ = parse_label(label, tax)
        complaint.append(sentiment == "complaint")
        factors.append(named if sentiment != "complaint" or named else None)
    return complaint, factors


def _prf(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(truth & predicted))
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / truth.sum() if truth.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": int(truth.sum())}


def evaluate(texts: Iterable[object], labels: Iterable[object], classifier: Any = None,
             taxonomy: Taxonomy | None = None) -> EvaluationResult:
    """Score a classifier's readings against true labels.

    Parameters
    ----------
    texts : iterable of object
        Comments.
    labels : iterable of object
        True labels as :meth:`RootCauseClassifier.fit` takes them (``praise``, ``neutral``,
        ``other``, a topic, a factor, several separated by ``;``), or ``complaint`` when only
        the complaint is known (such rows count for the complaint view only).
    classifier : object, optional
        A :class:`RootCauseClassifier` (or anything with ``read``), or anything with
        ``predict`` returning primary factors (the keyword baseline); the default model by
        default.

    Returns
    -------
    EvaluationResult
    """
    import pandas as pd
    from sklearn.metrics import classification_report, confusion_matrix, f1_score

    from carework.text import default_classifier

    clf = default_classifier() if classifier is None else classifier
    texts = texts if isinstance(texts, list) else list(texts)
    is_complaint, true_factors = truth_of(labels, taxonomy)
    if hasattr(clf, "read"):
        reading = clf.read(texts)
        primary = reading["factor"].astype(str).tolist()
        named = [tuple(f.split(";")) if f else () for f in reading["factors"]]
    else:
        primary = [str(x) for x in clf.predict(texts)]
        named = [(p,) if p in FACTORS else () for p in primary]
    predicted_complaint = np.array([p in FACTORS for p in primary])
    known = [i for i, f in enumerate(true_factors) if f is not None]
    truth_primary, pred_primary = [], []
    for i in known:
        factors = true_factors[i] or ()
        truth = NOT_COMPLAINT if not factors else (
            primary[i] if primary[i] in factors else factors[0])
        truth_primary.append(truth)
        pred_primary.append(primary[i])
    present = [c for c in PRIMARY if c in set(truth_primary)]
    columns = [*PRIMARY, UNKNOWN]
    report = classification_report(truth_primary, pred_primary, labels=list(PRIMARY),
                                   output_dict=True, zero_division=0) if known else {}
    confusion = pd.DataFrame(
        confusion_matrix(truth_primary, pred_primary, labels=columns) if known
        else np.zeros((len(columns), len(columns)), dtype=int),
        index=pd.Index(columns, name="actual"), columns=pd.Index(columns, name="predicted"))
    per_factor = pd.DataFrame({f: _prf(
        np.array([f in (true_factors[i] or ()) for i in known], dtype=bool),
        np.array([f in named[i] for i in known], dtype=bool)) for f in FACTORS}).T
    complaint = _prf(np.array(is_complaint, dtype=bool), predicted_complaint)
    return EvaluationResult(
        macro_f1=float(f1_score(truth_primary, pred_primary, labels=present, average="macro",
                                zero_division=0)) if known else float("nan"),
        accuracy=float(np.mean(np.array(truth_primary) == np.array(pred_primary)))
        if known else float("nan"),
        report=report, confusion=confusion, per_factor=per_factor, complaint=complaint,
        abstained=float(np.mean([p == UNKNOWN for p in primary])) if primary else 0.0,
        n=len(texts))
