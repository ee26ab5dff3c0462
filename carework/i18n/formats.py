r"""Numbers, percentages, money and dates as the reader's language writes them, by Babel.

Each language has one Babel locale (:data:`LOCALES`: ``vi`` → ``vi_VN``, ``en`` → ``en_US``);
money is shown in the current currency (:func:`get_currency`, ``VND`` unless ``CAREWORK_CURRENCY``
says otherwise or :func:`set_currency` was called) with that currency's own symbol and decimals.
A missing value (``None``, NaN, ``pd.NA``, ``NaT``) is shown as :data:`MISSING`, an em dash.
Babel puts a no-break space (``\xa0``) between a number and a symbol that follows it.

Compact money (``short=True``, for cards) from one million up: English keeps CLDR's short form,
exactly what Babel's ``format_compact_currency`` gives (``₫1.3B``, ``£250.4M``); Vietnamese
spells the unit out with CLDR's long form (``1,3 tỷ ₫``, ``250,4 triệu ₫``) because CLDR's short
Vietnamese units (``N``, ``Tr``, ``T``, ``NT``) read ambiguously (``T`` is *tỷ*, not *triệu*).
Below one million the amount is written in full, in whole units.

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
"""

from __future__ import annotations

import copy
import datetime as dt
import os
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

from carework.i18n.messages import LANGUAGES, get_language

LOCALES = {"vi": "vi_VN", "en": "en_US"}
"""The Babel locale of each language."""

DATE_FORMATS = {"vi": "dd/MM/yyyy", "en": "medium"}
"""Babel date format per language: an explicit pattern or a CLDR length."""

COMPACT_STYLE = {"vi": "long", "en": "short"}
"""CLDR compact-number style per language for ``fmt_money(..., short=True)``."""

COMPACT_FROM = 1_000_000
"""``short=True`` abbreviates amounts from this size up; smaller ones are written in full."""

MISSING = "—"
"""What a missing value is shown as (an em dash)."""

DEFAULT_CURRENCY = "VND"

__all__ = ["COMPACT_FROM", "COMPACT_STYLE", "DATE_FORMATS", "DEFAULT_CURRENCY", "LOCALES",
           "MISSING", "currency", "fmt_date", "fmt_decimal", "fmt_money", "fmt_number",
           "fmt_percent", "fmt_vnd", "get_currency", "set_currency"]


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


def fmt_money(value: float, currency: str | None = None, lang: str | None = None,
              short: bool = False) -> str:
    r"""An amount of money in ``currency`` (default: the current one, :func:`get_currency`),
    written the way ``lang`` writes it, with the currency's own decimals (none for VND).

    ``short=True`` is the compact form for cards: from :data:`COMPACT_FROM` up ``1,3 tỷ ₫`` /
    ``₫1.3B``, below it the amount in whole units (``85.000 ₫``, ``£85,000``).

    >>> fmt_money(85_000, "VND", lang="vi", short=True)
    '85.000\xa0₫'
    >>> fmt_money(-3_400_000, "USD", lang="en", short=True)
    '-$3.4M'
    """
    if _missing(value):
        return MISSING
    code = _checked_currency(currency) if currency is not None else get_currency()
    lang = lang or get_language()
    locale = _locale(lang)
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
