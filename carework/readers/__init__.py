"""Readers that turn raw logs into what carework analyses."""
