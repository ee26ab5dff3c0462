"""A business teaches the comment model with ``labels.csv``: reading and writing the file, the
rows set aside, the business model (trained once, cached as plain data), what labels bring."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carework
from carework.settings import Settings
from carework.text import RootCauseClassifier, default_classifier, taxonomy_with
from carework.text import labels as labels_module
from carework.text.labels import (
    LABEL_COLUMNS,
    business_classifier,
    cross_validated,
    read_labels,
    record_label,
)

ROOT = Path(__file__).parents[2]

# An invented register (a driving school) the corpus does not know, taught as staff_skills.
TEACH = [
    "thầy dạy lái ghép số lộn xộn, xe chết máy suốt buổi",
    "thầy dạy lái lơ mơ bài sa hình, học mãi không đậu",
    "thầy dạy lái chỉnh gương lệch, lùi chuồng toàn đụng cọc",
    "thầy dạy lái nhầm lẫn luật, thi lý thuyết rớt",
    "thầy dạy lái đề pa lên dốc toàn tuột dốc",
    "thầy dạy lái quên bài ép vạch, thi sa hình trượt",
]
UNSEEN = ["thầy dạy lái chạy vòng số tám lộn xộn, xe chết máy hoài",
          "thay day lai de pa len doc bi tuot, xe chet may"]


def write(folder: Path, text: str) -> Path:
    path = folder / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    """An empty results cache, and no business model kept in this process."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CAREWORK_CACHE", str(cache))
    monkeypatch.setattr(labels_module, "_MODELS", {})
    return cache


# -- labels.csv ---------------------------------------------------------------------------------

def test_no_labels_file_reads_as_no_labels(tmp_path):
    labels = read_labels(tmp_path)
    assert len(labels.frame) == len(labels.rejects) == labels.read == 0
    assert labels.path is None
    assert list(labels.frame.columns) == ["row", "comment", "factor", "topic", "label"]


def test_record_label_then_read_labels_round_trips(tmp_path):
    assert record_label(tmp_path, "giao hàng chậm 3 ngày", "convenience", "delivery") == 1
    assert record_label(tmp_path, "  nv lúng túng  ", "people", "staff_skills", "S7") == 2
    assert record_label(tmp_path, "cảm ơn shop", "praise") == 3
    raw = pd.read_csv(tmp_path / "labels.csv", dtype=str, keep_default_na=False)
    assert tuple(raw.columns) == LABEL_COLUMNS
    stamped = pd.to_datetime(raw["labelled_at"])
    assert (abs(stamped - pd.Timestamp.now()) < pd.Timedelta(minutes=5)).all()
    labels = read_labels(tmp_path)
    assert labels.path == tmp_path / "labels.csv"
    assert labels.read == 3 and labels.rejects.empty
    assert labels.frame[["row", "comment", "factor", "label"]].values.tolist() == [
        [2, "giao hàng chậm 3 ngày", "convenience", "delivery"],
        [3, "nv lúng túng", "people", "staff_skills"],
        [4, "cảm ơn shop", "praise", "praise"]]
    assert labels.frame["topic"].tolist()[:2] == ["delivery", "staff_skills"]
    assert read_labels(tmp_path / "labels.csv").frame.equals(labels.frame)  # the file itself
    before = labels.fingerprint
    record_label(tmp_path, "giá đắt", "product", "price")
    assert read_labels(tmp_path).fingerprint != before


def test_the_latest_label_of_a_comment_wins(tmp_path):
    record_label(tmp_path, "giao chậm", "convenience", "delivery")
    record_label(tmp_path, "hàng vỡ", "product")
    assert record_label(tmp_path, "  giao chậm ", "people", "staff_attitude") == 2
    labels = read_labels(tmp_path)
    assert labels.read == 2
    assert labels.frame[["comment", "label"]].values.tolist() == [
        ["hàng vỡ", "product"], ["giao chậm", "staff_attitude"]]


def test_a_comment_written_twice_by_hand_keeps_the_latest(tmp_path):
    write(tmp_path, "comment,factor\ngiao chậm,convenience\nhàng vỡ,product\ngiao chậm,people\n")
    labels = read_labels(tmp_path)
    assert labels.frame[["comment", "label"]].values.tolist() == [
        ["hàng vỡ", "product"], ["giao chậm", "people"]]


def test_rows_replaced_by_a_later_label_are_still_counted(tmp_path):
    write(tmp_path, "comment,factor\ngiao chậm,convenience\nhàng vỡ,product\ngiao chậm,people\n")
    labels = read_labels(tmp_path)
    assert len(labels.frame) + len(labels.rejects) == labels.read


@pytest.mark.parametrize("comment", ["=SUM(A1:A9)", "+84 909 123 456 gọi không ai nghe",
                                     "-5 sao vì giao chậm", "@shop trả lời đi", "=1+2"])
def test_formula_like_comments_are_escaped_in_the_file_and_read_back_as_written(tmp_path,
                                                                               comment):
    record_label(tmp_path, comment, "convenience")
    text = (tmp_path / "labels.csv").read_text(encoding="utf-8")
    assert "'" + comment in text
    assert "\n" + comment[0] not in text and "," + comment[0] not in text
    assert read_labels(tmp_path).frame["comment"].tolist() == [comment]
    record_label(tmp_path, comment, "people")  # replaced, not added: matched unescaped
    assert read_labels(tmp_path).frame[["comment", "factor"]].values.tolist() == [
        [comment, "people"]]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
               min_size=1, max_size=40).filter(lambda s: s.strip() and s.strip()[0] != "'"))
def test_any_comment_round_trips_through_labels_csv(comment):
    with tempfile.TemporaryDirectory() as folder:
        record_label(folder, comment, "product")
        labels = read_labels(folder)
    assert labels.frame["comment"].tolist() == [comment.strip()]
    assert labels.rejects.empty


def test_a_comment_starting_with_a_quote_round_trips(tmp_path):
    record_label(tmp_path, "'=)) haha", "praise")
    assert read_labels(tmp_path).frame["comment"].tolist() == ["'=)) haha"]


@pytest.mark.parametrize("factor, topic, expected", [
    ("Sản phẩm", "", ("product", None, "product")),
    ("sản phẩm", "product_quality", ("product", "product_quality", "product_quality")),
    ("san pham", "", ("product", None, "product")),
    ("Product", "", ("product", None, "product")),
    ("SỰ THUẬN TIỆN", "Giao hàng", ("convenience", "delivery", "delivery")),
    ("convenience", "Payment", ("convenience", "payment", "payment")),
    ("Con người (nhân viên)", "", ("people", None, "people")),
    ("people (staff)", "Kỹ năng nhân viên", ("people", "staff_skills", "staff_skills")),
    ("khen", "", ("praise", None, "praise")),
    ("other", "", ("other", None, "other")),
    ("neutral", "delivery", ("neutral", None, "neutral")),
    ("complaint", "", ("complaint", None, "complaint")),
    ("complaint", "delivery", ("convenience", "delivery", "delivery")),
])
def test_factor_and_topic_by_code_or_name(tmp_path, factor, topic, expected):
    write(tmp_path, f"comment,factor,topic\nmột bình luận,{factor},{topic}\n")
    labels = read_labels(tmp_path)
    assert labels.rejects.empty, labels.rejects.to_dict("records")
    row = labels.frame.iloc[0]
    got = (row["factor"], row["topic"] if isinstance(row["topic"], str) else None, row["label"])
    assert got == expected


def test_a_business_topic_is_a_label(tmp_path):
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "vi": "Vệ sinh"}}})
    write(tmp_path, "comment,factor,topic\ncó gián,product,hygiene\nbẩn quá,product,Vệ sinh\n")
    assert read_labels(tmp_path, taxonomy=tax).frame["label"].tolist() == ["hygiene", "hygiene"]
    assert read_labels(tmp_path).rejects["reason"].tolist() == ["unknown_topic"] * 2


def test_bad_rows_are_set_aside_with_their_reasons(tmp_path):
    write(tmp_path, "\n".join([
        "comment_id,comment,factor,topic",
        ",giá đắt quá,product,price",  # 2 kept
        ",trời mưa,weather,",  # 3
        ",phòng bẩn,product,hygiene",  # 4
        ",giao chậm,people,delivery",  # 5
        "S404,,people,",  # 6
        ",,people,",  # 7
        "S1,,people,staff_attitude",  # 8 kept: the survey's comment
        ",   ,product,",  # 9
        ",không factor,,",  # 10
    ]) + "\n")
    surveys = pd.DataFrame({"survey_id": ["S1", "S2"], "comment": ["nv gắt", None]})
    labels = read_labels(tmp_path, surveys)
    assert labels.read == 9
    assert len(labels.frame) + len(labels.rejects) == labels.read
    assert labels.frame[["row", "comment", "label"]].values.tolist() == [
        [2, "giá đắt quá", "price"], [8, "nv gắt", "staff_attitude"]]
    assert labels.rejects.values.tolist() == [
        [3, "factor", "unknown_factor", "weather"],
        [4, "topic", "unknown_topic", "hygiene"],
        [5, "topic", "topic_not_in_factor", "delivery"],
        [6, "comment_id", "unknown_comment_id", "S404"],
        [7, "comment", "no_comment", ""],
        [9, "comment", "no_comment", ""],
        [10, "factor", "unknown_factor", ""],
    ]
    without_surveys = read_labels(tmp_path)
    assert "unknown_comment_id" in without_surveys.rejects["reason"].tolist()
    assert len(without_surveys.frame) + len(without_surveys.rejects) == without_surveys.read


@pytest.mark.parametrize("text, column", [
    ("comment,topic\nx,delivery\n", "factor"),
    ("text,factor\nx,people\n", "comment"),
    ("factor\npeople\n", "comment"),
])
def test_missing_columns_name_the_file_and_the_column(tmp_path, text, column):
    path = write(tmp_path, text)
    with pytest.raises(carework.DataError) as info:
        read_labels(tmp_path)
    assert info.value.file == str(path)
    assert info.value.column == column
    assert str(path) in str(info.value) and column in str(info.value)


def test_an_unreadable_file_names_the_file(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("comment,factor\nGiao chậm,convenience\n".encode("utf-16"))
    with pytest.raises(carework.DataError) as info:
        read_labels(tmp_path)
    assert info.value.file == str(path)


# -- the business model -------------------------------------------------------------------------

def test_without_labels_the_business_model_is_the_shipped_one(tmp_path, fresh_cache,
                                                             monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("a model was trained although the folder has no labels")

    monkeypatch.setattr(RootCauseClassifier, "fit", no_fit)
    assert business_classifier(None) is default_classifier()
    assert business_classifier(tmp_path) is default_classifier()
    write(tmp_path, "comment,factor\ntrời mưa,weather\n")  # no usable label either
    assert business_classifier(tmp_path) is default_classifier()
    assert not (fresh_cache / "models").exists()


def test_folder_thresholds_apply_to_the_shipped_model(fresh_cache, monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("a model was trained although there are no labels")

    monkeypatch.setattr(RootCauseClassifier, "fit", no_fit)
    settings_ = Settings.from_mapping({"text": {"complaint_threshold": 0.8,
                                                "secondary_share": 0.4}})
    clf = business_classifier(None, settings_)
    assert (clf.complaint_threshold, clf.secondary_share) == (0.8, 0.4)
    assert clf._coef is default_classifier()._coef
    assert default_classifier().complaint_threshold == 0.5


@pytest.fixture(scope="module")
def taught(tmp_path_factory) -> SimpleNamespace:
    """A folder whose labels teach the driving-school register as staff_skills, its model
    (trained once, here) and how many times a model was fitted."""
    root = tmp_path_factory.mktemp("taught")
    folder = root / "shop"
    folder.mkdir()
    for comment in TEACH:
        record_label(folder, comment, "people", "staff_skills")
    fits = []
    real_fit = RootCauseClassifier.fit

    def counting_fit(self, texts, labels, sample_weight=None):
        fits.append(1)
        return real_fit(self, texts, labels, sample_weight)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAREWORK_CACHE", str(root / "cache"))
        mp.setattr(labels_module, "_MODELS", {})
        mp.setattr(RootCauseClassifier, "fit", counting_fit)
        first = business_classifier(folder)
        second = business_classifier(folder)
        strict = business_classifier(folder, Settings.from_mapping(
            {"text": {"complaint_threshold": 0.8}}))
    return SimpleNamespace(folder=folder, cache=root / "cache", first=first, second=second,
                           strict=strict, fits=len(fits))


def test_labels_train_a_model_once_and_save_it_as_plain_data(taught):
    assert taught.fits == 1
    assert taught.second is taught.first
    assert taught.first is not default_classifier()
    assert taught.first.meta_["labels"] == len(TEACH)
    assert taught.strict.complaint_threshold == 0.8 and taught.first.complaint_threshold == 0.5
    assert taught.strict._coef is taught.first._coef  # thresholds are no reason to retrain
    saved = list((taught.cache / "models").glob("*.npz"))
    assert [p.name for p in saved] == [f"comments-{taught.first.meta_['key']}.npz"]
    with np.load(saved[0], allow_pickle=False) as data:
        assert all(data[name].dtype.kind != "O" for name in data.files)


def test_a_fresh_process_loads_the_saved_model_instead_of_training(taught):
    code = f"""
import json, sys, time
from carework.text.model import RootCauseClassifier
def no_fit(*args, **kwargs):
    raise SystemExit("RootCauseClassifier.fit was called: the saved model was not used")
RootCauseClassifier.fit = no_fit
from carework.text.labels import business_classifier
started = time.perf_counter()
clf = business_classifier({str(taught.folder)!r})
seconds = time.perf_counter() - started
reading = clf.read({UNSEEN!r})
print(json.dumps({{"seconds": seconds, "key": clf.meta_.get("key"),
                  "topics": reading["topic"].tolist(),
                  "p": reading["complaint_probability"].tolist()}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False,
                          env={**os.environ, "CAREWORK_CACHE": str(taught.cache)})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["key"] == taught.first.meta_["key"]
    expected = taught.first.read(UNSEEN)
    assert result["topics"] == expected["topic"].tolist()
    np.testing.assert_allclose(result["p"], expected["complaint_probability"])
    assert result["seconds"] < 2.0, f"loading the business model took {result['seconds']:.2f} s"


def test_labels_change_how_the_labelled_register_is_read(taught):
    shipped = default_classifier().read(TEACH + UNSEEN)
    assert (shipped["topic"] != "staff_skills").sum() >= len(TEACH) // 2 + len(UNSEEN), \
        "the shipped model already reads this register as staff_skills: invent another one"
    unseen = taught.first.read(UNSEEN)
    assert unseen["factor"].tolist() == ["people"] * len(UNSEEN)
    assert unseen["topic"].tolist() == ["staff_skills"] * len(UNSEEN)
    others = ["giao hàng chậm quá", "hàng bị vỡ", "cảm ơn shop"]  # the rest is read as before
    assert taught.first.read(others)["factor"].tolist() == \
        default_classifier().read(others)["factor"].tolist()


def test_every_labelled_comment_is_read_as_labelled(taught):
    reading = taught.first.read(TEACH)
    wrong = reading[reading["topic"] != "staff_skills"]
    assert wrong.empty, pd.concat([pd.Series(TEACH, name="comment"), reading], axis=1).loc[
        wrong.index, ["comment", "topic", "complaint_probability"]].to_string()


# -- what labels bring --------------------------------------------------------------------------

def test_cross_validation_needs_as_many_labels_as_folds():
    frame = pd.DataFrame({"comment": TEACH[:3], "label": ["staff_skills"] * 3})
    result = cross_validated(frame, folds=5)
    assert math.isnan(result["before"]) and math.isnan(result["after"])
    assert (result["n"], result["folds"]) == (3, 5)


def test_cross_validation_measures_before_and_after(monkeypatch):
    """The folds' models come from ``train`` (replaced here by a small, fast one: what is
    tested is the before/after bookkeeping, not the corpus)."""
    import carework.text.train as train_module

    small_texts = ["giao hàng chậm", "ship trễ", "hàng bị vỡ", "sp hỏng", "nv cộc lốc",
                   "nhân viên gắt", "cảm ơn shop", "hài lòng"]
    small_labels = ["delivery", "delivery", "product_quality", "product_quality",
                    "staff_attitude", "staff_attitude", "praise", "praise"]
    seen = []

    def small_train(taxonomy=None, extra=None, extra_weight=3.0, **params):
        seen.append((len(extra), extra_weight))
        return RootCauseClassifier().fit(
            [*small_texts, *extra["comment"]], [*small_labels, *extra["label"]],
            [1.0] * len(small_texts) + [extra_weight] * len(extra))

    monkeypatch.setattr(train_module, "train", small_train)
    delivery = ["đơn đặt tuần trước vẫn chưa thấy giao", "shipper giao nhầm địa chỉ",
                "chờ giao hàng mãi", "giao hàng trễ hẹn 2 ngày", "ship chậm quá"]
    frame = pd.DataFrame({"comment": TEACH + delivery,
                          "label": ["staff_skills"] * len(TEACH) + ["delivery"] * len(delivery)})
    result = cross_validated(frame, labels_weight=2.0, folds=3)
    n = len(frame)
    assert (result["n"], result["folds"]) == (n, 3)
    assert sorted(seen) == [(7, 2.0), (7, 2.0), (8, 2.0)]  # each fold: the other folds' labels
    assert result["before"] == default_classifier().score(frame["comment"], frame["label"])
    assert 0.0 <= result["before"] < result["after"] <= 1.0, result


def test_cross_validation_with_a_business_topic():
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "aliases": ["gián"]}}})
    frame = pd.DataFrame({"comment": ["có gián trong phòng", "bàn bẩn có gián", "giao chậm",
                                      "ship trễ"],
                          "label": ["hygiene", "hygiene", "delivery", "delivery"]})
    result = cross_validated(frame, tax, folds=2)
    assert 0.0 <= result["before"] <= 1.0
