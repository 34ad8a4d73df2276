"""What extraction yields: a raw item (field name to text, before normalisation) and the cut fields."""

from __future__ import annotations

RawItem = dict[str, str | None]
Cuts = list[str]  # names of the fields whose text was cut at FIELD_LIMIT (for the run's stats)

# Fields that hold several values (a post's media captions): one a line in the raw item.
LIST_FIELDS = frozenset(["captions"])


def merge(base: RawItem, override: RawItem) -> RawItem:
    """BASE with every non-empty value of OVERRIDE on top."""
    return {**base, **{k: v for k, v in override.items() if v}}
