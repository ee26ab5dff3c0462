r"""Numbers, percentages, money and dates as the reader's language writes them, by Babel.

Each language has one Babel locale (:data:`LOCALES`: ``vi`` → ``vi_VN``, ``en`` → ``en_US``);
money is shown in the current currency (:func:`get_currency`, ``VND`` unless ``CAREWORK_CURRENCY``
says otherwise or :func:`set_currency` was called) with that currency's own symbol and decimals.
A missing value (``None``, NaN, ``pd.NA``, ``NaT``) is shown as :data:`MISSING`, an em dash.
Babel puts a no-break space (``\xa0``) between a number and a symbol that follows it.

Money has one path in both languages, :func:`fmt_money`: the amount in the current currency
(``[display] currency``), in the reader's number style, with Babel's symbol and position for
that locale — ``1.234.567 ₫`` / ``1.234,57 £`` in Vietnamese, ``₫1,234,567`` / ``£1,234.57`` /
``$1,234,567.00`` in English. (English puts the ``₫`` sign first, as Babel's ``en_US`` does for
every currency: one rule for all currencies rather than a special case for VND.)

Compact money (``short=True``, for cards and axes) from one million up: English keeps CLDR's
short form, exactly what Babel's ``format_compact_currency`` gives (``₫1.3B``, ``£250.4M``);
Vietnamese spells the unit out with CLDR's long form (``1,3 tỷ ₫``, ``250,4 triệu ₫``) because
CLDR's short Vietnamese units (``N``, ``Tr``, ``T``, ``NT``) read ambiguously (``T`` is *tỷ*,
not *triệu*). Below one million the amount is written in full, in whole units. Figures shown
together (an axis, a column) take one unit with ``unit=`` (:func:`compact_unit`), so ``tr``
and ``tỷ`` are never mixed on one scale: ``0,8 tỷ ₫``, ``1 tỷ ₫``, ``1,2 tỷ ₫``.

Periods are shown by :func:`fmt_period` (month ``09/2026`` / ``Sep 2026``, quarter ``Q3/2026`` /
``Q3 2026``, ISO week ``Tuần 38/2026`` / ``Week 38, 2026``); a figure that is undefined is shown
by :func:`fmt_undefined` as an em dash with its reason.

Examples
--------
>>> fmt_number(1234567, lang="vi"), fmt_number(1234567, lang="en")
('1.234.567', '1,234,567')
>>> fmt_decimal(3.94, lang="vi"), fmt_decimal(3.94, lang="en")
('3,9', '3.9')
>>> fmt_percent(0.45, lang="vi"), fmt_percent(0.456, 1, lang="vi")
('45%', '45,6%')
>>> fmt_money(1234567, "VND", lang="vi")
'1.234.567\xa0₫'
>>> fmt_money(1234567, "VND", lang="en")
'₫1,234,567'
>>> fmt_money(1234.567, "GBP", lang="en"), fmt_money(1234.567, "GBP", lang="vi")
('£1,234.57', '1.234,57\xa0£')
>>> fmt_money(1_300_000_000, "VND", lang="vi", short=True)
'1,3 tỷ\xa0₫'
>>> fmt_money(250_400_000, "VND", lang="en", short=True)
'₫250.4M'
>>> import datetime
>>> fmt_date(datetime.date(2026, 9, 15), lang="vi"), fmt_date(datetime.date(2026, 9, 15), lang="en")
('15/09/2026', 'Sep 15, 2026')
>>> fmt_number(None), fmt_money(float("nan")), fmt_date(None)
('—', '—', '—')
>>> with currency("GBP"):
...     fmt_money(85_000, lang="en", short=True)
'£85,000'
>>> fmt_money(800_000_000, "VND", lang="vi", short=True, unit=compact_unit([0, 1.2e9]))
'0,8 tỷ\xa0₫'
>>> fmt_period("2026-09", lang="vi"), fmt_period("2026-09", lang="en")
('09/2026', 'Sep 2026')
>>> fmt_period("2026-Q3", lang="vi"), fmt_period("2026-Q3", lang="en")
('Q3/2026', 'Q3 2026')
>>> fmt_period("2026-W38", lang="vi"), fmt_period("2026-W38", lang="en")
('Tuần 38/2026', 'Week 38, 2026')
>>> fmt_undefined("no_customers_at_start", lang="en")
'— (no customers at the start of the period)'
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberPattern,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    list_currencies,
)

from carework.i18n.messages import LANGUAGES, MESSAGES, get_language, t

LOCALES = {"vi": "vi_VN", "en": "en_US"}
"""The Babel locale of each language."""

DATE_FORMATS = {"vi": "dd/MM/yyyy", "en": "medium"}
"""Babel date format per language: an explicit pattern or a CLDR length."""

COMPACT_STYLE = {"vi": "long", "en": "short"}
"""CLDR compact-number style per language for ``fmt_money(..., short=True)``."""

COMPACT_FROM = 1_000_000
"""``short=True`` abbreviates amounts from this size up; smaller ones are written in full."""

PERIOD_FORMATS = {"vi": {"month": "MM/yyyy", "quarter": "QQQ/yyyy"},
                  "en": {"month": "MMM yyyy", "quarter": "QQQ yyyy"}}
"""Babel date pattern of a month and a quarter per language; weeks are ``period.week``."""

PERIODS = ("week", "month", "quarter")

MISSING = "—"
"""What a missing value is shown as (an em dash)."""

DEFAULT_CURRENCY = "VND"

__all__ = ["COMPACT_FROM", "COMPACT_STYLE", "DATE_FORMATS", "DEFAULT_CURRENCY", "LOCALES",
           "MISSING", "PERIOD_FORMATS", "compact_unit", "currency", "fmt_date", "fmt_decimal",
           "fmt_money", "fmt_number", "fmt_percent", "fmt_period", "fmt_undefined", "fmt_vnd",
           "get_currency", "set_currency"]


# --- the current currency ------------------------------------------------------------------

@cache
def _iso_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def _checked_currency(code: object) -> str:
    """``code`` as an upper-case ISO 4217 code Babel knows, or ``ValueError``."""
    normal = code.strip().upper() if isinstance(code, str) else None
    if normal not in _iso_codes():
        raise ValueError(f"currency must be an ISO 4217 code such as 'VND' or 'GBP', not {code!r}")
    return normal


def _initial_currency() -> str:
    wanted = os.environ.get("CAREWORK_CURRENCY", "").strip()
    if not wanted:
        return DEFAULT_CURRENCY
    try:
        return _checked_currency(wanted)
    except ValueError:
        warnings.warn(f"CAREWORK_CURRENCY={wanted!r} is not an ISO 4217 currency code; "
                      f"using {DEFAULT_CURRENCY}", stacklevel=2)
        return DEFAULT_CURRENCY


_currency = _initial_currency()


def get_currency() -> str:
    """The current currency, an ISO 4217 code (``"VND"`` by default)."""
    return _currency


def set_currency(code: str) -> None:
    """Show every later amount in ``code`` (``"VND"``, ``"GBP"``, ...); an unknown code raises
    ``ValueError``."""
    global _currency
    _currency = _checked_currency(code)


@contextmanager
def currency(code: str) -> Iterator[None]:
    """Use ``code`` inside a ``with`` block, then restore the previous currency."""
    previous = get_currency()
    set_currency(code)
    try:
        yield
    finally:
        set_currency(previous)


# --- helpers -----------------------------------------------------------------------------------

def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, int | float):
        return value != value  # NaN; np.float64 is a float
    import pandas as pd  # not at import time: the CLI starts without pandas

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not a single missing value
        return False


def _locale(lang: str | None) -> str:
    lang = lang or get_language()
    if lang not in LOCALES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return LOCALES[lang]


@cache
def _pattern(locale: str, kind: str, digits: int) -> NumberPattern:
    """The locale's standard ``kind`` pattern with exactly ``digits`` decimals."""
    formats = Locale.parse(locale)
    base = {"decimal": formats.decimal_formats[None], "percent": formats.percent_formats[None],
            "currency": formats.currency_formats["standard"]}[kind]
    pattern = copy.copy(base)
    pattern.frac_prec = (digits, digits)
    return pattern


def _no_negative_zero(text: str, value: float, again: Callable[[float], str]) -> str:
    """``-0,0`` (a small negative rounded to zero) is written as zero."""
    if value < 0 and not any(ch in "123456789" for ch in text):
        return again(0)
    return text


# --- numbers -------------------------------------------------------------------------------------

def fmt_number(value: float, digits: int = 0, lang: str | None = None) -> str:
    """A number with thousands separators and ``digits`` decimals: ``1.234.567`` in Vietnamese,
    ``1,234,567`` in English."""
    if _missing(value):
        return MISSING
    locale = _locale(lang)
    pattern = _pattern(locale, "decimal", digits)

    def write(v: float) -> str:
        return format_decimal(v, format=pattern, locale=locale)

    return _no_negative_zero(write(value), value, write)


def fmt_decimal(value: float, digits: int = 1, lang: str | None = None) -> str:
    """A number with ``digits`` decimals (one by default): ``3,9`` in Vietnamese, ``3.9`` in
    English."""
    return fmt_number(value, digits, lang)


def fmt_percent(value: float, digits: int = 0, lang: str | None = None) -> str:
    """A share (0–1) as a percentage with ``digits`` decimals: ``0.456`` → ``46%``; with one
    decimal ``45,6%`` in Vietnamese, ``45.6%`` in English (CLDR puts no space before ``%`` in
    either)."""
    if _missing(value):
        return MISSING
    locale = _locale(lang)
    pattern = _pattern(locale, "percent", digits)

    def write(v: float) -> str:
        return format_percent(v, format=pattern, locale=locale)

    return _no_negative_zero(write(value), value, write)


# --- money -------------------------------------------------------------------------------------

def _compact_money(value: float, code: str, locale: str, style: str) -> str:
    """``value`` in CLDR's compact ``style`` inside the locale's currency pattern."""
    affixes = Locale.parse(locale).currency_formats["standard"]
    symbol = get_currency_symbol(code, locale)
    number = format_compact_decimal(abs(value), format_type=style, locale=locale,
                                    fraction_digits=1)
    sign = 1 if value < 0 else 0
    return (affixes.prefix[sign].replace("¤", symbol) + number
            + affixes.suffix[sign].replace("¤", symbol))


def compact_unit(values: object) -> int | None:
    """The one compact unit (``10**6``, ``10**9``, ``10**12``...) for amounts shown together:
    the unit of the largest of ``values`` (missing ones ignored), or ``None`` when it is below
    :data:`COMPACT_FROM` (then every amount is written in full).

    >>> compact_unit([250e6, 1.3e9]), compact_unit([85_000]), compact_unit([])
    (1000000000, None, None)
    """
    import numpy as np

    array = np.abs(np.asarray(values, dtype=float).ravel())
    array = array[np.isfinite(array)]
    if not array.size or array.max() < COMPACT_FROM:
        return None
    exponent = min(3 * int(math.log10(array.max()) // 3), 12)
    return 10 ** exponent


def _unit_money(value: float, code: str, locale: str, style: str, unit: int) -> str:
    """``value`` in ``unit`` (CLDR's compact word for it), at most one decimal, inside the
    locale's currency pattern."""
    units = Locale.parse(locale).compact_decimal_formats[style]["other"]
    word = units[str(unit)]
    pattern = _pattern(locale, "decimal", 1)
    pattern = copy.copy(pattern)
    pattern.frac_prec = (0, 1)
    number = format_decimal(abs(value) / unit, format=pattern, locale=locale)
    if not any(ch in "123456789" for ch in number):
        number, value = format_decimal(0, format=pattern, locale=locale), 0
    number = word.prefix[0] + number + word.suffix[0]
    affixes = Locale.parse(locale).currency_formats["standard"]
    symbol = get_currency_symbol(code, locale)
    sign = 1 if value < 0 else 0
    return (affixes.prefix[sign].replace("¤", symbol) + number
            + affixes.suffix[sign].replace("¤", symbol))


def fmt_money(value: float, currency: str | None = None, lang: str | None = None,
              short: bool = False, unit: int | None = None) -> str:
    r"""An amount of money in ``currency`` (default: the current one, :func:`get_currency`),
    written the way ``lang`` writes it, with the currency's own decimals (none for VND).

    ``short=True`` is the compact form for cards and axes: from :data:`COMPACT_FROM` up
    ``1,3 tỷ ₫`` / ``₫1.3B``, below it the amount in whole units (``85.000 ₫``, ``£85,000``).
    ``unit`` (with ``short``) writes every amount in that one unit, for figures shown together
    (:func:`compact_unit` of them); ``None`` picks each amount's own.

    >>> fmt_money(85_000, "VND", lang="vi", short=True)
    '85.000\xa0₫'
    >>> fmt_money(-3_400_000, "USD", lang="en", short=True)
    '-$3.4M'
    >>> fmt_money(250_400_000, "VND", lang="vi", short=True, unit=10**9)
    '0,3 tỷ\xa0₫'
    """
    if _missing(value):
        return MISSING
    code = _checked_currency(currency) if currency is not None else get_currency()
    lang = lang or get_language()
    locale = _locale(lang)
    if short and unit is not None:
        if unit not in {10**e for e in range(6, 13, 3)}:
            raise ValueError(f"unit must be 10**6, 10**9 or 10**12, not {unit!r}")
        return _unit_money(value, code, locale, COMPACT_STYLE[lang], unit)
    if short and abs(value) >= COMPACT_FROM:
        return _compact_money(value, code, locale, COMPACT_STYLE[lang])

    def write(v: float) -> str:
        if short:
            return format_currency(v, code, format=_pattern(locale, "currency", 0),
                                   locale=locale, currency_digits=False)
        return format_currency(v, code, locale=locale)

    return _no_negative_zero(write(value), value, write)


def fmt_vnd(value: float) -> str:
    """Deprecated: ``fmt_money(value, "VND", short=True)``, which it returns."""
    warnings.warn("fmt_vnd is deprecated; use fmt_money(value, 'VND', short=True) or "
                  "fmt_money(value, short=True) for the current currency",
                  DeprecationWarning, stacklevel=2)
    return fmt_money(value, "VND", short=True)


# --- dates ----------------------------------------------------------------------------------------

def fmt_date(value: object, lang: str | None = None) -> str:
    """A date: ``15/09/2026`` in Vietnamese, ``Sep 15, 2026`` in English. Takes a ``date``, a
    ``datetime`` or ``pd.Timestamp`` (its date is shown), or anything ``pd.Timestamp`` reads."""
    if _missing(value):
        return MISSING
    lang = lang or get_language()
    locale = _locale(lang)
    if not isinstance(value, dt.date):
        import pandas as pd

        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, DATE_FORMATS[lang], locale=locale)


# --- periods --------------------------------------------------------------------------------------

_KEY = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|W(?P<week>\d{2}))$")


def _period_parts(value: object, period: str | None) -> tuple[str, dt.date, int, int]:
    """``(kind, first day, ISO year, ISO week)`` of a period key, a ``pd.Period`` or a date."""
    import pandas as pd

    if isinstance(value, str) and (found := _KEY.match(value.strip())):
        year = int(found["year"])
        if found["month"]:
            return "month", dt.date(year, int(found["month"]), 1), 0, 0
        if found["quarter"]:
            return "quarter", dt.date(year, 3 * int(found["quarter"]) - 2, 1), 0, 0
        week = int(found["week"])
        return "week", dt.date.fromisocalendar(year, week, 1), year, week
    if isinstance(value, pd.Period):
        kind = {"M": "month", "Q": "quarter", "W": "week"}.get(value.freqstr[0])
        if kind is None:
            raise ValueError(f"a period must be a week, month or quarter, not {value.freqstr}")
        period, value = kind, value.start_time
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)} for {value!r}, "
                         f"not {period!r}")
    day = pd.Timestamp(value).date()
    iso = day.isocalendar()
    return period, day, iso.year, iso.week


def fmt_period(value: object, period: str | None = None, lang: str | None = None) -> str:
    """A period as the reader's language writes it: a month ``09/2026`` / ``Sep 2026``, a
    quarter ``Q3/2026`` / ``Q3 2026``, an ISO week ``Tuần 38/2026`` / ``Week 38, 2026``.

    Parameters
    ----------
    value : a period key as the KPI tables carry it in ``period_label`` (``"2026-09"``,
        ``"2026-Q3"``, ``"2026-W38"``), a ``pd.Period``, or a day inside the period.
    period : ``"week"``, ``"month"`` or ``"quarter"`` when ``value`` is a day.
    """
    if _missing(value):
        return MISSING
    lang = lang or get_language()
    locale = _locale(lang)
    kind, day, iso_year, iso_week = _period_parts(value, period)
    if kind == "week":
        return t("period.week", lang=lang, week=iso_week, year=iso_year)
    return format_date(day, PERIOD_FORMATS[lang][kind], locale=locale)


def fmt_undefined(reason: str | None = None, lang: str | None = None) -> str:
    """What an undefined figure is shown as: an em dash, and the reason in words when there is
    one (``why.<reason>`` in the message files; an unknown reason is shown as it is)."""
    if reason is None or _missing(reason) or reason == "":
        return MISSING
    key = f"why.{reason}"
    text = t(key, lang=lang) if key in MESSAGES else str(reason)
    return f"{MISSING} ({text})"
