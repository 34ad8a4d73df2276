"""Deterministic demo data shared by tests, browser tests and the demo."""
