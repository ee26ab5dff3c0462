"""One reading per survey comment, computed once per dataset; what was not read, by reason."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carework
from carework.text import READING_COLUMNS, REASONS
from carework.text.readings import abstained, comment_readings, model_of

SAMPLE = Path(__file__).parents[2] / "data" / "sample"

NOT_READ = {"配送太慢了": "foreign_language", "Livraison très lente": "foreign_language",
            "배송이 너무 느려요": "foreign_language", "k": "too_short",
            "asdfgh qwrtzx": "unreadable", "Giao hÃ ng cháº­m": "unreadable"}


def as_list(values: pd.Series) -> list[object]:
    """Values with every missing one as None (a reading's topic is None; stored in the surveys
    frame, pandas may make it NaN)."""
    return [None if pd.isna(v) else v for v in values]


@pytest.fixture(scope="module")
def data() -> carework.Dataset:
    return carework.load(SAMPLE)


@pytest.fixture(scope="module")
def readings(data) -> pd.DataFrame:
    return comment_readings(data)


def test_readings_are_computed_once_per_dataset(data, readings):
    assert comment_readings(data) is readings
    again = carework.load(SAMPLE)
    assert comment_readings(again) is not readings  # per dataset, not per folder
    pd.testing.assert_frame_equal(comment_readings(again), readings)


def test_one_reading_per_survey_comment(data, readings):
    with_comment = data.surveys[data.surveys["comment"].notna()]
    assert len(readings) == len(with_comment) > 1000
    assert readings.index.equals(with_comment.index)  # the surveys' order and index
    assert set(READING_COLUMNS) <= set(readings.columns)
    assert set(data.surveys.columns) <= set(readings.columns)
    assert readings["comment"].equals(with_comment["comment"])
    model = model_of(data)
    expected = model.read(with_comment["comment"].astype(str).tolist())
    for column in ("confidence", "complaint_probability"):
        np.testing.assert_allclose(readings[column], expected[column], equal_nan=True)
    for column in ("sentiment", "factor", "topic", "factors", "topics", "reason"):
        assert as_list(readings[column]) == as_list(expected[column]), column
    assert set(readings["factor"]) <= {"product", "convenience", "people", "other", "unknown"}


def test_abstained_counts_every_reason(readings):
    table = abstained(readings)
    assert table["reason"].tolist() == list(REASONS)
    unknown = readings["factor"] == "unknown"
    assert table["count"].sum() == unknown.sum()
    counts = readings.loc[unknown, "reason"].value_counts()
    for reason, count in zip(table["reason"], table["count"], strict=True):
        assert count == counts.get(reason, 0)
    np.testing.assert_allclose(table["share"], 100 * table["count"] / len(readings))


def test_abstained_counts_the_comments_not_read(data, readings):
    extra = pd.DataFrame({"comment": list(NOT_READ)},
                         index=range(len(data.surveys), len(data.surveys) + len(NOT_READ)))
    surveys = pd.concat([data.surveys, extra])
    changed = dataclasses.replace(data, surveys=surveys)
    got = comment_readings(changed)
    assert len(got) == len(readings) + len(NOT_READ)
    assert got.loc[extra.index, "reason"].tolist() == list(NOT_READ.values())
    assert (got.loc[extra.index, "factor"] == "unknown").all()
    before = abstained(readings).set_index("reason")["count"]
    after = abstained(got).set_index("reason")["count"]
    added = pd.Series(list(NOT_READ.values())).value_counts()
    for reason in REASONS:
        assert after[reason] == before[reason] + added.get(reason, 0), reason
    assert after.sum() == (got["factor"] == "unknown").sum()


def test_a_dataset_without_surveys_has_no_readings(data):
    bare = dataclasses.replace(data, surveys=None)
    readings = comment_readings(bare)
    assert readings.empty
    assert list(readings.columns) == ["customer_id", "comment", *READING_COLUMNS]
    table = abstained(readings)
    assert table["reason"].tolist() == list(REASONS)
    assert table["count"].tolist() == [0, 0, 0]
    assert table["share"].isna().all()
