"""Read a table of rows out of an Excel workbook the way a shop keeps it, not the way a database
exports it.

``pd.read_excel(path, sheet_name=0)`` reads the first sheet even when it is hidden, takes row 1
as the header and keeps every row, so a title line becomes the header and the "Tổng cộng" rows
are counted as purchases. :func:`read_table` instead

* reads visible sheets only (a hidden sheet is read when it is named);
* looks for the header in the first :data:`HEADER_SEARCH_ROWS` rows, with the caller's
  ``is_header`` saying how many cells of a row are known column names, and joins a two-row
  header (a merged "Khách hàng" over "Mã KH" and "Tên");
* reads every visible sheet holding the same table (one sheet a month) and stacks them;
* sets aside total and subtotal rows (a "Tổng cộng" label, or ``=SUM(...)`` over the rows
  above), header rows repeated inside the data and empty rows;
* reports formulas whose value the file does not store (files written by programs that do not
  calculate) and refuses a column made of nothing else;
* keeps each row's Excel row number as the frame's index, for messages that point at the sheet.

The values are read by openpyxl in read-only (streaming) mode, as stored in the file (the
values Excel last calculated). Read-only mode knows neither merged cells nor, in the same pass,
formulas, so each sheet's XML is also scanned once, as bytes, for its ``<mergeCell>`` ranges
and its ``<f>`` formula elements.

Examples
--------
>>> from carework.vntext import slug
>>> names = {"ma_kh", "ngay_mua", "so_tien"}
>>> table = read_table(path, is_header=lambda cells: sum(slug(c) in names for c in cells))
... # doctest: +SKIP
>>> table.frame.loc[12]  # the row on line 12 of the sheet  # doctest: +SKIP
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils import column_index_from_string, get_column_letter

from carework.vntext import fold, slug

__all__ = ["HEADER_SEARCH_ROWS", "SheetTable", "WorkbookError", "read_table", "sheet_names"]

HEADER_SEARCH_ROWS = 30
"""How many rows at the top of a sheet may hold the header (title lines come first)."""

_MIN_HEADER_SCORE = 2

# Labels of total rows, accent-folded, lower-cased, punctuation turned into single spaces.
_TOTAL_WORDS = ("tong", "tong cong", "tong so", "tongcong", "cong", "cong don", "luy ke",
                "total", "subtotal", "sub total", "grand total", "sum")
_TOTAL_INITIALS = frozenset("tTcCsSgGlL")
# The accented spellings of the Vietnamese labels: "Tống" (a surname) and "Công" (a given name,
# "công ty") fold to the same letters as "Tổng" and "Cộng" but are not totals.
_ACCENTED_TOTAL_WORDS = frozenset({"tổng", "cộng", "lũy", "luỹ"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_FIRST_WORD = re.compile(r"\w+")

_AGGREGATE = re.compile(
    r"(?<![A-Za-z0-9_.])(?:_xlfn\.)?"
    r"(SUM|SUMIF|SUMIFS|SUBTOTAL|AGGREGATE|COUNT|COUNTA|AVERAGE)\s*\(", re.IGNORECASE)
_ALWAYS_TOTAL = frozenset({"SUBTOTAL", "AGGREGATE"})
_CELL_REF = re.compile(r"(?<![A-Za-z0-9_])\$?[A-Za-z]{1,3}\$?(\d+)(?![A-Za-z0-9_(!])")
_COLUMN_RANGE = re.compile(r"(?<![A-Za-z0-9_])\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![A-Za-z0-9_(])")

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"')
_FORMULA_OPEN = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(/?)>")
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_REF_ATTR = re.compile(rb'\br="\$?([A-Z]{1,3})\$?(\d+)"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')
_CACHED_VALUE = re.compile(rb"\s*<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)<)")
_CHUNK = 1 << 20

_ID_TOKENS = frozenset({"ma", "id", "code", "sdt", "phone", "email", "msisdn"})
_ID_PREFIXES = ("so_hd", "so_hoa_don", "so_dien_thoai", "dien_thoai", "so_don")

IsHeader = Callable[[list[str]], int]
_Merge = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row (1-based)


@dataclass
class SheetTable:
    """A table read from a workbook.

    Attributes
    ----------
    frame : pandas.DataFrame
        Raw cell values (dtype object; strings stripped, other values as Excel stores them),
        one column per header (named by the header text; a column holding data under an empty
        header is named ``"Unnamed: <letter>"``), indexed by each row's Excel row number. When
        more than one sheet contributed, a ``"sheet"`` column names each row's sheet.
    sheets : tuple of str
        The sheet(s) the rows came from, in workbook order.
    header_row : int
        The 1-based Excel row of the header (of its lower row for a two-row header) on the first
        sheet read.
    total_rows : list of (int, str, str)
        ``(excel_row, sheet, text)`` of the total and subtotal rows left out of ``frame``.
    formula_cells : list of (int, str, str)
        ``(excel_row, sheet, column)`` of formula cells whose value the file does not store; the
        rows are in ``frame`` with ``None`` in that cell.
    repeated_headers : list of (int, str)
        ``(excel_row, sheet)`` of copies of the header inside the data, left out of ``frame``.
    ignored_sheets : list of str
        Visible sheets not read because they hold no header or another table (notes, a pivot).
    hidden_sheets : list of str
        Hidden and very hidden sheets, never read unless named.
    """

    frame: pd.DataFrame
    sheets: tuple[str, ...]
    header_row: int
    total_rows: list[tuple[int, str, str]] = field(default_factory=list)
    formula_cells: list[tuple[int, str, str]] = field(default_factory=list)
    repeated_headers: list[tuple[int, str]] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)


class WorkbookError(Exception):
    """A workbook whose table cannot be read; ``key`` names the i18n message.

    Keys: ``err.excel_no_visible_sheet`` (every sheet is hidden), ``err.excel_no_header``
    (no row of the first :data:`HEADER_SEARCH_ROWS` names at least two known columns; params
    ``sheet``, ``rows``), ``err.excel_formulas_only`` (a column holds only formulas without
    stored values; params ``sheet``, ``column``, ``rows``) and ``err.excel_no_sheet`` (the sheet
    asked for does not exist; params ``sheet``, ``sheets``).

    Parameters
    ----------
    key : str
        The i18n key of the problem (its fix is the same key with ``fix.``).
    **params
        The message's placeholders.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(_render(key, params))


def _render(key: str, params: dict[str, object]) -> str:
    try:
        from carework.i18n import t

        return t(key, **params)
    except (KeyError, IndexError, ValueError):
        detail = ", ".join(f"{name}={value!r}" for name, value in params.items())
        return f"{key} ({detail})" if detail else key


def sheet_names(path: Path, *, visible_only: bool = True) -> list[str]:
    """The worksheet names of the workbook at ``path``, in workbook order.

    Parameters
    ----------
    path : Path
        An ``.xlsx``/``.xlsm`` file.
    visible_only : bool
        Leave out hidden and very hidden sheets (the default).

    Returns
    -------
    list of str
    """
    book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        return [ws.title for ws in book.worksheets
                if not visible_only or ws.sheet_state == "visible"]
    finally:
        book.close()


def read_table(path: Path, *, sheet: str | None = None, is_header: IsHeader) -> SheetTable:
    """Read the table of a workbook: its visible sheets holding the same table, or ``sheet``.

    Parameters
    ----------
    path : Path
        An ``.xlsx``/``.xlsm`` file.
    sheet : str, optional
        Read only this sheet (even a hidden one). By default every visible sheet whose header
        has the same known columns as the first visible sheet with a header is read, and the
        rows stacked in sheet order.
    is_header : callable
        ``is_header(cells)`` gets a row as stripped strings (``""`` for an empty cell) and
        returns how many of them are known column names of the table.

    Returns
    -------
    SheetTable

    Raises
    ------
    WorkbookError
        No visible sheet, no header, a column of formulas without stored values, or no sheet
        named ``sheet``.
    zipfile.BadZipFile, openpyxl.utils.exceptions.InvalidFileException, OSError
        The file is not a readable ``.xlsx`` workbook (left to the caller, which names the
        file).

    Notes
    -----
    A row is a total row, left out of ``frame`` and listed in ``total_rows``, when

    * its key column (the first recognised column that looks like an identifier, ``Mã KH``,
      else the first recognised column) holds a total label, or is empty and the row's first
      text is one. Total labels start with ``Tổng``, ``Tổng cộng``, ``Tổng số``, ``Cộng``,
      ``Cộng dồn``, ``Lũy kế``, ``Total``, ``Subtotal``, ``Grand total`` or ``Sum`` (accents
      and case ignored, except that ``Tống …`` and ``Công …`` — a surname, "công ty" — are not
      totals); or
    * it holds a ``SUBTOTAL``/``AGGREGATE`` formula, or a ``SUM`` (``SUMIF(S)``, ``COUNT(A)``,
      ``AVERAGE``) over other rows, and no other number (a running-total column next to an
      amount is data).
    """
    path = Path(path)
    book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise WorkbookError("err.excel_no_sheet", sheet=sheet,
                                    sheets=", ".join(book.sheetnames))
            candidates = [book[sheet]]
        else:
            candidates = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
            if not candidates:
                raise WorkbookError("err.excel_no_visible_sheet", sheets=", ".join(hidden))
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            reads: list[_SheetRead] = []
            ignored: list[str] = []
            reference: frozenset[str] | None = None
            for ws in candidates:
                xml = _scan_sheet(archive, parts.get(ws.title))
                rows = _rows(ws)
                top = [row for row in (next(rows, None) for _ in range(HEADER_SEARCH_ROWS + 1))
                       if row is not None]
                header = _find_header(top, xml.merges, is_header)
                if header is None or (reference is not None and header.known != reference):
                    ignored.append(ws.title)
                    continue
                reference = header.known if reference is None else reference
                remaining = (row for row in top if row[0] > header.last_row)
                reads.append(_read_rows(ws.title, header, _chain(remaining, rows), xml.formulas))
        if not reads:
            raise WorkbookError("err.excel_no_header", sheet=candidates[0].title,
                                rows=HEADER_SEARCH_ROWS,
                                sheets=", ".join(ws.title for ws in candidates))
    finally:
        book.close()
    return SheetTable(
        frame=_stack(reads),
        sheets=tuple(r.sheet for r in reads),
        header_row=reads[0].header.last_row,
        total_rows=[t for r in reads for t in r.totals],
        formula_cells=[c for r in reads for c in r.formula_cells],
        repeated_headers=[h for r in reads for h in r.repeated],
        ignored_sheets=ignored,
        hidden_sheets=[] if sheet is not None else hidden,
    )


# --- reading the sheet's XML --------------------------------------------------------------------


@dataclass
class _Formula:
    """A formula cell as the XML stores it: its text, or (a shared formula's other cells) the
    text and position of the cell that holds it."""

    text: str  # with the leading "=", as written in the cell (the master's for a shared one)
    origin: tuple[int, int] | None = None  # (row, column) of the master of a shared formula
    cached: bool = True  # whether the file stores the formula's value

    def at(self, row: int, column: int) -> str:
        """The formula of the cell at ``row``, ``column`` (1-based)."""
        if self.origin is None or self.origin == (row, column):
            return self.text
        try:
            source = f"{get_column_letter(self.origin[1])}{self.origin[0]}"
            return Translator(self.text, origin=source).translate_formula(
                f"{get_column_letter(column)}{row}")
        except (TranslatorError, ValueError):
            return self.text


@dataclass
class _SheetXml:
    merges: list[_Merge] = field(default_factory=list)
    formulas: dict[int, dict[int, _Formula]] = field(default_factory=dict)  # row → column → …


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the archive member holding the sheet's XML."""
    def rels_of(part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        try:
            root = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels",
                                                                      name + ".rels")))
        except KeyError:
            return {}
        out = {}
        for rel in root:
            target = rel.get("Target", "")
            target = (target.lstrip("/") if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out

    try:
        book = next((target for kind, target in rels_of("").values()
                     if kind.endswith("/officeDocument")), "xl/workbook.xml")
        sheets = rels_of(book)
        root = ElementTree.fromstring(archive.read(book))
    except (KeyError, ElementTree.ParseError):
        return {}
    parts = {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
        if rid in sheets:
            parts[element.get("name", "")] = sheets[rid][1]
    return parts


def _scan_sheet(archive: zipfile.ZipFile, part: str | None) -> _SheetXml:
    """The merged ranges and the formula cells of a sheet, from its XML as bytes, read in chunks
    cut after a row's end tag (so that no formula cell is cut)."""
    found = _SheetXml()
    if part is None:
        return found
    merges: set[_Merge] = set()
    shared: dict[bytes, tuple[str, tuple[int, int]]] = {}
    try:
        with archive.open(part) as source:
            carry = b""
            while True:
                chunk = source.read(_CHUNK)
                text = carry + chunk
                cut = len(text) if not chunk else text.rfind(b"row>") + 4
                if chunk and cut < 4:
                    carry = text
                    continue
                segment, carry = text[:cut], text[cut:]
                if b"mergeCell" in segment:
                    for c1, r1, c2, r2 in _MERGE.findall(segment):
                        merges.add((column_index_from_string(c1.decode()), int(r1),
                                    column_index_from_string(c2.decode()), int(r2)))
                _formulas_in(segment, found.formulas, shared)
                if not chunk:
                    break
    except (KeyError, OSError, zipfile.BadZipFile):
        return _SheetXml()
    found.merges = sorted(merges, key=lambda m: (m[1], m[0]))
    return found


def _formulas_in(segment: bytes, formulas: dict[int, dict[int, _Formula]],
                 shared: dict[bytes, tuple[str, tuple[int, int]]]) -> None:
    """Add the formula cells of a run of whole ``<row>`` elements to ``formulas``."""
    for match in _FORMULA_OPEN.finditer(segment):
        cell = _CELL_OPEN.match(segment, segment.rfind(b"<", 0, match.start()))
        ref = _CELL_REF_ATTR.search(cell.group(1)) if cell else None
        if ref is None:
            continue  # a formula outside a cell, or a cell without its address: not located
        row, column = int(ref.group(2)), column_index_from_string(ref.group(1).decode())
        body, after = b"", match.end()
        if not match.group(2):
            end = segment.find(b"<", match.end())
            end = len(segment) if end < 0 else end
            body, after = segment[match.end():end], segment.find(b">", end) + 1
        value = _CACHED_VALUE.match(segment, after) if after > 0 else None
        cell_type = _TYPE_ATTR.search(cell.group(1))
        # an empty stored value is a calculated empty string only in a string-typed cell
        cached = bool(value and (value.group(1) or cell_type and cell_type.group(1) == b"str"))
        text = "=" + html.unescape(body.decode("utf-8", "replace")) if body.strip() else "="
        kind = _TYPE_ATTR.search(match.group(1))
        index = _SHARED_INDEX.search(match.group(1))
        formula = _Formula(text, cached=cached)
        if kind and kind.group(1) == b"shared" and index:
            if body.strip():
                shared[index.group(1)] = (text, (row, column))
                formula = _Formula(text, (row, column), cached)
            elif index.group(1) in shared:
                formula = _Formula(*shared[index.group(1)], cached)
        elif kind and kind.group(1) == b"dataTable":
            formula = _Formula("=TABLE()", cached=cached)
        formulas.setdefault(row, {})[column - 1] = formula


_Row = tuple[int, list[object]]


def _rows(ws: object) -> Iterator[_Row]:
    """``(excel_row, values)`` for every row of the sheet, with strings stripped."""
    # Some writers store a wrong <dimension>: read the rows there are, not the ones it announces.
    ws.reset_dimensions()
    for number, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        yield number, [v.strip() if isinstance(v, str) else v for v in row]


def _chain(first: Iterator[_Row], rest: Iterator[_Row]) -> Iterator[_Row]:
    yield from first
    yield from rest


# --- finding the header -------------------------------------------------------------------------


@dataclass
class _Header:
    last_row: int  # Excel row of the header (of its lower row for a two-row header)
    names: list[str]  # header text per column, trailing empty ones dropped
    known: frozenset[str]  # slugs of the names is_header recognises
    key: int  # 0-based column deciding whether a labelled row is a total row
    variants: list[frozenset[str]]  # folded header texts per column, to spot repeated headers


def _find_header(top: list[_Row], merges: list[_Merge], is_header: IsHeader) -> _Header | None:
    texts = [[_text(v) for v in values] for _, values in top]
    filled = _fill_merges(texts, merges)
    single = [is_header(list(cells)) for cells in texts]
    best: tuple[int, int, int, list[str]] | None = None  # score, upper index, lower index, names
    for i in range(min(HEADER_SEARCH_ROWS, len(texts))):
        score, lower, names = single[i], i, texts[i]
        if i + 1 < len(texts):
            combined = _combine(filled[i], filled[i + 1])
            combined_score = is_header(list(combined))
            if combined_score > max(single[i], single[i + 1]):
                score, lower, names = combined_score, i + 1, combined
        if score >= _MIN_HEADER_SCORE and (best is None or score > best[0]):
            best = (score, i, lower, names)
    if best is None:
        return None
    _, upper, lower, names = best
    names = list(names)
    while names and not names[-1]:
        names.pop()
    recognised = [bool(name) and is_header([name]) >= 1 for name in names]
    known = frozenset(slug(name) for name, ok in zip(names, recognised, strict=True) if ok)
    width = len(names)
    rows_seen = {upper, lower}
    variants = [frozenset(fold(texts[r][c]) for r in rows_seen if c < len(texts[r])
                          and texts[r][c]) | ({fold(names[c])} if names[c] else frozenset())
                for c in range(width)]
    return _Header(last_row=top[lower][0], names=names, known=known,
                   key=_key_column(names, recognised), variants=variants)


def _fill_merges(texts: list[list[str]], merges: list[_Merge]) -> list[list[str]]:
    """The rows with each merged range's text copied into every cell of the range (up to the
    widest row: a title may be merged across the whole sheet)."""
    filled = [list(cells) for cells in texts]
    widest = max((len(cells) for cells in texts), default=0)
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(texts) or min_col > widest:
            continue
        max_col = min(max_col, widest)
        origin = texts[min_row - 1]
        value = origin[min_col - 1] if min_col <= len(origin) else ""
        for r in range(min_row, min(max_row, len(texts)) + 1):
            cells = filled[r - 1]
            if len(cells) < max_col:
                cells.extend([""] * (max_col - len(cells)))
            for c in range(min_col, max_col + 1):
                cells[c - 1] = value
    return filled


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [low or up for up, low in zip(upper, lower, strict=True)]


def _key_column(names: list[str], recognised: list[bool]) -> int:
    """The column whose emptiness marks a labelled row as a total: the first recognised column
    that looks like an identifier (``Mã KH``, ``customer_id``, ``SĐT``), else the first
    recognised column."""
    known = [i for i, ok in enumerate(recognised) if ok]
    for i in known:
        name = slug(names[i])
        if _ID_TOKENS & set(name.split("_")) or name.startswith(_ID_PREFIXES):
            return i
    return known[0] if known else 0


# --- reading the rows ---------------------------------------------------------------------------


@dataclass
class _SheetRead:
    sheet: str
    header: _Header
    columns: list[str]
    rows: list[list[object]]
    index: list[int]
    totals: list[tuple[int, str, str]]
    formula_cells: list[tuple[int, str, str]]
    repeated: list[tuple[int, str]]


def _read_rows(sheet: str, header: _Header, rows: Iterator[_Row],
               formulas: dict[int, dict[int, _Formula]]) -> _SheetRead:
    data: list[list[object]] = []
    index: list[int] = []
    totals: list[tuple[int, str, str]] = []
    repeated: list[tuple[int, str]] = []
    uncached: list[tuple[int, int]] = []  # (excel_row, column)
    width = len(header.names)
    key = header.key
    for number, values in rows:
        end = len(values)
        while end and (values[end - 1] is None or values[end - 1] == ""):
            end -= 1
        del values[end:]
        row_formulas = formulas.get(number)
        missing: list[int] = []
        if row_formulas:
            aggregate, missing = _formulas_of(values, row_formulas, number)
            if aggregate:
                totals.append((number, sheet, _row_text(values, row_formulas, number)))
                continue
        if not end and not missing:
            continue  # an empty row
        if end:
            first = next(v for v in values if v is not None and v != "")
            if isinstance(first, str) and _is_repeated_header(values, header.variants):
                repeated.append((number, sheet))
                continue
            if _is_total_row(values, key):
                totals.append((number, sheet, _row_text(values, row_formulas, number)))
                continue
        if missing:
            uncached.extend((number, column) for column in missing)
            end = max(end, *(column + 1 for column in missing))
        width = max(width, end)
        data.append(values)
        index.append(number)
    for row in data:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    uncached_by_column: dict[int, int] = {}
    for _, column in uncached:
        uncached_by_column[column] = uncached_by_column.get(column, 0) + 1
    names = [name or f"Unnamed: {get_column_letter(c + 1)}"
             for c, name in enumerate(header.names + [""] * (width - len(header.names)))]

    def filled(column: int) -> int:
        """Data cells of the column holding a value or a formula."""
        values = sum(1 for row in data if row[column] is not None and row[column] != "")
        return values + uncached_by_column.get(column, 0)

    for column, count in uncached_by_column.items():
        if count == filled(column):
            raise WorkbookError("err.excel_formulas_only", sheet=sheet, column=names[column],
                                rows=count)
    # a column without a header is kept only when it holds data
    keep = [c for c in range(width) if c < len(header.names) and header.names[c] or filled(c)]
    columns = [names[c] for c in keep]
    if len(keep) < width:
        data = [[row[c] for c in keep] for row in data]
    position = {c: i for i, c in enumerate(keep)}
    formula_cells = [(number, sheet, columns[position[column]]) for number, column in uncached]
    return _SheetRead(sheet=sheet, header=header, columns=columns, rows=data, index=index,
                      totals=totals, formula_cells=formula_cells, repeated=repeated)


def _is_repeated_header(values: list[object], variants: list[frozenset[str]]) -> bool:
    """Whether every non-empty cell of the row repeats the header text of its column (and at
    least two do)."""
    matched = 0
    for column, value in enumerate(values):
        if value is None or value == "":
            continue
        if (not isinstance(value, str) or column >= len(variants)
                or fold(value) not in variants[column]):
            return False
        matched += 1
    return matched >= _MIN_HEADER_SCORE


def _formulas_of(values: list[object], formulas: dict[int, _Formula],
                 number: int) -> tuple[bool, list[int]]:
    """Whether the row is a formula total row (its numbers are all sums over other rows), and
    the (0-based) columns holding a formula whose value the file does not store."""
    aggregate = False
    other_numbers = False
    missing: list[int] = []
    for column, formula in formulas.items():
        if _is_aggregate(formula, number, column + 1):
            aggregate = True
            continue
        other_numbers = True
        if not formula.cached:
            missing.append(column)
    if aggregate and not other_numbers:
        other_numbers = any(isinstance(v, int | float) and not isinstance(v, bool)
                            for column, v in enumerate(values) if column not in formulas)
    return aggregate and not other_numbers, missing


def _is_aggregate(formula: _Formula, row: int, column: int) -> bool:
    """A sum (count, average) over other rows, or a SUBTOTAL/AGGREGATE: a total's formula."""
    functions = {name.upper() for name in _AGGREGATE.findall(formula.text)}
    if not functions:
        return False
    if functions & _ALWAYS_TOTAL:
        return True
    text = formula.at(row, column)
    if _COLUMN_RANGE.search(text):
        return True
    return any(int(ref) != row for ref in _CELL_REF.findall(text))


def _is_total_row(values: list[object], key: int) -> bool:
    """A labelled total: the key column holds a total word, or is empty and the first text of
    the row is one."""
    value = values[key] if key < len(values) else None
    if isinstance(value, str) and value:
        return _is_total_label(value)
    if value is None or value == "":
        for cell in values:
            if isinstance(cell, str) and cell:
                return _is_total_label(cell)
    return False


def _is_total_label(text: str) -> bool:
    if text[:1] not in _TOTAL_INITIALS:
        return False
    folded = _NON_ALNUM.sub(" ", fold(text)).strip()
    if not any(folded == word or folded.startswith(word + " ") for word in _TOTAL_WORDS):
        return False
    first = _FIRST_WORD.search(unicodedata.normalize("NFC", text).lower())
    word = first.group() if first else ""
    return fold(word) == word or word in _ACCENTED_TOTAL_WORDS


def _row_text(values: list[object], formulas: dict[int, _Formula] | None, number: int) -> str:
    """The row's cells as text, `` | ``-separated; a formula without a stored value as its
    formula."""
    formulas = formulas or {}
    cells = []
    for column in range(max(len(values), max(formulas, default=-1) + 1)):
        text = _text(values[column]) if column < len(values) else ""
        if not text and column in formulas:
            text = formulas[column].at(number, column + 1)
        if text:
            cells.append(text)
    return " | ".join(cells)


def _text(value: object) -> str:
    """A cell as stripped text ("" when empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    return str(value).strip()


# --- the frame ----------------------------------------------------------------------------------


def _stack(reads: list[_SheetRead]) -> pd.DataFrame:
    """One frame of the sheets' rows; columns of later sheets are matched to the first sheet's by
    their slug, and a ``sheet`` column is added when there is more than one sheet."""
    if len(reads) == 1:
        return _frame(reads[0].rows, reads[0].columns, reads[0].index)
    def same(name: str) -> str:
        return slug(name) or name

    columns: list[str] = []
    by_slug: dict[str, str] = {}
    for read in reads:
        for name in read.columns:
            if same(name) not in by_slug:
                by_slug[same(name)] = name
                columns.append(name)
    rows: list[list[object]] = []
    index: list[int] = []
    sheets: list[str] = []
    for read in reads:
        where = [columns.index(by_slug[same(name)]) for name in read.columns]
        for row in read.rows:
            out: list[object] = [None] * len(columns)
            for position, value in zip(where, row, strict=True):
                if out[position] is None:
                    out[position] = value
            rows.append(out)
        index.extend(read.index)
        sheets.extend([read.sheet] * len(read.rows))
    frame = _frame(rows, columns, index)
    frame["sheet"] = np.array(sheets, dtype=object)
    return frame


def _frame(rows: list[list[object]], columns: list[str], index: list[int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=pd.Index(columns, dtype=object),
                        index=pd.Index(index, dtype="int64", name="excel_row"), dtype=object)
