"""Every dashboard, on every malformed folder: a message box or a dashboard, never a traceback.

The dashboards are built in-process, as a Voila kernel builds them (the browser tests drive
the served ones on the sample); each folder's figures are as of the corpus's date.
"""

from __future__ import annotations

import ipywidgets as w
import pytest

from carework.dashboards.calls import call_list_dashboard
from carework.dashboards.churn import churn_dashboard
from carework.dashboards.common import ERROR, load_base
from carework.dashboards.kpis import kpi_dashboard
from carework.dashboards.segments import segmentation_dashboard
from tests.corpus.test_corpus import AS_OF, FOLDERS, expected, ids
from tests.corpus.test_corpus import ERROR as ERROR_FOLDERS

DASHBOARDS = (segmentation_dashboard, churn_dashboard, call_list_dashboard, kpi_dashboard)


@pytest.mark.parametrize("folder", FOLDERS, ids=ids(FOLDERS))
def test_every_dashboard_shows_a_result_or_a_message(folder, monkeypatch):
    monkeypatch.setenv("CAREWORK_AS_OF", AS_OF)
    monkeypatch.setenv("CAREWORK_FORCE", "1")  # small folders: show every figure there is
    shown: list[object] = []
    monkeypatch.setattr("carework.dashboards.common.display", shown.append)
    base = load_base(str(folder))
    if folder in ERROR_FOLDERS:
        assert base is None
        boxes = [box for box in shown if isinstance(box, w.HTML) and ERROR in box._dom_classes]
        assert len(boxes) == 1 and "\n" not in boxes[0].value.strip()
        return
    assert base is not None, expected(folder.name)["what"]
    for dashboard in DASHBOARDS:
        assert isinstance(dashboard(base), w.Widget)
