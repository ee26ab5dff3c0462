"""The comment classifier: readings, plain-data storage, reading parameters, labels it learns."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from carework.text import (
    FACTORS,
    OUTCOMES,
    READING_COLUMNS,
    REASONS,
    TOPIC_FACTOR,
    RootCauseClassifier,
    default_classifier,
    load_corpus,
    read,
    taxonomy_with,
)
from carework.text.model import parse_label, primary_truth
from carework.text.taxonomy import default_taxonomy

TEXTS = ["giao hàng chậm", "ship trễ 3 ngày", "shipper giao sai địa chỉ", "hàng bị vỡ",
         "sp bị hỏng", "áo rách một lỗ", "nv cộc lốc", "nhân viên thái độ", "nv gắt gỏng",
         "giá đắt quá", "tăng giá vô lý", "cảm ơn shop", "hài lòng", "tuyệt vời",
         "đã nhận hàng", "bình thường"]
LABELS = ["delivery", "delivery", "delivery", "product_quality", "product_quality",
          "product_quality", "staff_attitude", "staff_attitude", "staff_attitude", "price",
          "price", "praise", "praise", "praise", "neutral", "neutral"]

MIXED = "hàng đẹp nhưng giao chậm, nhân viên thì cộc lốc"


@pytest.fixture(scope="module")
def small() -> RootCauseClassifier:
    return RootCauseClassifier(C=10).fit(TEXTS, LABELS)


@pytest.fixture(scope="module")
def mixed_comments() -> list[object]:
    """200 comments of every kind: corpus comments (some folded), foreign, unreadable, empty."""
    corpus = load_corpus()["comment"].tolist()
    rng = np.random.default_rng(0)
    picked = [corpus[i] for i in rng.choice(len(corpus), 170, replace=False)]
    extra = ["配送太慢了", "Livraison très lente", "asdfgh qwrtzx", "Giao hÃ ng cháº­m", "k", "?",
             "0903 456 789", "", None, float("nan"), "👍👍", "The agent was rude",
             "nv k dc j", "ship chậmmm", MIXED, "hàng bị vỡ", "cảm ơn shop",
             "giao hàng chậm " * 200, "hàng bị vỡ", "HÀNG BỊ VỠ", "hang bi vo", "\n\t",
             "ok", "bình thường", "thất vọng", "kem chống nắng bôi lên bị nổi mụn",
             "phòng có gián", "quẹt thẻ lỗi mà vẫn bị trừ tiền", "bãi gửi xe chật",
             "đến nơi thì cửa hàng đóng cửa"]
    assert len(picked + extra) == 200
    return picked + extra


def check_reading(reading: pd.DataFrame, n: int, complaint_threshold: float = 0.5) -> None:
    """The contract of a reading, row by row."""
    assert list(reading.columns) == list(READING_COLUMNS)
    assert len(reading) == n
    assert reading.index.tolist() == list(range(n))
    for row in reading.itertuples(index=False):
        assert row.factor in OUTCOMES
        factors = row.factors.split(";") if row.factors else []
        topics = row.topics.split(";") if row.topics else []
        if row.factor == "unknown":
            assert row.reason in REASONS
            assert row.sentiment == "unknown"
            assert row.topic is None and factors == [] and topics == []
            assert math.isnan(row.confidence) and math.isnan(row.complaint_probability)
            continue
        assert row.reason is None
        assert 0.0 <= row.confidence <= 1.0
        assert 0.0 <= row.complaint_probability <= 1.0
        if row.factor == "other":
            assert row.sentiment in ("praise", "neutral")
            assert row.topic is None and factors == [] and topics == []
            assert row.complaint_probability < complaint_threshold
            assert math.isclose(row.confidence, 1.0 - row.complaint_probability)
        else:
            assert row.sentiment == "complaint"
            assert row.complaint_probability >= complaint_threshold
            assert factors[0] == row.factor  # the primary factor comes first
            assert len(set(factors)) == len(factors) and set(factors) <= set(FACTORS)
            assert row.topic is None or TOPIC_FACTOR[row.topic] == row.factor
            assert row.topic is None or topics[0] == row.topic
            assert {TOPIC_FACTOR[t] for t in topics} <= set(factors)  # one topic per factor
            assert row.confidence <= row.complaint_probability + 1e-12


# -- reading ------------------------------------------------------------------------------------

def test_a_fitted_model_reads_what_it_learned(small):
    comments = ["giao hàng trễ quá", "hàng vỡ hết", "nhân viên cộc lốc", "cam on shop nhe",
                "giá đắt", None, "配送太慢了"]
    reading = small.read(comments)
    check_reading(reading, len(comments))
    assert reading["factor"].tolist() == ["convenience", "product", "people", "other",
                                          "product", "other", "unknown"]
    assert reading["topic"].tolist()[:5] == ["delivery", "product_quality", "staff_attitude",
                                             None, "price"]
    assert reading["reason"].tolist()[-1] == "foreign_language"
    assert math.isnan(reading["confidence"].iloc[-1])
    assert reading["sentiment"].tolist()[3] == "praise"
    assert small.predict(comments).tolist() == reading["factor"].tolist()
    assert small.predict_causes(comments) == (reading["factor"].tolist(),
                                              [t if isinstance(t, str) else None
                                               for t in reading["topic"]])


def test_the_default_model_keeps_the_reading_contract(mixed_comments):
    check_reading(read(mixed_comments), len(mixed_comments))
    assert read([]).columns.tolist() == list(READING_COLUMNS)
    assert len(read([])) == 0


COMMENT_PARTS = ["giao hàng chậm", "hàng bị vỡ", "nv cộc lốc", "cảm ơn shop", "giá đắt",
                 "nhưng", "và", "😡", "👍", "k", "配送太慢了", "asdfgh", "!!", "2 ngày", "rude",
                 "bảo hành lâu", "ko tư vấn gì", "ok", "thanh toán lỗi", "đẹp"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(COMMENT_PARTS), max_size=5).map(" ".join),
                min_size=1, max_size=8))
def test_readings_keep_the_contract_and_do_not_depend_on_the_batch(comments):
    clf = default_classifier()
    reading = clf.read(comments)
    check_reading(reading, len(comments))
    for i, comment in enumerate(comments):
        alone = clf.read([comment])
        pd.testing.assert_frame_equal(alone, reading.iloc[[i]].reset_index(drop=True))


def test_a_reading_does_not_depend_on_the_comments_read_with_it():
    clf = default_classifier()
    punctuated = "hàng đẹp, nhưng giao chậm. nhân viên thì cộc lốc"
    plain = "hàng đẹp nhưng giao chậm nhân viên thì cộc lốc"  # normalises to the same text
    alone = clf.read([plain])
    pd.testing.assert_frame_equal(clf.read([punctuated, plain]).iloc[[1]].reset_index(drop=True),
                                  alone)
    pd.testing.assert_frame_equal(clf.read([plain, punctuated]).iloc[[0]].reset_index(drop=True),
                                  alone)


def test_a_model_reads_iterables_and_series():
    clf = default_classifier()
    comments = pd.Series(["giao hàng chậm", None, "hàng bị vỡ"], index=[9, 7, 5])
    expected = clf.read(comments.tolist())
    pd.testing.assert_frame_equal(clf.read(comments), expected)
    pd.testing.assert_frame_equal(clf.read(iter(comments)), expected)
    pd.testing.assert_frame_equal(clf.read(np.array(comments, dtype=object)), expected)


def test_a_comment_naming_two_factors_names_both():
    reading = read([MIXED]).iloc[0]
    assert reading["sentiment"] == "complaint"
    assert set(reading["factors"].split(";")) >= {"convenience", "people"}, \
        reading.to_dict()


def test_secondary_share_decides_which_factors_are_named():
    clf = default_classifier()
    wide = clf.copy(secondary_share=0.01).read([MIXED]).iloc[0]
    usual = clf.read([MIXED]).iloc[0]
    narrow = clf.copy(secondary_share=1.0).read([MIXED]).iloc[0]
    named = wide["factors"].split(";")
    assert {"convenience", "people"} <= set(named)
    assert len(wide["topics"].split(";")) == len(named)
    every = clf.copy(secondary_share=1e-12).read([MIXED]).iloc[0]["factors"].split(";")
    assert sorted(every) == ["convenience", "people", "product"] and every[0] == named[0]
    assert wide["factor"] == usual["factor"] == narrow["factor"] == named[0]  # the primary one
    # a narrower share names fewer factors, never others; the per-factor "is it named?"
    # models still name the second factor this comment plainly names
    assert set(narrow["factors"].split(";")) <= set(usual["factors"].split(";")) <= set(named)
    assert {"convenience", "people"} <= set(narrow["factors"].split(";"))


def test_copy_changes_readings_without_retraining(monkeypatch, mixed_comments):
    clf = default_classifier()
    before = clf.read(mixed_comments)

    def no_fit(*args, **kwargs):
        raise AssertionError("copy() must not train")

    monkeypatch.setattr(RootCauseClassifier, "fit", no_fit)
    strict = clf.copy(complaint_threshold=0.9)
    assert strict is not clf and strict._coef is clf._coef  # the learned arrays are shared
    assert strict.complaint_threshold == 0.9 and clf.complaint_threshold == 0.5
    assert strict.identity != clf.identity
    after = strict.read(mixed_comments)
    check_reading(after, len(mixed_comments), complaint_threshold=0.9)
    p = before["complaint_probability"]
    between = ((p >= 0.5) & (p < 0.9)).to_numpy()
    assert between.any(), "no comment between the thresholds: pick other comments"
    assert (after["factor"][between] == "other").all()
    assert (after["factor"][~between] == before["factor"][~between]).all()
    pd.testing.assert_series_equal(after["complaint_probability"], p)
    pd.testing.assert_frame_equal(clf.read(mixed_comments), before)  # the original is unchanged


def test_models_that_read_differently_have_different_identities():
    clf = default_classifier()
    by_clause = clf.copy(clauses=True)
    assert not by_clause.read([MIXED]).equals(clf.read([MIXED]))
    assert by_clause.identity != clf.identity
    assert clf.copy(complaint_threshold=0.7).identity != clf.identity


# -- plain-data storage -------------------------------------------------------------------------

def test_save_and_load_give_identical_readings(tmp_path, mixed_comments):
    clf = default_classifier()
    path = clf.save(tmp_path / "model.npz")
    assert path == tmp_path / "model.npz" and path.is_file()
    assert not list(tmp_path.glob("*.part"))
    with np.load(path, allow_pickle=False) as data:
        kinds = {name: data[name].dtype.kind for name in data.files}
    assert "O" not in kinds.values(), kinds
    started = time.perf_counter()
    loaded = RootCauseClassifier.load(path)
    seconds = time.perf_counter() - started
    assert seconds < 0.2, f"loading took {seconds:.3f} s"
    pd.testing.assert_frame_equal(loaded.read(mixed_comments), clf.read(mixed_comments))
    assert loaded.get_params() == clf.get_params()
    assert loaded.meta_ == clf.meta_
    assert loaded.vocabulary_ == clf.vocabulary_
    with open(path, "rb") as fh:  # an open file works too (the shipped model is a resource)
        pd.testing.assert_frame_equal(RootCauseClassifier.load(fh).read(mixed_comments),
                                      clf.read(mixed_comments))


def test_a_fitted_model_round_trips_its_own_topics(tmp_path):
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "aliases": ["gián"]}}})
    texts = [*TEXTS, "phòng có gián", "bàn bẩn có gián bò", "nhà vệ sinh bẩn, có gián"]
    labels = [*LABELS, "hygiene", "hygiene", "hygiene"]
    clf = RootCauseClassifier(taxonomy=tax, word_ngrams=(1, 1), char_ngrams=None).fit(texts,
                                                                                        labels)
    assert "hygiene" in clf.topic_classes_
    loaded = RootCauseClassifier.load(clf.save(tmp_path / "hygiene.npz"))
    comments = ["có gián trong phòng", "giao hàng chậm", "cảm ơn"]
    pd.testing.assert_frame_equal(loaded.read(comments), clf.read(comments))
    assert loaded.read(comments)["topic"].iloc[0] == "hygiene"
    assert loaded.char_ngrams is None and loaded.word_ngrams == (1, 1)


def test_a_loaded_business_model_scores_its_own_topics(tmp_path):
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "aliases": ["gián"]}}})
    texts = [*TEXTS, "phòng có gián", "bàn bẩn có gián bò"]
    labels = [*LABELS, "hygiene", "hygiene"]
    clf = RootCauseClassifier(taxonomy=tax).fit(texts, labels)
    loaded = RootCauseClassifier.load(clf.save(tmp_path / "hygiene.npz"))
    assert loaded.score(texts, labels) == clf.score(texts, labels)


def test_loading_refuses_other_files(tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, format=np.array("something else"))
    with pytest.raises(ValueError, match="not a carework comment model"):
        RootCauseClassifier.load(other)


# -- labels -------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, expected", [
    ("delivery", ("complaint", ("convenience",), ("delivery",))),
    ("delivery;staff_attitude", ("complaint", ("convenience", "people"),
                                 ("delivery", "staff_attitude"))),
    (" delivery ; price ", ("complaint", ("convenience", "product"), ("delivery", "price"))),
    (("price", "delivery"), ("complaint", ("product", "convenience"), ("price", "delivery"))),
    (["delivery", "payment"], ("complaint", ("convenience",), ("delivery", "payment"))),
    ("delivery;delivery", ("complaint", ("convenience",), ("delivery",))),
    ("people", ("complaint", ("people",), ())),
    ("people;staff_skills", ("complaint", ("people",), ("staff_skills",))),
    ("complaint", ("complaint", (), ())),
    ("praise", ("praise", (), ())),
    ("neutral", ("neutral", (), ())),
    ("other", ("neutral", (), ())),
    (None, ("neutral", (), ())),
    (float("nan"), ("neutral", (), ())),
    ("", ("neutral", (), ())),
    ("  ", ("neutral", (), ())),
])
def test_parse_label(label, expected):
    assert parse_label(label, default_taxonomy()) == expected


@pytest.mark.parametrize("label", ["shipping", "Delivery", "praise;delivery", "delivery;rude",
                                   "hygiene", "unknown"])
def test_parse_label_refuses_unknown_codes(label):
    with pytest.raises(ValueError, match="unknown label"):
        parse_label(label, default_taxonomy())


def test_parse_label_knows_a_business_topic():
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product"}}})
    assert parse_label("hygiene;delivery", tax) == ("complaint", ("product", "convenience"),
                                                    ("hygiene", "delivery"))
    assert primary_truth(["hygiene", "praise", "complaint", "people"], tax) == \
        ["product", "other", None, "people"]


def test_fit_refuses_unknown_labels_and_mismatched_lengths():
    with pytest.raises(ValueError, match="unknown label 'shipping'"):
        RootCauseClassifier().fit(TEXTS[:2], ["delivery", "shipping"])
    with pytest.raises(ValueError, match="3 texts but 2 labels"):
        RootCauseClassifier().fit(TEXTS[:3], LABELS[:2])


# -- estimator style ----------------------------------------------------------------------------

def test_the_classifier_is_an_estimator(small):
    clf = RootCauseClassifier(C=3.0, min_df=1, complaint_threshold=0.6)
    assert clf.fit(TEXTS, LABELS) is clf
    twin = clone(clf)
    assert twin is not clf and twin.get_params() == clf.get_params()
    with pytest.raises(RuntimeError, match="not fitted"):
        twin.read(["giao hàng chậm"])
    with pytest.raises(RuntimeError, match="not fitted"):
        RootCauseClassifier().predict(["x"])
    again = clone(clf).fit(TEXTS, LABELS)
    pd.testing.assert_frame_equal(again.read(TEXTS), clf.read(TEXTS))  # deterministic
    assert clf.set_params(C=5.0) is clf and clf.C == 5.0
    with pytest.raises(ValueError, match="invalid parameter"):
        clf.set_params(granularity="word")
    assert "C=5.0" in repr(clf)
    assert small.score(TEXTS, LABELS) == 1.0
    assert set(small.sentiment_classes_) == {"complaint", "praise", "neutral"}
    assert set(small.factor_classes_) == set(FACTORS)
    assert small.meta_["rows"] == len(TEXTS)
    assert small.meta_["complaints"] == sum(label not in ("praise", "neutral")
                                            for label in LABELS)
