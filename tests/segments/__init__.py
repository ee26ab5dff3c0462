"""Tests of the segmentation (carework.segments)."""
