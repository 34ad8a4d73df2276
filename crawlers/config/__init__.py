"""Source configuration: one TOML file per site, validated with pydantic, every problem reported at once.

schema (the models of a source file), load (reading and checking files, every problem at once; the
scheduler's view of their schedules), resolve (placeholders to base URLs: the source a crawl uses).
"""
