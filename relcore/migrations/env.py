"""Alembic environment for relcore: runs on the connection the core hands in."""

from __future__ import annotations

from alembic import context

from relcore.db import metadata
from relcore.migrations_api import include_object_for

config = context.config
connection = config.attributes["connection"]
prefixes = config.attributes.get("include_prefixes")

context.configure(
    connection=connection,
    target_metadata=metadata,
    include_object=include_object_for(prefixes),
    compare_type=True,
    render_as_batch=connection.dialect.name == "sqlite",
    user_module_prefix=None,
)
with context.begin_transaction():
    context.run_migrations()
