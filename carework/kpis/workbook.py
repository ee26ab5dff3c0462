"""The KPI workbook ``carework kpis`` writes: one sheet per table of a :class:`KpiReport`,
plus the definitions and settings used, so a reader of the file knows what each number is.

Column headers keep the canonical names (the same as the Python tables); the
``definitions`` sheet explains them in the current language. Written to a temporary file and
renamed (:func:`carework.export.atomic_write`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font, PatternFill

from carework.errors import data_error
from carework.export import atomic_write, values_only
from carework.i18n import t
from carework.kpis.report import KpiReport
from carework.settings import KpiSettings

DEFINED = ("nps", "csat", "cs", "ce", "cn", "retention_rate", "churn_rate", "lost_rate",
           "crr_undefined", "frt", "atht", "partial", "too_few", "significant", "untested",
           "group", "effect", "performance", "points_lost")
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")


def report_sheets(report: KpiReport) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, by sheet name (in the current language), in order."""
    sheets: dict[str, pd.DataFrame] = {t("kpi.sheet.overview"): report.overview}
    for key, frame in report.surveys.items():
        if key != "all":
            sheets[t("kpi.sheet.surveys_by", by=t(f"kpi.by.{key}"))] = frame
    for key, frame in report.tickets.items():
        if key != "all":
            sheets[t("kpi.sheet.tickets_by", by=t(f"kpi.by.{key}"))] = frame
    if report.flows is not None:
        sheets[t("kpi.sheet.customers")] = report.flows
    if report.root_causes is not None:
        sheets[t("kpi.sheet.root_causes")] = report.root_causes
    if report.drivers is not None:
        sheets[t("kpi.sheet.drivers")] = report.drivers.table_.reset_index()
    minimum = report.settings.get("min_answers", KpiSettings.min_answers)
    rows = [(name, t("kpi.def.too_few_n", min_answers=minimum) if name == "too_few"
             else t(f"kpi.def.{name}")) for name in DEFINED]
    rows += [("", "")] + [(name, str(value)) for name, value in report.settings.items()]
    rows += [("", "")] + [("note", note) for note in report.notes]
    sheets[t("kpi.sheet.definitions")] = pd.DataFrame(rows, columns=["name", "meaning"])
    return {name[:31]: frame.drop(columns=["period"], errors="ignore")
            for name, frame in sheets.items()}


def write_workbook(report: KpiReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to an ``.xlsx`` file; returns the path."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise data_error("err.export.workbook_extension", file=target.name,
                         example=f"{target.stem or 'kpis'}.xlsx")
    sheets = report_sheets(report)

    def write(temporary: str) -> None:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame = frame.copy()
                frame.attrs = {}
                floats = frame.select_dtypes("float").columns
                frame[floats] = frame[floats].round(2)
                frame.to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                for cell in sheet[1]:
                    cell.font, cell.fill = HEADER, HEADER_FILL
                for column in sheet.columns:
                    width = max(len(str(c.value or "")) for c in column[:200])
                    sheet.column_dimensions[column[0].column_letter].width = min(
                        max(10, width + 2), 90)
                sheet.freeze_panes = "A2"
            values_only(writer.book)

    return atomic_write(target, write)
