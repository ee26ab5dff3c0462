"""Tests of the dashboards (carework.dashboards), in Python and in the browser."""
