"""Backups that can be trusted: `database` (a consistent copy with a manifest, an all-or-nothing restore, SQLite
through the online backup API) and `postgres` (pg_dump/pg_restore for PostgreSQL)."""
