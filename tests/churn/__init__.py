"""Tests of the churn models (carework.churn)."""
