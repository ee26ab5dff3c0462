"""The survey comments of a data source, read once: one reading per comment for every screen.

:func:`comment_readings` reads the surveys table's comments with the data folder's own model
(:func:`carework.text.labels.business_classifier`) and keeps the result on the dataset, so the
KPI tables, the comment browser, the call list's talking points and the exports all describe a
comment the same way. :func:`abstained` counts the comments that were not read, by reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carework.text.language import REASONS
from carework.text.model import READING_COLUMNS
from carework.text.taxonomy import UNKNOWN, Taxonomy, default_taxonomy

if TYPE_CHECKING:
    import pandas as pd

    from carework.io import Dataset
    from carework.text.labels import Labels
    from carework.text.model import RootCauseClassifier

__all__ = ["abstained", "comment_readings", "labels_of", "model_of", "name_topics"]

_MEMO = "_comment_readings"


def name_topics(taxonomy: Taxonomy) -> None:
    """Let every screen name a business's own topics (``[text.topics.<code>]``): their
    ``vi``/``en`` names become the labels of their codes."""
    from carework.i18n.messages import name_values

    shipped = set(default_taxonomy().codes)
    name_values({code: taxonomy.topics[code].names for code in taxonomy.codes
                 if code not in shipped})


def _folder(data: Dataset) -> str | None:
    return data.source if data.source and not str(data.source).endswith(".duckdb") else None


def labels_of(data: Dataset) -> Labels | None:
    """The dataset folder's ``labels.csv`` as read (``None`` without a folder), read once per
    dataset."""
    from carework.text.labels import read_labels

    if "_comment_labels" not in data.__dict__:
        folder = _folder(data)
        data.__dict__["_comment_labels"] = read_labels(
            folder, data.surveys, data.settings.text.taxonomy()) if folder else None
    return data.__dict__["_comment_labels"]


def model_of(data: Dataset) -> RootCauseClassifier:
    """The comment model of a dataset's folder (its ``labels.csv``, read once per dataset,
    and ``[text]`` settings; a trained model is kept per process by
    :func:`carework.text.labels.business_classifier`, not on the dataset, which the results
    cache pickles); the business's own topics get their names on every screen."""
    from carework.text.labels import business_classifier

    name_topics(data.settings.text.taxonomy())
    return business_classifier(_folder(data), data.settings, data.surveys, labels_of(data))


def comment_readings(data: Dataset) -> pd.DataFrame:
    """The surveys with a comment, each with its reading (:data:`READING_COLUMNS`), in the
    surveys table's order and index; computed once per dataset (no rows, but the columns,
    when there are no surveys or no comments)."""
    import pandas as pd

    memo = data.__dict__.get(_MEMO)
    if memo is not None:
        return memo
    surveys = data.surveys
    if surveys is None or "comment" not in surveys:
        frame = pd.DataFrame(columns=["customer_id", "comment", *READING_COLUMNS])
    else:
        frame = surveys[surveys["comment"].notna()].copy()
        reading = model_of(data).read(frame["comment"].astype(str).tolist())
        for column in READING_COLUMNS:
            values = reading[column].to_numpy()
            frame[column] = pd.Series(values, index=frame.index,
                                      dtype=object if column in ("topic", "reason") else None)
    data.__dict__[_MEMO] = frame
    return frame


def abstained(readings: pd.DataFrame) -> pd.DataFrame:
    """Comments not read, by reason: ``reason``, ``count``, ``share`` (% of the comments);
    every reason of :data:`carework.text.REASONS` appears, zero or not."""
    import pandas as pd

    total = len(readings)
    counts = readings.loc[readings["factor"] == UNKNOWN, "reason"].value_counts() \
        if total else pd.Series(dtype=int)
    rows = [(r, int(counts.get(r, 0))) for r in REASONS]
    return pd.DataFrame({"reason": [r for r, _ in rows], "count": [c for _, c in rows],
                         "share": [100 * c / total if total else float("nan")
                                   for _, c in rows]})
