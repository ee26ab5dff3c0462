"""Manager-ready Excel workbooks: a cover sheet that says what the figures are, then one sheet
per table, in the reader's language, with typed, formatted cells.

:func:`manager_workbook` writes the :class:`ExportSheet` tables after a cover (:class:`Cover`):
the cover (``Thông tin`` / ``About``) gives the title, the day the figures describe, the data's
date range, the filters chosen, the data folder, the currency, when the file was made and, for
each data sheet, its name (a link to it), rows and note. Each data sheet has translated headers
(``head.<column>``, else ``col.<column>``, else the code) in bold, frozen under the header, with
an autofilter and widths fitted to the contents.

Cells keep their types: numbers are numbers, dates are Excel dates, missing values are empty.
Formats follow the language and currency (:func:`number_formats`): money ``#,##0 "₫"`` for VND
in Vietnamese, ``"£"#,##0.00`` for GBP in English; percentages ``0.0%``; whole numbers
``#,##0``; dates ``dd/mm/yyyy`` (vi) or ``d mmm yyyy`` (en). Excel shows the separators of the
reader's own settings. No text runs as a formula (:func:`carework.export.defuse_cell`).

The workbook is written in openpyxl's write-only mode (rows streamed, one styled cell per
column): 100,000 rows of 10 columns take about 15 s of CPU (4.5 s for 30,000), nearly all of
it openpyxl's XML writer; with ``lxml`` installed, which openpyxl then uses, about 11.5 s.

Examples
--------
>>> frame = pd.DataFrame({"customer_id": ["K1", "K2"], "value_at_risk": [1_250_000, None],
...                       "churn_risk": [0.82, 0.1], "risk_band": ["high", "low"]})
>>> book = manager_workbook(
...     [ExportSheet("Khách hàng rủi ro", frame, money=["value_at_risk"],
...                  percent=["churn_risk"], translate=["risk_band"])],
...     Cover("Rời bỏ", pd.Timestamp("2026-09-29"), None, None, {}), lang="vi")
>>> from openpyxl import load_workbook
>>> load_workbook(io.BytesIO(book)).sheetnames
['Thông tin', 'Khách hàng rủi ro']
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from babel import Locale
from babel.numbers import get_currency_precision, get_currency_symbol
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from carework.export import defuse_cell, formula_like
from carework.i18n import LOCALES, MESSAGES, MISSING, get_currency, get_language, label, language, t
from carework.i18n import currency as use_currency

__all__ = ["Cover", "ExportSheet", "LABEL_PREFIXES", "header", "manager_workbook",
           "number_formats", "sheet_titles"]

MAX_TITLE = 31
"""Excel's limit on a sheet name's length."""

LABEL_PREFIXES = {"rule_group": "group", "group": "group", "risk_band": "risk_band",
                  "rfm_segment": "rfm", "stage": "stage", "reason": "reason",
                  "factor": "factor", "quadrant": "quadrant", "driver": "driver"}
"""The i18n prefix of a ``translate`` column's codes, when it is not ``value`` (a code the
prefix does not know is looked up under ``value``, then written as it is)."""

_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED = {"history"}  # Excel keeps this sheet name for itself
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class ExportSheet:
    """One table of a :func:`manager_workbook`.

    Attributes
    ----------
    title : the sheet's name as shown, already translated (made valid and unique on writing).
    frame : the table, with canonical column names (codes); its index is written (first) only
        if it is named.
    money : columns holding amounts in the display currency.
    percent : columns holding fractions (0–1) shown as percentages.
    translate : columns holding codes, written as words (:func:`carework.i18n.label`, with the
        prefix of :data:`LABEL_PREFIXES`, else ``value``); a mapping ``{column: prefix}``
        chooses the prefix.
    note : one line on the cover describing the sheet.

    Columns named in ``money``, ``percent`` or ``translate`` but absent from ``frame`` are
    ignored, so one list can serve tables with and without them.

    >>> ExportSheet("Scores", pd.DataFrame({"x": [1]}), percent=["x"]).percent
    ['x']
    """

    title: str
    frame: pd.DataFrame
    money: Sequence[str] = ()
    percent: Sequence[str] = ()
    translate: Sequence[str] | Mapping[str, str] = ()
    note: str = ""


@dataclass(frozen=True)
class Cover:
    """What the cover sheet says about the whole workbook.

    Attributes
    ----------
    title : the workbook's title, e.g. the dashboard's, translated.
    as_of : the day the figures describe.
    data_start, data_end : the first and last day of the data (``None``: not known).
    filters : filter name → value shown, both translated and formatted; empty for none.
    source : the data folder's name (only its last part is written, never a full path).

    >>> Cover("KPI", pd.Timestamp("2026-09-29"), None, None, {"Tỉnh/thành": "Hà Nội"}).source
    ''
    """

    title: str
    as_of: pd.Timestamp
    data_start: pd.Timestamp | None
    data_end: pd.Timestamp | None
    filters: Mapping[str, str]
    source: str = ""


def number_formats(lang: str, code: str) -> dict[str, str]:
    """Excel number formats for ``lang`` and currency ``code``: ``money``, ``percent``,
    ``count``, ``decimal``, ``date`` and ``datetime``.

    The symbol and its side come from the locale (Babel), the decimals from the currency; the
    separators in a format are Excel's placeholders, shown as the reader's Excel settings say.

    >>> number_formats("vi", "VND")["money"], number_formats("en", "GBP")["money"]
    ('#,##0 "₫"', '"£"#,##0.00')
    >>> number_formats("en", "VND")["date"]
    'd mmm yyyy'
    """
    locale = LOCALES[lang]
    symbol = get_currency_symbol(code, locale).replace('"', "")
    digits = get_currency_precision(code)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    before = "¤" in Locale.parse(locale).currency_formats["standard"].prefix[0]
    money = f'"{symbol}"{number}' if before else f'{number} "{symbol}"'
    day = "dd/mm/yyyy" if lang == "vi" else "d mmm yyyy"
    return {"money": money, "percent": "0.0%", "count": "#,##0", "decimal": "#,##0.00",
            "date": day, "datetime": day + " hh:mm"}


def header(column: object) -> str:
    """A column's header in the current language: ``head.<column>``, else ``col.<column>``,
    else the column's own name.

    >>> with language("en"):
    ...     header("churn_risk"), header("purchased_at"), header("zz_unknown")
    ('Churn risk', 'Purchased at', 'zz_unknown')
    """
    for key in (f"head.{column}", f"col.{column}"):
        if key in MESSAGES:
            return t(key)
    return str(column)


def sheet_titles(titles: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """``titles`` made valid Excel sheet names, unique among themselves and ``taken``.

    Characters Excel refuses (``[]:*?/\\``) become ``-``, leading and trailing spaces and
    apostrophes go, names are cut to 31 characters, an empty name becomes ``Trang n`` /
    ``Sheet n``, and a name already used (Excel ignores case) gets `` (2)``, `` (3)``...

    >>> with language("vi"):
    ...     sheet_titles(["Doanh thu 2026/09", "about", "Về", ""], taken=["About"])
    ['Doanh thu 2026-09', 'about (2)', 'Về', 'Trang 4']
    >>> [len(name) for name in sheet_titles(["a" * 40, "A" * 40])]
    [31, 31]
    """
    used = {unicodedata.normalize("NFC", name).casefold() for name in taken} | _RESERVED
    out = []
    for n, title in enumerate(titles, 1):
        name = _BAD_TITLE.sub("-", unicodedata.normalize("NFC", str(title)))
        name = name.strip().strip("'").strip()[:MAX_TITLE].strip() or t("export.sheet", n=n)
        candidate, copy = name, 1
        while candidate.casefold() in used:
            copy += 1
            suffix = f" ({copy})"
            candidate = name[:MAX_TITLE - len(suffix)].rstrip() + suffix
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def manager_workbook(sheets: Sequence[ExportSheet], cover: Cover, *, lang: str | None = None,
                     currency: str | None = None,
                     created_at: dt.datetime | None = None) -> bytes:
    """An ``.xlsx`` workbook, as bytes, of ``sheets`` after a cover sheet.

    Parameters
    ----------
    sheets : the tables, in order.
    cover : what the cover says about them.
    lang : ``"vi"`` or ``"en"``; default the current language.
    currency : ISO 4217 code of the money columns; default the current one
        (:func:`carework.i18n.get_currency`).
    created_at : the time written as "created at"; default now, local time (give it to make
        the whole content depend on the inputs only).

    Returns
    -------
    bytes
        The workbook. The same inputs give the same cell contents.

    Examples
    --------
    >>> data = pd.DataFrame({"revenue": [1234.5]})
    >>> book = manager_workbook([ExportSheet("Revenue", data, money=["revenue"])],
    ...                         Cover("Test", pd.Timestamp("2026-09-29"), None, None, {}),
    ...                         lang="en", currency="GBP")
    >>> from openpyxl import load_workbook
    >>> load_workbook(io.BytesIO(book))["Revenue"]["A2"].number_format
    '"£"#,##0.00'
    """
    when = (created_at or dt.datetime.now()).replace(microsecond=0)
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)  # the reader's local time
    with language(lang or get_language()), use_currency(currency or get_currency()):
        return _write(sheets, cover, get_language(), get_currency(), when)


# --- columns -------------------------------------------------------------------------------------

@dataclass
class _Column:
    head: str
    kind: str  # a key of number_formats, or "text" / "general" (numbers unformatted, booleans)
    values: list[Any]
    width: float


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its index as first columns if it is named."""
    if any(name is not None for name in frame.index.names):
        return frame.reset_index(allow_duplicates=True)
    return frame


def _nonnull(series: pd.Series) -> pd.Series:
    return series[series.notna()]


def _missing_to_none(series: pd.Series) -> list[Any]:
    return series.astype(object).where(series.notna(), None).tolist()


def _text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value if isinstance(value, str) else str(value))


def _numbers(series: pd.Series) -> tuple[list[Any], bool]:
    """The values as Python numbers (NaN and ±inf as ``None``) and whether all are whole."""
    numeric = pd.to_numeric(series, errors="coerce").astype("float64")
    finite = numeric.where(numeric.abs() != math.inf)
    whole = bool((finite.dropna() % 1 == 0).all())
    if pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        return series.tolist(), True
    return [None if v != v else (int(v) if whole else v) for v in finite.tolist()], whole


def _kind_of(series: pd.Series) -> str:
    """``bool``, ``number``, ``datetime`` or ``text``, from the dtype or the values."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    values = _nonnull(series).tolist()
    if not values:
        return "text"
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, numbers.Real | Decimal) and not isinstance(v, bool) for v in values):
        return "number"
    if all(isinstance(v, dt.date) for v in values):
        return "datetime"
    return "text"


def _column(series: pd.Series, code: object, sheet: ExportSheet) -> _Column:
    head = header(code)
    translate = sheet.translate
    kind = _kind_of(series)
    if code in translate:
        prefix = (translate[code] if isinstance(translate, Mapping)
                  else LABEL_PREFIXES.get(str(code), "value"))
        words = {v: label(v, prefix) if f"{prefix}.{v}" in MESSAGES else label(v)
                 for v in _nonnull(series).unique()}
        series = series.map(words)
        kind = "text"
    if kind == "number":
        values, whole = _numbers(series)
        kind = ("money" if code in sheet.money else "percent" if code in sheet.percent
                else "count" if whole else "decimal")
        largest = max((abs(v) for v in values if v is not None), default=0)
        width = len(f"{largest:,.0f}") + {"money": 7, "percent": 3, "decimal": 3}.get(kind, 0)
    elif kind == "datetime":
        stamps = pd.to_datetime(series, errors="coerce")
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_localize(None)  # the wall-clock time of the data's zone
        kind = "date" if (_nonnull(stamps) == _nonnull(stamps).dt.normalize()).all() \
            else "datetime"
        values = [None if v is None else v.to_pydatetime() for v in _missing_to_none(stamps)]
        width = 11 if kind == "date" else 17
    elif kind == "bool":
        values, kind, width = [None if v is None else bool(v) for v in
                               _missing_to_none(series)], "general", 6
    else:
        values = [None if v is None else _text(v) for v in _missing_to_none(series)]
        lines = pd.Series([v for v in values if v], dtype=object)
        width = 0 if lines.empty else int(lines.str.split("\n").map(
            lambda parts: max(len(p) for p in parts)).max())
        kind = "text"
    return _Column(head, kind, values, min(max(width, len(head) + 3, 8) + 2, 60))


# --- writing -------------------------------------------------------------------------------------

def _cell(sheet: Any, value: object, *, fmt: str | None = None, bold: bool = False,
          fill: bool = False) -> Any:
    """A styled write-only cell; text that looks like a formula or an error code stays text."""
    cell = WriteOnlyCell(sheet, _text(value) if isinstance(value, str) else value)
    if cell.data_type == "e":  # "#N/A" typed in the data is text, not an error
        cell.data_type = "s"
    defuse_cell(cell)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = _BOLD
    if fill:
        cell.fill = _HEAD_FILL
    return cell


def _data_sheet(book: Workbook, name: str, columns: list[_Column],
                formats: Mapping[str, str], rows: int) -> None:
    sheet = book.create_sheet(name)
    for j, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(j)].width = column.width
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    sheet.append([_cell(sheet, c.head, bold=True, fill=True) for c in columns])
    # One styled cell per formatted column, given each row's value in turn: a write-only
    # sheet serialises a row as soon as it is appended, so the cell can be reused, and the
    # style is looked up once per column instead of once per cell.
    shared = [WriteOnlyCell(sheet) if c.kind in formats else None for c in columns]
    for cell, column in zip(shared, columns, strict=True):
        if cell is not None:
            cell.number_format = formats[column.kind]
    risky = ERROR_CODES
    for values in zip(*(c.values for c in columns), strict=True):
        row: list[Any] = list(values)
        for j, value in enumerate(values):
            if value is None:
                continue
            if shared[j] is not None:
                shared[j].value = value
                row[j] = shared[j]
            elif value.__class__ is str and (formula_like(value) or value in risky):
                row[j] = _cell(sheet, value)
        sheet.append(row)


def _cover(book: Workbook, cover: Cover, names: list[str], sheets: Sequence[ExportSheet],
           counts: list[int], formats: Mapping[str, str], code: str,
           created_at: dt.datetime) -> None:
    sheet = book.create_sheet(t("export.cover.sheet"))
    source = re.split(r"[\\/]", cover.source.rstrip("\\/"))[-1]

    def day(value: object) -> object:
        if value is None or pd.isna(value):
            return MISSING
        stamp = pd.Timestamp(value)
        return (stamp.tz_localize(None) if stamp.tz else stamp).normalize().to_pydatetime()

    def row(key: str, value: object = None, fmt: str | None = None) -> list[Any]:
        if value is None:  # a section's heading
            return [_cell(sheet, t(key), bold=True)]
        return [_cell(sheet, t(key)),
                _cell(sheet, value, fmt=fmt if isinstance(value, dt.date) else None)]

    title = _cell(sheet, cover.title)
    title.font = Font(bold=True, size=14)
    rows: list[list[Any]] = [[title], [],
                             row("export.cover.as_of", day(cover.as_of), formats["date"]),
                             row("export.cover.data_from", day(cover.data_start),
                                 formats["date"]),
                             row("export.cover.data_to", day(cover.data_end), formats["date"])]
    if source:
        rows.append(row("export.cover.source", source))
    rows += [row("export.cover.currency", code),
             row("export.cover.created", created_at, formats["datetime"]), []]
    if cover.filters:
        rows.append(row("export.cover.filters"))
        rows += [[_cell(sheet, name), _cell(sheet, value)] for name, value in
                 cover.filters.items()]
    else:
        rows.append([_cell(sheet, t("export.cover.filters"), bold=True),
                     _cell(sheet, t("export.cover.all"))])
    rows += [[], row("export.cover.sheets"),
             [_cell(sheet, t(f"export.cover.{key}"), bold=True, fill=True)
              for key in ("sheet_name", "rows", "note")]]
    for name, data, count in zip(names, sheets, counts, strict=True):
        link = _cell(sheet, name)
        link.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(name)}!A1")
        link.font = Font(color="0563C1", underline="single")
        rows.append([link, _cell(sheet, count, fmt=formats["count"]),
                     _cell(sheet, data.note) if data.note else None])
    for j, (least, most) in enumerate(((12, 40), (18, 60), (10, 80))):
        longest = max((len(r[j].value) for r in rows[1:] if len(r) > j and r[j] is not None
                       and isinstance(r[j].value, str)), default=0)
        sheet.column_dimensions[get_column_letter(j + 1)].width = min(max(longest, least) + 2,
                                                                      most)
    for cells in rows:
        for cell in cells:
            if cell is not None:
                cell.alignment = _TOP
        sheet.append(cells)


def _write(sheets: Sequence[ExportSheet], cover: Cover, lang: str, code: str,
           created_at: dt.datetime) -> bytes:
    formats = number_formats(lang, code)
    cover_name = t("export.cover.sheet")
    names = sheet_titles([s.title for s in sheets], taken=[cover_name])
    tables = [_table(s.frame) for s in sheets]
    columns = [[_column(table.iloc[:, j], code_, s) for j, code_ in enumerate(table.columns)]
               for s, table in zip(sheets, tables, strict=True)]
    book = Workbook(write_only=True)
    book.properties.creator = "carework"
    book.properties.title = cover.title
    book.properties.language = LOCALES[lang].replace("_", "-")
    book.properties.created = book.properties.modified = created_at.replace(tzinfo=None)
    _cover(book, cover, names, sheets, [len(table) for table in tables], formats, code,
           created_at)
    for name, cols, table in zip(names, columns, tables, strict=True):
        _data_sheet(book, name, cols, formats, len(table))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
