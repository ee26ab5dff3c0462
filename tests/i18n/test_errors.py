"""Errors a user reads (carework.DataError, carework.ModelError) come from the message table, in
Vietnamese by default and in English on request, with the column and file they name kept."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable

import pandas as pd
import pytest

import carework
from carework import churn
from carework.export import write_table
from carework.i18n import MESSAGES, language
from carework.settings import Settings

VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323"}


def has_vietnamese(text: str) -> bool:
    return any(ch in "đĐ" or ch in VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", text))


def sentences(lang: str) -> set[str]:
    """The fixed wording of every error and fix in ``lang``: each template's literal text
    between placeholders, where it holds at least three words."""
    out = set()
    for key in MESSAGES:
        if not key.startswith(("err.", "fix.", "settings.")):
            continue
        for literal, *_ in string.Formatter().parse(MESSAGES[key][lang]):
            literal = literal.strip(" :,;()'—")
            if len(re.findall(r"[^\W\d_]{2,}", literal)) >= 3:
                out.add(literal)
    return out


def bad_setting() -> None:
    Settings.from_mapping({"segments": {"vip_top_share": 0.9}}, "carework.toml")


def unknown_setting() -> None:
    Settings.from_mapping({"churn": {"horizon": 30}}, "carework.toml")


def nobody_bought_twice() -> None:
    churn.fit(pd.DataFrame([(0, 0, 10)] * 20, columns=["frequency", "recency", "T"],
                           dtype=float))


def few_repeat_buyers() -> None:
    rows = [(2, 30, 100, 50_000.0)] * 3 + [(0, 0, 100, 0.0)] * 30
    churn.fit_spend(pd.DataFrame(rows, columns=["frequency", "recency", "T", "monetary_value"]))


def unknown_extension(tmp_path) -> None:  # noqa: ANN001 — pytest's tmp_path
    write_table(pd.DataFrame({"a": [1]}), tmp_path / "scores.txt")


CASES = {
    # name: (raise it, column, file, problem in vi, problem in en)
    "bad setting": (
        bad_setting, "vip_top_share", "carework.toml",
        "quy tắc phân nhóm: vip_top_share = 0.9 không hợp lý, cần tỷ lệ trên số khách đã mua, "
        "lớn hơn 0 và không quá 0.5",
        "segment rules: vip_top_share = 0.9 makes no sense: a share of the buyers above 0 and "
        "at most 0.5"),
    "unknown setting": (
        unknown_setting, "horizon", "carework.toml",
        "[churn]: không có thiết lập 'horizon'",
        "[churn]: unknown setting 'horizon'"),
    "nobody bought twice": (
        nobody_bought_twice, None, None,
        "trong giai đoạn này không khách nào mua lần thứ hai, nên mô hình không học được khách "
        "quay lại thường xuyên đến mức nào",
        "nobody bought a second time in the period, so the model cannot learn how often "
        "customers return"),
    "too few repeat buyers": (
        few_repeat_buyers, None, None,
        "chỉ có 3 khách mua từ hai lần trở lên: quá ít để học mức chi tiêu của khách",
        "only 3 customers bought more than once: too few to learn how much customers spend"),
    "unknown export extension": (
        unknown_extension, None, "scores.txt",
        "tệp xuất phải có đuôi là một trong .csv, .xlsx, .parquet",
        "the output must end in one of .csv, .xlsx, .parquet"),
}


def raised(make: Callable, lang: str, tmp_path) -> carework.DataError:  # noqa: ANN001
    with language(lang), pytest.raises(carework.DataError) as info:
        make(tmp_path) if make is unknown_extension else make()
    return info.value


@pytest.mark.parametrize("name", CASES)
def test_the_error_is_in_vietnamese_by_default_and_in_english_on_request(name, tmp_path):
    make, column, file, vi_problem, en_problem = CASES[name]
    with language("vi"):
        vi = raised(make, "vi", tmp_path)
    en = raised(make, "en", tmp_path)
    assert vi.problem == vi_problem and en.problem == en_problem
    assert vi.fix and en.fix and vi.fix != en.fix
    assert has_vietnamese(vi.problem) and has_vietnamese(vi.fix)
    assert not has_vietnamese(str(en))
    # where it is and what it is about do not depend on the language
    assert vi.column == en.column == column
    assert vi.file == en.file == file
    if column is not None:
        assert column in vi.problem and column in en.problem  # names stay untranslated
    assert isinstance(vi, ValueError)  # DataError is still a ValueError for older callers


@pytest.mark.parametrize("name", CASES)
def test_no_sentence_of_the_other_language_is_left_in_the_message(name, tmp_path):
    make = CASES[name][0]
    vi, en = str(raised(make, "vi", tmp_path)), str(raised(make, "en", tmp_path))
    assert [s for s in sentences("en") if s in vi] == []
    assert [s for s in sentences("vi") if s in en] == []


def test_the_fix_follows_the_language_too(tmp_path):
    vi, en = raised(bad_setting, "vi", tmp_path), raised(bad_setting, "en", tmp_path)
    assert vi.fix == "sửa lại giá trị, hoặc xoá dòng này để dùng giá trị mặc định"
    assert en.fix == "change it or remove it to use the default"
    assert str(en) == f"carework.toml: {en.problem} — {en.fix}"
    moved = raised(lambda: Settings.from_mapping({"churn": {"lapsed_risk": 0.9}}), "en",
                   tmp_path)
    assert moved.column == "lapsed_risk" and "[churn] risk_bands" in moved.fix
    with language("vi"):
        assert "[churn] risk_bands" in raised(
            lambda: Settings.from_mapping({"churn": {"lapsed_risk": 0.9}}), "vi", tmp_path).fix


def test_a_model_error_follows_the_language(cdnow):
    from dataclasses import replace

    model = replace(churn.fit(cdnow), log_covariance=None)
    with language("vi"), pytest.raises(carework.ModelError) as vi:
        model.intervals()
    with language("en"), pytest.raises(carework.ModelError) as en:
        model.intervals()
    assert str(en.value) == "this model has no covariance: refit it"
    assert str(vi.value) == ("mô hình này không có ma trận hiệp phương sai: hãy ước lượng lại "
                             "mô hình")
