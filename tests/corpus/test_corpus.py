"""The malformed-data corpus (``tests/data/malformed``): how real Vietnamese shops' exports go
wrong, each folder with the outcome carework must produce (its ``expected.toml``; the keys are
explained in the corpus's README).

1. ``carework.load(folder, as_of="2026-10-01")`` gives the expected outcome: the error it must
   raise (file, column), or the rows read / accepted / set aside per table, the reasons, exact
   values, joins.
2. For every table, accepted + rejected == rows read.
3. The command line, run in-process as users run it, exits 0 or 2 (never 1, 3, ...), never
   prints a traceback, and says an error in exactly one line; on an "error" folder every command
   exits 2. ``validate`` runs on every folder; ``segment``, ``score``, ``calls`` and ``kpis``
   on the folders marked ``cli = "all"`` (they take seconds each) and on the error folders
   (they stop at loading).
4. Every file written from the injection folder is safe to open in a spreadsheet.
5. ``build.py`` still writes exactly the committed folders.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import math
import sys
import tomllib
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

import carework
from carework.cli import main
from carework.schema import TABLES

CORPUS = Path(__file__).resolve().parents[1] / "data" / "malformed"
AS_OF = "2026-10-01"
FOLDERS = sorted(p for p in CORPUS.iterdir() if p.is_dir() and "__" in p.name)
CATEGORIES = {"amounts", "dates", "encodings", "excel", "ids", "do_not_call", "csv", "surveys",
              "crashes", "injection"}
KEYS = {"transactions": "order_id", "customers": "customer_id", "tickets": "ticket_id",
        "surveys": "customer_id", "contacts": "customer_id"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BIG_FOLDERS = {"csv__field_over_csv_limit"}  # one field must exceed 131072 characters
HEAVY = ("segment", "score", "score_force", "calls", "kpis")


@functools.cache
def expected(name: str) -> dict:
    with (CORPUS / name / "expected.toml").open("rb") as handle:
        return tomllib.load(handle)


@functools.cache
def loaded(name: str) -> carework.Dataset | Exception:
    """The folder loaded once for all the tests that read it (or the exception it raised)."""
    try:
        return carework.load(CORPUS / name, as_of=AS_OF)
    except Exception as exc:  # noqa: BLE001 — the tests say which exception was wrong
        return exc


def ids(folders: list[Path]) -> list[str]:
    return [f.name for f in folders]


OK = [f for f in FOLDERS if expected(f.name)["outcome"] == "ok"]
ERROR = [f for f in FOLDERS if expected(f.name)["outcome"] == "error"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("CAREWORK_AS_OF", "CAREWORK_LANG", "CAREWORK_DEBUG", "CAREWORK_FORCE",
                 "CAREWORK_DATA"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------------------ the corpus

def test_the_corpus_is_complete():
    assert len(FOLDERS) >= 55
    categories = Counter(expected(f.name)["category"] for f in FOLDERS)
    assert set(categories) == CATEGORIES, categories
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for folder in FOLDERS:
        exp = expected(folder.name)
        assert folder.name.startswith(exp["category"] + "__")
        assert exp["outcome"] in ("ok", "error") and exp["what"].strip()
        assert f"`{folder.name}`" in readme
        data_files = [p for p in folder.iterdir() if p.name != "expected.toml"]
        assert data_files, folder.name
        size = sum(p.stat().st_size for p in folder.iterdir())
        assert size < 50_000 or folder.name in BIG_FOLDERS, (folder.name, size)


def test_rebuilding_gives_the_committed_files(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)  # dataclasses look their module up
    spec.loader.exec_module(build)
    build.build(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(CORPUS) for p in CORPUS.rglob("*")
                       if p.is_file() and p.name != "build.py" and "__pycache__" not in p.parts)
    assert fresh == committed
    for rel in fresh:
        if rel.suffix == ".xlsx":
            assert _workbook_content(tmp_path / rel) == _workbook_content(CORPUS / rel), rel
        else:
            assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def _workbook_content(path: Path) -> list:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [(s.title, s.sheet_state, sorted(map(str, s.merged_cells.ranges)),
             [[c.value for c in row] for row in s.iter_rows()]) for s in book.worksheets]


# ------------------------------------------------------------------------------ loading

@pytest.mark.parametrize("folder", ERROR, ids=ids(ERROR))
def test_error_folder_raises_a_data_error(folder):
    exp = expected(folder.name)
    result = loaded(folder.name)
    if isinstance(result, carework.Dataset):
        pytest.fail(f"expected a DataError, but it loaded: {result.rows_read}, rejects "
                    f"{result.reject_reasons().to_dict('records')}")
    assert isinstance(result, carework.DataError), (
        f"expected a DataError, got {type(result).__name__}: {result}")
    assert exp["error_file"] in (result.file or ""), (result.file, str(result))
    if "error_column" in exp:  # the canonical name, or a header of the user's that means it
        table = next((t for t in TABLES.values() if exp["error_column"] in t.column_names),
                     None)
        named = {result.column, table and table.canonical_name(result.column or "")}
        assert exp["error_column"] in named, (result.column, str(result))
    for text in exp.get("error_contains", []):
        assert text in str(result)
    assert "\n" not in str(result), "the CLI prints an error in one line"


@pytest.mark.parametrize("folder", OK, ids=ids(OK))
def test_ok_folder_loads_as_expected(folder):
    exp = expected(folder.name)
    data = loaded(folder.name)
    if isinstance(data, Exception):
        pytest.fail(f"expected to load, got {type(data).__name__}: {data}")
    problems = [*_check_rows(data, exp), *_check_rejects(data, exp), *_check_values(data, exp),
                *_check_not_accepted(data, exp), *_check_sums(data, exp),
                *_check_join(data, exp), *_check_notes(data, exp),
                *_check_kept_column(data, exp), *_check_ticket_states(data, exp)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("folder", OK, ids=ids(OK))
def test_accepted_plus_rejected_is_rows_read(folder):
    data = loaded(folder.name)
    if isinstance(data, Exception):
        pytest.skip(f"does not load ({type(data).__name__}): see test_ok_folder_loads")
    report = data.report().set_index("table")
    for table in data.tables:
        rec = report.loc[table]
        assert rec.accepted + rec.rejected == rec.rows_read, (table, rec.to_dict())
        assert rec.accepted == len(data.tables[table])
        assert rec.rejected == int((data.rejects["table"] == table).sum())
        assert rec.rows_read == data.rows_read[table]
    # every code the loader gives is one the README explains
    from carework.io import FILE_NOTES, NOTES, REJECT_REASONS

    assert set(data.rejects["reason"]) <= set(REJECT_REASONS)
    assert set(data.notes["note"]) <= set(NOTES)
    assert set(data.file_notes["note"]) <= set(FILE_NOTES)
    assert data.rejects["row"].astype(str).is_unique or \
        not data.rejects.duplicated(["table", "row"]).any()


def _check_rows(data, exp) -> list[str]:
    report = data.report().set_index("table")
    want = exp.get("rows", {})
    out = []
    if set(data.tables) != set(want):
        out.append(f"tables loaded {sorted(data.tables)}, expected {sorted(want)}")
    for table, counts in want.items():
        if table not in data.tables:
            continue
        rec = report.loc[table]
        got = {"read": int(rec.rows_read), "accepted": int(rec.accepted),
               "rejected": int(rec.rejected)}
        if got != counts:
            out.append(f"{table}: rows {got}, expected {counts}")
    return out


def _check_rejects(data, exp) -> list[str]:
    out = []
    want = exp.get("rejects", {})
    for table in data.tables:
        got = Counter(data.rejects.loc[data.rejects["table"] == table, "reason"])
        shown = dict(got)
        for reasons, count in want.get(table, {}).items():
            codes = reasons.split("|")
            n = sum(got.pop(code, 0) for code in codes)
            if n != count:
                out.append(f"{table}: {n} rows rejected as {reasons}, expected {count} "
                           f"(all reasons: {shown})")
        if got:
            out.append(f"{table}: unexpected rejects {dict(got)} (all reasons: {shown})")
    return out


def _same(actual: object, wanted: object) -> bool:
    if actual is None or (not isinstance(actual, str) and pd.isna(actual)):
        return False
    if isinstance(wanted, bool):
        return bool(actual) is wanted
    if isinstance(wanted, datetime | date):
        return abs(pd.Timestamp(actual) - pd.Timestamp(wanted)) < pd.Timedelta(seconds=1)
    if isinstance(wanted, float):
        return math.isclose(float(actual), wanted, abs_tol=0.005)
    if isinstance(wanted, int):
        return float(actual) == wanted
    return str(actual) == wanted


def _check_values(data, exp) -> list[str]:
    out = []
    for target, cells in exp.get("values", {}).items():
        table, column = target.split(".")
        frame = data.tables.get(table)
        key = KEYS[table]
        if frame is None or key not in frame or column not in frame:
            out.append(f"{target}: no {table} table with columns {key} and {column}")
            continue
        for row_key, wanted in cells.items():
            rows = frame[frame[key].astype(str) == row_key]
            if len(rows) != 1:
                out.append(f"{target}: {len(rows)} accepted rows with {key} = {row_key!r}")
            elif not _same(rows[column].iloc[0], wanted):
                out.append(f"{target}[{row_key}] = {rows[column].iloc[0]!r}, "
                           f"expected {wanted!r}")
    return out


def _check_not_accepted(data, exp) -> list[str]:
    out = []
    for table, keys in exp.get("not_accepted", {}).items():
        frame = data.tables.get(table)
        present = set() if frame is None else set(frame[KEYS[table]].astype(str))
        for key in keys:
            if key in present:
                out.append(f"{table}: {KEYS[table]} {key!r} was accepted, expected set aside")
    return out


def _check_sums(data, exp) -> list[str]:
    out = []
    for target, wanted in exp.get("sums", {}).items():
        table, column = target.split(".")
        total = float(data.tables[table][column].sum()) if table in data.tables else math.nan
        if not math.isclose(total, wanted, abs_tol=0.5):
            out.append(f"sum of {target} = {total:,.0f}, expected {wanted:,.0f}")
    return out


def _check_join(data, exp) -> list[str]:
    want = exp.get("join", {})
    if not want:
        return []
    if not hasattr(data, "join_report"):
        return ["Dataset has no join_report()"]
    report = data.join_report()
    missing = {"table", "rows", "unmatched"} - set(report.columns)
    if missing:
        return [f"join_report() lacks columns {sorted(missing)}"]
    report = report.set_index("table")
    out = []
    for table, counts in want.items():
        if table not in report.index:
            out.append(f"join_report() has no row for {table}")
        elif int(report.loc[table, "unmatched"]) != counts["unmatched"]:
            out.append(f"join_report(): {table} unmatched "
                       f"{int(report.loc[table, 'unmatched'])}, expected {counts['unmatched']}")
    return out


def _check_notes(data, exp) -> list[str]:
    noted = set(data.notes["column"]) if len(data.notes) else set()
    filed = set(data.file_notes["note"]) if len(data.file_notes) else set()
    return [f"no note on column {column!r} (notes: {sorted(noted)})"
            for column in exp.get("notes_on", []) if column not in noted] + \
        [f"no file note {code!r} (file notes: {sorted(filed)})"
         for code in exp.get("file_notes", []) if code not in filed]


def _check_kept_column(data, exp) -> list[str]:
    out = []
    for table, spec in exp.get("kept_column", {}).items():
        frame = data.tables.get(table)
        recognised = frame is not None and spec["canonical"] in frame and \
            frame[spec["canonical"]].notna().any()
        ignored = getattr(data, "ignored_columns", None) or {}
        listed = spec["header"] in ignored.get(table, [])
        if not (recognised or listed):
            out.append(f"{table}: header {spec['header']!r} is neither read as "
                       f"{spec['canonical']} nor listed in data.ignored_columns[{table!r}]")
    return out


def _check_ticket_states(data, exp) -> list[str]:
    want = exp.get("ticket_states", {})
    if not want:
        return []
    from carework.incidents import ticket_states

    states = ticket_states(data.tickets, AS_OF).set_index("ticket_id")["state"]
    return [f"ticket {ticket}: state {states.get(ticket)!r}, expected {state!r}"
            for ticket, state in want.items() if states.get(ticket) != state]


# ------------------------------------------------------------------------------ the command

def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refusing the command line
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = capsys.readouterr()
    return code, out, err


def command_line(command: str, folder: Path, tmp: Path) -> tuple[list[str], Path | None]:
    data = ["--data", str(folder), "--as-of", AS_OF]
    if command == "validate":
        out = tmp / "rejects.csv"
        return ["validate", str(folder), "--as-of", AS_OF, "--rejects", str(out)], out
    if command in ("score", "score_force"):
        out = tmp / "scores.csv"
        return ["score", *data, "--out", str(out),
                *(["--force"] if command == "score_force" else [])], out
    if command == "segment":
        out = tmp / "segments.csv"
        return ["segment", *data, "--out", str(out)], out
    if command == "calls":
        out = tmp / "calls.csv"
        return ["calls", *data, "--agents", "2", "--per-agent", "10", "--out", str(out)], out
    if command == "kpis":
        out = tmp / "kpis.xlsx"
        return ["kpis", *data, "--out", str(out)], out
    raise ValueError(command)


def cli_cases() -> list:
    cases = []
    for folder in FOLDERS:
        exp = expected(folder.name)
        # an error folder stops every command at loading: cheap, so every command runs
        heavy = exp.get("cli") == "all" or exp["outcome"] == "error"
        for command in ("validate", *(HEAVY if heavy else ())):
            cases.append(pytest.param(folder, command, id=f"{folder.name}-{command}"))
    return cases


def assert_clean_exit(code: int, out: str, err: str, argv: list[str]) -> None:
    shown = f"$ carework {' '.join(argv)}\n--- stdout\n{out[-1500:]}\n--- stderr\n{err[-1500:]}"
    assert code in (0, 2), f"exit code {code}\n{shown}"
    assert "Traceback" not in out + err, shown
    if code == 2:
        lines = err.splitlines()
        errors = [i for i, line in enumerate(lines) if line.startswith("carework")]
        assert len(errors) == 1 and errors[0] == len(lines) - 1, \
            f"the error is not exactly one (last) line on stderr\n{shown}"


@pytest.mark.corpus_cli
@pytest.mark.parametrize("folder, command", cli_cases())
def test_command_line_never_crashes(folder, command, tmp_path, capsys):
    exp = expected(folder.name)
    argv, out_file = command_line(command, folder, tmp_path)
    code, out, err = run_cli(argv, capsys)
    assert_clean_exit(code, out, err, argv)
    if exp["outcome"] == "error":
        assert code == 2, f"an error folder must exit 2 (got {code})\n{err}"
        if command == "validate":
            assert out == "" and len(err.splitlines()) == 1, err
    elif command == "validate":
        assert code == 0, f"the folder loads, so validate must succeed\n{err}"
    wanted = exp.get("cli_exit", {}).get(command)
    if wanted is not None:
        assert code == wanted, f"{command} exited {code}, expected {wanted}\n{err[-1500:]}"
    if code == 0 and out_file is not None:
        assert out_file.exists(), f"{command} succeeded but wrote no {out_file.name}"
    if command == "calls" and code == 0 and exp.get("never_called"):
        listed = set(pd.read_csv(out_file, dtype=str, encoding="utf-8-sig")["customer_id"])
        assert not listed & set(exp["never_called"]), "a do-not-call customer is on the list"


OUT_EXTENSION = [f for f in FOLDERS if "out_extension" in expected(f.name)]


@pytest.mark.corpus_cli
@pytest.mark.parametrize("command", ["score", "segment", "calls", "kpis"])
@pytest.mark.parametrize("folder", OUT_EXTENSION, ids=ids(OUT_EXTENSION))
def test_unknown_output_extension_is_refused_before_any_work(folder, command, tmp_path,
                                                             capsys, monkeypatch):
    import carework.io

    loads = []
    real_load = carework.io.load
    monkeypatch.setattr(carework.io, "load", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    target = tmp_path / f"x{expected(folder.name)['out_extension']}"
    argv, _ = command_line(command, folder, tmp_path)
    argv[argv.index("--out") + 1] = str(target)
    code, out, err = run_cli(argv, capsys)
    assert code == 2 and "Traceback" not in out + err, err
    assert target.name in err.splitlines()[-1], err
    assert not loads, "the data was loaded before the output name was refused"
    assert not target.exists() and out == ""


# ------------------------------------------------------------------------------ injection

INJECTION = [f for f in FOLDERS if expected(f.name)["category"] == "injection"]


@pytest.mark.corpus_cli
@pytest.mark.parametrize("folder", INJECTION, ids=ids(INJECTION))
def test_every_export_is_safe_to_open_in_a_spreadsheet(folder, tmp_path, capsys):
    data = ["--data", str(folder), "--as-of", AS_OF]
    runs = {
        "segments.csv": ["segment", *data, "--out"], "segments.xlsx": ["segment", *data, "--out"],
        "calls.xlsx": ["calls", *data, "--agents", "2", "--per-agent", "10", "--out"],
        "calls.csv": ["calls", *data, "--agents", "2", "--per-agent", "10", "--out"],
        "scores.csv": ["score", *data, "--force", "--out"],
        "scores.xlsx": ["score", *data, "--force", "--out"],
        "kpis.xlsx": ["kpis", *data, "--out"],
        "rejects.csv": ["validate", str(folder), "--as-of", AS_OF, "--rejects"],
    }
    problems = []
    for name, argv in runs.items():
        argv = [*argv, str(tmp_path / name)]
        code, out, err = run_cli(argv, capsys)
        assert_clean_exit(code, out, err, argv)
        if code != 0:
            problems.append(f"{name}: exit {code}: {err.splitlines()[-1] if err else ''}")
            continue
        scan = _unsafe_xlsx_cells if name.endswith(".xlsx") else _unsafe_csv_cells
        problems += [f"{name}: {cell}" for cell in scan(tmp_path / name)]
    assert not problems, "\n".join(problems[:40])


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _unsafe(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value)


def _unsafe_csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [f"row {r} column {c}: {value!r}"
                for r, row in enumerate(csv.reader(handle), start=1)
                for c, value in enumerate(row, start=1) if _unsafe(value)]


def _unsafe_xlsx_cells(path: Path) -> list[str]:
    """Formula cells, and text cells that start like one unless marked as text (a leading ')."""
    from openpyxl import load_workbook

    out = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (_unsafe(cell.value) and not cell.quotePrefix):
                    out.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return out
