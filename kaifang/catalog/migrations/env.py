"""Alembic environment: runs on the connection that :func:`kaifang.catalog.db.upgrade` passes
in ``config.attributes['connection']`` (no alembic.ini, no environment variables)."""

from __future__ import annotations

from alembic import context

from kaifang.catalog.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
