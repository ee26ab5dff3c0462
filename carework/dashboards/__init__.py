"""ipywidgets dashboards, one per notebook, served by Voila.

A dashboard composes widgets from what the package computes; it computes nothing itself. Every
dashboard's root widget carries the CSS class ``carework-ready`` once built; a data problem is
shown in a box with the class ``carework-error`` instead of a traceback.
"""

from carework.dashboards.calls import call_list_dashboard, tabs
from carework.dashboards.churn import churn_dashboard
from carework.dashboards.common import explained, load_base, load_data, title
from carework.dashboards.filters import ViewFilters, filter_bar, follow_url, page
from carework.dashboards.home import home_dashboard
from carework.dashboards.kpis import kpi_dashboard
from carework.dashboards.labelling import labelling_panel
from carework.dashboards.segments import segmentation_dashboard

__all__ = [
    "ViewFilters", "explained", "filter_bar", "follow_url", "page",
    "call_list_dashboard", "churn_dashboard", "kpi_dashboard", "load_base", "load_data",
    "segmentation_dashboard", "tabs", "title",
    "home_dashboard", "labelling_panel",
]
