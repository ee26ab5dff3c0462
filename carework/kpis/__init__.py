"""Survey and service KPIs: NPS, CSAT, customer retention and churn, FRT and ATHT."""

from carework.kpis.flows import churn_rate, customer_flows, lost_rate, retention_rate
from carework.kpis.scores import Change, Estimate, change, csat, nps
from carework.kpis.tables import (
    DIMENSIONS,
    PERIODS,
    customer_dimensions,
    link_tickets,
    survey_kpis,
    ticket_kpis,
)

__all__ = ["DIMENSIONS", "PERIODS", "Change", "Estimate", "change", "churn_rate", "csat",
           "customer_dimensions", "customer_flows", "link_tickets", "lost_rate", "nps",
           "retention_rate", "survey_kpis", "ticket_kpis"]
