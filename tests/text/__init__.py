"""Tests of complaint text reading (carework.text): taxonomy, language, model, labels, corpus."""
