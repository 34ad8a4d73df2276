"""Registries (licensed HR agencies, marriage agencies, business registrations): import and licence checks."""
