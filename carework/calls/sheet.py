"""The call sheet care staff work from: Excel with a summary sheet and one sheet per agent
(phone numbers kept as text, wrapped talking points), or CSV.

Written to a temporary file and renamed (:func:`carework.export.atomic_write`), so an
interrupted run never leaves a half-written sheet; the workbook's dates are the list's date,
so the same inputs give the same sheet.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from carework.calls.planner import labelled
from carework.errors import data_error
from carework.export import atomic_write, values_only, write_table
from carework.i18n import fmt_date, get_currency, get_language, label, t

SHEET_COLUMNS = ["priority", "window", "customer_id", "name", "phone", "reason",
                 "talking_points", "rule_group", "risk_band", "last_purchase"]
WIDTHS = {"priority": 6, "window": 13, "customer_id": 11, "name": 22, "phone": 13,
          "reason": 24, "talking_points": 90, "rule_group": 16, "risk_band": 12,
          "last_purchase": 12}
STALE_COLUMNS = ["ticket_id", "customer_id", "opened_at", "open_days", "category", "agent"]
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")


def summary_rows(plan: pd.DataFrame) -> list[tuple[str, object]]:
    """The summary sheet's lines: date, capacity, who is on the list and why, who was left
    out and why, and the rules the data could not support."""
    a = plan.attrs
    rows: list[tuple[str, object]] = [
        (t("sheet.date"), fmt_date(a["as_of"])), (t("sheet.as_of"), a.get("as_of_label", "")),
        *[(t("sheet.warning"), w) for w in a.get("warnings", [])],
        (t("sheet.agents"), a["agents"]), (t("sheet.per_agent"), a["per_agent"]),
        (t("sheet.listed"), len(plan)), ("", ""), (t("sheet.by_reason"), "")]
    listed = plan["reason"].value_counts()
    for reason, candidates in a["reasons"].items():
        rows.append((f"  {label(reason, 'reason')}",
                     t("sheet.reason_counts", listed=int(listed.get(reason, 0)),
                       candidates=candidates)))
    rows += [("", ""), (t("sheet.excluded"), "")]
    rows += [(f"  {t(f'sheet.excluded.{k}')}", v) for k, v in a["excluded"].items()]
    stale = a.get("stale_tickets", [])
    if stale:
        rows += [("", ""), (t("sheet.stale"), len(stale))]
    if a["not_applied"]:
        rows += [("", ""), (t("sheet.not_applied"), "")]
        rows += [("  •", note) for note in a["not_applied"]]
    return rows


def write_sheet(plan: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the call list to ``path``: ``.xlsx`` (summary, a sheet per agent, and the stale
    tickets to check) or ``.csv`` (the list, with its date on every row). Codes are written in
    words of the current language, with the talking points."""
    target = Path(path)
    shown = labelled(plan)
    if target.suffix.lower() == ".csv":
        return write_table(shown.assign(as_of=pd.Timestamp(plan.attrs["as_of"]).date()),
                           target, index=False)
    if target.suffix.lower() != ".xlsx":
        raise data_error("err.export.extension", file=target.name, formats=".xlsx, .csv",
                         example=f"{target.stem or 'calls'}.xlsx")

    def write(temporary: str) -> None:
        book = Workbook()
        summary = book.active
        summary.title = t("sheet.summary")[:31]
        for row in summary_rows(plan):
            summary.append(list(row))
        summary.column_dimensions["A"].width = 42
        summary.column_dimensions["B"].width = 70
        summary["A1"].font = Font(bold=True)
        for agent, rows in shown.groupby("agent", sort=False):
            sheet = book.create_sheet(str(agent)[:31])
            columns = [c for c in SHEET_COLUMNS if c in rows]
            sheet.append([t(f"sheet.col.{c}") for c in columns])
            for cell in sheet[1]:
                cell.font, cell.fill = HEADER, HEADER_FILL
            for record in rows[columns].itertuples(index=False):
                values = []
                for column, value in zip(columns, record, strict=True):
                    if pd.isna(value):
                        value = None
                    elif column == "last_purchase":
                        value = pd.Timestamp(value).to_pydatetime()
                    elif column in ("phone", "customer_id"):
                        value = str(value)
                    values.append(value)
                sheet.append(values)
            for i, column in enumerate(columns, start=1):
                letter = sheet.cell(row=1, column=i).column_letter
                sheet.column_dimensions[letter].width = WIDTHS.get(column, 14)
                for cell in sheet[letter][1:]:
                    if column in ("phone", "customer_id"):
                        cell.number_format = "@"  # text: keep the leading zero
                    elif column == "last_purchase":
                        cell.number_format = _date_format()
                    cell.alignment = Alignment(wrap_text=column == "talking_points",
                                               vertical="top")
            sheet.freeze_panes = "A2"
        _stale_sheet(book, plan.attrs.get("stale_tickets", []))
        stamp = pd.Timestamp(plan.attrs["as_of"]).to_pydatetime()
        book.properties.created = book.properties.modified = stamp
        values_only(book).save(temporary)

    return atomic_write(target, write)


def _date_format() -> str:
    """Excel's date format in the current language (``dd/mm/yyyy`` / ``d mmm yyyy``): the
    workbooks' one rule (:func:`carework.workbook.number_formats`)."""
    from carework.workbook import number_formats

    return number_formats(get_language(), get_currency())["date"]


def _stale_sheet(book: Workbook, stale: list[dict]) -> None:
    """The tickets open longer than the stale age: a data-quality list to check and close,
    not calls."""
    if not stale:
        return
    sheet = book.create_sheet(t("sheet.stale_title")[:31])
    frame = pd.DataFrame(stale)
    columns = [c for c in STALE_COLUMNS if c in frame]
    sheet.append([t(f"col.{c}") if c != "open_days" else t("sheet.col.open_days")
                  for c in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for record in frame[columns].itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp)
                                                else v) for v in record])
    for i, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = 16 if column != "category" else 24
        if column == "opened_at":
            for cell in sheet[letter][1:]:
                cell.number_format = _date_format()
    sheet.freeze_panes = "A2"
