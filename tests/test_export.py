"""Every file carework writes: atomic, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

import carework
from carework import calls
from carework.calls.sheet import write_sheet
from carework.customer_base import build_base
from carework.export import write_table

INJECTED = ["=HYPERLINK(\"http://x\",\"ok\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1",
            "\r=1+1", "  =1+1"]


def formula_cells(book) -> list[str]:  # noqa: ANN001
    return [f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def test_tables_keep_numbers_and_defuse_text(tmp_path):
    frame = pd.DataFrame({"name": INJECTED, "amount": [-5.0, 1, 2, 3, 4, 5, 6]},
                         index=pd.Index([f"K{i}" for i in range(7)], name="customer_id"))
    csv = pd.read_csv(write_table(frame, tmp_path / "t.csv"), encoding="utf-8-sig",
                      keep_default_na=False)
    assert all(value.startswith("'") for value in csv["name"])
    assert csv["amount"].tolist() == [-5.0, 1, 2, 3, 4, 5, 6]  # numbers stay numbers
    book = load_workbook(write_table(frame, tmp_path / "t.xlsx"))
    assert formula_cells(book) == []
    shown = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert [v.replace("\r", "\n") for v in shown] == [v.replace("\r", "\n") for v in INJECTED]


@pytest.fixture(scope="module")
def poisoned_base():
    """The sample, with customer names and survey comments that are formulas."""
    data = carework.load("data/sample")
    people = data.customers.copy()
    people["name"] = [INJECTED[i % len(INJECTED)] for i in range(len(people))]
    surveys = data.surveys.copy()
    surveys["comment"] = surveys["comment"].where(surveys["comment"].isna(), "=cmd|'/c calc'!A0")
    from dataclasses import replace

    return build_base(replace(data, customers=people, surveys=surveys))


def test_the_call_sheet_and_its_csv_hold_no_formula(poisoned_base, tmp_path):
    sheet = calls.plan(poisoned_base, agents=2, per_agent=10)
    book = load_workbook(write_sheet(sheet, tmp_path / "calls.xlsx"))
    assert formula_cells(book) == []
    names = [row[3] for ws in book.worksheets[1:3] for row in ws.iter_rows(min_row=2,
                                                                           values_only=True)]
    assert {n.replace("\n", "\r") for n in names} <= {n.replace("\n", "\r") for n in INJECTED}
    write_sheet(sheet, tmp_path / "calls.csv")
    csv = pd.read_csv(tmp_path / "calls.csv", encoding="utf-8-sig", dtype=str)
    assert len(csv) == len(sheet) and csv["name"].str.startswith("'").all()


def test_dashboard_exports_hold_no_formula(poisoned_base):
    from carework import dashboards

    bar = dashboards.filter_bar(poisoned_base, "churn")
    views = [dashboards.segmentation_dashboard(poisoned_base, bar),
             dashboards.churn_dashboard(poisoned_base, bar),
             dashboards.kpi_dashboard(poisoned_base, bar)]
    exported = 0
    for view in views:
        for button in (getattr(view, "download", None),
                       getattr(getattr(view, "drill", None), "export", None)):
            if button is None:
                continue
            if button is view.drill.export:
                view.drill.show_list(view.drill.choice.options[0][1])
            button.button.click()
            book = load_workbook(io.BytesIO(button.payload))
            assert formula_cells(book) == []
            texts = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and c.value in INJECTED]
            assert all(c.quotePrefix for c in texts if c.value[:1] in "=+-@")
            exported += 1
    assert exported >= 4


def test_the_kpi_workbook_holds_no_formula(poisoned_base, tmp_path):
    from dataclasses import replace

    from carework.kpis.report import kpi_report
    from carework.kpis.workbook import write_workbook

    tickets = poisoned_base.data.tickets.assign(agent="=1+1")
    base = build_base(replace(poisoned_base.source, tickets=tickets))
    book = load_workbook(write_workbook(kpi_report(base, "quarter"), tmp_path / "kpis.xlsx"))
    assert formula_cells(book) == []
    agents = [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)
              if "=1+1" in row]
    assert agents  # the hostile agent name is there, as text


def test_exports_go_to_a_private_project_folder(tmp_path, monkeypatch):
    import stat

    from carework.export import exports_folder

    monkeypatch.delenv("CAREWORK_EXPORTS", raising=False)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    folder = exports_folder()
    assert folder == tmp_path / "exports"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    monkeypatch.setenv("CAREWORK_EXPORTS", str(tmp_path / "mine"))
    assert exports_folder() == tmp_path / "mine"
    assert exports_folder(tmp_path / "named") == tmp_path / "named"
