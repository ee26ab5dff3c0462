"""Tests of the care KPIs (carework.kpis)."""
