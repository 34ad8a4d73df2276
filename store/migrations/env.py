"""Alembic environment: runs migrations on the connection or URL handed over by store.migrate."""

from __future__ import annotations

from alembic import context

import store.models as models

config = context.config
target_metadata = models.metadata


def run_migrations() -> None:
    """Migrate using the connection in config.attributes (always set by store.migrate)."""
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
