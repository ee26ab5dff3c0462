"""The call-list tab (carework.dashboards.calls): contacts masked, the list follows the
capacity."""

from __future__ import annotations

import io

from openpyxl import load_workbook

import carework
from carework import dashboards
from carework.dashboards.common import READY


def test_call_list_tab_masks_contacts_and_follows_capacity():
    from carework.dashboards.calls import mask_email, mask_phone

    assert mask_phone("0901234567") == "090****567" and mask_phone(None) == ""
    assert mask_email("lan.nguyen@example.com") == "l***@example.com"
    sample = carework.load("data/sample")
    view = dashboards.call_list_dashboard(sample)
    assert READY in view._dom_classes and len(view.sheet) == 60
    full = view.sheet["phone"].iloc[0]
    assert full not in view.table.value and mask_phone(full) in view.table.value
    view.agents.value, view.per_agent.value = 2, 7
    view.refresh()
    assert len(view.sheet) == 14 and view.sheet["agent"].nunique() == 2
    assert view.download.payload is None and view.progress.layout.display == "none"
    view.download.button.click()  # the sheet is built when asked for, from the list shown
    book = load_workbook(io.BytesIO(view.download.payload))
    agents = [ws for ws in book.worksheets if ws.title.startswith("Nhân viên")]
    listed = [row[2] for ws in agents for row in ws.iter_rows(min_row=2, values_only=True)]
    assert len(agents) == 2 and sorted(listed) == sorted(view.sheet["customer_id"])
