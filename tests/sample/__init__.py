"""Tests of the synthetic sample generator (carework.sample) and of the committed sample data."""
