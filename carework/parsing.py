"""Parse a column of user-written values: dates, amounts, scores, yes/no flags, phones.

Every parser takes a whole column (a pandas Series of raw values: strings, or the typed values
Excel and Parquet give) and returns the parsed values plus boolean masks of values that were
present but could not be used. The *format* is decided from the whole column, never value by
value, and a value that contradicts the column's format is an *outlier*: set aside, not guessed.

Dates (:func:`parse_datetime`)
    ISO (``2025-03-07``, with optional time) always. ``a/b/yyyy`` (``/``, ``-`` or ``.``; also
    ``a/b/yy``) by majority: ``a > 12`` proves day-first, ``b > 12`` proves month-first; the
    side with at least 80 % of the proving values wins and the other side's values are
    outliers. Times may carry ``AM``/``PM`` or the Vietnamese ``SA``/``CH``. Excel serial
    numbers (``45123.5416``) are read as Excel dates.
Money (:func:`parse_money_detail`, :func:`parse_money`)
    ``1.250.000`` (Vietnamese: dot thousands, comma decimals) or ``1,250,000.50`` (English),
    by majority of the values that show their convention: the side with at least 80 % wins and
    the other side's values are outliers. ``199.000`` counts as Vietnamese (money never has
    three decimals); ``1,250`` and plain digits count for neither. Shorthand (``1,5tr``,
    ``500k``, ``2 tỷ``), currency glyphs and words (``₫``, ``VND``, ``đồng``, ``$``, ``£``,
    ``€``, ``USD``, …) and accounting negatives (``(50.000)``, ``50.000-``) are understood.
Scores (:func:`parse_score`)
    ``9``, ``9/10``, ``9 điểm``, ``4 sao``, ``★★★★☆``.

Examples
--------
>>> import pandas as pd
>>> parse_money(pd.Series(["1.250.000", "99.000 đ", "12,5"]))[0].tolist()
[1250000.0, 99000.0, 12.5]
>>> parsed, bad, outliers = parse_money(pd.Series(["199.000"] * 4 + ["49.5"]))
>>> parsed.tolist()[-2:], outliers.tolist()[-2:]
([199000.0, nan], [False, True])
>>> parse_money(pd.Series(["1,5tr", "500k", "(50.000 ₫)"]))[0].tolist()
[1500000.0, 500000.0, -50000.0]
>>> parse_datetime(pd.Series(["25/12/2024", "03/01/2025"]))[0].dt.strftime("%Y-%m-%d").tolist()
['2024-12-25', '2025-01-03']
>>> parse_datetime(pd.Series(["25/12/2024 9:30 CH"]))[0].tolist()
[Timestamp('2024-12-25 21:30:00')]
>>> parse_score(pd.Series(["5/5", "★★★★☆", "4 sao", "3 điểm"]), 1, 5)[0].tolist()
[5, 4, 4, 3]
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from carework.schema import FALSE_WORDS, TRUE_WORDS
from carework.vntext import slug

MAJORITY = Fraction(4, 5)
"""Share of the decisive values a convention (date order, number format) needs to win: 80 %."""

LOCAL_TZ = "Asia/Ho_Chi_Minh"


@dataclass
class ColumnFormatError(Exception):
    """The values of a column do not settle its format. ``key`` names the i18n message."""

    key: str
    params: dict[str, object]


def as_text(values: pd.Series) -> pd.Series:
    """Raw values as stripped strings ("" for missing), whatever their original type."""
    if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        values = values.astype(object).map(_scalar_text)
    return values.astype("str").fillna("").str.strip()


def _scalar_text(v: object) -> object:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp):
        return v.isoformat(sep=" ")
    return v


class _Labels:
    """Row labels for error messages, looked up by position only when an error needs one."""

    def __init__(self, source: pd.Index | pd.Series) -> None:
        self.source = source

    def __getitem__(self, position: int) -> object:
        source = self.source
        label = source.iloc[position] if isinstance(source, pd.Series) else source[position]
        return label.item() if isinstance(label, np.generic) else label


def _wins(side: int, other: int) -> bool:
    """Whether ``side`` holds at least :data:`MAJORITY` of ``side + other`` decisive values."""
    return side > 0 and side >= MAJORITY * (side + other)


# ------------------------------------------------------------------------------ typed cells

_OTHER, _DATETIME, _NUMBER = 0, 1, 2


def _cell_kind(v: object) -> int:
    """Whether a raw cell is a typed datetime, a typed finite-or-not number, or anything else."""
    if v is None or v is pd.NaT or isinstance(v, (bool, np.bool_, str)):
        return _OTHER
    if isinstance(v, np.datetime64):
        return _OTHER if np.isnat(v) else _DATETIME
    if isinstance(v, _dt.date):  # datetime.date, datetime.datetime, pd.Timestamp
        return _DATETIME
    if isinstance(v, (int, float, np.integer, np.floating, Decimal)):
        return _OTHER if isinstance(v, (float, np.floating, Decimal)) and math.isnan(v) \
            else _NUMBER
    return _OTHER


def _typed_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of the typed datetime cells and the typed number cells of an object column.

    Excel (read with ``dtype=object``) gives ``datetime.datetime`` for date cells, ``int`` or
    ``float`` for number cells and ``str`` for text cells, all in one column.
    """
    none = pd.Series(False, index=values.index)
    if values.dtype != object or \
            pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return none, none
    kinds = values.map(_cell_kind)
    return kinds == _DATETIME, kinds == _NUMBER


def _typed_datetimes(cells: pd.Series) -> pd.Series:
    """Typed datetime cells as naive local ``datetime64[us]`` (aware ones converted)."""
    stamps = []
    for v in cells:
        stamp = pd.Timestamp(v)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(LOCAL_TZ).tz_localize(None)
        stamps.append(stamp)
    return pd.Series(stamps, index=cells.index, dtype="datetime64[us]")


# --------------------------------------------------------------------------------------- dates

_AMPM = r"(?i:am|pm|sa|ch)"
_TIME = (r"(?:(?P<pre>" + _AMPM + r")\s*)?"
         r"(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?")
_ISO = re.compile(
    r"^(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"
    r"(?:[ T]" + _TIME + r"(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?(?:\s*(?P<post>" + _AMPM + r"))?)?$"
)
_PLAIN_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_DMY = re.compile(
    r"^(?P<a>[0-9]{1,2})(?P<s1>[-/.])(?P<b>[0-9]{1,2})(?P<s2>[-/.])(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:[ T,]+" + _TIME + r"(?:\s*(?P<post>" + _AMPM + r"))?)?$"
)
_SERIAL_TEXT = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")

SERIAL_RANGE = (20_000, 80_000)
"""Excel serial day numbers read as dates: 1954-10-03 to 2119-01-11."""
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_datetime(values: pd.Series, *, dayfirst: bool | None = None,
                   rows: pd.Series | None = None, today: pd.Timestamp | None = None,
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of dates or timestamps.

    Rules, for the values that are not ISO dates:

    * **Order of** ``a/b/yyyy`` (also ``a-b-yyyy``, ``a.b.yyyy``): a value with ``a > 12``
      proves day-first, one with ``b > 12`` proves month-first. The side with at least
      :data:`MAJORITY` (80 %) of the proving values wins; the other side's proving values are
      *outliers*. An explicit ``dayfirst`` always wins (contradicting values are outliers).
      Without proof or ``dayfirst``: :class:`ColumnFormatError` unless every value has
      ``a == b``.
    * **Times**: ``H:MM`` or ``H:MM:SS``, optionally with ``AM``/``PM`` or the Vietnamese
      ``SA`` (sáng, AM) / ``CH`` (chiều, PM) after the time (Windows vi-VN writes
      ``h:mm:ss tt``, i.e. ``9:30:00 SA``) or before it (``SA 9:30``); any case.
    * **Two-digit years** (``25/12/24``, only with ``/`` or ``.``: ``24-12-25`` may be
      ``yy-mm-dd``): ``20yy``, unless that day is after ``today``'s date, then ``19yy``.
    * **Excel serial numbers** (days since 1899-12-30, the fraction is the time of day, rounded
      to the millisecond; text ``45123.5416``/``45123,5416`` or typed numbers): read when the
      column's present values are all numbers, or when the column also holds real dates
      (strings in a date format, or typed datetimes). Only numbers in :data:`SERIAL_RANGE`
      are dates; other numbers are bad.
    * **Typed datetimes** (``datetime``/``Timestamp`` cells mixed with text, as Excel gives):
      taken as they are (aware ones converted to local time). They do not vote on the order;
      see :func:`excel_swap_suspects` for Excel's own day/month swap.

    Parameters
    ----------
    values : raw values (strings, typed datetimes or numbers, or a datetime column).
    dayfirst : how to read ``a/b/yyyy``: ``True`` day-first, ``False`` month-first, ``None``
        decide from the column (and raise when it cannot be decided).
    rows : row labels used in error messages, by position (default: the index).
    today : the day two-digit years are judged against (default: now).

    Returns
    -------
    (parsed, bad, outliers) : naive ``datetime64[us]`` values (NaT where missing, bad or an
        outlier), the mask of values present but unreadable, and the mask of values whose
        day/month order contradicts the column's (``date_order_outlier``).

    Raises
    ------
    ColumnFormatError
        ``err.ambiguous_dates`` (no value settles the order) or ``err.mixed_dates`` (no order
        reaches the majority).
    """
    index = values.index
    labels = _Labels(index if rows is None else rows)
    values = values.reset_index(drop=True)
    none = pd.Series(False, index=values.index)

    def done(parsed: pd.Series, bad: pd.Series, outliers: pd.Series,
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
        return parsed.set_axis(index), bad.set_axis(index), outliers.set_axis(index)

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values
        if getattr(values.dt, "tz", None) is not None:
            parsed = values.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
        return done(parsed.astype("datetime64[us]"), none, none.copy())
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        number = values.astype(float)
        parsed = _from_serial(number)
        return done(parsed, number.notna() & parsed.isna(), none)

    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    typed_dt, typed_num = _typed_cells(values)
    if typed_dt.any() or typed_num.any():
        if typed_dt.any():
            out[typed_dt] = _typed_datetimes(values[typed_dt])
        text = as_text(values.where(~(typed_dt | typed_num), None))
        written = text != ""
        present = written | typed_dt | typed_num
    else:
        text = as_text(values)
        written = present = text != ""

    # fast path: plain ISO dates and times, the common case, parsed by pandas itself
    plain = text.str.match(_PLAIN_ISO.pattern)
    if plain.any():
        out[plain] = pd.to_datetime(text[plain], format="ISO8601", errors="coerce")
    rest = text[written & ~plain]
    outliers = none.copy()
    if rest.empty and not typed_num.any():
        return done(out, present & out.isna(), outliers)

    dated = plain | typed_dt  # values written as dates: they make numbers Excel serials
    # a cheap prefix test first: extracting groups costs per value, matched or not
    iso = rest[rest.str.match(r"[0-9]{4}[-/.]")].str.extract(_ISO.pattern)
    is_iso = iso["y"].notna().reindex(rest.index, fill_value=False)
    iso = iso[iso["y"].notna()]
    if not iso.empty:
        dated[iso.index] = True
        out[iso.index] = _assemble(iso, iso["y"].astype(int), iso["m"].astype(int),
                                   iso["d"].astype(int))
        has_tz = iso["tz"].notna() & iso["pre"].isna() & iso["post"].isna()
        if has_tz.any():
            where = has_tz[has_tz].index
            stamped = pd.to_datetime(rest[where], utc=True, errors="coerce", format="ISO8601")
            out[where] = stamped.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)

    rest = rest[~is_iso]
    dmy = rest[rest.str.match(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]")].str.extract(_DMY.pattern)
    dmy = dmy[dmy["y"].notna()]
    is_dmy = pd.Series(True, index=dmy.index).reindex(rest.index, fill_value=False)
    if not dmy.empty:
        dated[dmy.index] = True
        parsed, contradicts = _read_dmy(dmy, text, labels, dayfirst, _today(today))
        out[parsed.index] = parsed
        outliers[contradicts] = True

    rest = rest[~is_dmy]
    number = pd.Series(np.nan, index=values.index)
    if typed_num.any():
        number[typed_num] = [float(v) for v in values[typed_num]]
    serial_text = rest[rest.str.fullmatch(_SERIAL_TEXT.pattern)]
    if not serial_text.empty:
        number[serial_text.index] = serial_text.str.replace(",", ".").astype(float)
    is_number = number.notna()
    if is_number.any() and (dated.any() or not (present & ~is_number).any()):
        out[is_number] = _from_serial(number[is_number])
    return done(out, present & out.isna() & ~outliers, outliers)


def _today(today: pd.Timestamp | None) -> pd.Timestamp:
    return pd.Timestamp.now() if today is None else pd.Timestamp(today)


def _read_dmy(parts: pd.DataFrame, text: pd.Series, labels: _Labels, dayfirst: bool | None,
              today: pd.Timestamp) -> tuple[pd.Series, pd.Index]:
    """Read the ``a/b/y`` values extracted by :data:`_DMY` in the column's order.

    Returns the parsed values of the usable, non-contradicting values and the positions of the
    contradicting ones (outliers). Two-digit years are usable with ``/`` or ``.`` only.
    """
    two = parts["y"].str.len() == 2
    usable = ~two | ((parts["s1"] == parts["s2"]) & parts["s1"].isin(["/", "."]))
    parts = parts[usable]
    a, b = parts["a"].astype(int), parts["b"].astype(int)
    order, contradicts = _decide_order(text, a, b, labels, dayfirst)
    parts = parts[~contradicts]
    day, month = (a, b) if order else (b, a)
    day, month = day[parts.index], month[parts.index]
    year = parts["y"].astype(int)
    two = parts["y"].str.len() == 2
    parsed = _assemble(parts, year.where(~two, 2000 + year), month, day)
    late = two & (parsed.dt.normalize() > today.normalize())
    if late.any():
        parsed[late] = _assemble(parts[late], 1900 + year[late], month[late], day[late])
    return parsed, contradicts[contradicts].index


def _from_serial(days: pd.Series) -> pd.Series:
    """Excel serial day numbers as datetimes (NaT outside :data:`SERIAL_RANGE`)."""
    out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[us]")
    ok = days.between(*SERIAL_RANGE)
    if ok.any():
        ms = np.round(days[ok].to_numpy(dtype=float) * 86_400_000).astype("int64")
        out[ok] = EXCEL_EPOCH + pd.to_timedelta(ms, unit="ms")
    return out


def _assemble(parts: pd.DataFrame, year: pd.Series, month: pd.Series,
              day: pd.Series) -> pd.Series:
    """Datetimes from date numbers and the time groups ``H``, ``M``, ``S``, ``pre``/``post``
    (AM/PM markers) of ``parts``; NaT where any part is out of range."""
    hour = parts["H"].fillna("0").astype(int)
    marker = parts["pre"].fillna("").str.lower() + parts["post"].fillna("").str.lower()
    pm = marker.isin(["pm", "ch"])
    am = marker.isin(["am", "sa"])
    hour_ok = (marker == "") | (am & (hour <= 12)) | (pm & hour.between(1, 23))
    hour = hour.where(~(pm & (hour < 12)), hour + 12).where(~(am & (hour == 12)), 0)
    frame = pd.DataFrame({
        "year": year, "month": month, "day": day, "hour": hour,
        "minute": parts["M"].fillna("0").astype(int),
        "second": parts["S"].fillna("0").astype(int),
    }, index=parts.index)
    valid = hour_ok & frame["month"].between(1, 12) & frame["day"].between(1, 31) & \
        frame["hour"].between(0, 23) & frame["minute"].between(0, 59) & \
        frame["second"].between(0, 59)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[us]")
    if valid.any():
        result[valid] = pd.to_datetime(frame[valid], errors="coerce")
    return result


def _decide_order(text: pd.Series, a: pd.Series, b: pd.Series, labels: _Labels,
                  dayfirst: bool | None) -> tuple[bool, pd.Series]:
    """``(day_first, contradicting)``: the column's ``a/b`` order and the values proving the
    other order (outliers)."""
    day_first = (a > 12) & (b <= 12)
    month_first = (b > 12) & (a <= 12)
    if dayfirst is None:
        n_day, n_month = int(day_first.sum()), int(month_first.sum())
        if _wins(n_day, n_month):
            dayfirst = True
        elif _wins(n_month, n_day):
            dayfirst = False
        elif n_day:
            i, j = day_first.idxmax(), month_first.idxmax()
            raise ColumnFormatError("err.mixed_dates", {
                "dmy": text[i], "dmy_row": labels[i], "mdy": text[j], "mdy_row": labels[j]})
        elif (a != b).any():
            raise ColumnFormatError("err.ambiguous_dates", {"example": text[(a != b).idxmax()]})
        else:
            dayfirst = True  # every value has day == month: both orders give the same date
    return dayfirst, month_first if dayfirst else day_first


# ---------------------------------------------------------------------- Excel day/month swap

def excel_swap_suspects(values: pd.Series, parsed: pd.Series) -> pd.Series:
    """Typed datetime cells that look like Excel's day/month swap on import.

    Excel in a US locale turns the text ``05/03/2026`` (5 March) into the date 3 May and leaves
    ``25/03/2026`` as text, because month 25 does not exist. The signature, on the raw
    ``values`` (before any conversion to text): the column mixes typed datetimes with
    ``a/b/yyyy`` strings, at least one string proves day-first (``a > 12``) and none proves
    month-first, and every typed datetime has a day of at most 12.

    Parameters
    ----------
    values : the raw column, as Excel gave it (``dtype=object``).
    parsed : :func:`parse_datetime`'s parsed values for ``values``.

    Returns
    -------
    Boolean mask (index of ``values``): every typed datetime cell when the signature is
    complete, else all ``False``.
    """
    none = pd.Series(False, index=values.index)
    typed, _ = _typed_cells(values)
    if not typed.any() or typed.all():
        return none
    text = as_text(values.where(~typed, None))
    dmy = text.str.extract(_DMY.pattern)
    dmy = dmy[dmy["y"].notna()]
    a, b = dmy["a"].astype(int), dmy["b"].astype(int)
    if not ((a > 12) & (b <= 12)).any() or ((b > 12) & (a <= 12)).any():
        return none
    stamps = pd.Series(np.asarray(parsed), index=values.index)[typed]
    if stamps.isna().any() or (stamps.dt.day > 12).any():
        return none
    return typed


def excel_swap_fix(values: pd.Series, parsed: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Undo Excel's day/month swap on the cells :func:`excel_swap_suspects` finds.

    Returns
    -------
    (corrected, swapped) : ``parsed`` with day and month exchanged in the suspect cells (time of
        day kept), and the mask of cells whose value changed (suspects with day != month).
    """
    suspects = excel_swap_suspects(values, parsed)
    stamps = pd.Series(np.asarray(parsed, dtype="datetime64[us]"), index=values.index)
    swapped = suspects & (stamps.dt.day != stamps.dt.month)
    corrected = stamps.copy()
    if swapped.any():
        old = stamps[swapped]
        corrected[swapped] = pd.to_datetime(pd.DataFrame({
            "year": old.dt.year, "month": old.dt.day, "day": old.dt.month,
            "hour": old.dt.hour, "minute": old.dt.minute, "second": old.dt.second,
            "microsecond": old.dt.microsecond}))
    return corrected.set_axis(parsed.index), swapped


# --------------------------------------------------------------------------------------- money

CURRENCIES: dict[str, str] = {
    "₫": "VND", "đ": "VND", "vnđ": "VND", "vnd": "VND", "vn₫": "VND", "đồng": "VND",
    "dong": "VND", "£": "GBP", "gbp": "GBP", "$": "USD", "us$": "USD", "usd": "USD",
    "€": "EUR", "eur": "EUR",
}
"""Currency glyphs and words (lower case) accepted before or after an amount, by ISO code."""

SHORTHAND: dict[str, int] = {
    "k": 1_000, "nghìn": 1_000, "nghin": 1_000, "ngàn": 1_000, "ngan": 1_000,
    "tr": 1_000_000, "triệu": 1_000_000, "trieu": 1_000_000,
    "tỷ": 1_000_000_000, "tỉ": 1_000_000_000, "ty": 1_000_000_000,
}
"""Amount shorthand words (lower case) and their multipliers."""

_CUR_ALT = "|".join(re.escape(w) for w in sorted(CURRENCIES, key=len, reverse=True))
_LEAD_CUR = re.compile(rf"^({_CUR_ALT})")
_TRAIL_CUR = re.compile(rf"({_CUR_ALT})\.?$")
_UNIT_ALT = "|".join(sorted(SHORTHAND, key=len, reverse=True))
_SHORT = re.compile(rf"^(?P<int>[0-9]+)(?:[.,](?P<frac>[0-9]{{1,2}}))?(?P<unit>{_UNIT_ALT})$")
_SHORT_TAIL = re.compile(rf"^(?P<int>[0-9]+)(?P<unit>{_UNIT_ALT})(?P<frac>[0-9]{{1,3}})$")
_GROUP_SPACE = re.compile(r"(?<=[0-9])[\s\u00a0\u202f\u2009']+(?=[0-9]{3}(?![0-9]))")
_DIGIT_SPACE_DIGIT = re.compile(r"[0-9][\s\u00a0\u202f\u2009']+[0-9]")
_SPACE = re.compile(r"[\s\u00a0\u202f\u2009]+")
_MINUS = ("-", "\u2212")

_PLAIN = re.compile(r"^[0-9]+$")
_COMMA_THOUSAND = re.compile(r"^[1-9][0-9]{0,2},[0-9]{3}$")             # 1,250: either way
_VI_GROUPS = re.compile(r"^[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?$")  # 199.000, 1.250,5
_VI_DECIMAL = re.compile(r"^[0-9]*,[0-9]+$")                             # 12,5
_EN_GROUPS = re.compile(r"^[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?$")  # 1,250,000(.50)
_EN_DECIMAL = re.compile(r"^[0-9]*\.[0-9]+$")                            # 49.5


@dataclass
class MoneyParse:
    """What :func:`parse_money_detail` read from a column.

    Attributes
    ----------
    values : float amounts (NaN where missing, bad or an outlier).
    bad : present but unreadable.
    outliers : readable only in the convention the column's majority does not use
        (``amount_format_outlier``).
    convention : ``"vi"`` (``1.250.000,5``) or ``"en"`` (``1,250,000.5``).
    currencies : ISO code → number of values written with that currency's glyph or word.
    """

    values: pd.Series
    bad: pd.Series
    outliers: pd.Series
    convention: str
    currencies: dict[str, int]


def parse_money(values: pd.Series, *, rows: pd.Series | None = None,
                ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse amounts; :func:`parse_money_detail` as ``(values, bad, outliers)``."""
    detail = parse_money_detail(values, rows)
    return detail.values, detail.bad, detail.outliers


def parse_money_detail(values: pd.Series, rows: pd.Series | None = None) -> MoneyParse:
    """Parse amounts written the Vietnamese or the English way.

    Each value is classified by its shape (currency and sign removed):

    ========================================  ==========================================
    shape                                     evidence
    ========================================  ==========================================
    ``1250000``, ``1,250``                    none: the same number either way
    ``1.250.000``, ``199.000``, ``1.250,5``,  Vietnamese (``199.000``: money never has
    ``12,5``                                  three decimals, so it is thousands)
    ``1,250,000``, ``1,250.50``, ``49.5``     English
    ``1,5tr``, ``1tr5``, ``500k``, ``2 tỷ``   none (shorthand: the single ``,``/``.`` is the
                                              decimal separator)
    ========================================  ==========================================

    The convention with at least :data:`MAJORITY` (80 %) of the Vietnamese and English values
    wins (Vietnamese when there are none); the other side's values are outliers.

    Shorthand words are ``k``, ``nghìn``/``ngàn`` (thousand), ``tr``/``triệu`` (million) and
    ``tỷ``/``tỉ`` (billion), without accents too; ``1tr5`` is 1.5 million. A shorthand with a
    three-digit fraction (``1.500k``: 1,500 or 1,500,000?) is unreadable. Currencies
    (:data:`CURRENCIES`) may come before or after the amount. Negatives: ``-50.000``,
    ``−50.000``, ``- 50.000``, ``50.000-``, ``(50.000)``. Spaces between digit groups
    (``1 250 000``) are thousands separators. ``nan``, ``inf``, ``#N/A``, ``1e20`` and the like
    are unreadable; so are typed numbers that are not finite.

    Parameters
    ----------
    values : raw values (strings, or typed numbers).
    rows : row labels used in error messages, by position (default: the index).

    Raises
    ------
    ColumnFormatError
        ``err.mixed_numbers`` when neither convention reaches the majority.
    """
    index = values.index
    labels = _Labels(index if rows is None else rows)
    values = values.reset_index(drop=True)
    none = pd.Series(False, index=values.index)

    def result(parsed: pd.Series, bad: pd.Series, outliers: pd.Series, convention: str = "vi",
               currencies: dict[str, int] | None = None) -> MoneyParse:
        return MoneyParse(parsed.astype(float).set_axis(index), bad.set_axis(index),
                          outliers.set_axis(index), convention, currencies or {})

    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        number = values.astype(float)
        finite = np.isfinite(number)
        return result(number.where(finite), number.notna() & ~finite, none.copy())
    _, typed_num = _typed_cells(values)
    text = as_text(values.where(~typed_num, None)) if typed_num.any() else as_text(values)
    present = text != ""
    digits = text[present]
    if not typed_num.any() and digits.str.fullmatch(r"-?[0-9]{1,15}").all():
        # fast path: plain whole numbers (15 digits are exact as floats)
        return result(pd.to_numeric(text.where(present)), none, none.copy())

    codes, uniques = pd.factorize(text)
    read = [_read_amount(u) for u in uniques]
    kind = pd.Series(np.array([r[0] for r in read], dtype=object)[codes], index=text.index)
    parsed = pd.Series(np.array([r[1] for r in read], dtype=float)[codes], index=text.index)
    currency = pd.Series(np.array([r[2] for r in read], dtype=object)[codes], index=text.index)
    if typed_num.any():
        typed = pd.Series([float(v) for v in values[typed_num]], index=typed_num[typed_num].index)
        finite = np.isfinite(typed)
        kind[typed.index] = np.where(finite, "", "bad")
        parsed[typed.index] = typed.where(finite)

    vi, en = kind == "vi", kind == "en"
    n_vi, n_en = int(vi.sum()), int(en.sum())
    if n_en == 0 or _wins(n_vi, n_en):
        convention, outliers = "vi", en
    elif _wins(n_en, n_vi):
        convention, outliers = "en", vi
    else:
        i, j = vi.idxmax(), en.idxmax()
        raise ColumnFormatError("err.mixed_numbers", {
            "vn": text[i], "vn_row": labels[i], "en": text[j], "en_row": labels[j]})
    bad = kind == "bad"
    parsed = parsed.where(~outliers & ~bad)
    seen = currency[(currency != "") & ~bad].value_counts()
    return result(parsed, bad, outliers, convention, {str(k): int(v) for k, v in seen.items()})


_BAD_AMOUNT = ("bad", math.nan, "")


def _read_amount(raw: str) -> tuple[str, float, str]:
    """``(evidence, value, currency)`` for one written amount.

    ``evidence`` is ``"vi"`` or ``"en"`` for values that show their convention, ``""`` for
    values that read the same either way (and shorthand), ``"bad"`` for unreadable ones, and
    ``"missing"`` for ``""``. ``value`` is the amount in the value's own convention.
    """
    if raw == "":
        return ("missing", math.nan, "")
    s = unicodedata.normalize("NFC", raw).lower().lstrip("'")
    s = _GROUP_SPACE.sub("", s)
    if _DIGIT_SPACE_DIGIT.search(s):
        return _BAD_AMOUNT
    s = _SPACE.sub("", s)
    negative, signs, codes = False, 0, set()
    changed = True
    while changed and s:  # peel currencies, signs and parentheses, outside in
        changed = False
        if m := _LEAD_CUR.match(s):
            codes.add(CURRENCIES[m.group(1)])
            s, changed = s[m.end():], True
        if m := _TRAIL_CUR.search(s):
            codes.add(CURRENCIES[m.group(1)])
            s, changed = s[:m.start()], True
        if s[:1] in _MINUS or s[:1] == "+":
            negative, signs = negative or s[0] != "+", signs + 1
            s, changed = s[1:], True
        if s and s[-1:] in _MINUS:
            negative, signs = True, signs + 1
            s, changed = s[:-1], True
        if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
            negative, signs = True, signs + 1
            s, changed = s[1:-1], True
    if signs > 1 or len(codes) > 1 or not s:
        return _BAD_AMOUNT
    currency = codes.pop() if codes else ""

    evidence, value = _read_number(s)
    if evidence == "bad" or not math.isfinite(value):
        return _BAD_AMOUNT
    return (evidence, -value if negative else value, currency)


def _read_number(s: str) -> tuple[str, float]:
    """``(evidence, value)`` of an unsigned amount without currency (see :func:`_read_amount`)."""
    if _PLAIN.match(s):
        return "", float(s)
    if m := (_SHORT.match(s) or _SHORT_TAIL.match(s)):
        number = Decimal(f"{m['int']}.{m['frac'] or 0}")
        return "", float(number * SHORTHAND[m["unit"]])
    if _COMMA_THOUSAND.match(s):
        return "", float(s.replace(",", ""))
    if _VI_GROUPS.match(s) or _VI_DECIMAL.match(s):
        return "vi", float(s.replace(".", "").replace(",", "."))
    if _EN_GROUPS.match(s) or _EN_DECIMAL.match(s):
        return "en", float(s.replace(",", ""))
    return "bad", math.nan


# --------------------------------------------------------------------------------------- scores

_SCORE = re.compile(r"^(?P<n>[-+]?[0-9]+(?:[.,][0-9]+)?)(?:/(?P<of>[0-9]+))?"
                    r"(?P<unit>điểm|diem|đ|sao|★|⭐)?$")
_STARS = re.compile(r"^[★⭐☆]+$")


def parse_score(values: pd.Series, low: int, high: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse whole-number ratings on a ``low``–``high`` scale.

    Accepted: ``9``, ``9,0``, ``9/10`` and ``9 / 10`` (the denominator must be ``high``, else the
    value is off the scale), ``10 điểm``/``10 diem``/``10đ``, ``4 sao``, and stars
    ``★★★★☆``/``⭐⭐⭐⭐`` (the number of filled stars; with empty stars ``☆`` the number of
    stars in all must be ``high``, else off the scale).

    Returns
    -------
    (parsed, unreadable, out_of_range) : nullable integers (missing where empty or bad), the
        mask of values that are not scores, and the mask of scores off the scale or not whole.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        number = values.astype(float)
        unreadable = pd.Series(False, index=values.index)
        off = pd.Series(False, index=values.index)
    else:
        text = as_text(values)
        codes, uniques = pd.factorize(text)
        read = [_read_score(u, high) for u in uniques]
        number = pd.Series(np.array([r[0] for r in read], dtype=float)[codes], index=text.index)
        off = pd.Series(np.array([r[1] for r in read], dtype=bool)[codes], index=text.index)
        unreadable = (text != "") & number.isna() & ~off
    whole = number.notna() & (number == np.floor(number))
    out_of_range = off | (number.notna() & (~whole | (number < low) | (number > high)))
    parsed = number.where(number.notna() & ~out_of_range).astype("Int64")
    return parsed, unreadable, out_of_range


def _read_score(raw: str, high: int) -> tuple[float, bool]:
    """``(number, off_scale)`` for one written score; NaN when unreadable or missing."""
    s = _SPACE.sub("", unicodedata.normalize("NFC", raw).lower()).replace("\ufe0f", "")
    if _STARS.match(s):
        filled = s.count("★") + s.count("⭐")
        empty = s.count("☆")
        return float(filled), bool(empty) and filled + empty != high
    m = _SCORE.match(s)
    if not m:
        return math.nan, False
    number = float(m["n"].replace(",", "."))
    if m["of"] is not None and int(m["of"]) != high:
        return math.nan, True
    return number, False


# --------------------------------------------------------------------------------------- flags

def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse yes/no flags in Vietnamese or English (``có``/``không``, ``x``, ``1``/``0``, …).

    Returns
    -------
    (parsed, unreadable) : booleans (empty means ``False``) and the mask of values that are
        neither yes nor no; those are returned as ``True`` — for a do-not-call flag the safe side.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).astype(bool), pd.Series(False, index=values.index)
    text = as_text(values)
    words = _slugs(text)
    yes = words.isin(TRUE_WORDS)
    no = (text == "") | (words.isin(FALSE_WORDS) & (words != ""))
    unreadable = ~yes & ~no
    return (yes | unreadable).astype(bool), unreadable


# --------------------------------------------------------------------------------------- phones

_PHONE_JUNK = re.compile(r"[\s.\-()/]")


def parse_phone(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Normalise Vietnamese phone numbers to digits with the leading ``0``.

    ``+84 912 345 678`` and ``84912345678`` become ``0912345678``; a nine-digit mobile number
    (Excel drops the leading zero of numbers stored as numbers) gets its ``0`` back.

    Returns
    -------
    (parsed, invalid, restored) : the numbers as strings (missing where empty or invalid), the
        mask of present values that are not a 10–11 digit number, and the mask of restored zeros.
    """
    text = as_text(values).str.replace(_PHONE_JUNK, "", regex=True)
    text = text.str.replace(r"^\+?84(?=\d{9,10}$)", "0", regex=True)
    restored = text.str.fullmatch(r"[1-9]\d{8}")
    text = text.where(~restored, "0" + text)
    valid = text.str.fullmatch(r"0\d{9,10}")
    present = text != ""
    parsed = text.where(valid).astype("str")
    return parsed, present & ~valid, restored & valid


def parse_category(values: pd.Series, synonyms: dict[str, str] | None) -> pd.Series:
    """Map user words to canonical category values (unknown words are kept as their slug)."""
    words = _slugs(as_text(values), synonyms or {})
    return words.where(words != "").astype("str")


def _slugs(text: pd.Series, synonyms: dict[str, str] | None = None) -> pd.Series:
    """Slug (and map through ``synonyms``) each distinct value once."""
    synonyms = synonyms or {}
    mapping = {value: synonyms.get(slug(value), slug(value)) for value in text.unique()}
    return text.map(mapping)
