"""The call sheet (carework.calls.sheet): the Excel workbook, an interrupted write, and the calls
command that writes it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from carework import calls
from carework.calls.sheet import write_sheet

SAMPLE = "data/sample"


def test_the_excel_sheet(sample, tmp_path):
    sheet = calls.plan(sample, "2026-09-29", agents=3, per_agent=10)
    path = write_sheet(sheet, tmp_path / "calls.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Tổng hợp", "Nhân viên 1", "Nhân viên 2", "Nhân viên 3",
                               "Phiếu cần kiểm tra"]
    summary = dict(book["Tổng hợp"].iter_rows(values_only=True, max_col=2))
    assert "29/09/2026" in summary["Số liệu"]  # the as-of date on the sheet
    stale = list(book["Phiếu cần kiểm tra"].iter_rows(min_row=2, values_only=True))
    assert len(stale) == len(sheet.attrs["stale_tickets"]) > 0
    assert not {row[0] for row in stale} & set(sheet["open_ticket_id"].dropna())
    agent = book["Nhân viên 1"]
    phones = [row[4] for row in agent.iter_rows(min_row=2, values_only=True)]
    assert len(phones) == 10 and all(isinstance(p, str) and p.startswith("0") for p in phones)
    assert agent["E2"].number_format == "@"
    again = write_sheet(calls.plan(sample, "2026-09-29", agents=3, per_agent=10),
                        tmp_path / "again.xlsx")
    cells = [[list(ws.iter_rows(values_only=True)) for ws in load_workbook(p)]
             for p in (path, again)]
    assert cells[0] == cells[1]  # the same inputs give the same sheet


def test_an_interrupted_write_leaves_the_old_sheet(sample, tmp_path):
    sheet = calls.plan(sample, "2026-09-29", agents=1, per_agent=5)
    path = write_sheet(sheet, tmp_path / "calls.xlsx")
    before = path.read_bytes()
    broken = sheet.copy()
    broken.attrs = {**sheet.attrs, "as_of": "not a date"}
    with pytest.raises(ValueError):
        write_sheet(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["calls.xlsx"]


def test_calls_command(tmp_path, capsys):
    from carework.cli import main

    out = tmp_path / "calls.xlsx"
    assert main(["--lang", "en", "calls", "--data", SAMPLE, "--as-of", "2026-09-29",
                 "--agents", "2", "--per-agent", "5", "--out", str(out)]) == 0
    assert "10 customers for 2 agents" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["Summary", "Agent 1", "Agent 2", "Tickets to check"]
    for bad in (["--as-of", "2026-13-45"], ["--agents", "0"]):
        args = ["calls", "--data", SAMPLE, "--as-of", "2026-09-29", "--agents", "2",
                "--per-agent", "5", "--out", str(out)]
        args[args.index(bad[0]) + 1] = bad[1]
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 2
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "transactions.csv").write_text("customer_id,amount\nKH1,5\n", encoding="utf-8")
    code = main(["calls", "--data", str(broken), "--as-of", "2026-09-29", "--agents", "1",
                 "--per-agent", "5", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "purchased_at" in err and "Traceback" not in err
