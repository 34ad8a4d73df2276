"""Retention: `purge` erases or masks personal data once it is no longer needed; `cli` is `labourwatch retention`."""
