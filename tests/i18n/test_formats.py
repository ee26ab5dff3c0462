"""Numbers, percentages, money and dates by Babel, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_compact_currency
from hypothesis import given
from hypothesis import strategies as st

from carework.i18n import (
    MISSING,
    currency,
    fmt_date,
    fmt_decimal,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_vnd,
    formats,
    get_currency,
    language,
    set_currency,
)

NBSP = "\xa0"  # Babel's space between a number and the symbol after it
DAY = dt.date(2026, 9, 15)


def test_numbers():
    assert fmt_number(1234567, lang="vi") == "1.234.567"
    assert fmt_number(1234567, lang="en") == "1,234,567"
    assert fmt_number(1234567.5, 2, lang="vi") == "1.234.567,50"
    assert fmt_number(-1250000, lang="en") == "-1,250,000"
    assert fmt_number(np.int64(85000), lang="vi") == "85.000"


def test_decimals():
    assert fmt_decimal(3.94, lang="vi") == "3,9"
    assert fmt_decimal(3.94, lang="en") == "3.9"
    assert fmt_decimal(1234.567, 2, lang="vi") == "1.234,57"
    assert fmt_decimal(12.0, 0, lang="en") == "12"
    assert fmt_decimal(-0.04, lang="vi") == "0,0"  # no "-0,0"
    assert fmt_decimal(-0.06, lang="en") == "-0.1"


def test_percentages_of_a_share():
    assert fmt_percent(0.45, lang="vi") == "45%"
    assert fmt_percent(0.45, lang="en") == "45%"
    assert fmt_percent(0.456, 1, lang="vi") == "45,6%"
    assert fmt_percent(0.456, 1, lang="en") == "45.6%"
    assert fmt_percent(1, lang="vi") == "100%"
    assert fmt_percent(-0.0004, 1, lang="en") == "0.0%"


# (lang, currency) -> (full, short) for 1,234,567.891
MONEY = {
    ("vi", "VND"): (f"1.234.568{NBSP}₫", f"1,2 triệu{NBSP}₫"),
    ("vi", "GBP"): (f"1.234.567,89{NBSP}£", f"1,2 triệu{NBSP}£"),
    ("vi", "USD"): (f"1.234.567,89{NBSP}US$", f"1,2 triệu{NBSP}US$"),
    ("en", "VND"): ("₫1,234,568", "₫1.2M"),
    ("en", "GBP"): ("£1,234,567.89", "£1.2M"),
    ("en", "USD"): ("$1,234,567.89", "$1.2M"),
}


@pytest.mark.parametrize(("lang", "code"), MONEY)
def test_money_in_each_language_and_currency(lang, code):
    full, short = MONEY[lang, code]
    assert fmt_money(1234567.891, code, lang=lang) == full
    assert fmt_money(1234567.891, code, lang=lang, short=True) == short


def test_money_examples():
    assert fmt_money(1234567, "VND", lang="vi") == f"1.234.567{NBSP}₫"
    assert fmt_money(1234567, "VND", lang="en") == "₫1,234,567"
    assert fmt_money(1234.567, "GBP", lang="en") == "£1,234.57"
    assert fmt_money(1234.567, "GBP", lang="vi") == f"1.234,57{NBSP}£"
    assert fmt_money(85000.4, "VND", lang="vi") == f"85.000{NBSP}₫"  # VND has no decimals
    assert fmt_money(-1234.5, "GBP", lang="en") == "-£1,234.50"
    assert fmt_money(-1234.5, "GBP", lang="vi") == f"-1.234,50{NBSP}£"


def test_short_money_spells_vietnamese_units_and_keeps_cldr_short_english():
    assert fmt_money(1_300_000_000, "VND", lang="vi", short=True) == f"1,3 tỷ{NBSP}₫"
    assert fmt_money(250_400_000, "VND", lang="vi", short=True) == f"250,4 triệu{NBSP}₫"
    assert fmt_money(2_000_000, "VND", lang="vi", short=True) == f"2 triệu{NBSP}₫"
    assert fmt_money(2.5e12, "VND", lang="vi", short=True) == f"2,5 nghìn tỷ{NBSP}₫"
    assert fmt_money(-3_400_000, "VND", lang="vi", short=True) == f"-3,4 triệu{NBSP}₫"
    assert fmt_money(1_300_000_000, "VND", lang="en", short=True) == "₫1.3B"
    assert fmt_money(250_400_000, "GBP", lang="en", short=True) == "£250.4M"
    # below a million: in full, whole units
    assert fmt_money(85000, "VND", lang="vi", short=True) == f"85.000{NBSP}₫"
    assert fmt_money(999_999, "VND", lang="en", short=True) == "₫999,999"
    assert fmt_money(85000.75, "GBP", lang="en", short=True) == "£85,001"
    assert fmt_money(85000.75, "GBP", lang="vi", short=True) == f"85.001{NBSP}£"


@pytest.mark.parametrize("value", [1e6, 1_234_567, 250_400_000, 1.3e9, 7.25e12, -3.4e6, -9.9e9])
@pytest.mark.parametrize("code", ["VND", "GBP", "USD", "EUR"])
def test_short_english_money_is_babels_compact_currency(value, code):
    expected = format_compact_currency(value, code, locale="en_US", fraction_digits=1)
    assert fmt_money(value, code, lang="en", short=True) == expected


def test_dates():
    assert fmt_date(DAY, lang="vi") == "15/09/2026"
    assert fmt_date(DAY, lang="en") == "Sep 15, 2026"
    assert fmt_date(dt.date(2026, 1, 5), lang="vi") == "05/01/2026"
    assert fmt_date(dt.datetime(2026, 9, 15, 23, 59), lang="vi") == "15/09/2026"
    assert fmt_date(pd.Timestamp("2026-09-15 10:00"), lang="en") == "Sep 15, 2026"
    assert fmt_date(np.datetime64("2026-09-15"), lang="vi") == "15/09/2026"
    assert fmt_date("2026-09-15", lang="en") == "Sep 15, 2026"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")])
def test_a_missing_value_is_an_em_dash_everywhere(missing):
    assert MISSING == "—"
    for lang in ("vi", "en"):
        shown = {fmt_number(missing, lang=lang), fmt_decimal(missing, lang=lang),
                 fmt_percent(missing, lang=lang), fmt_money(missing, lang=lang),
                 fmt_money(missing, "GBP", lang=lang, short=True), fmt_date(missing, lang=lang)}
        assert shown == {"—"}


def test_the_current_language_is_the_default():
    with language("en"):
        assert fmt_number(1234567) == "1,234,567" and fmt_decimal(3.94) == "3.9"
        assert fmt_date(DAY) == "Sep 15, 2026" and fmt_money(1234567, "VND") == "₫1,234,567"
    with language("vi"):
        assert fmt_number(1234567) == "1.234.567" and fmt_decimal(3.94) == "3,9"
        assert fmt_date(DAY) == "15/09/2026"
    with pytest.raises(ValueError):
        fmt_number(1, lang="fr")


def test_the_current_currency():
    before = get_currency()
    with currency("GBP"), language("en"):
        assert get_currency() == "GBP"
        assert fmt_money(1234.567) == "£1,234.57"
        assert fmt_money(1234.567, "VND") == "₫1,235"  # an explicit currency wins
    assert get_currency() == before
    with currency("usd"):
        assert get_currency() == "USD"
    with pytest.raises(RuntimeError), currency("EUR"):
        raise RuntimeError
    assert get_currency() == before


@pytest.mark.parametrize("bad", ["XYZ", "", "dong", "₫", None, 704])
def test_an_unknown_currency_is_refused(bad):
    before = get_currency()
    with pytest.raises(ValueError):
        set_currency(bad)
    with pytest.raises(ValueError):
        fmt_money(1, bad if bad is not None else "XYZ")
    assert get_currency() == before


def test_the_currency_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("CAREWORK_CURRENCY", raising=False)
    assert formats._initial_currency() == "VND"
    monkeypatch.setenv("CAREWORK_CURRENCY", " gbp ")
    assert formats._initial_currency() == "GBP"
    monkeypatch.setenv("CAREWORK_CURRENCY", "pounds")
    with pytest.warns(UserWarning, match="CAREWORK_CURRENCY"):
        assert formats._initial_currency() == "VND"


def test_fmt_vnd_is_a_deprecated_alias_of_short_vnd_money():
    for value in (85000, 250_400_000, 1_300_000_000, None):
        with pytest.deprecated_call():
            shown = fmt_vnd(value)
        assert shown == fmt_money(value, "VND", short=True)
    with language("vi"), pytest.deprecated_call():
        assert fmt_vnd(1_300_000_000) == f"1,3 tỷ{NBSP}₫"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_whole_numbers_read_back(n):
    assert fmt_number(n, lang="vi").replace(".", "") == str(n)
    assert fmt_number(n, lang="en").replace(",", "") == str(n)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_decimals_differ_only_in_separators(x):
    vi, en = fmt_decimal(x, 2, lang="vi"), fmt_decimal(x, 2, lang="en")
    assert vi == en.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert float(en.replace(",", "")) == pytest.approx(x, abs=0.006)
