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

import codecs
import csv
import io as _io
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from carework import parsing
from carework.errors import DataError
from carework.i18n import t
from carework.schema import TABLES, Column, Table
from carework.settings import CONFIG_FILE, Settings
from carework.vntext import slug

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq")
DATABASE_SUFFIXES = (".duckdb", ".ddb")

EARLIEST_EVENT = pd.Timestamp("1990-01-01")
EARLIEST_BIRTH = pd.Timestamp("1900-01-01")
REJECT_COLUMNS = ["table", "row", "reason", "column", "value"]
NOTE_COLUMNS = ["table", "row", "column", "note"]


# ------------------------------------------------------------------------------------ dataset

@dataclass
class Dataset:
    """The canonical tables of one data source, with what was set aside and why.

    Attributes
    ----------
    transactions : one row per purchase: ``customer_id``, ``purchased_at``, ``amount`` and the
        optional columns present in the source.
    customers, surveys, tickets, contacts : the optional tables, ``None`` where absent.
    rejects : rows set aside: ``table``, ``row`` (as a spreadsheet numbers it: the header is row
        1; for in-memory frames, the frame's index label), ``reason`` (a code, see
        ``reason.*`` in :mod:`carework.i18n`), ``column`` and the raw ``value``.
    notes : values blanked or normalised in kept rows: ``table``, ``row``, ``column``, ``note``.
    files : the file each table came from.
    rows_read : rows read per table (accepted + rejected).
    ignored_files : files in the folder that match no table.
    as_of : the moment "in the future" was judged against.
    settings : the folder's :class:`carework.settings.Settings` (``carework.toml``).
    """

    transactions: pd.DataFrame
    customers: pd.DataFrame | None = None
    surveys: pd.DataFrame | None = None
    tickets: pd.DataFrame | None = None
    contacts: pd.DataFrame | None = None
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOTE_COLUMNS))
    files: dict[str, str] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    source: str = ""
    as_of: pd.Timestamp | None = None
    settings: Settings = field(default_factory=Settings)

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

    def reject_reasons(self) -> pd.DataFrame:
        """Rejected rows counted by table, reason and column."""
        if not len(self.rejects):
            return pd.DataFrame(columns=["table", "reason", "column", "rows"])
        return (self.rejects.groupby(["table", "reason", "column"], sort=False, dropna=False)
                .size().rename("rows").reset_index())


# ------------------------------------------------------------------------------------ settings

def read_settings(folder: Path) -> Settings:
    """Read ``carework.toml`` in ``folder`` (every default when there is none)."""
    return Settings.read(folder)


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
         as_of: str | pd.Timestamp | None = None) -> Dataset:
    """Load a data folder or a DuckDB database file into a :class:`Dataset`.

    Parameters
    ----------
    source : the folder (or ``.duckdb`` file); default :func:`default_folder`.
    dayfirst : how to read ``a/b/yyyy`` dates when the data cannot tell; overrides
        ``carework.toml``.
    as_of : dates after this are "in the future" (default: now).

    Raises
    ------
    carework.DataError
        A table is unusable: no transactions, a missing required column, an empty or unreadable
        file, a date or number format that cannot be decided.
    """
    path = Path(source) if source is not None else default_folder()
    if path.is_file() and path.suffix.lower() in DATABASE_SUFFIXES:
        return _load_database(path, dayfirst=dayfirst, as_of=as_of)
    if not path.is_dir():
        raise _error("err.no_folder", file=path, fix="fix.no_folder")
    settings = read_settings(path)
    if dayfirst is not None:
        settings = settings.replace(dayfirst=dayfirst)
    found, ignored = find_tables(path)
    raws = {name: read_file(source.path, sheet=source.sheet) for name, source in found.items()}
    dataset = _build(raws, settings, as_of, labels_are_lines=True)
    dataset.files = {name: source.label for name, source in found.items()}
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
    raws = {name: _Raw(frame, f"<{name}>") for name, frame in given.items() if frame is not None}
    return _build(raws, Settings(dayfirst=dayfirst, columns=columns or {}), as_of,
                  labels_are_lines=False)


def _load_database(path: Path, *, dayfirst: bool | None, as_of: object) -> Dataset:
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
    settings = Settings.read(path)
    if dayfirst is not None:
        settings = settings.replace(dayfirst=dayfirst)
    dataset = _build(raws, settings, as_of, labels_are_lines=True)
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
        if not file.is_file() or file.name.startswith((".", "~$")) or file.name == CONFIG_FILE:
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
    """A table as read: raw values, plus lines that could not be split into fields."""

    frame: pd.DataFrame
    name: str
    bad_lines: list[tuple[int, str]] = field(default_factory=list)  # (spreadsheet row, text)


def read_file(path: Path, sheet: str | None = None) -> _Raw:
    """Read one file (or one ``sheet`` of a workbook) into raw values, without interpreting
    them: strings for text formats, the stored types for Excel and Parquet."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return _Raw(pd.read_parquet(path), str(path))
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
            frame.columns = [str(c) for c in frame.columns]
            frame = frame.apply(parsing.as_text) if len(frame) else frame
            return _Raw(frame, f"{path}[{sheet}]" if sheet else str(path))
    except (OSError, ValueError, ImportError, KeyError) as exc:
        raise _error("err.unreadable", file=path, fix="fix.unreadable",
                     detail=type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 — zip/pyarrow errors have no common base class
        raise _error("err.unreadable", file=path, fix="fix.unreadable",
                     detail=type(exc).__name__) from None
    return _read_text(path)


def decode(data: bytes, path: Path) -> str:
    """Decode text as UTF-16 (with BOM), UTF-8 (BOM or not) or Windows-1258, in NFC form."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return unicodedata.normalize("NFC", text)
    raise _error("err.encoding", file=path, fix="fix.encoding")


def _read_text(path: Path) -> _Raw:
    data = path.read_bytes()
    text = decode(data, path)
    if not text.strip():
        raise _error("err.empty_file", file=path, fix="fix.empty_file")
    header = text.lstrip().split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=header.count) if path.suffix.lower() != ".tsv" else "\t"
    try:
        frame = pd.read_csv(_io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=True, engine="c")
        return _Raw(frame, str(path))
    except pd.errors.ParserError:
        return _read_text_slowly(text, delimiter, path)
    except pd.errors.EmptyDataError:
        raise _error("err.empty_file", file=path, fix="fix.empty_file") from None


def _read_text_slowly(text: str, delimiter: str, path: Path) -> _Raw:
    """Split a CSV with malformed lines record by record, keeping the malformed ones aside."""
    reader = csv.reader(_io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    rows: list[list[str]] = []
    labels: list[int] = []
    bad: list[tuple[int, str]] = []
    record = 1
    for fields in reader:
        if not fields or all(not f.strip() for f in fields):
            continue
        record += 1
        if len(fields) == len(header):
            rows.append(fields)
            labels.append(record)
        else:
            bad.append((record, delimiter.join(fields)))
    frame = pd.DataFrame(rows, columns=header, index=labels, dtype=object)
    return _Raw(frame, str(path), bad_lines=bad)


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
                "table": self.table.name, "row": self.labels[mask].to_numpy(),
                "reason": reason, "column": column,
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


def _rename_columns(raw: _Raw, table: Table, overrides: Mapping[str, str]) -> pd.DataFrame:
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
    return renamed[canonical + extra]


def _validate(name: str, raw: _Raw, settings: Settings, as_of: pd.Timestamp,
              labels_are_lines: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    table = TABLES[name]
    frame = _rename_columns(raw, table, settings.columns.get(name, {}))
    if labels_are_lines and not raw.bad_lines:
        labels = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    else:
        labels = frame.index.to_series()
    frame = frame.reset_index(drop=True)
    labels = labels.reset_index(drop=True)
    rows_read = len(frame) + len(raw.bad_lines)
    if rows_read == 0:
        raise _error("err.empty_file", file=raw.name, fix="fix.empty_file")

    acc = _Table(table, raw, labels)
    if raw.bad_lines:
        acc.rejects.append(pd.DataFrame({
            "table": name, "row": [r for r, _ in raw.bad_lines], "reason": "bad_line",
            "column": "", "value": [v for _, v in raw.bad_lines]}))
    keep = pd.Series(True, index=frame.index)

    def set_aside(mask: pd.Series, reason: str, column: str = "",
                  values: pd.Series | None = None) -> None:
        mask = mask & keep
        acc.reject(mask, reason, column, values)
        keep[mask] = False

    set_aside(_raw_duplicates(frame), "duplicate_row")
    out = pd.DataFrame(index=frame.index)
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        raw_values = frame[column.name]
        out[column.name] = _parse_column(column, raw_values, acc, set_aside, settings,
                                         as_of, labels)
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
        # a key repeated among the rows still kept: the first one wins
        dup = out[table.key].where(keep).duplicated(keep="first") & keep
        set_aside(dup, "duplicate_key", table.key, frame[table.key])

    rejects = pd.concat(acc.rejects, ignore_index=True) if acc.rejects else \
        pd.DataFrame(columns=REJECT_COLUMNS)
    notes = pd.concat(acc.notes, ignore_index=True) if acc.notes else \
        pd.DataFrame(columns=NOTE_COLUMNS)
    kept_labels = set(labels[keep])
    notes = notes[notes["row"].isin(kept_labels)] if len(notes) else notes
    if not keep.any():
        top = rejects.groupby(["reason", "column"], sort=False).size().idxmax()
        example = rejects[(rejects["reason"] == top[0]) & (rejects["column"] == top[1])].iloc[0]
        raise _error("err.all_rejected", file=raw.name, fix="fix.all_rejected",
                     column=top[1] or "—", rows=rows_read, reason=t(f"reason.{top[0]}"),
                     row=example["row"], value=example["value"])
    return out[keep].reset_index(drop=True), rejects, notes, rows_read


def _raw_duplicates(frame: pd.DataFrame) -> pd.Series:
    if not len(frame.columns):
        return pd.Series(False, index=frame.index)
    try:
        return frame.duplicated(keep="first")
    except TypeError:  # unhashable cells (lists from Parquet): compare their text
        return frame.astype(str).duplicated(keep="first")


def _parse_column(column: Column, values: pd.Series, acc: _Table, set_aside, settings: Settings,
                  as_of: pd.Timestamp, labels: pd.Series) -> pd.Series:
    name = column.name
    missing = parsing.as_text(values) == "" if values.dtype == object or \
        pd.api.types.is_string_dtype(values.dtype) else values.isna()
    if column.required:
        set_aside(missing, "missing_value", name, values)
    try:
        if column.kind in ("datetime", "date"):
            parsed, bad = parsing.parse_datetime(values, dayfirst=settings.dayfirst, rows=labels)
            if column.kind == "date":
                parsed = parsed.dt.normalize()
            earliest = EARLIEST_BIRTH if name == "birth_date" else EARLIEST_EVENT
            too_old = parsed.notna() & (parsed < earliest)
            future = parsed.notna() & (parsed > as_of)
            if column.required:
                set_aside(bad, "unparseable_date", name, values)
                set_aside(too_old, "implausible_date", name, values)
                set_aside(future, "future_date", name, values)
            elif name in ("first_response_at", "resolved_at"):
                # a ticket's timing is what its KPIs measure: never guess it away
                set_aside(bad, "unparseable_date", name, values)
                set_aside(future, "future_date", name, values)
            else:
                acc.note(bad, name, "unparseable_date")
                acc.note(too_old, name, "implausible_date")
                acc.note(future, name, "future_date")
                parsed = parsed.where(~(bad | too_old | future))
            return parsed
        if column.kind == "money":
            parsed, bad = parsing.parse_money(values, rows=labels)
            set_aside(bad, "unparseable_amount", name, values)
            set_aside(parsed < 0, "negative_amount", name, values)
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
    return text.where(text != "").astype("str")


def _build(raws: Mapping[str, _Raw], settings: Settings, as_of: object,
           labels_are_lines: bool) -> Dataset:
    moment = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.now().floor("s")
    if "transactions" not in raws:
        raise _error("err.no_transactions", file="<data>", fix="fix.no_transactions",
                     names=_stem_list())
    tables: dict[str, pd.DataFrame] = {}
    rejects, notes, rows_read = [], [], {}
    for name in TABLES:
        if name not in raws:
            continue
        frame, rej, note, count = _validate(name, raws[name], settings, moment, labels_are_lines)
        tables[name] = frame
        rows_read[name] = count
        rejects.append(rej)
        notes.append(note)
        assert len(frame) + len(rej) == count, f"{name}: rows lost while validating"
    all_rejects = pd.concat([r for r in rejects if len(r)], ignore_index=True) \
        if any(len(r) for r in rejects) else pd.DataFrame(columns=REJECT_COLUMNS)
    all_notes = pd.concat([n for n in notes if len(n)], ignore_index=True) \
        if any(len(n) for n in notes) else pd.DataFrame(columns=NOTE_COLUMNS)
    order = {name: i for i, name in enumerate(TABLES)}
    all_rejects = all_rejects.sort_values(["table", "row"], key=lambda c: c.map(order)
                                          if c.name == "table" else c, kind="stable",
                                          ignore_index=True)
    return Dataset(**tables, rejects=all_rejects, notes=all_notes, settings=settings,
                   rows_read=rows_read, as_of=moment)
