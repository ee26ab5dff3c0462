"""Root causes of complaints: hand-written comments (not from the sample generator), the scores
of the classifier on the generator hold-out and on the independent corpus, and robustness."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carework.text import (
    FACTORS,
    TOPIC_FACTOR,
    EvaluationResult,
    KeywordClassifier,
    RootCauseClassifier,
    default_classifier,
    evaluate,
    labelled_sample_comments,
    load_corpus,
    normalise,
    root_cause,
    topic,
)
from carework.vntext import fold

INDEPENDENT = Path(__file__).parent / "data" / "complaints_independent.csv"

# Measured (benchmarks/RESULTS.md, "Complaint root causes"): the thresholds sit a little below.
HOLDOUT_MIN_MACRO_F1 = 0.98  # measured 1.000 (0.9996)
INDEPENDENT_MIN_MACRO_F1 = 0.82  # measured 0.856

CASES = [
    pytest.param("Hàng giao tới bị vỡ nát, dùng không được", "product", marks=pytest.mark.xfail(
        strict=True, reason="known miss: 'giao tới' pulls it to delivery; broken on arrival is "
                            "a product-quality complaint in the handbook")),
    ("hang bi loi, dung 2 ngay la hu", "product"),
    ("Giá đắt quá so với chỗ khác", "product"),
    ("đổi trả rắc rối, bảo hành lâu", "product"),
    ("Shipper giao trễ 3 ngày", "convenience"),
    ("ship cham qua, dat tu thu 2 toi thu 6 moi nhan", "convenience"),
    ("Bị trừ tiền hai lần mà chưa được hoàn tiền", "convenience"),
    ("cửa hàng đóng cửa sớm hơn giờ ghi trên bảng", "convenience"),
    ("nv thai do coc loc, hoi k tra loi", "people"),
    ("Nhân viên tư vấn sai, mua về không dùng được cho máy", "people"),
    ("staff rude lắm", "people"),
    ("Cảm ơn shop", "other"),
    ("", "other"),
    # more, written for this module
    ("áo mặc 1 lần giặt xong phai màu hết", "product"),
    ("sp ko giong hinh, mau xau hon tren web nhieu", "product"),
    ("hộp móp méo hết, đồ bên trong xước", "product"),
    ("dat hang 1 tuan roi van chua thay giao", "convenience"),
    ("quẹt thẻ lỗi mà vẫn bị trừ tiền", "convenience"),
    ("đến nơi 8h sáng mà cửa hàng chưa mở cửa", "convenience"),
    ("khong co cho gui xe, phai dau ngoai duong", "convenience"),
    ("bạn nhân viên nói chuyện rất khó chịu, hỏi gì cũng gắt", "people"),
    ("nvien ko nam dc thong tin sp, hoi 3 nguoi 3 cau tra loi khac nhau", "people"),
    ("giao hàng nhanh, đóng gói cẩn thận, sẽ ủng hộ tiếp", "other"),
    ("nhân viên nhiệt tình, dễ thương", "other"),
    ("bình thường", "other"),
    ("👍👍", "other"),
]


@pytest.mark.parametrize("comment, factor", CASES)
def test_root_cause_of_hand_written_comments(comment, factor):
    assert root_cause([comment]) == [factor]


def test_every_topic_has_a_factor_and_missing_comments_are_other():
    assert set(TOPIC_FACTOR.values()) <= set(FACTORS)
    assert root_cause([None, float("nan")]) == ["other", "other"]
    assert topic(["giao hàng chậm"]) == ["delivery"]


def test_topic_agrees_with_root_cause():
    comments = [(c.values if hasattr(c, "values") else c)[0] for c in CASES]
    comments += [None, "hàng lỗi", "nv tư vấn sai"]
    for name, factor in zip(topic(comments), root_cause(comments), strict=True):
        assert (name is None) == (factor == "other")
        assert name is None or TOPIC_FACTOR[name] == factor


@pytest.mark.parametrize("comment", [
    None, float("nan"), np.nan, pd.NA, "", "   ", "\n\t", "👍👍", "😡😡😡", "!!!", "...", ":(",
    "123", 42, 3.5, b"giao hang cham",
])
def test_missing_empty_and_symbol_only_comments_are_other(comment):
    assert root_cause([comment]) == ["other"]
    assert topic([comment]) == [None]


def test_long_text_mixed_inputs_and_order():
    long = "giao hàng chậm quá, " * 5000 + "🙁" * 1000
    comments = pd.Series([long, None, "hàng bị vỡ", "", "nv cộc lốc"], index=[9, 7, 5, 3, 1])
    assert root_cause(comments) == ["convenience", "other", "product", "other", "people"]
    assert root_cause(np.array(comments, dtype=object)) == root_cause(comments.tolist())
    assert root_cause(iter(["giao hàng chậm"])) == ["convenience"]
    assert root_cause([]) == []
    assert topic([]) == []


def test_normalise_folds_expands_shorthand_and_squeezes():
    assert normalise("Nv trả lời cộc lốc, ship chậmmmm quá!! 👎") == \
        "nhan vien tra loi coc loc giao hang cham qua emoneg"  # 👎 becomes a polarity token
    assert normalise("hok dc, khum bik j") == "khong duoc khong biet gi"
    assert normalise("ĐƠN HÀNG\nSAI") == "don hang sai"
    assert normalise("ca\u0301 hô\u0300") == "ca ho"  # decomposed input
    assert normalise("👍👍") == normalise(None) == normalise("") == ""


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ" \
    "úùủũụứừửữựýỳỷỹỵ"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.!?0123456789", max_size=80))
def test_removing_diacritics_never_changes_the_prediction(comment):
    assert root_cause([comment]) == root_cause([fold(comment)])
    assert normalise(comment) == normalise(fold(comment))


@pytest.fixture(scope="module")
def holdout() -> pd.DataFrame:
    """The generator hold-out: seed 42, 3000 customers (the shipped data/sample)."""
    return labelled_sample_comments(customers=3000, seed=42)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_folded_holdout_comments_keep_their_factor(holdout, data):
    comment = data.draw(st.sampled_from(holdout["comment"].tolist()))
    assert root_cause([fold(comment)]) == root_cause([comment])


def test_folded_holdout_scores_the_same(holdout):
    comments = holdout["comment"].tolist()
    assert root_cause([fold(c) for c in comments]) == root_cause(comments)


def test_macro_f1_on_the_generator_holdout(holdout):
    result = evaluate(holdout["comment"], holdout["factor"])
    assert result.n == len(holdout) > 1000
    assert result.macro_f1 >= HOLDOUT_MIN_MACRO_F1
    assert result.macro_f1 > evaluate(holdout["comment"], holdout["factor"],
                                      KeywordClassifier()).macro_f1


@pytest.mark.skipif(not INDEPENDENT.exists(),
                    reason="tests/data/complaints_independent.csv (the independent corpus) is "
                           "missing")
def test_macro_f1_on_the_independent_corpus():
    corpus = load_corpus(INDEPENDENT)
    result = evaluate(corpus["comment"], corpus["factor"])
    assert result.n == len(corpus) > 100
    assert result.macro_f1 >= INDEPENDENT_MIN_MACRO_F1


def test_evaluate_reports_per_class_scores_and_a_confusion_matrix():
    texts = ["giao hàng chậm", "hàng bị vỡ", "nv cộc lốc", "cảm ơn", "ship trễ"]
    labels = ["delivery", "product", "staff_attitude", None, "convenience"]
    result = evaluate(texts, labels, KeywordClassifier())
    assert isinstance(result, EvaluationResult)
    assert result.n == 5
    assert result.macro_f1 == result.accuracy == 1.0
    assert list(result.confusion.index) == list(result.confusion.columns) == list(FACTORS)
    assert result.confusion.to_numpy().trace() == 5
    assert result.report["convenience"]["support"] == 2
    assert math.isclose(result.report["macro avg"]["f1-score"], 1.0)
    with pytest.raises(ValueError, match="unknown label"):
        evaluate(["x"], ["shipping"])


def test_classifier_is_an_estimator():
    from sklearn.base import clone

    texts = ["giao hàng chậm", "ship trễ", "hàng bị vỡ", "sp bị hỏng", "nv cộc lốc",
             "nhân viên thái độ", "cảm ơn shop", "hài lòng"]
    labels = ["delivery", "delivery", "product_quality", "product_quality", "staff_attitude",
              "people", "other", None]
    clf = RootCauseClassifier(C=5.0)
    assert clone(clf).get_params() == clf.get_params()
    assert clf.fit(texts, labels) is clf
    assert list(clf.classes_) == list(FACTORS)
    proba = clf.predict_proba(texts + [None])
    assert proba.shape == (9, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba[-1].tolist() == [0.0, 0.0, 0.0, 1.0]
    again = RootCauseClassifier(C=5.0).fit(texts, labels).predict_proba(texts)
    np.testing.assert_array_equal(again, proba[:-1])  # deterministic
    assert clf.score(texts, labels) == 1.0
    with pytest.raises(RuntimeError, match="not fitted"):
        RootCauseClassifier().predict(["x"])
    with pytest.raises(ValueError, match="granularity"):
        RootCauseClassifier(granularity="word").fit(texts, labels)


def test_default_model_is_trained_once():
    assert default_classifier() is default_classifier()
