"""The scheduler: the only process that decides when things run (see docs/scheduler.md)."""
