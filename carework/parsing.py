"""Parse a column of user-written values: dates, VND amounts, scores, yes/no flags, phones.

Every parser takes a whole column (a pandas Series of raw values, usually strings) and returns
the parsed values plus a boolean mask of values that were present but could not be read. The
*format* is decided from the whole column, never value by value:

* dates: ISO (``2025-03-07``, with optional time) always; ``dd/mm/yyyy`` or ``mm/dd/yyyy``
  (``/``, ``-`` or ``.`` separated) by evidence — a first part above 12 proves day-first, a
  second part above 12 proves month-first. A column where some value reads both ways and no
  value settles it raises :class:`ColumnFormatError` unless the caller says ``dayfirst``.
* money: ``1.250.000`` (Vietnamese: dot thousands, comma decimals) or ``1,250,000.50``
  (English), decided from the values that can only be read one way. Values such as
  ``1.250`` that fit both are thousands (a VND amount of 1.25 does not occur).

Examples
--------
>>> import pandas as pd
>>> parse_money(pd.Series(["1.250.000", "99.000 đ", "12,5"]))[0].tolist()
[1250000.0, 99000.0, 12.5]
>>> parse_datetime(pd.Series(["25/12/2024", "03/01/2025"]))[0].dt.strftime("%Y-%m-%d").tolist()
['2024-12-25', '2025-01-03']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carework.schema import FALSE_WORDS, TRUE_WORDS
from carework.vntext import slug


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


# --------------------------------------------------------------------------------------- dates

_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_PLAIN_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_DMY = re.compile(
    r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?$"
)


def parse_datetime(values: pd.Series, *, dayfirst: bool | None = None,
                   rows: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates or timestamps.

    Parameters
    ----------
    values : raw values (strings, or already datetimes).
    dayfirst : how to read ``a/b/yyyy``: ``True`` day-first, ``False`` month-first, ``None``
        decide from the column (and raise when it cannot be decided).
    rows : row labels used in error messages (default: the index).

    Returns
    -------
    (parsed, bad) : naive ``datetime64`` values (NaT where missing or bad) and a mask of values
        that were present but could not be read.

    Raises
    ------
    ColumnFormatError
        ``err.ambiguous_dates`` or ``err.mixed_dates`` when the order cannot be decided.
    """
    rows = values.index.to_series() if rows is None else rows
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values
        if getattr(values.dt, "tz", None) is not None:
            parsed = values.dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
        return parsed.astype("datetime64[us]"), pd.Series(False, index=values.index)

    text = as_text(values)
    present = text != ""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")

    # fast path: plain ISO dates and times, the common case, parsed by pandas itself
    plain = text.str.match(_PLAIN_ISO.pattern)
    if plain.any():
        out[plain] = pd.to_datetime(text[plain], format="ISO8601", errors="coerce")
    rest = text[present & ~plain]
    if rest.empty:
        return out, present & out.isna()
    iso = rest.str.extract(_ISO)
    is_iso = iso["y"].notna()
    if is_iso.any():
        out[is_iso[is_iso].index] = _assemble(iso[is_iso], "y", "m", "d")
        has_tz = is_iso & iso["tz"].notna()
        if has_tz.any():
            stamped = pd.to_datetime(rest[has_tz], utc=True, errors="coerce", format="ISO8601")
            out[has_tz[has_tz].index] = stamped.dt.tz_convert("Asia/Ho_Chi_Minh") \
                .dt.tz_localize(None)

    dmy = rest[~is_iso].str.extract(_DMY)
    is_dmy = dmy["y"].notna()
    if is_dmy.any():
        part = dmy[is_dmy]
        a, b = part["a"].astype(int), part["b"].astype(int)
        chosen = is_dmy[is_dmy].index
        order = dayfirst if dayfirst is not None else _decide_order(text[chosen], a, b,
                                                                    rows[chosen])
        day, month = ("a", "b") if order else ("b", "a")
        assembled = _assemble(part.rename(columns={day: "d", month: "m"}), "y", "m", "d")
        pm = part["ampm"].fillna("").str.lower() == "pm"
        am = part["ampm"].fillna("").str.lower() == "am"
        hours = part["H"].fillna("0").astype(int)
        shift = np.where(pm & (hours < 12), 12, 0) - np.where(am & (hours == 12), 12, 0)
        out[chosen] = assembled + pd.to_timedelta(shift, unit="h")
    bad = present & out.isna()
    return out, bad


def _assemble(parts: pd.DataFrame, y: str, m: str, d: str) -> pd.Series:
    frame = pd.DataFrame({
        "year": parts[y].astype(int),
        "month": parts[m].astype(int),
        "day": parts[d].astype(int),
        "hour": parts["H"].fillna("0").astype(int),
        "minute": parts["M"].fillna("0").astype(int),
        "second": parts["S"].fillna("0").astype(int),
    }, index=parts.index)
    valid = frame["month"].between(1, 12) & frame["day"].between(1, 31) & \
        frame["hour"].between(0, 23) & frame["minute"].between(0, 59) & \
        frame["second"].between(0, 59)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[us]")
    if valid.any():
        result[valid] = pd.to_datetime(frame[valid], errors="coerce")
    return result


def _decide_order(text: pd.Series, a: pd.Series, b: pd.Series, rows: pd.Series) -> bool:
    day_first = a > 12
    month_first = b > 12
    if day_first.any() and month_first.any():
        i, j = day_first.idxmax(), month_first.idxmax()
        raise ColumnFormatError("err.mixed_dates", {
            "dmy": text[i], "dmy_row": rows[i], "mdy": text[j], "mdy_row": rows[j]})
    if day_first.any():
        return True
    if month_first.any():
        return False
    differs = a != b
    if differs.any():
        raise ColumnFormatError("err.ambiguous_dates", {"example": text[differs.idxmax()]})
    return True  # every value has day == month: both orders give the same date


# --------------------------------------------------------------------------------------- money

_CURRENCY = re.compile(r"(?i)\s*(?:vn[dđ]|₫|đ|đồng|dong|vnd)\.?\s*$|^\s*(?:vn[dđ]|₫)\s*")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"^\d+$")
_DOT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_DOT_DECIMAL = re.compile(r"^\d*\.\d+$")
_COMMA_DECIMAL = re.compile(r"^\d*,\d+$")
_VN_FULL = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")
_EN_FULL = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$")


def parse_money(values: pd.Series, *,
                rows: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse amounts written the Vietnamese or the English way, with or without ``đ``/``VND``.

    Negative amounts may be written ``-50.000``, ``(50.000)`` or ``50.000-``.

    Returns
    -------
    (parsed, bad) : float values (NaN where missing or bad) and the mask of unreadable values.

    Raises
    ------
    ColumnFormatError
        ``err.mixed_numbers`` when some values can only be Vietnamese and others only English.
    """
    rows = values.index.to_series() if rows is None else rows
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float), pd.Series(False, index=values.index)
    text = as_text(values)
    present = text != ""
    if text[present].str.fullmatch(r"-?\d+").all():  # fast path: plain whole numbers
        return pd.to_numeric(text.where(present)).astype(float), pd.Series(False, index=text.index)
    body = text.str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    negative = body.str.startswith("-") | body.str.endswith("-") | \
        (body.str.startswith("(") & body.str.endswith(")"))
    body = body.str.strip("-+()")

    vn_only = body.str.fullmatch(_VN_FULL) | \
        (body.str.fullmatch(_COMMA_DECIMAL) & ~body.str.fullmatch(_COMMA_GROUPS)) | \
        (body.str.fullmatch(_DOT_GROUPS) & (body.str.count(r"\.") > 1))
    en_only = body.str.fullmatch(_EN_FULL) | \
        (body.str.fullmatch(_DOT_DECIMAL) & ~body.str.fullmatch(_DOT_GROUPS)) | \
        (body.str.fullmatch(_COMMA_GROUPS) & (body.str.count(",") > 1))
    if vn_only.any() and en_only.any():
        i, j = vn_only.idxmax(), en_only.idxmax()
        raise ColumnFormatError("err.mixed_numbers", {
            "vn": text[i], "vn_row": rows[i], "en": text[j], "en_row": rows[j]})

    if en_only.any():   # English: comma thousands, dot decimals
        normalised = body.str.replace(",", "", regex=False)
        readable = body.str.fullmatch(_PLAIN) | body.str.fullmatch(_COMMA_GROUPS) | \
            body.str.fullmatch(_EN_FULL) | body.str.fullmatch(_DOT_DECIMAL)
    else:               # Vietnamese (and the default for 1.250 / 1,250): dot or comma thousands
        single_comma_group = body.str.fullmatch(_COMMA_GROUPS) & (body.str.count(",") == 1)
        normalised = body.str.replace(".", "", regex=False)
        normalised = normalised.where(~single_comma_group,
                                      normalised.str.replace(",", "", regex=False))
        normalised = normalised.str.replace(",", ".", regex=False)
        readable = body.str.fullmatch(_PLAIN) | body.str.fullmatch(_DOT_GROUPS) | \
            body.str.fullmatch(_VN_FULL) | body.str.fullmatch(_COMMA_DECIMAL) | single_comma_group
    parsed = pd.to_numeric(normalised.where(readable & present), errors="coerce")
    parsed = parsed.where(~negative, -parsed).astype(float)
    bad = present & parsed.isna()
    return parsed, bad


# --------------------------------------------------------------------------------------- scores

def parse_score(values: pd.Series, low: int, high: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse whole-number ratings on a ``low``–``high`` scale.

    Returns
    -------
    (parsed, unreadable, out_of_range) : nullable integers (missing where empty or bad), the
        mask of values that are not numbers, and the mask of numbers off the scale or not whole.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        number = values.astype(float)
        unreadable = pd.Series(False, index=values.index)
    else:
        text = as_text(values).str.replace(",", ".", regex=False)
        number = pd.to_numeric(text.where(text != ""), errors="coerce")
        unreadable = (text != "") & number.isna()
    whole = number.notna() & (number == np.floor(number))
    out_of_range = number.notna() & (~whole | (number < low) | (number > high))
    parsed = number.where(number.notna() & ~out_of_range).astype("Int64")
    return parsed, unreadable, out_of_range


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
