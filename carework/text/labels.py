"""A business teaches the comment model: ``labels.csv`` in its data folder.

``labels.csv`` holds the care team's own readings of comments: columns ``comment`` (the text)
or ``comment_id`` (a ``survey_id`` of the surveys table), ``factor`` (``product``,
``convenience``, ``people``; ``other``/``praise``/``neutral`` for no complaint; ``complaint``
for a complaint whose cause is unclear; a factor's Vietnamese or English name works too) and
``topic`` (optional, a topic code of the business's taxonomy). Rows that cannot be used are set
aside with a reason and counted (used + set aside = read).

:func:`business_classifier` gives the model for a data folder: the shipped model when there
are no labels and no topics of the business's own, else a model trained on the corpus plus the
labels (each weighing ``[text] labels_weight``), saved as plain data in the results cache and
loaded from there until the labels, the taxonomy or the corpus change.
:func:`cross_validated` measures what the labels bring: macro-F1 of the model before (the
shipped model) and after (each fold's model trained with the other folds' labels) on the
business's own labels.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> record_label(folder, "kem chống nắng bôi lên bị nổi mụn", "product", "product_quality")
1
>>> read_labels(folder).frame[["factor", "topic", "label"]].values.tolist()
[['product', 'product_quality', 'product_quality']]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carework.text.model import RootCauseClassifier
from carework.text.taxonomy import FACTORS, Taxonomy, default_taxonomy
from carework.vntext import fold

if TYPE_CHECKING:
    import pandas as pd

    from carework.settings import Settings

__all__ = ["LABELS_FILE", "LABEL_COLUMNS", "Labels", "business_classifier", "cross_validated",
           "read_labels", "record_label"]

LABELS_FILE = "labels.csv"
"""The name of a data folder's labels file."""

LABEL_COLUMNS = ("comment_id", "comment", "factor", "topic", "labelled_at")
"""The columns :func:`record_label` writes."""

_NO_COMPLAINT = {"other": "other", "praise": "praise", "neutral": "neutral",
                 "complaint": "complaint"}


@dataclass(frozen=True)
class Labels:
    """A business's labels as read.

    Attributes
    ----------
    frame : pandas.DataFrame
        The usable rows: ``row`` (the file's row, header = 1), ``comment``, ``factor``,
        ``topic`` and ``label`` (what :meth:`RootCauseClassifier.fit` takes).
    rejects : pandas.DataFrame
        Rows set aside: ``row``, ``column``, ``reason`` (``no_comment``, ``unknown_comment_id``,
        ``unknown_factor``, ``unknown_topic``, ``topic_not_in_factor``, ``superseded``: the same
        comment labelled again further down, whose latest label is kept), ``value``.
    read : int
        Rows read (``len(frame) + len(rejects)``).
    path : Path or None
        The file read (``None`` when there is none).
    """

    frame: Any
    rejects: Any
    read: int = 0
    path: Path | None = None
    fingerprint: str = field(default="")


def _factor_names(tax: Taxonomy) -> dict[str, str]:
    names = {f: f for f in FACTORS} | dict(_NO_COMPLAINT)
    for f, by_lang in tax.factor_names.items():
        for name in by_lang.values():
            names[" ".join(fold(name).split())] = f
    names.update({"khac": "other", "khen": "praise", "trung tinh": "neutral",
                  "khong phan nan": "other", "phan nan": "complaint", "khieu nai": "complaint"})
    return names


_ESCAPED = ("=", "+", "-", "@", "\t", "\r", "'")


def _unescape(text: str) -> str:
    """A comment as written before :func:`record_label` escaped it for spreadsheets (a
    leading ``'`` before a formula character, or before a ``'`` the comment began with)."""
    return text[1:] if text[:1] == "'" and text[1:2] in _ESCAPED and text[1:2] else text


def read_labels(folder: str | os.PathLike[str], surveys: pd.DataFrame | None = None,
                taxonomy: Taxonomy | None = None) -> Labels:
    """Read ``labels.csv`` of a data folder (see the module docstring).

    Parameters
    ----------
    folder : path-like
        The data folder (or the labels file itself).
    surveys : pandas.DataFrame, optional
        The surveys table, to find the text of rows given by ``comment_id``.
    taxonomy : Taxonomy, optional
        The business's topics (default taxonomy by default).

    Raises
    ------
    carework.DataError
        The file cannot be read, or has neither ``comment`` nor ``comment_id``, or no
        ``factor`` column.
    """
    import pandas as pd

    from carework.errors import data_error

    tax = taxonomy or default_taxonomy()
    path = Path(folder)
    path = path / LABELS_FILE if path.is_dir() else path
    empty = pd.DataFrame(columns=["row", "comment", "factor", "topic", "label"])
    no_rejects = pd.DataFrame(columns=["row", "column", "reason", "value"])
    if not path.is_file():
        return Labels(empty, no_rejects, 0, None)
    raw_bytes = path.read_bytes()
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise data_error("err.labels.unreadable", file=str(path), problem=str(exc)) from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if "factor" not in raw or not ({"comment", "comment_id"} & set(raw.columns)):
        missing = "factor" if "factor" not in raw else "comment"
        raise data_error("err.labels.columns", file=str(path), column=missing,
                         found=", ".join(raw.columns))
    texts = {}
    if surveys is not None and "survey_id" in surveys and "comment" in surveys:
        texts = dict(zip(surveys["survey_id"].astype(str), surveys["comment"], strict=False))
    names = _factor_names(tax)
    rows, rejects = [], []
    for i, rec in enumerate(raw.to_dict("records")):
        row = i + 2
        comment = _unescape(str(rec.get("comment", "")).strip())
        cid = str(rec.get("comment_id", "")).strip()
        if not comment and cid:
            found = texts.get(cid)
            if not isinstance(found, str) or not found.strip():
                rejects.append((row, "comment_id", "unknown_comment_id", cid))
                continue
            comment = found.strip()
        if not comment:
            rejects.append((row, "comment", "no_comment", ""))
            continue
        given = str(rec.get("factor", "")).strip()
        factor = names.get(" ".join(fold(given).split()))
        if factor is None:
            rejects.append((row, "factor", "unknown_factor", given))
            continue
        topic = str(rec.get("topic", "")).strip() or None
        if topic is not None and topic not in tax.topics:
            by_name = {" ".join(fold(tax.name(c, lang)).split()): c
                       for c in tax.codes for lang in ("vi", "en")}
            topic = by_name.get(" ".join(fold(topic).split()), topic)
        if topic is not None and topic not in tax.topics:
            rejects.append((row, "topic", "unknown_topic", topic))
            continue
        if topic is not None and factor in FACTORS and tax.factor_of(topic) != factor:
            rejects.append((row, "topic", "topic_not_in_factor", topic))
            continue
        if topic is not None and factor not in FACTORS:
            topic = None if factor != "complaint" else topic
            if topic is not None:
                factor = tax.factor_of(topic)
        label = topic or factor
        rows.append((row, comment, factor, topic, label))
    frame = pd.DataFrame(rows, columns=["row", "comment", "factor", "topic", "label"])
    # the latest label of a comment wins; earlier ones are set aside, counted
    earlier = frame.duplicated("comment", keep="last")
    rejects += [(row, "comment", "superseded", "") for row in frame.loc[earlier, "row"]]
    frame = frame[~earlier].reset_index(drop=True)
    return Labels(frame, pd.DataFrame(rejects, columns=["row", "column", "reason", "value"]),
                  len(raw), path, hashlib.sha256(raw_bytes).hexdigest()[:16])


def record_label(folder: str | os.PathLike[str], comment: str, factor: str,
                 topic: str | None = None, comment_id: str | None = None) -> int:
    """Add (or replace) the label of one comment in the folder's ``labels.csv``; returns the
    number of labelled comments. The file is rewritten atomically, its text cells escaped so
    that no spreadsheet runs them as formulas."""
    import pandas as pd

    from carework.export import atomic_write, escape_formulas

    path = Path(folder) / LABELS_FILE
    if path.is_file():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        for column in LABEL_COLUMNS:
            if column not in frame:
                frame[column] = ""
        frame["comment"] = frame["comment"].map(_unescape)
        frame = frame[frame["comment"].str.strip() != comment.strip()]
    else:
        frame = pd.DataFrame(columns=list(LABEL_COLUMNS))
    new = pd.DataFrame([{"comment_id": comment_id or "", "comment": comment.strip(),
                         "factor": factor, "topic": topic or "",
                         "labelled_at": str(dt.datetime.now().replace(microsecond=0))}])
    frame = pd.concat([frame, new], ignore_index=True)
    quoted = frame["comment"].str.startswith("'")  # kept apart from the formula escape
    frame.loc[quoted, "comment"] = "'" + frame.loc[quoted, "comment"]
    data = escape_formulas(frame).to_csv(index=False, lineterminator="\n")
    atomic_write(path, lambda tmp: Path(tmp).write_text(data, encoding="utf-8"))
    return len(frame)


_MODELS: dict[str, RootCauseClassifier] = {}


def _trained(key: str, labels: tuple[tuple[str, str], ...], taxonomy: Taxonomy,
             labels_weight: float) -> RootCauseClassifier:
    """The business model for ``key``: from this process, the results cache, else trained
    and saved."""
    import pandas as pd

    if key in _MODELS:
        return _MODELS[key]

    from carework.cache import cache_folder
    from carework.text.train import train

    folder = cache_folder()
    path = folder / "models" / f"comments-{key}.npz" if folder is not None else None
    if path is not None and path.is_file():
        try:
            _MODELS[key] = RootCauseClassifier.load(path)
            return _MODELS[key]
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    extra = pd.DataFrame(labels, columns=["comment", "label"])
    clf = train(taxonomy, extra, labels_weight)
    clf.meta_["key"] = key
    if path is not None:
        clf.save(path)
    _MODELS[key] = clf
    return clf


def business_classifier(folder: str | os.PathLike[str] | None, settings: Settings | None = None,
                        surveys: pd.DataFrame | None = None,
                        labels: Labels | None = None) -> RootCauseClassifier:
    """The comment model of a data folder (see the module docstring), with the folder's
    ``[text]`` thresholds; ``labels`` is the folder's :func:`read_labels` when the caller has
    read it already."""
    from carework.cache import code_version
    from carework.settings import Settings
    from carework.text import default_classifier
    from carework.text.corpus import corpus_fingerprint

    settings = settings or (Settings.read(folder) if folder else Settings())
    text = settings.text
    tax = text.taxonomy()
    if labels is None and folder:
        labels = read_labels(folder, surveys, tax)
    if (labels is None or not len(labels.frame)) and tax is default_taxonomy():
        clf = default_classifier()
    else:
        pairs = tuple(zip(labels.frame["comment"], labels.frame["label"], strict=True)) \
            if labels is not None else ()
        key = hashlib.sha256(repr((pairs, tax.fingerprint(), corpus_fingerprint(),
                                   text.labels_weight, code_version())).encode()
                             ).hexdigest()[:20]
        clf = _trained(key, pairs, tax, text.labels_weight)
    if (clf.complaint_threshold, clf.secondary_share) != (text.complaint_threshold,
                                                         text.secondary_share):
        clf = clf.copy(complaint_threshold=text.complaint_threshold,
                       secondary_share=text.secondary_share)
    return clf


def cross_validated(labels: Labels | pd.DataFrame, taxonomy: Taxonomy | None = None,
                    labels_weight: float = 3.0, folds: int = 5,
                    seed: int = 0) -> dict[str, float]:
    """Macro-F1 of the primary factor on the business's own labels, before and after.

    ``before`` is the shipped model's score on every label; ``after`` the pooled score of
    out-of-fold predictions, each fold's model trained on the corpus plus the other folds'
    labels. Needs at least ``folds`` labels (else both are NaN).

    Returns
    -------
    dict
        ``before``, ``after``, ``n`` (labels) and ``folds``.
    """
    import numpy as np
    from sklearn.model_selection import KFold

    from carework.text import default_classifier
    from carework.text.train import train

    frame = labels.frame if isinstance(labels, Labels) else labels
    tax = taxonomy or default_taxonomy()
    n = len(frame)
    if n < max(folds, 2):
        return {"before": float("nan"), "after": float("nan"), "n": n, "folds": folds}
    from sklearn.metrics import f1_score

    from carework.text.model import primary_truth

    texts = frame["comment"].tolist()
    truth = frame["label"].tolist()
    true_primary = primary_truth(truth, tax)
    keep = [i for i, x in enumerate(true_primary) if x is not None]
    present = sorted({true_primary[i] for i in keep})
    shipped = default_classifier().predict([texts[i] for i in keep])
    before = float(f1_score([true_primary[i] for i in keep], shipped.astype(str),
                            labels=present, average="macro", zero_division=0))
    predicted = np.empty(n, dtype=object)
    for train_rows, test_rows in KFold(folds, shuffle=True, random_state=seed).split(texts):
        clf = train(tax, frame.iloc[train_rows], labels_weight)
        predicted[test_rows] = clf.predict([texts[i] for i in test_rows])
    after = float(f1_score([true_primary[i] for i in keep], predicted[keep].astype(str),
                           labels=present, average="macro", zero_division=0))
    return {"before": before, "after": after, "n": n, "folds": folds}
