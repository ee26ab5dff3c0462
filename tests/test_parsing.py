"""Column parsers: money, dates and scores, decided from the whole column."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carework.parsing import (
    ColumnFormatError,
    MoneyParse,
    excel_swap_fix,
    excel_swap_suspects,
    parse_datetime,
    parse_money,
    parse_money_detail,
    parse_score,
)

TODAY = pd.Timestamp("2026-01-31")


def col(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def money(*values: object) -> MoneyParse:
    return parse_money_detail(col(*values))


def amounts(*values: object) -> list[float]:
    return money(*values).values.tolist()


def dates(*values: object, **kwargs: object) -> list[pd.Timestamp]:
    return parse_datetime(col(*values), today=TODAY, **kwargs)[0].tolist()


def same(got: list[float], expected: list[float]) -> bool:
    """Equal lists of floats, NaN equal to NaN."""
    return len(got) == len(expected) and all(
        (math.isnan(g) and math.isnan(e)) if math.isnan(e) else g == e
        for g, e in zip(got, expected, strict=True))


# ================================================================================== money

def test_one_stray_english_decimal_does_not_flip_a_vietnamese_column():
    # the motivating bug: 49.5 made the column English and 199.000 became 199.0
    got = money("199.000", "199.000", "250.000", "199.000", "49.5")
    assert same(got.values.tolist(), [199000.0, 199000.0, 250000.0, 199000.0, math.nan])
    assert got.outliers.tolist() == [False, False, False, False, True]
    assert not got.bad.any()
    assert got.convention == "vi"


def test_english_majority_makes_the_vietnamese_value_the_outlier():
    got = money("12.99", "49.5", "1,250,000.50", "3.25", "199.000")
    assert same(got.values.tolist(), [12.99, 49.5, 1250000.5, 3.25, math.nan])
    assert got.outliers.tolist() == [False, False, False, False, True]
    assert got.convention == "en"


def test_parse_money_is_the_three_tuple_of_the_detail():
    values = col("199.000", "199.000", "199.000", "199.000", "49.5", "abc")
    parsed, bad, outliers = parse_money(values)
    detail = parse_money_detail(values)
    pd.testing.assert_series_equal(parsed, detail.values)
    assert bad.tolist() == [False] * 5 + [True]
    assert outliers.tolist() == [False] * 4 + [True, False]


def test_eighty_percent_wins_and_seventy_five_does_not():
    assert money("1.250.000", "2.000.000", "300.000", "4.000.000", "5,000,000").convention == "vi"
    with pytest.raises(ColumnFormatError) as info:
        money("1.250.000", "2.000.000", "300.000", "5,000,000")
    assert info.value.key == "err.mixed_numbers"


def test_half_and_half_raises_naming_both_examples_and_their_rows():
    values = pd.Series(["1.250.000", "800", "1,250,000"], index=[10, 11, 12])
    with pytest.raises(ColumnFormatError) as info:
        parse_money(values, rows=pd.Series([2, 3, 4], index=[10, 11, 12]))
    assert info.value.key == "err.mixed_numbers"
    assert info.value.params == {"vn": "1.250.000", "vn_row": 2, "en": "1,250,000", "en_row": 4}
    with pytest.raises(ColumnFormatError) as info:  # default: the index labels
        parse_money(values)
    assert (info.value.params["vn_row"], info.value.params["en_row"]) == (10, 12)


@pytest.mark.parametrize("written, value, convention", [
    ("1.250.000", 1_250_000.0, "vi"),
    ("1.250.000,5", 1_250_000.5, "vi"),
    ("1.250,75", 1_250.75, "vi"),
    ("12,5", 12.5, "vi"),
    ("0,05", 0.05, "vi"),
    ("199.000", 199_000.0, "vi"),     # weak evidence: money has no three decimals
    ("1,250,000.50", 1_250_000.5, "en"),
    ("1,250.5", 1_250.5, "en"),
    ("49.5", 49.5, "en"),
    ("12.99", 12.99, "en"),
    ("0.125", 0.125, "en"),          # 0.125 is not a thousands group
    ("1,250,000", 1_250_000.0, "en"),
    ("1,250", 1_250.0, "vi"),        # neutral: thousands either way (default convention)
    ("1250000", 1_250_000.0, "vi"),  # neutral
])
def test_each_shape_reads_in_its_own_convention(written, value, convention):
    got = money(written)
    assert got.values.tolist() == [value] and got.convention == convention


def test_neutral_values_read_the_same_in_either_convention():
    assert amounts("1,250", "800", "1.250.000") == [1250.0, 800.0, 1_250_000.0]
    assert amounts("1,250", "800", "1,250,000") == [1250.0, 800.0, 1_250_000.0]


@pytest.mark.parametrize("written, value", [
    ("1,5tr", 1_500_000), ("1.5tr", 1_500_000), ("1tr5", 1_500_000), ("1tr25", 1_250_000),
    ("1tr500", 1_500_000), ("1tr050", 1_050_000), ("2 triệu", 2_000_000),
    ("2trieu", 2_000_000), ("2 Triệu", 2_000_000), ("1,3tr", 1_300_000), ("500k", 500_000),
    ("500K", 500_000), ("2k5", 2_500), ("12,5k", 12_500), ("500 nghìn", 500_000),
    ("500 nghin", 500_000), ("500 ngàn", 500_000), ("500 ngan", 500_000),
    ("1,2 tỷ", 1_200_000_000), ("1,2 ty", 1_200_000_000), ("1,2 tỉ", 1_200_000_000),
    ("3 tỷ", 3_000_000_000), ("1tỷ2", 1_200_000_000), ("500k đ", 500_000),
    ("-1,5tr", -1_500_000), ("(500k)", -500_000),
])
def test_shorthand(written, value):
    assert amounts(written) == [float(value)]


def test_shorthand_does_not_vote():
    assert money("1.5tr", "199.000").values.tolist() == [1_500_000.0, 199_000.0]
    got = money("1,5tr", "12.99", "12.5")
    assert got.convention == "en" and got.values.tolist() == [1_500_000.0, 12.99, 12.5]


def test_shorthand_with_a_three_digit_fraction_is_unreadable():
    # 1.500k: 1,500 (decimal) or 1,500,000 (thousands)? not guessed
    got = money("1.500k", "1,250tr", "500k")
    assert got.bad.tolist() == [True, True, False]


@pytest.mark.parametrize("written, value, code", [
    ("₫ 199.000", 199_000.0, "VND"), ("₫199.000", 199_000.0, "VND"),
    ("VND 199.000", 199_000.0, "VND"), ("199.000đ", 199_000.0, "VND"),
    ("199.000 đ", 199_000.0, "VND"), ("199.000 VNĐ", 199_000.0, "VND"),
    ("199.000 vnd", 199_000.0, "VND"), ("199.000 đồng", 199_000.0, "VND"),
    ("199.000 Đồng", 199_000.0, "VND"), ("199.000 dong", 199_000.0, "VND"),
    ("£12.50", 12.5, "GBP"), ("GBP 12.50", 12.5, "GBP"), ("$12.50", 12.5, "USD"),
    ("12.50 USD", 12.5, "USD"), ("US$ 12.50", 12.5, "USD"), ("€12,50", 12.5, "EUR"),
    ("12,50 EUR", 12.5, "EUR"),
])
def test_currency_glyphs_and_words(written, value, code):
    got = money(written)
    assert got.values.tolist() == [value] and got.currencies == {code: 1}


def test_currencies_are_counted():
    got = money("£12.50", "$3.20", "12.00", "US$ 1.50", "$7.25 USD", "oops $")
    assert got.currencies == {"USD": 3, "GBP": 1}
    assert got.values.tolist()[:5] == [12.5, 3.2, 12.0, 1.5, 7.25]
    assert got.bad.tolist() == [False] * 5 + [True]
    assert money("1.250.000", "500").currencies == {}


def test_two_different_currencies_in_one_value_are_unreadable():
    assert money("$12.50 GBP").bad.tolist() == [True]


@pytest.mark.parametrize("written", [
    "-50.000", "(50.000)", "50.000-", "\u221250.000", "- 50.000", "-50.000 ₫", "(50.000 ₫)",
    "(50.000)đ", "₫ -50.000", "VND (50.000)", "'-50.000",
])
def test_negatives(written):
    assert amounts(written) == [-50_000.0]


def test_unicode_minus_is_a_minus():
    assert amounts("\u22121.250.000", "\u221212,5") == [-1_250_000.0, -12.5]


def test_two_signs_are_unreadable():
    assert money("-(50.000)", "--50.000").bad.tolist() == [True, True]


@pytest.mark.parametrize("written", [
    "nan", "NaN", "inf", "-inf", "Infinity", "#VALUE!", "#N/A", "#REF!", "#DIV/0!", "1e20",
    "1.5E+06", "1,25,000", "1.2.3", "12 5", "abc", "năm nghìn", "1" * 400,
])
def test_unreadable_text(written):
    got = money(written, "1.000")
    assert got.bad.tolist() == [True, False]
    assert same(got.values.tolist(), [math.nan, 1000.0])


def test_spaces_between_digit_groups_are_thousands():
    assert amounts("1 250 000", "1\u00a0250\u00a0000", "1\u202f250") == [1_250_000.0,
                                                                          1_250_000.0, 1250.0]


def test_typed_numbers():
    got = parse_money_detail(pd.Series([150000.0, 2500000.5, np.nan, np.inf, -np.inf]))
    assert same(got.values.tolist(), [150000.0, 2500000.5, math.nan, math.nan, math.nan])
    assert got.bad.tolist() == [False, False, False, True, True]
    assert not got.outliers.any()
    assert parse_money(pd.Series([1, 2], dtype="Int64"))[0].tolist() == [1.0, 2.0]


def test_typed_numbers_mixed_with_text_do_not_vote():
    # Excel: number cells as floats, text cells as strings, in one object column
    got = money(123.456, 2500000.5, "1.250.000", "99.000 đ", float("inf"), None, Decimal("7"))
    assert same(got.values.tolist(), [123.456, 2500000.5, 1_250_000.0, 99_000.0, math.nan,
                                      math.nan, 7.0])
    assert got.bad.tolist() == [False, False, False, False, True, False, False]
    assert got.convention == "vi"


def test_plain_integer_fast_path():
    got = parse_money_detail(pd.Series(["100000", "", "-5", "250000"], dtype="str"))
    assert same(got.values.tolist(), [100000.0, math.nan, -5.0, 250000.0])
    assert not got.bad.any() and not got.outliers.any()
    assert (got.convention, got.currencies) == ("vi", {})


def test_money_keeps_the_index():
    got = parse_money_detail(pd.Series(["1.000", "x"], index=["a", "b"]))
    assert got.values.index.tolist() == got.bad.index.tolist() == ["a", "b"]
    assert got.outliers.index.tolist() == ["a", "b"]


# ---------------------------------------------------------------------- money round trip

def _vi(units: int, cents: int | None) -> str:
    text = f"{units:,}".replace(",", ".")
    return text if cents is None else f"{text},{cents:02d}"


def _en(units: int, cents: int | None) -> str:
    text = f"{units:,}"
    return text if cents is None else f"{text}.{cents:02d}"


def _shorthand(amount: int, unit: str, size: int, comma: bool) -> str | None:
    """``amount`` in ``unit`` when exact with at most two decimals."""
    if amount % (size // 100):
        return None
    whole, rest = divmod(amount, size)
    frac = f"{rest * 100 // size:02d}".rstrip("0")
    text = f"{whole}{(',' if comma else '.') + frac if frac else ''}"
    return f"{text} {unit}" if unit in ("triệu", "tỷ", "nghìn") else f"{text}{unit}"


FORMATS = {
    "vi": lambda u, c: _vi(u, c),
    "en": lambda u, c: _en(u, c),
    "plain_dot": lambda u, c: str(u) if c is None else f"{u}.{c:02d}",
    "plain_comma": lambda u, c: str(u) if c is None else f"{u},{c:02d}",
    "vi_dong": lambda u, c: _vi(u, c) + "đ",
    "vi_glyph": lambda u, c: "₫ " + _vi(u, c),
    "vi_vnd": lambda u, c: "VND " + _vi(u, c),
    "vi_word": lambda u, c: _vi(u, c) + " đồng",
    "en_dollar": lambda u, c: "$" + _en(u, c),
    "en_code": lambda u, c: _en(u, c) + " USD",
}
ACCOUNTING = {
    "parentheses": lambda s: f"({s})", "trailing": lambda s: f"{s}-", "minus": lambda s: f"-{s}",
    "unicode": lambda s: f"\u2212{s}",
}

vnd_amount = st.integers(0, 10**10)
cents_amount = st.integers(0, 10**12)  # 2-decimal amounts up to 10^10


@settings(max_examples=300, deadline=None)
@given(whole=st.lists(vnd_amount, min_size=1, max_size=6),
       cents=st.lists(cents_amount, max_size=6),
       fmt=st.sampled_from(sorted(FORMATS)),
       negative=st.sampled_from([None, *sorted(ACCOUNTING)]))
def test_money_round_trip(whole, cents, fmt, negative):
    written, expected = [], []
    for amount in whole:
        written.append(FORMATS[fmt](amount, None))
        expected.append(float(amount))
    for amount in cents:
        written.append(FORMATS[fmt](*divmod(amount, 100)))
        expected.append(amount / 100)
    if negative:
        written = [ACCOUNTING[negative](w) for w in written]
        expected = [-e for e in expected]
    got = parse_money_detail(col(*written))
    assert got.values.tolist() == expected, written
    assert not got.bad.any() and not got.outliers.any()


@settings(max_examples=300, deadline=None)
@given(amount=vnd_amount,
       unit=st.sampled_from([("tr", 10**6), ("triệu", 10**6), ("k", 10**3), ("nghìn", 10**3),
                             ("tỷ", 10**9)]),
       comma=st.booleans())
def test_shorthand_round_trip(amount, unit, comma):
    written = _shorthand(amount - amount % (unit[1] // 100), unit[0], unit[1], comma)
    assert written is not None
    assert amounts(written) == [float(amount - amount % (unit[1] // 100))]


# ================================================================================== dates

@pytest.mark.parametrize("written, expected", [
    ("25/12/2024 9:30 SA", "2024-12-25 09:30"), ("25/12/2024 9:30 CH", "2024-12-25 21:30"),
    ("25/12/2024 9:30:15 SA", "2024-12-25 09:30:15"), ("25/12/2024 9:30 sa", "2024-12-25 09:30"),
    ("25/12/2024 9:30 ch", "2024-12-25 21:30"), ("25/12/2024 9:30CH", "2024-12-25 21:30"),
    ("25/12/2024 SA 9:30", "2024-12-25 09:30"), ("25/12/2024 CH 9:30:00", "2024-12-25 21:30"),
    ("25/12/2024 9:30 AM", "2024-12-25 09:30"), ("25/12/2024 9:30 pm", "2024-12-25 21:30"),
    ("25/12/2024 12:05 SA", "2024-12-25 00:05"), ("25/12/2024 12:05 CH", "2024-12-25 12:05"),
    ("25/12/2024 0:05 SA", "2024-12-25 00:05"), ("2024-12-25 9:30 CH", "2024-12-25 21:30"),
    ("2024-12-25 09:30:00 SA", "2024-12-25 09:30"), ("2024-12-25 SA 9:30", "2024-12-25 09:30"),
])
def test_am_pm_in_vietnamese_and_english(written, expected):
    assert dates(written) == [pd.Timestamp(expected)]


@pytest.mark.parametrize("written", ["25/12/2024 13:05 SA", "25/12/2024 0:05 CH",
                                     "25/12/2024 SA 9:30 CH", "25/12/2024 9:30 S"])
def test_impossible_am_pm_is_bad(written):
    parsed, bad, outliers = parse_datetime(col(written, "25/12/2024"))
    assert bad.tolist() == [True, False] and not outliers.any()


def test_two_digit_years():
    assert dates("25/12/24", "3/1/25", "25/12/24 9:30 CH", "31.01.26") == [
        pd.Timestamp("2024-12-25"), pd.Timestamp("2025-01-03"), pd.Timestamp("2024-12-25 21:30"),
        pd.Timestamp("2026-01-31")]


def test_two_digit_year_after_today_is_nineteen_hundred():
    assert dates("25/12/30", "01/02/26", "31/01/26 23:59", "29/02/00") == [
        pd.Timestamp("1930-12-25"), pd.Timestamp("1926-02-01"), pd.Timestamp("2026-01-31 23:59"),
        pd.Timestamp("2000-02-29")]
    # month-first two-digit years too; today defaults to now
    assert parse_datetime(col("12/25/99"))[0].tolist() == [pd.Timestamp("1999-12-25")]


def test_two_digit_year_with_dashes_is_bad():
    # 24-12-25 may be yy-mm-dd
    assert parse_datetime(col("24-12-25", "25/12/2024"))[1].tolist() == [True, False]


def test_excel_serials_in_text():
    assert dates("45123", "45123.5", "45123,75", "45123.5416") == [
        pd.Timestamp("2023-07-16"), pd.Timestamp("2023-07-16 12:00"),
        pd.Timestamp("2023-07-16 18:00"), pd.Timestamp("2023-07-16 12:59:54.240")]


def test_excel_serials_typed():
    parsed, bad, _ = parse_datetime(pd.Series([45123, 45123.25, np.nan, 100, 90000.0]))
    assert parsed.tolist()[:2] == [pd.Timestamp("2023-07-16"), pd.Timestamp("2023-07-16 06:00")]
    assert parsed[2:].isna().all()
    assert bad.tolist() == [False, False, False, True, True]
    # Excel General cells: ints and floats in an object column
    assert dates(45123, 45123.5, None) == [pd.Timestamp("2023-07-16"),
                                           pd.Timestamp("2023-07-16 12:00"), pd.NaT]


def test_excel_serial_range_bounds():
    parsed, bad, _ = parse_datetime(col("19999", "20000", "80000", "80001"))
    assert bad.tolist() == [True, False, False, True]
    assert parsed[1] == pd.Timestamp("1954-10-03") and parsed[2] == pd.Timestamp("2119-01-11")


def test_serials_mixed_with_real_dates_are_converted():
    parsed, bad, _ = parse_datetime(col("2025-01-01", "45123", "100", "25/12/2024"))
    assert parsed.tolist()[:2] == [pd.Timestamp("2025-01-01"), pd.Timestamp("2023-07-16")]
    assert bad.tolist() == [False, False, True, False]
    typed = parse_datetime(col(dt.datetime(2025, 1, 1), 45123.0))[0]
    assert typed.tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2023-07-16")]


def test_numbers_without_any_date_are_not_serials():
    assert parse_datetime(col("45123", "soon"))[1].tolist() == [True, True]


def test_typed_datetimes_mixed_with_strings_are_taken_as_they_are():
    values = col(dt.datetime(2026, 5, 3, 10, 30), "25/03/2026", pd.Timestamp("2026-01-02"),
                 dt.date(2026, 2, 1), np.datetime64("2026-02-03T04:05"), None, pd.NaT,
                 pd.Timestamp("2026-01-01 03:00", tz="UTC"))
    parsed, bad, outliers = parse_datetime(values)
    assert parsed.tolist() == [
        pd.Timestamp("2026-05-03 10:30"), pd.Timestamp("2026-03-25"), pd.Timestamp("2026-01-02"),
        pd.Timestamp("2026-02-01"), pd.Timestamp("2026-02-03 04:05"), pd.NaT, pd.NaT,
        pd.Timestamp("2026-01-01 10:00")]
    assert not bad.any() and not outliers.any()


def test_datetime_columns_pass_through():
    naive = pd.Series(pd.to_datetime(["2025-01-03", None]))
    assert parse_datetime(naive)[0].tolist() == [pd.Timestamp("2025-01-03"), pd.NaT]
    aware = pd.Series(pd.to_datetime(["2025-01-03 00:00"]).tz_localize("UTC"))
    parsed, bad, outliers = parse_datetime(aware)
    assert parsed.tolist() == [pd.Timestamp("2025-01-03 07:00")]
    assert not bad.any() and not outliers.any()


# ---------------------------------------------------------------------- date order majority

def test_day_first_majority_makes_month_first_values_outliers():
    values = col("25/03/2026", "14/02/2026", "30/01/2026", "13/12/2025", "03/25/2026",
                 "01/02/2026", "2026-01-05")
    parsed, bad, outliers = parse_datetime(values)
    assert parsed.tolist() == [
        pd.Timestamp("2026-03-25"), pd.Timestamp("2026-02-14"), pd.Timestamp("2026-01-30"),
        pd.Timestamp("2025-12-13"), pd.NaT, pd.Timestamp("2026-02-01"), pd.Timestamp("2026-01-05")]
    assert outliers.tolist() == [False, False, False, False, True, False, False]
    assert not bad.any()


def test_month_first_majority():
    values = col("03/25/2026", "02/14/2026", "01/30/2026", "12/13/2025", "25/03/2026",
                 "01/02/2026 2:15 PM")
    parsed, _, outliers = parse_datetime(values)
    assert parsed[5] == pd.Timestamp("2026-01-02 14:15") and pd.isna(parsed[4])
    assert outliers.tolist() == [False, False, False, False, True, False]


def test_no_majority_raises_mixed_dates():
    values = pd.Series(["25/03/2026", "14/02/2026", "30/01/2026", "03/25/2026"],
                       index=[5, 6, 7, 8])
    with pytest.raises(ColumnFormatError) as info:
        parse_datetime(values, rows=pd.Series([2, 3, 4, 5], index=[5, 6, 7, 8]))
    assert info.value.key == "err.mixed_dates"
    assert info.value.params == {"dmy": "25/03/2026", "dmy_row": 2,
                                 "mdy": "03/25/2026", "mdy_row": 5}


def test_explicit_order_always_wins_and_contradictions_are_outliers():
    values = col("03/25/2026", "03/24/2026", "25/03/2026", "01/02/2026")
    parsed, bad, outliers = parse_datetime(values, dayfirst=True)
    assert parsed.tolist() == [pd.NaT, pd.NaT, pd.Timestamp("2026-03-25"),
                               pd.Timestamp("2026-02-01")]
    assert outliers.tolist() == [True, True, False, False] and not bad.any()
    parsed, bad, outliers = parse_datetime(values, dayfirst=False)
    assert parsed.tolist() == [pd.Timestamp("2026-03-25"), pd.Timestamp("2026-03-24"), pd.NaT,
                               pd.Timestamp("2026-01-02")]
    assert outliers.tolist() == [False, False, True, False] and not bad.any()


def test_no_proof_needs_dayfirst_unless_day_equals_month():
    with pytest.raises(ColumnFormatError) as info:
        parse_datetime(col("03/04/2025", "05/06/2025"))
    assert info.value.key == "err.ambiguous_dates"
    assert info.value.params == {"example": "03/04/2025"}
    assert dates("03/04/2025", dayfirst=False) == [pd.Timestamp("2025-03-04")]
    assert dates("03/03/2025", "2025-01-01") == [pd.Timestamp("2025-03-03"),
                                                 pd.Timestamp("2025-01-01")]


def test_unreadable_dates_are_bad_not_outliers():
    parsed, bad, outliers = parse_datetime(col("31/02/2025", "13/13/2025", "3 March 2025",
                                               "2025-13-40", "", "25/12/2024"))
    assert bad.tolist() == [True, True, True, True, False, False]
    assert not outliers.any()


def test_dates_keep_the_index():
    parsed, bad, outliers = parse_datetime(pd.Series(["2025-01-01", "x"], index=[7, 3]))
    assert parsed.index.tolist() == bad.index.tolist() == outliers.index.tolist() == [7, 3]


# ---------------------------------------------------------------------- Excel day/month swap

def _excel_column(*cells: object) -> pd.Series:
    return pd.Series(list(cells), dtype=object)


def test_excel_swap_is_detected_and_undone():
    # typed in as 05/03/2026 and 02/01/2026 10:30 (dd/mm); a US-locale Excel made them dates
    # (3 May, 1 Feb); 25/03/2026 and 13/01/2026 stayed text
    values = _excel_column(dt.datetime(2026, 5, 3), "25/03/2026", dt.datetime(2026, 2, 1, 10, 30),
                           "13/01/2026", dt.datetime(2026, 3, 3), None)
    parsed = parse_datetime(values)[0]
    assert excel_swap_suspects(values, parsed).tolist() == [True, False, True, False, True, False]
    corrected, swapped = excel_swap_fix(values, parsed)
    assert corrected.tolist() == [
        pd.Timestamp("2026-03-05"), pd.Timestamp("2026-03-25"), pd.Timestamp("2026-01-02 10:30"),
        pd.Timestamp("2026-01-13"), pd.Timestamp("2026-03-03"), pd.NaT]
    assert swapped.tolist() == [True, False, True, False, False, False]  # 3/3 did not change


@pytest.mark.parametrize("cells", [
    # a typed date with a day above 12 was not swapped by Excel
    (dt.datetime(2026, 5, 3), dt.datetime(2026, 5, 20), "25/03/2026"),
    # no text proves day-first
    (dt.datetime(2026, 5, 3), "03/04/2026", "2026-03-25"),
    # text proving month-first contradicts the story
    (dt.datetime(2026, 5, 3), "25/03/2026", "25/04/2026", "25/05/2026", "25/06/2026",
     "03/25/2026"),
    # only typed dates
    (dt.datetime(2026, 5, 3), dt.datetime(2026, 6, 4)),
    # only text
    ("25/03/2026", "05/03/2026"),
])
def test_no_excel_swap_without_the_full_signature(cells):
    values = _excel_column(*cells)
    parsed = parse_datetime(values, dayfirst=True)[0]
    assert not excel_swap_suspects(values, parsed).any()
    corrected, swapped = excel_swap_fix(values, parsed)
    assert not swapped.any()
    pd.testing.assert_series_equal(corrected, parsed)


# ---------------------------------------------------------------------- dates round trip

moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 12, 31,
                                                                                  23, 59)
                       ).map(lambda d: d.replace(second=0, microsecond=0))


def _twelve_hour(d: dt.datetime, am: str, pm: str) -> str:
    return f"{(d.hour % 12) or 12}:{d.minute:02d} {am if d.hour < 12 else pm}"


DATE_FORMATS = {
    "iso": (lambda d: d.strftime("%Y-%m-%d %H:%M"), None),
    "iso_t": (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"), None),
    "dmy": (lambda d: d.strftime("%d/%m/%Y %H:%M"), "25/12/2020 10:00"),
    "dmy_dots": (lambda d: d.strftime("%d.%m.%Y %H:%M"), "25.12.2020 10:00"),
    "mdy": (lambda d: d.strftime("%m/%d/%Y %H:%M"), "12/25/2020 10:00"),
    "dmy_sa_ch": (lambda d: f"{d:%d/%m/%Y} {_twelve_hour(d, 'SA', 'CH')}", "25/12/2020 10:00 SA"),
    "dmy_windows": (lambda d: f"{d.day}/{d.month}/{d.year} "
                    f"{(d.hour % 12) or 12}:{d.minute:02d}:00 {'SA' if d.hour < 12 else 'CH'}",
                    "25/12/2020 10:00:00 SA"),
    "mdy_am_pm": (lambda d: f"{d:%m/%d/%Y} {_twelve_hour(d, 'AM', 'PM')}", "12/25/2020 10:00 AM"),
    "iso_sa_ch": (lambda d: f"{d:%Y-%m-%d} {_twelve_hour(d, 'SA', 'CH')}", None),
    "dmy_yy": (lambda d: d.strftime("%d/%m/%y %H:%M"), "25/12/20 10:00"),
    "serial_text": (lambda d: repr((d - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)),
                    None),
}


@settings(max_examples=300, deadline=None)
@given(stamps=st.lists(moments, min_size=1, max_size=8), fmt=st.sampled_from(sorted(DATE_FORMATS)))
def test_dates_round_trip(stamps, fmt):
    write, sentinel = DATE_FORMATS[fmt]
    written = [write(d) for d in stamps] + ([sentinel] if sentinel else [])
    # two-digit years: 19yy comes back because 20yy would be after "today"
    parsed, bad, outliers = parse_datetime(col(*written), today=pd.Timestamp("2030-12-31"))
    assert parsed.tolist()[:len(stamps)] == [pd.Timestamp(d) for d in stamps], written
    assert not bad.any() and not outliers.any()


@settings(max_examples=200, deadline=None)
@given(stamps=st.lists(moments, min_size=1, max_size=8))
def test_typed_excel_serials_round_trip(stamps):
    serials = [(d - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1) for d in stamps]
    assert parse_datetime(pd.Series(serials))[0].tolist() == [pd.Timestamp(d) for d in stamps]
    assert dates(*serials) == [pd.Timestamp(d) for d in stamps]


# ================================================================================== scores

@pytest.mark.parametrize("written, low, high, score, unreadable, off", [
    ("9", 0, 10, 9, False, False),
    ("9/10", 0, 10, 9, False, False),
    ("9 / 10", 0, 10, 9, False, False),
    ("0/10", 0, 10, 0, False, False),
    ("4/5", 0, 10, None, False, True),        # another scale's denominator
    ("9/10", 1, 5, None, False, True),
    ("10 điểm", 0, 10, 10, False, False),
    ("10 Điểm", 0, 10, 10, False, False),
    ("10 diem", 0, 10, 10, False, False),
    ("10đ", 0, 10, 10, False, False),
    ("9/10 điểm", 0, 10, 9, False, False),
    ("4 sao", 1, 5, 4, False, False),
    ("6 sao", 1, 5, None, False, True),
    ("★★★★☆", 1, 5, 4, False, False),
    ("★★★★", 1, 5, 4, False, False),
    ("★★★★★", 1, 5, 5, False, False),
    ("⭐⭐⭐⭐", 1, 5, 4, False, False),
    ("⭐\ufe0f⭐\ufe0f⭐\ufe0f", 1, 5, 3, False, False),  # with the emoji variation selector
    ("★ ★ ★", 1, 5, 3, False, False),
    ("★★★☆", 1, 5, None, False, True),        # four stars in all on a five-star scale
    ("☆☆☆☆☆", 1, 5, None, False, True),       # zero stars: below the scale
    ("★★★★★★", 1, 5, None, False, True),
    ("7,5", 0, 10, None, False, True),
    ("11", 0, 10, None, False, True),
    ("-1", 0, 10, None, False, True),
    ("mười", 0, 10, None, True, False),
    ("1e1", 0, 10, None, True, False),
    ("nan", 0, 10, None, True, False),
    ("inf", 0, 10, None, True, False),
    ("9/", 0, 10, None, True, False),
])
def test_scores(written, low, high, score, unreadable, off):
    parsed, bad, out_of_range = parse_score(col(written, ""), low, high)
    assert (None if pd.isna(parsed[0]) else int(parsed[0])) == score
    assert pd.isna(parsed[1])
    assert bad.tolist() == [unreadable, False]
    assert out_of_range.tolist() == [off, False]


def test_typed_scores():
    parsed, bad, off = parse_score(pd.Series([9.0, 7.5, np.nan, np.inf, 3]), 0, 10)
    assert parsed.tolist()[0] == 9 and parsed.tolist()[4] == 3 and parsed[1:4].isna().all()
    assert not bad.any() and off.tolist() == [False, True, False, True, False]
