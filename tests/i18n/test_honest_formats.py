"""One formatting path for money, dates and periods in both languages, the currency from the
settings, one compact unit per axis, a reason beside an undefined figure, one word per term
(issue 20)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from babel.dates import format_date
from babel.numbers import format_currency

from carework.i18n import (
    LOCALES,
    MESSAGES,
    compact_unit,
    currency,
    fmt_date,
    fmt_money,
    fmt_period,
    fmt_undefined,
    get_currency,
    language,
    set_currency,
    t,
)
from carework.settings import Settings

NBSP = "\xa0"
AMOUNT = 1_234_567.891

# (currency, lang) -> the amount as a reader of that language sees it
MONEY = {
    ("VND", "vi"): f"1.234.568{NBSP}₫", ("VND", "en"): "₫1,234,568",
    ("GBP", "vi"): f"1.234.567,89{NBSP}£", ("GBP", "en"): "£1,234,567.89",
    ("USD", "vi"): f"1.234.567,89{NBSP}US$", ("USD", "en"): "$1,234,567.89",
}


@pytest.mark.parametrize(("code", "lang"), MONEY)
def test_money_in_the_settings_currency_is_written_the_readers_way(code, lang):
    before = get_currency()
    try:
        settings = Settings.from_mapping({"display": {"currency": code}})
        settings.display.apply(language_chosen=True)
        with language(lang):
            shown = fmt_money(AMOUNT)
    finally:
        set_currency(before)
    assert shown == MONEY[code, lang]
    # the same path as Babel's own currency format for that locale: nothing made by hand
    assert shown == format_currency(AMOUNT, code, locale=LOCALES[lang])
    assert "đ" not in shown and "VND" not in shown


@pytest.mark.parametrize("code", ["VND", "GBP", "USD"])
def test_english_never_writes_money_the_vietnamese_way(code):
    with currency(code):
        english, vietnamese = fmt_money(AMOUNT, lang="en"), fmt_money(AMOUNT, lang="vi")
    assert re.search(r"\d,\d{3},\d{3}", english) and "." not in english.split(",")[0]
    assert re.search(r"\d\.\d{3}\.\d{3}", vietnamese)
    assert english != vietnamese


def test_dates_in_both_languages():
    day = dt.date(2026, 9, 15)
    assert fmt_date(day, lang="vi") == "15/09/2026"
    assert fmt_date(day, lang="en") == "Sep 15, 2026" == format_date(day, "medium",
                                                                     locale=LOCALES["en"])


@pytest.mark.parametrize(("value", "kind", "vi", "en"), [
    ("2026-09", None, "09/2026", "Sep 2026"),
    ("2026-Q3", None, "Q3/2026", "Q3 2026"),
    ("2026-W38", None, "Tuần 38/2026", "Week 38, 2026"),
    (pd.Period("2026-09", "M"), None, "09/2026", "Sep 2026"),
    (pd.Period("2026Q1", "Q"), None, "Q1/2026", "Q1 2026"),
    (pd.Period("2021-01-03", "W-SUN"), None, "Tuần 53/2020", "Week 53, 2020"),  # ISO week
    (pd.Timestamp("2026-09-15"), "month", "09/2026", "Sep 2026"),
    (dt.date(2026, 9, 15), "quarter", "Q3/2026", "Q3 2026"),
    (dt.date(2024, 12, 30), "week", "Tuần 1/2025", "Week 1, 2025"),
])
def test_periods_have_one_display_function(value, kind, vi, en):
    assert fmt_period(value, kind, lang="vi") == vi
    assert fmt_period(value, kind, lang="en") == en


def test_the_kpi_tables_keys_read_back_as_their_periods():
    from carework.kpis.tables import period_key

    for freq, kind in (("M", "month"), ("Q", "quarter"), ("W-SUN", "week")):
        for start in pd.period_range("2020-11-01", "2027-02-01", freq=freq):
            key = period_key(start, kind)
            assert fmt_period(key, lang="en") == fmt_period(start, lang="en"), key
            assert fmt_period(key, lang="vi") == fmt_period(start.start_time, kind, lang="vi")


def test_a_bad_period_is_refused():
    for bad in ("2026-13-01", "someday"):
        with pytest.raises(ValueError):
            fmt_period(bad)
    assert fmt_period(None) == "—"


def test_amounts_shown_together_share_one_unit():
    ticks = [0, 400_000_000, 800_000_000, 1_200_000_000]
    unit = compact_unit(ticks)
    assert unit == 10**9
    vi = [fmt_money(v, "VND", lang="vi", short=True, unit=unit) for v in ticks]
    assert vi == [f"0 tỷ{NBSP}₫", f"0,4 tỷ{NBSP}₫", f"0,8 tỷ{NBSP}₫", f"1,2 tỷ{NBSP}₫"]
    en = [fmt_money(v, "VND", lang="en", short=True, unit=unit) for v in ticks]
    assert en == ["₫0B", "₫0.4B", "₫0.8B", "₫1.2B"]
    # without one unit they would mix: 800 triệu beside 1,2 tỷ
    mixed = {fmt_money(v, "VND", lang="vi", short=True).split()[1] for v in ticks[2:]}
    assert mixed == {"triệu", "tỷ"}
    assert compact_unit([85_000, None, float("nan")]) is None
    assert fmt_money(-0.01e9, "GBP", lang="en", short=True, unit=10**9) == "£0B"
    with pytest.raises(ValueError):
        fmt_money(1, short=True, unit=1000)


@pytest.mark.parametrize("value", [1e6, 2.5e6, 1.3e9, 250.4e6, 7.2e12])
def test_one_unit_of_its_own_size_is_the_usual_compact_form(value):
    for lang in ("vi", "en"):
        assert fmt_money(value, "VND", lang=lang, short=True, unit=compact_unit([value])) == \
            fmt_money(value, "VND", lang=lang, short=True)


def test_vietnamese_compact_money_spells_its_units():
    for value in (1e6, 3.4e6, 250e6, 1.3e9, 2.5e12):
        shown = fmt_money(value, "VND", lang="vi", short=True)
        assert re.search(r" (triệu|tỷ|nghìn tỷ)\xa0₫$", shown), shown
        assert not re.search(r"\b(tr|Tr|T|N|NT)\b", shown)


def test_an_undefined_figure_is_a_dash_with_its_reason_in_both_languages():
    for reason in ("no_customers_at_start", "warming_up", "no_previous_period",
                   "too_few_answers", "too_few_before"):
        for lang in ("vi", "en"):
            shown = fmt_undefined(reason, lang=lang)
            assert shown == f"— ({t(f'why.{reason}', lang=lang)})"
    assert fmt_undefined(None) == fmt_undefined(float("nan")) == "—"
    assert fmt_undefined("unknown_code", lang="en") == "— (unknown_code)"


def test_column_headings_carry_no_currency():
    for lang in ("vi", "en"):
        assert t("head.revenue", lang=lang) in ("Doanh thu", "Revenue")
    for key, texts in MESSAGES.items():
        for lang, text in texts.items():
            assert not re.search(r"\((đ|₫|VND|VNĐ)\)", text), (key, lang, text)


def test_one_word_per_term_in_each_language():
    terms = {key: MESSAGES[key] for key in MESSAGES if key.startswith("term.")}
    assert {"term.customer_group", "term.risk_band", "term.churn_risk", "term.value_at_risk",
            "term.active", "term.lapsed", "term.crr", "term.nps", "term.csat"} <= set(terms)
    for lang in ("vi", "en"):
        words = [texts[lang] for texts in terms.values()]
        assert len(words) == len(set(words)), lang  # no two terms share a word
    assert all(texts["vi"] != texts["en"] for texts in terms.values())


def test_the_call_sheet_writes_dates_the_readers_way():
    from carework.calls.sheet import _date_format

    with language("vi"):
        assert _date_format() == "dd/mm/yyyy"
    with language("en"):
        assert _date_format() == "d mmm yyyy"
