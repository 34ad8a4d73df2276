"""Alembic migrations of the LabourWatch schema."""
