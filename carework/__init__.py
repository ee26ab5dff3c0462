"""carework."""
