"""The call-list tab (carework.dashboards.calls): contacts masked, the list follows the
capacity."""

from __future__ import annotations

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
    assert "base64," in view.download.value and view.progress.layout.display == "none"
