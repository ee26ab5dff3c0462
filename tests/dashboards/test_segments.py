"""The segmentation dashboard (carework.dashboards.segments) reclusters with other settings."""

from __future__ import annotations

from carework import dashboards
from carework.dashboards.common import READY


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
    assert "Tải bảng phân khúc" in view.download.value or "Download" in view.download.value
