"""Showing stored values safely and in words: evidence text, wording, charts, the map, messages."""
