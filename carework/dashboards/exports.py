"""What a dashboard shows, exported for a manager: an Excel workbook with a cover sheet (the
dashboard, its filters, the date range, the day the figures describe) and one named sheet per
table, headers in words, amounts and dates in the reader's formats (:mod:`carework.workbook`).

The workbook is built when the button is pressed, from what is shown at that moment; nothing
is carried in the page before (a 30,000-customer table would weigh megabytes on every change).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from carework.customer_base import CustomerBase
from carework.dashboards.downloads import ExportButton, export_name
from carework.dashboards.filters import FilterBar, ViewFilters
from carework.i18n import t
from carework.workbook import Cover, ExportSheet, manager_workbook


def cover(base: CustomerBase, filter_bar: FilterBar | None, title: str,
          extra: Mapping[str, str] | None = None) -> Cover:
    """The cover of an export of ``base`` under the bar's filters (plus ``extra`` lines)."""
    filters = filter_bar.value if filter_bar is not None else ViewFilters()
    return Cover(title=title, as_of=base.as_of, data_start=base.gate.data_start,
                 data_end=base.gate.data_end, filters={**filters.describe(), **(extra or {})},
                 source=str(base.data.source or ""))


def workbook_button(base: CustomerBase, filter_bar: FilterBar | None, title_key: str,
                    sheets: Callable[[], Sequence[ExportSheet]],
                    extra: Callable[[], Mapping[str, str]] | None = None,
                    label_key: str = "export.button") -> ExportButton:
    """A button exporting ``sheets()`` (what the dashboard shows when it is pressed) as a
    manager's workbook titled ``t(title_key)``; the button drops its file when the filters
    change."""

    def build() -> tuple[str, bytes]:
        title = t(title_key)
        book = manager_workbook(list(sheets()), cover(base, filter_bar, title,
                                                      extra() if extra else None))
        return export_name(title, base.as_of, "xlsx"), book

    button = ExportButton(build, label_key)
    if filter_bar is not None:
        filter_bar.on_change(lambda _filters: button.invalidate())
    return button


def sheet(title_key: str, frame: pd.DataFrame, **columns: object) -> ExportSheet:
    """An :class:`ExportSheet` titled from the i18n table."""
    return ExportSheet(title=t(title_key), frame=frame, **columns)


__all__ = ["cover", "sheet", "workbook_button"]
