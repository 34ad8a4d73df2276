"""The JSON API under /api/: routes and their Pydantic schemas."""
