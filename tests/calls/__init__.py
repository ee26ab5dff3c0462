"""Tests of the call list (carework.calls)."""
