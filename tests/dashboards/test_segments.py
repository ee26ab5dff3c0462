"""The segmentation dashboard (carework.dashboards.segments) reclusters with other settings."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from carework import dashboards
from carework.dashboards.common import READY
from carework.workbook import header


def test_segmentation_dashboard_reclusters(data):
    view = dashboards.segmentation_dashboard(data)
    assert READY in view._dom_classes and len(view.result.table) == data.transactions[
        "customer_id"].nunique()
    assert view.result.findings and "<li>" in view.findings.value
    view.k.value = 3
    view.features.value = ("log_spend", "log_orders", "recency_days", "share_online")
    view.recluster()
    assert view.result.clusters.k_ == 3 and view.result.clusters.features_ == [
        "log_spend", "log_orders", "recency_days", "share_online"]
    assert view.result.table["cluster"].nunique() == 3
    assert view.progress.layout.display == "none"
    view.download.button.click()  # built from the clustering shown: three clusters
    book = load_workbook(io.BytesIO(view.download.payload))
    customers = book.worksheets[-1]
    heads = [c.value for c in customers[1]]
    clusters = {row[heads.index(header("cluster"))]
                for row in customers.iter_rows(min_row=2, values_only=True)}
    assert len(clusters) == 3 and customers.max_row - 1 == len(view.result.table)
