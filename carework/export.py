"""Write result tables for people and other programs: CSV, Excel or Parquet by extension.

Writes are atomic: the table goes to a temporary file beside the target, which is then renamed,
so an interrupted run never leaves a half-written file. CSV is UTF-8 with a byte-order mark, so
Excel shows Vietnamese correctly.

No cell runs as a formula (OWASP's CSV injection): a text that a spreadsheet would read as one
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, after any spaces) is
written with a leading ``'`` in CSV (:func:`escape_formulas`), and every Excel cell carework
writes is a value, never a formula (:func:`values_only`). Numbers stay numbers.

Examples
--------
>>> escape_formulas(pd.DataFrame({"name": ["=1+2", "An", "-5"], "n": [-5, 1, 2]}))
    name  n
0  '=1+2 -5
1     An  1
2    '-5  2
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from carework.errors import data_error

FORMATS = (".csv", ".xlsx", ".parquet")
EXPORTS_ENV = "CAREWORK_EXPORTS"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula: a text that starts, after any
    spaces, with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. Numbers never do.

    >>> formula_like("=1+2"), formula_like("  -5"), formula_like("An"), formula_like(-5)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START)


def _escape_text(value: object) -> object:
    if formula_like(value):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas (a leading
    ``'``), for CSV; index and column labels included. Numbers are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or
                pd.api.types.is_datetime64_any_dtype(out[column])):
            out[column] = out[column].map(_escape_text).astype(out[column].dtype
                                                                if out[column].dtype != "string"
                                                                else object)
    out.columns = [_escape_text(c) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = out.index.map(_escape_text)
    return out


def values_only(book: object) -> object:
    """Make every formula cell of an openpyxl workbook a text cell (carework writes no formula:
    a cell that openpyxl took for one is data that starts with ``=``), and mark every text
    that a spreadsheet would read as a formula with Excel's own quote prefix (what typing a
    leading ``'`` stores): shown as typed, and still text after someone edits the cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                defuse_cell(cell)
    return book


def defuse_cell(cell: object) -> object:
    """One openpyxl cell made a value (what :func:`values_only` does to every cell of a
    workbook): a formula cell becomes a text cell, and a text that a spreadsheet would read as
    a formula gets Excel's quote prefix. For cells written one by one, as in a write-only
    workbook, which cannot be read back.

    >>> from openpyxl.cell import WriteOnlyCell
    >>> cell = defuse_cell(WriteOnlyCell(None, "=1+2"))
    >>> cell.data_type, cell.quotePrefix
    ('s', True)
    """
    if cell.data_type == "f":
        cell.data_type = "s"
    if cell.data_type == "s" and formula_like(cell.value):
        cell.quotePrefix = True
    return cell


def exports_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """The folder the notebooks write their exports to, created if needed and readable by its
    owner only (they hold customer data).

    ``folder`` if given, else ``CAREWORK_EXPORTS``, else ``exports/`` in the project: beside
    the ``notebooks/`` folder when run from it, else in the working directory. Never the
    system's shared temporary folder, where anyone on a shared server could read the files.

    >>> exports_folder("/tmp/demo-exports").name                    # doctest: +SKIP
    'demo-exports'
    """
    if folder is None:
        folder = os.environ.get(EXPORTS_ENV)
    if folder is None:
        here = Path.cwd()
        folder = (here.parent if here.name == "notebooks" else here) / "exports"
    path = Path(folder).expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def atomic_write(path: str | os.PathLike[str], write: Callable[[str], None]) -> Path:
    """Call ``write(temporary_path)`` on a temporary file beside ``path``, then rename it to
    ``path``: readers see the old file or the whole new one, never half of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=target.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def csv_bytes(frame: pd.DataFrame, index: bool = True) -> bytes:
    """``frame`` as CSV for a spreadsheet: UTF-8 with a byte-order mark, formulas escaped, CRLF
    rows (Excel's own: a field holding a lone CR or LF is then quoted)."""
    return escape_formulas(frame).to_csv(index=index, lineterminator="\r\n").encode(
        "utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, index: bool = True) -> bytes:
    """``frame`` as an Excel workbook whose cells are values, never formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=index)
        values_only(writer.book)
    return buffer.getvalue()


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *,
                index: bool = True) -> Path:
    """Write ``frame`` to ``path`` in the format its extension names; returns the path.

    Another extension is a :class:`carework.DataError` (the user chose the name)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise data_error("err.export.extension", file=target.name, formats=", ".join(FORMATS),
                         example=f"{target.stem or 'table'}.xlsx")
    frame = frame.copy(deep=False)
    frame.attrs = {}  # in-memory metadata (dates, parameters) is not part of the file

    def write(temporary: str) -> None:
        if suffix == ".csv":
            Path(temporary).write_bytes(csv_bytes(frame, index))
        elif suffix == ".xlsx":
            Path(temporary).write_bytes(xlsx_bytes(frame, index))
        else:
            frame.to_parquet(temporary, index=index)

    return atomic_write(target, write)
