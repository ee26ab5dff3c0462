"""Load a data folder (or in-memory frames) into the canonical tables, setting bad rows aside.

A *data folder* holds up to five tables — ``transactions`` (required), ``customers``,
``surveys``, ``tickets``, ``contacts`` — each as one ``.csv``, ``.xlsx`` or ``.parquet`` file
named after the table in English or Vietnamese (``giao_dich.csv``, ``Khách hàng.xlsx``, …; see
:mod:`carework.schema`). A DuckDB database file works too: its tables are matched the same way.

Nothing is lost: a row that cannot be used is set aside in :attr:`Dataset.rejects` with its
reason, and for every table ``accepted + rejected == rows read``. A value in an optional column
that cannot be read is left empty in the kept row and listed in :attr:`Dataset.notes`. A problem
that makes a table unusable raises :class:`carework.DataError` naming the file, the column and
the fix.

Real exports are read as they come (:mod:`carework.readers`):

* text in UTF-8, UTF-16, Windows-1258, TCVN3 or VNI, double-encoded UTF-8 or a mix of lines,
  converted when the encoding is certain and refused with its name otherwise;
* CSV split line by line: ``sep=`` lines, NUL bytes, CR line ends, trailing delimiters, an
  unbalanced quote, a file cut mid-line, a header repeated inside the data;
* workbooks: visible sheets only, the header found below title rows or over two merged rows,
  the sheets of one table read together, total rows and uncomputed formulas set aside;
* numbers and dates by the majority of their column (the odd ones out set aside), shorthand
  amounts (``1,5tr``), Excel serial dates, ``SA``/``CH`` times, two-digit years;
* ids as Excel mangles them (``100123.0``, ``000123``, ``8.49E+10``), joined across tables;
* a key listed again is an update (``do_not_call`` then wins);
* returns and cancellations netted against the orders they cancel.

An optional ``carework.toml`` in the folder settles what the data cannot say by itself::

    dayfirst = true                 # dates like 03/04/2025 are 3 April (false: 4 March)

    [segments]                      # rule-group thresholds (carework.segments.rules)
    vip_top_share = 0.05

    [columns.transactions]          # your header = canonical column
    "Tổng thanh toán" = "amount"

Examples
--------
>>> from carework.io import load
>>> data = load("data/sample")                              # doctest: +SKIP
>>> data.transactions.columns[:3].tolist()                  # doctest: +SKIP
['customer_id', 'purchased_at', 'amount']
>>> data.report()                                           # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from carework import parsing
from carework.errors import DataError
from carework.i18n import t
from carework.readers.delimited import split_delimited
from carework.readers.encodings import EncodingUnclear, decode_bytes
from carework.readers.ids import align_ids, isin, normalise_ids
from carework.readers.returns import net_linked_returns
from carework.readers.updates import merge_updates
from carework.schema import TABLES, Column, Table
from carework.settings import CONFIG_FILE, Settings
from carework.text.labels import LABELS_FILE
from carework.vntext import slug

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq")
DATABASE_SUFFIXES = (".duckdb", ".ddb")

EARLIEST_EVENT = pd.Timestamp("1990-01-01")
EARLIEST_BIRTH = pd.Timestamp("1900-01-01")
REJECT_COLUMNS = ["table", "file", "row", "column", "reason", "value"]
NOTE_COLUMNS = ["table", "row", "column", "note"]
FILE_NOTE_COLUMNS = ["table", "file", "note", "count", "detail"]

REJECT_REASONS = (
    "duplicate_row", "bad_line", "truncated_line", "repeated_header", "total_row",
    "missing_value", "unparseable_date", "implausible_date", "future_date", "date_order_outlier",
    "unparseable_amount", "amount_format_outlier", "implausible_amount", "formula_without_value",
    "id_lost_precision", "cancelled_order", "cancellation", "return_without_purchase",
    "merged_update", "duplicate_key", "unparseable_score", "score_out_of_range",
    "responded_before_opened", "resolved_before_opened", "answered_before_first_purchase")
"""Every reason a row is set aside (``reason.*`` in :mod:`carework.i18n`; the README's "Your
own data" says what each means and what to do)."""
NOTES = ("unparseable_date", "future_date", "implausible_date", "date_order_outlier",
         "invalid_phone", "restored_leading_zero", "unreadable_do_not_call",
         "excel_day_month_swap", "net_of_return", "id_lost_precision", "formula_without_value")
"""Every note on a value of a kept row (``note.*``)."""
FILE_NOTES = ("encoding_converted", "nul_bytes", "cr_line_ends", "sep_line",
              "trailing_delimiters", "sheets_combined", "sheets_ignored", "header_below_title",
              "formulas_without_values", "empty_file", "ids_respelled", "answers_before_buying",
              "currency_mismatch", "cents_in_vnd")
"""Every note on a whole file (``file_note.*``)."""


# ------------------------------------------------------------------------------------ dataset

@dataclass
class Dataset:
    """The canonical tables of one data source, with what was set aside and why.

    Attributes
    ----------
    transactions : one row per purchase: ``customer_id``, ``purchased_at``, ``amount`` and the
        optional columns present in the source.
    customers, surveys, tickets, contacts : the optional tables, ``None`` where absent.
    rejects : rows set aside: ``table``, ``file``, ``row`` (as a spreadsheet numbers it: the
        header is row 1; ``sheet!row`` when a workbook's sheets were combined; for in-memory
        frames, the frame's index label), ``column``, ``reason`` (a code, see ``reason.*`` in
        :mod:`carework.i18n`) and the raw ``value``.
    notes : values blanked or normalised in kept rows: ``table``, ``row``, ``column``, ``note``.
    file_notes : what was repaired or noticed in a whole file: ``table``, ``file``, ``note`` (a
        code, see ``file_note.*`` in :mod:`carework.i18n`), ``count``, ``detail``.
    ignored_columns : per table, the headers that match no canonical column (not read).
    returns : how returns and cancellations were netted against purchases
        (:class:`carework.readers.returns.Netting` summary), empty when there were none.
    files : the file each table came from.
    rows_read : rows read per table (accepted + rejected).
    ignored_files : files in the folder that match no table.
    as_of : the moment "in the future" was judged against.
    loaded_at : when the files were read (shown beside the figures: "data loaded at").
    settings : the folder's :class:`carework.settings.Settings` (``carework.toml``).
    """

    transactions: pd.DataFrame
    customers: pd.DataFrame | None = None
    surveys: pd.DataFrame | None = None
    tickets: pd.DataFrame | None = None
    contacts: pd.DataFrame | None = None
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOTE_COLUMNS))
    file_notes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=FILE_NOTE_COLUMNS))
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    returns: dict[str, object] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    source: str = ""
    as_of: pd.Timestamp | None = None
    settings: Settings = field(default_factory=Settings)
    loaded_at: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by canonical name."""
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}

    def report(self) -> pd.DataFrame:
        """Rows read, accepted and rejected per table (absent tables included, with zeros)."""
        rejected = self.rejects.groupby("table").size() if len(self.rejects) else pd.Series()
        noted = self.notes.groupby("table").size() if len(self.notes) else pd.Series()
        out = []
        for name in TABLES:
            frame = getattr(self, name)
            out.append({
                "table": name,
                "file": self.files.get(name, ""),
                "rows_read": self.rows_read.get(name, 0),
                "accepted": 0 if frame is None else len(frame),
                "rejected": int(rejected.get(name, 0)),
                "notes": int(noted.get(name, 0)),
            })
        return pd.DataFrame(out)

    def join_report(self) -> pd.DataFrame:
        """Per table with a ``customer_id``: its rows and how many name a customer who bought
        nothing (``unmatched``). For ``customers`` these are prospects; for surveys, tickets
        and contacts they are answers and calls about customers the transactions do not know
        (a different id spelling, or another period's export)."""
        buyers = self.transactions["customer_id"].unique()
        out = [{"table": "transactions", "rows": len(self.transactions), "unmatched": 0}]
        for name in ("customers", "surveys", "tickets", "contacts"):
            frame = getattr(self, name)
            if frame is None or "customer_id" not in frame:
                continue
            ids = frame["customer_id"]
            out.append({"table": name, "rows": len(frame),
                        "unmatched": int((ids.notna() & ~isin(ids, buyers)).sum())})
        table = pd.DataFrame(out)
        table["matched"] = table["rows"] - table["unmatched"]
        return table[["table", "rows", "matched", "unmatched"]]

    def reject_reasons(self) -> pd.DataFrame:
        """Rejected rows counted by table, reason and column."""
        if not len(self.rejects):
            return pd.DataFrame(columns=["table", "reason", "column", "rows"])
        return (self.rejects.groupby(["table", "reason", "column"], sort=False, dropna=False)
                .size().rename("rows").reset_index())


# ------------------------------------------------------------------------------------ settings

def read_settings(folder: Path, dayfirst: bool | None = None,
                  overrides: Mapping[str, object] | None = None) -> Settings:
    """Read ``carework.toml`` in ``folder`` (every default when there is none), with
    ``overrides`` (``"section.name"`` keys) and ``dayfirst`` over it."""
    changes = dict(overrides or {})
    if dayfirst is not None:
        changes["dayfirst"] = dayfirst
    settings = Settings.read(folder)
    return settings.replace(**changes) if changes else settings


# ------------------------------------------------------------------------------------ entry points

def default_folder() -> Path:
    """The data folder to use when none is given.

    ``CAREWORK_DATA`` if set; otherwise the nearest ``data/sample`` above the working
    directory (notebooks run from ``notebooks/``), falling back to the one beside the package.
    """
    env = os.environ.get("CAREWORK_DATA")
    if env:
        return Path(env).expanduser()
    for parent in (Path.cwd(), *Path.cwd().parents):
        candidate = parent / "data" / "sample"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parent.parent / "data" / "sample"


def load(source: str | os.PathLike[str] | None = None, *, dayfirst: bool | None = None,
         as_of: str | pd.Timestamp | None = None,
         settings: Mapping[str, object] | None = None) -> Dataset:
    """Load a data folder or a DuckDB database file into a :class:`Dataset`.

    Parameters
    ----------
    source : the folder (or ``.duckdb`` file); default :func:`default_folder`.
    dayfirst : how to read ``a/b/yyyy`` dates when the data cannot tell; overrides
        ``carework.toml``.
    as_of : dates after this are "in the future" (default: now).
    settings : settings over the folder's ``carework.toml``, as ``"section.name"`` keys
        (``{"reading.max_amount": 1e13}``; the CLI's ``--set``).

    Raises
    ------
    carework.DataError
        A table is unusable: no transactions, a missing required column, an empty or unreadable
        file, a date or number format that cannot be decided.
    """
    path = Path(source) if source is not None else default_folder()
    if path.is_file() and path.suffix.lower() in DATABASE_SUFFIXES:
        return _load_database(path, dayfirst=dayfirst, as_of=as_of, overrides=settings)
    if not path.is_dir():
        raise _error("err.no_folder", file=path, fix="fix.no_folder")
    settings = read_settings(path, dayfirst, settings)
    found, ignored = find_tables(path)
    raws: dict[str, _Raw] = {}
    skipped: list[tuple[str, str]] = []
    for name, source in found.items():
        if name != "transactions" and source.path.stat().st_size == 0:
            skipped.append((name, source.label))  # an empty optional file: the table is absent
            continue
        raws[name] = read_file(source.path, sheet=source.sheet, table=TABLES[name])
    dataset = _build(raws, settings, as_of)
    for name, label in skipped:
        dataset.file_notes.loc[len(dataset.file_notes)] = [name, label, "empty_file", 0, ""]
    dataset.files = {name: source.label for name, source in found.items() if name in raws}
    dataset.ignored_files = [f.name for f in ignored]
    dataset.source = str(path)
    return dataset


def from_frames(transactions: pd.DataFrame, customers: pd.DataFrame | None = None,
                surveys: pd.DataFrame | None = None, tickets: pd.DataFrame | None = None,
                contacts: pd.DataFrame | None = None, *, dayfirst: bool | None = None,
                columns: Mapping[str, Mapping[str, str]] | None = None,
                as_of: str | pd.Timestamp | None = None) -> Dataset:
    """Validate tables already in memory (e.g. from a database query) like :func:`load` does.

    ``rejects.row`` then holds each frame's index label.
    """
    given = {"transactions": transactions, "customers": customers, "surveys": surveys,
             "tickets": tickets, "contacts": contacts}
    raws = {name: _Raw(frame, f"<{name}>", labelled=True)  # rows named by the frame's index
            for name, frame in given.items() if frame is not None}
    return _build(raws, Settings(dayfirst=dayfirst, columns=columns or {}), as_of)


def _load_database(path: Path, *, dayfirst: bool | None, as_of: object,
                   overrides: Mapping[str, object] | None = None) -> Dataset:
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise _error("err.unreadable", file=path, fix="fix.unreadable", detail=str(exc)) from None
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables")
                 .fetchall()]
        chosen: dict[str, str] = {}
        for name in names:
            table = _table_for_stem(name)
            if table:
                if table in chosen:
                    raise _error("err.two_files", file=path, fix="fix.two_files",
                                 table=table, files=f"{chosen[table]}, {name}")
                chosen[table] = name
        if "transactions" not in chosen:
            raise _error("err.no_transactions", file=path, fix="fix.no_transactions",
                         names=_stem_list())
        frames = {table: con.execute(f'select * from "{name}"').df()
                  for table, name in chosen.items()}
    finally:
        con.close()
    raws = {name: _Raw(frame, f"{path.name}:{chosen[name]}") for name, frame in frames.items()}
    dataset = _build(raws, read_settings(path, dayfirst, overrides), as_of)
    dataset.files = {name: f"{path.name}:{chosen[name]}" for name in frames}
    dataset.source = str(path)
    return dataset


# ------------------------------------------------------------------------------------ files

def _table_for_stem(stem: str) -> str | None:
    key = slug(stem)
    for table in TABLES.values():
        if key in table.file_stems:
            return table.name
    return None


def _stem_list() -> str:
    return ", ".join(TABLES["transactions"].file_stems[:3])


@dataclass(frozen=True)
class Source:
    """Where a table is read from: a file, or one sheet of an Excel workbook."""

    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name


def _sheet_tables(workbook: Path) -> dict[str, str]:
    """``{table: sheet}`` for the sheets of a workbook named after tables."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(workbook, read_only=True)
    except Exception:  # noqa: BLE001 — not a readable workbook: read_file will say so
        return {}
    try:
        return {table: sheet for sheet in book.sheetnames
                if (table := _table_for_stem(sheet)) is not None}
    finally:
        book.close()


def find_tables(folder: Path) -> tuple[dict[str, Source], list[Path]]:
    """Match the files of ``folder`` to tables. Returns ``({table: source}, ignored files)``.

    A file named after a table holds that table (an Excel file: its first sheet). An Excel
    workbook with another name holds the tables its sheets are named after (``Giao dịch``,
    ``Khách hàng``, …).
    """
    found: dict[str, Source] = {}
    ignored: list[Path] = []

    def add(table: str, source: Source) -> None:
        if table in found:
            raise _error("err.two_files", file=folder, fix="fix.two_files", table=table,
                         files=f"{found[table].label}, {source.label}")
        found[table] = source

    for file in sorted(folder.iterdir()):
        if not file.is_file() or file.name.startswith((".", "~$")) \
                or file.name in (CONFIG_FILE, LABELS_FILE):
            continue
        table = _table_for_stem(file.stem)
        suffix = file.suffix.lower()
        if suffix == ".xls" and table is not None:
            raise _error("err.old_excel", file=file, fix="fix.old_excel")
        if suffix not in SUFFIXES:
            continue
        if table is not None:
            add(table, Source(file))
        elif suffix in (".xlsx", ".xlsm") and (sheets := _sheet_tables(file)):
            for name, sheet in sheets.items():
                add(name, Source(file, sheet))
        else:
            ignored.append(file)
    if "transactions" not in found:
        raise _error("err.no_transactions", file=folder, fix="fix.no_transactions",
                     names=_stem_list())
    return found, ignored


@dataclass
class _Raw:
    """A table as read: raw values, plus what the reader set aside or repaired.

    When ``labelled``, ``frame.index`` names each row: its spreadsheet row number (``sheet!row``
    when a workbook's sheets were combined) or an in-memory frame's own label; otherwise (Parquet,
    DuckDB) rows are numbered from 2, as a spreadsheet would.
    """

    frame: pd.DataFrame
    name: str
    bad_lines: list[tuple[object, str, str]] = field(default_factory=list)  # (row, text, reason)
    file_notes: list[tuple[str, int, str]] = field(default_factory=list)    # (note, count, detail)
    repeated_names: list[str] = field(default_factory=list)
    formula_cells: set[tuple[object, str]] = field(default_factory=set)     # (row, header)
    labelled: bool = False


def read_file(path: Path, sheet: str | None = None, table: Table | None = None) -> _Raw:
    """Read one file (or one ``sheet`` of a workbook) into raw values, without interpreting
    them: strings for text formats, the stored types for Excel and Parquet.

    ``table`` (the table the file holds) lets a workbook's header row be found below title
    rows, and its sheets of the same table be read together.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return _Raw(pd.read_parquet(path), str(path))
        if suffix in (".xlsx", ".xlsm"):
            return _read_workbook(path, sheet, table or TABLES["transactions"])
    except DataError:
        raise
    except (OSError, ValueError, ImportError, KeyError) as exc:
        raise _error("err.unreadable", file=path, fix="fix.unreadable",
                     detail=type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 — zip/pyarrow errors have no common base class
        raise _error("err.unreadable", file=path, fix="fix.unreadable",
                     detail=type(exc).__name__) from None
    return _read_text(path)


def _read_workbook(path: Path, sheet: str | None, table: Table) -> _Raw:
    from carework.readers.excel import WorkbookError, read_table  # openpyxl: only when needed

    def is_header(cells: list[str]) -> int:
        return sum(1 for c in cells if c and table.canonical_name(c) is not None)

    try:
        book = read_table(path, sheet=sheet, is_header=is_header)
    except WorkbookError as exc:
        raise _error(exc.key, file=path, fix=exc.key.replace("err.", "fix."),
                     **exc.params) from None
    frame = book.frame
    frame.columns = [str(c) for c in frame.columns]
    several = len(book.sheets) > 1
    label = f"{path.name}[{', '.join(book.sheets)}]" if (sheet or several) else str(path)

    def row_label(row: int, sheet_name: str) -> object:
        return f"{sheet_name}!{row}" if several else int(row)

    if several:
        frame.index = [row_label(r, s) for r, s in zip(frame.index, frame["sheet"], strict=True)]
    bad: list[tuple[object, str, str]] = []
    bad += [(row_label(r, s), text, "total_row") for r, s, text in book.total_rows]
    bad += [(row_label(r, s), "", "repeated_header") for r, s in book.repeated_headers]
    notes: list[tuple[str, int, str]] = []
    if several:
        notes.append(("sheets_combined", len(book.sheets), ", ".join(book.sheets)))
    if book.ignored_sheets:
        notes.append(("sheets_ignored", len(book.ignored_sheets), ", ".join(book.ignored_sheets)))
    if book.header_row > 1:
        notes.append(("header_below_title", book.header_row, ""))
    formulas = {(row_label(r, s), header) for r, s, header in book.formula_cells}
    if formulas:
        notes.append(("formulas_without_values", len(formulas), ""))
    return _Raw(frame, label, bad_lines=bad, file_notes=notes, formula_cells=formulas,
                labelled=True)


def decode(data: bytes, path: Path) -> tuple[str, list[tuple[str, int, str]]]:
    """Decode a text file: UTF-8, UTF-16, Windows-1258 or the legacy Vietnamese font encodings
    (TCVN3, VNI), double-encoded UTF-8 and files mixing them line by line; NFC form.

    Returns the text and the file notes saying what was converted. Raises
    :class:`carework.DataError` naming the likely encoding when none is certain.
    """
    try:
        decoded = decode_bytes(data)
    except EncodingUnclear as exc:
        raise _error("err.encoding", file=path, fix="fix.encoding", encoding=exc.guess,
                     candidates=", ".join(exc.candidates), example=exc.example) from None
    notes = []
    if decoded.encoding not in ("utf-8", "utf-8-sig", "utf-16", "ascii"):
        notes.append(("encoding_converted", decoded.converted_lines, decoded.encoding))
    return decoded.text, notes


def _read_text(path: Path) -> _Raw:
    text, notes = decode(path.read_bytes(), path)
    if not text.replace("\x00", "").strip():
        raise _error("err.empty_file", file=path, fix="fix.empty_file")
    table = split_delimited(text, "\t" if path.suffix.lower() == ".tsv" else None)
    if not len(table.frame.columns):
        raise _error("err.empty_file", file=path, fix="fix.empty_file")
    notes += [(code, count, "") for code, count in table.notes.items()]
    return _Raw(table.frame, str(path), bad_lines=table.bad_lines, file_notes=notes,
                repeated_names=table.repeated_names, labelled=True)


# ------------------------------------------------------------------------------------ validation

class _Table:
    """Accumulates one table's rejects and notes while its columns are parsed."""

    def __init__(self, table: Table, raw: _Raw, labels: pd.Series) -> None:
        self.table = table
        self.file = raw.name
        self.labels = labels
        self.rejects: list[pd.DataFrame] = []
        self.notes: list[pd.DataFrame] = []

    def reject(self, mask: pd.Series, reason: str, column: str = "",
               values: pd.Series | None = None) -> None:
        if mask.any():
            self.rejects.append(pd.DataFrame({
                "table": self.table.name, "file": Path(self.file).name,
                "row": self.labels[mask].to_numpy(), "column": column, "reason": reason,
                "value": "" if values is None else values[mask].astype(str).to_numpy(),
            }))

    def note(self, mask: pd.Series, column: str, note: str) -> None:
        if mask.any():
            self.notes.append(pd.DataFrame({
                "table": self.table.name, "row": self.labels[mask].to_numpy(),
                "column": column, "note": note}))


def _error(key: str, *, file: object, fix: str, column: str | None = None,
           **params: object) -> DataError:
    """A DataError whose problem and fix come from the i18n table."""
    if column is not None:
        params["column"] = column
    return DataError(t(key, **params), file=str(file), column=column, fix=t(fix, **params))


def _rename_columns(raw: _Raw, table: Table,
                    overrides: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """The frame with canonical column names, and the headers that match none."""
    frame = raw.frame
    wanted = {slug(k): v for k, v in overrides.items()}
    mapping: dict[str, str] = {}
    claimed: dict[str, list[str]] = {}
    for header in frame.columns:
        header = str(header)
        canonical = wanted.get(slug(header)) or table.canonical_name(header)
        if canonical:
            claimed.setdefault(canonical, []).append(header)
            mapping[header] = canonical
    for name in raw.repeated_names:  # the same header twice: which one holds the values?
        canonical = wanted.get(slug(name)) or table.canonical_name(name)
        if canonical:
            raise _error("err.double_column", file=raw.name, fix="fix.double_column",
                         column=canonical, headers=f"{name!r} ×2")
    for canonical, headers in claimed.items():
        if len(headers) > 1:
            raise _error("err.double_column", file=raw.name, fix="fix.double_column",
                         column=canonical, headers=", ".join(repr(h) for h in headers))
    for required in table.required_columns:
        if required not in claimed:
            column = table.column(required)
            found = ", ".join(repr(str(c)) for c in frame.columns) or "—"
            raise _error("err.missing_column", file=raw.name, fix="fix.missing_column",
                         column=required, found=found, table=table.name,
                         aliases=", ".join(column.aliases[:4]))
    renamed = frame.rename(columns={h: c for h, c in mapping.items()})
    canonical = [c for c in table.column_names if c in renamed.columns]
    extra = [c for c in renamed.columns if c not in table.column_names]
    ignored = [c for c in extra if c != "sheet" and str(c).strip()]
    return renamed[canonical + extra], ignored


@dataclass
class _Validated:
    frame: pd.DataFrame
    rejects: pd.DataFrame
    notes: pd.DataFrame
    rows_read: int
    file_notes: list[tuple[str, int, str]]
    ignored_columns: list[str]
    returns: dict[str, object]
    rows: pd.Series  # the spreadsheet row of each kept row
    first_seen: pd.Series | None = None  # transactions: each customer's first purchase, returned
    # or not (a customer whose first order was cancelled was still a customer then)


def _validate(name: str, raw: _Raw, settings: Settings, as_of: pd.Timestamp) -> _Validated:
    table = TABLES[name]
    frame, ignored = _rename_columns(raw, table, settings.columns.get(name, {}))
    if raw.labelled:
        labels = frame.index.to_series()
    else:
        labels = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    frame = frame.reset_index(drop=True)
    labels = labels.reset_index(drop=True)
    rows_read = len(frame) + len(raw.bad_lines)
    if rows_read == 0:
        raise _error("err.empty_file", file=raw.name, fix="fix.empty_file")

    acc = _Table(table, raw, labels)
    file_notes = list(raw.file_notes)
    if raw.bad_lines:
        acc.rejects.append(pd.DataFrame({
            "table": name, "file": Path(raw.name).name, "row": [r for r, _, _ in raw.bad_lines],
            "column": "", "reason": [why for _, _, why in raw.bad_lines],
            "value": [v[:200] for _, v, _ in raw.bad_lines]}))
    keep = pd.Series(True, index=frame.index)

    def set_aside(mask: pd.Series, reason: str, column: str = "",
                  values: pd.Series | None = None) -> None:
        mask = mask & keep
        acc.reject(mask, reason, column, values)
        keep[mask] = False

    set_aside(_raw_duplicates(frame), "duplicate_row")
    if raw.formula_cells:
        originals = {str(h): c for h, c in zip(raw.frame.columns, frame.columns, strict=True)}
        for column in table.columns:
            cells = {row for row, header in raw.formula_cells
                     if originals.get(header) == column.name}
            if cells and column.required:
                set_aside(labels.isin(cells), "formula_without_value", column.name)
            elif cells:
                acc.note(labels.isin(cells), column.name, "formula_without_value")
    out = pd.DataFrame(index=frame.index)
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        raw_values = frame[column.name]
        out[column.name] = _parse_column(column, raw_values, acc, set_aside, settings,
                                         as_of, labels, file_notes)
    for extra in frame.columns:
        if extra not in table.column_names:
            out[extra] = frame[extra]

    if name == "tickets":
        opened = out["opened_at"]
        for column, reason in (("first_response_at", "responded_before_opened"),
                               ("resolved_at", "resolved_before_opened")):
            if column in out:
                set_aside(out[column].notna() & (out[column] < opened), reason, column,
                          frame[column])
        if "status" not in out and "resolved_at" in out:
            out["status"] = np.where(out["resolved_at"].notna(), "resolved", "open")
            out["status"] = out["status"].astype("str")
    if table.key:
        # a key listed again is an update of the earlier row (see carework.readers.updates)
        identity = ("customer_id", "opened_at") if name == "tickets" else ()
        out, later = merge_updates(out, table.key, keep, identity)
        set_aside(later, "merged_update", table.key, frame[table.key])
        # a key repeated with another identity: the first row wins
        dup = out[table.key].where(keep).duplicated(keep="first") & keep
        set_aside(dup, "duplicate_key", table.key, frame[table.key])
    returns: dict[str, object] = {}
    first_seen = None
    if name == "transactions":
        first_seen = out[keep].groupby("customer_id")["purchased_at"].min()
        returns = _net_returns(out, keep, acc, set_aside, settings, frame["amount"])

    rejects = pd.concat(acc.rejects, ignore_index=True) if acc.rejects else \
        pd.DataFrame(columns=REJECT_COLUMNS)
    notes = pd.concat(acc.notes, ignore_index=True) if acc.notes else \
        pd.DataFrame(columns=NOTE_COLUMNS)
    notes = notes[notes["row"].isin(labels[keep].to_numpy())] if len(notes) else notes
    if not keep.any():
        top = rejects.groupby(["reason", "column"], sort=False).size().idxmax()
        example = rejects[(rejects["reason"] == top[0]) & (rejects["column"] == top[1])].iloc[0]
        raise _error("err.all_rejected", file=raw.name, fix="fix.all_rejected",
                     column=top[1] or "—", rows=rows_read, reason=t(f"reason.{top[0]}"),
                     row=example["row"], value=example["value"])
    return _Validated(out[keep].reset_index(drop=True), rejects, notes, rows_read, file_notes,
                      ignored, returns, labels[keep].reset_index(drop=True), first_seen)


def _net_returns(out: pd.DataFrame, keep: pd.Series, acc: _Table, set_aside,
                 settings: Settings, written: pd.Series) -> dict[str, object]:
    """Net returns and cancellations (negative amounts) against the purchases they cancel
    (:func:`carework.readers.returns.net_linked_returns`); the amounts of partly returned
    purchases are reduced."""
    kept = out[keep]
    if not (kept["amount"] < 0).any():
        return {}
    netting = net_linked_returns(kept, window_days=settings.reading.returns_window_days)
    for reason in ("cancelled_order", "cancellation", "return_without_purchase"):
        rows = netting.set_aside.index[netting.set_aside["reason"] == reason]
        set_aside(out.index.isin(rows) & keep, reason, "amount", written)
    reduced = pd.Series(out.index.isin(netting.reduced.index[netting.reduced]), index=out.index)
    net = out["amount"].copy()
    net[netting.amount.index] = netting.amount
    acc.note(reduced & keep & (net != out["amount"]), "amount", "net_of_return")
    out["amount"] = net
    return {"rule": netting.rule, **netting.summary}


def _raw_duplicates(frame: pd.DataFrame) -> pd.Series:
    if not len(frame.columns):
        return pd.Series(False, index=frame.index)
    try:
        return frame.duplicated(keep="first")
    except TypeError:  # unhashable cells (lists from Parquet): compare their text
        return frame.astype(str).duplicated(keep="first")


def _parse_column(column: Column, values: pd.Series, acc: _Table, set_aside, settings: Settings,
                  as_of: pd.Timestamp, labels: pd.Series,
                  file_notes: list[tuple[str, int, str]]) -> pd.Series:
    name = column.name
    missing = parsing.as_text(values) == "" if values.dtype == object or \
        pd.api.types.is_string_dtype(values.dtype) else values.isna()
    if column.required:
        set_aside(missing, "missing_value", name, values)
    try:
        if column.kind in ("datetime", "date"):
            return _parse_dates(column, values, acc, set_aside, settings, as_of, labels)
        if column.kind == "money":
            money = parsing.parse_money_detail(values, rows=labels)
            parsed, bad, outliers = money.values, money.bad, money.outliers
            file_notes += _currency_notes(money, settings.display.currency)
            set_aside(bad, "unparseable_amount", name, values)
            set_aside(outliers, "amount_format_outlier", name, values)
            huge = parsed.notna() & (parsed.abs() >= settings.reading.max_amount)
            set_aside(huge, "implausible_amount", name, values)
            return parsed
        if column.kind == "score":
            low, high = column.bounds or (0, 10)
            parsed, unreadable, off_scale = parsing.parse_score(values, low, high)
            set_aside(unreadable, "unparseable_score", name, values)
            set_aside(off_scale, "score_out_of_range", name, values)
            return parsed
        if column.kind == "bool":
            parsed, unreadable = parsing.parse_bool(values)
            acc.note(unreadable, name, "unreadable_do_not_call")
            return parsed
        if column.kind == "phone":
            parsed, invalid, restored = parsing.parse_phone(values)
            acc.note(invalid, name, "invalid_phone")
            acc.note(restored, name, "restored_leading_zero")
            return parsed
        if column.kind == "category":
            return parsing.parse_category(values, dict(column.values))
    except parsing.ColumnFormatError as exc:
        fix = exc.key.replace("err.", "fix.")
        raise _error(exc.key, file=acc.file, fix=fix, column=name, **exc.params) from None
    text = parsing.as_text(values)
    if column.kind == "id":
        text, lost = normalise_ids(text)
        if column.required:
            set_aside(lost, "id_lost_precision", name, values)
        else:
            acc.note(lost, name, "id_lost_precision")
            text = text.where(~lost, "")
    return text.where(text != "").astype("str")


def _currency_notes(money: parsing.MoneyParse, currency: str) -> list[tuple[str, int, str]]:
    """Say when the amounts do not look like the settings' currency: glyphs of another one
    (``£``, ``$``), or cents on VND amounts (VND has no subunit in use). The amounts are read
    the same either way; only the currency shown would be wrong."""
    notes = []
    seen = {code: n for code, n in money.currencies.items() if code != currency}
    if seen:
        code, count = max(seen.items(), key=lambda item: item[1])
        notes.append(("currency_mismatch", count, code))
    elif currency == "VND":
        values = money.values.dropna()
        cents = int((values.round(0) != values).sum())
        if len(values) and cents >= 0.2 * len(values):
            notes.append(("cents_in_vnd", cents, ""))
    return notes


def _parse_dates(column: Column, values: pd.Series, acc: _Table, set_aside, settings: Settings,
                 as_of: pd.Timestamp, labels: pd.Series) -> pd.Series:
    name = column.name
    parsed, bad, outliers = parsing.parse_datetime(values, dayfirst=settings.dayfirst,
                                                   rows=labels, today=as_of)
    swapped = parsing.excel_swap_suspects(values, parsed)
    if swapped.any():  # Excel read dd/mm text as mm/dd where it could: undo, and say so
        parsed, swapped = parsing.excel_swap_fix(values, parsed)
        acc.note(swapped, name, "excel_day_month_swap")
    if column.kind == "date":
        parsed = parsed.dt.normalize()
    earliest = EARLIEST_BIRTH if name == "birth_date" else EARLIEST_EVENT
    too_old = parsed.notna() & (parsed < earliest)
    future = parsed.notna() & (parsed > as_of)
    if column.required or name in ("first_response_at", "resolved_at"):
        # a ticket's timing is what its KPIs measure: never guess it away
        set_aside(bad, "unparseable_date", name, values)
        set_aside(outliers, "date_order_outlier", name, values)
        if column.required:
            set_aside(too_old, "implausible_date", name, values)
        set_aside(future, "future_date", name, values)
    else:
        acc.note(bad, name, "unparseable_date")
        acc.note(outliers, name, "date_order_outlier")
        acc.note(too_old, name, "implausible_date")
        acc.note(future, name, "future_date")
        parsed = parsed.where(~(bad | outliers | too_old | future))
    return parsed


def _build(raws: Mapping[str, _Raw], settings: Settings, as_of: object) -> Dataset:
    moment = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.now().floor("s")
    if "transactions" not in raws:
        raise _error("err.no_transactions", file="<data>", fix="fix.no_transactions",
                     names=_stem_list())
    tables: dict[str, pd.DataFrame] = {}
    rejects, notes, rows_read, file_notes, ignored = [], [], {}, [], {}
    returns: dict[str, object] = {}
    first_seen = pd.Series(dtype="datetime64[us]")
    for name in TABLES:
        if name not in raws:
            continue
        result = _validate(name, raws[name], settings, moment)
        if name == "transactions":
            first_seen = result.first_seen
        if name == "surveys":
            result = _answers_before_buying(result, first_seen, raws[name].name)
        tables[name] = result.frame
        rows_read[name] = result.rows_read
        rejects.append(result.rejects)
        notes.append(result.notes)
        file_notes += [(name, raws[name].name, *n) for n in result.file_notes]
        if result.ignored_columns:
            ignored[name] = result.ignored_columns
        returns = returns or result.returns
        assert len(result.frame) + len(result.rejects) == result.rows_read, \
            f"{name}: rows lost while validating"
    file_notes += _join_ids(tables, raws)
    all_rejects = pd.concat([r for r in rejects if len(r)], ignore_index=True) \
        if any(len(r) for r in rejects) else pd.DataFrame(columns=REJECT_COLUMNS)
    all_notes = pd.concat([n for n in notes if len(n)], ignore_index=True) \
        if any(len(n) for n in notes) else pd.DataFrame(columns=NOTE_COLUMNS)
    order = {name: i for i, name in enumerate(TABLES)}
    all_rejects = all_rejects.sort_values(["table", "row"], key=lambda c: c.map(order)
                                          if c.name == "table" else c.map(_row_order),
                                          kind="stable", ignore_index=True)
    return Dataset(**tables, rejects=all_rejects, notes=all_notes, settings=settings,
                   rows_read=rows_read, as_of=moment, ignored_columns=ignored, returns=returns,
                   file_notes=pd.DataFrame(file_notes, columns=FILE_NOTE_COLUMNS))


def _answers_before_buying(result: _Validated, first: pd.Series, file: str) -> _Validated:
    """Set aside survey answers given more than a day before the customer's first purchase: a
    satisfaction score about a service not yet received is a date error or a purchase missing
    from the export, and would decide a period's NPS on its own."""
    frame = result.frame
    bought = frame["customer_id"].map(first)
    early = (bought.notna() & (frame["answered_at"] < bought.dt.normalize()
                               - pd.Timedelta(days=1))).to_numpy()
    if not early.any():
        return result
    if early.all():  # every answer: not stray dates but another period's export; keep, say so
        result.file_notes.append(("answers_before_buying", int(early.sum()), ""))
        return result
    reject = pd.DataFrame({"table": "surveys", "file": Path(file).name,
                           "row": result.rows[early].to_numpy(), "column": "answered_at",
                           "reason": "answered_before_first_purchase",
                           "value": frame.loc[early, "answered_at"].astype(str).to_numpy()})
    keep = ~early
    notes = result.notes
    if len(notes):
        notes = notes[notes["row"].isin(result.rows[keep].to_numpy())]
    return replace(result, frame=frame[keep].reset_index(drop=True),
                   rejects=pd.concat([result.rejects, reject], ignore_index=True), notes=notes,
                   rows=result.rows[keep].reset_index(drop=True))


def _row_order(row: object) -> str:
    """Rows in spreadsheet order: ``7`` before ``12``; ``T1!7`` (sheet T1) before ``T2!3``."""
    sheet, _, number = str(row).rpartition("!")
    return f"{sheet}!{number.zfill(12)}"


def _join_ids(tables: dict[str, pd.DataFrame], raws: Mapping[str, _Raw]
              ) -> list[tuple[str, str, str, int, str]]:
    """Respell other tables' customer ids the way the transactions spell them (leading zeros,
    case; :mod:`carework.readers.ids`), and refuse a table none of whose customers bought."""
    buyers = tables["transactions"]["customer_id"]
    known = buyers.unique()
    notes = []
    for name in ("customers", "surveys", "tickets", "contacts"):
        frame = tables.get(name)
        if frame is None or "customer_id" not in frame or not len(frame):
            continue
        ids, respelled = align_ids(frame["customer_id"], buyers)
        if respelled:
            frame["customer_id"] = ids.astype("str")
            notes.append((name, raws[name].name, "ids_respelled", respelled, ""))
        if not isin(frame["customer_id"], known).any():
            raise _error("err.nothing_joins", file=raws[name].name, fix="fix.nothing_joins",
                         column="customer_id", table=name,
                         theirs=", ".join(frame["customer_id"].astype(str).head(3)),
                         ours=", ".join(pd.Series(known).astype(str).head(3)))
    return notes
