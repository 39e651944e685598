"""One bulk insert of plain rows into a table, the fastest way the backend offers.

SQLite: :func:`relcore.sqlite_bulk.insert_rows` (the driver's ``executemany``); PostgreSQL:
:func:`relcore.pg_bulk.copy_rows` (``COPY``, for large batches); otherwise SQLAlchemy's
``executemany``. Values pass through the columns' bind processors in every case. No hooks, no
system columns and no checks: :func:`relcore.entities.insert` adds those for entities, and
callers writing other tables run :func:`relcore.checks.check_rows` themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from relcore import pg_bulk, sqlite_bulk


def bulk_insert(session: Any, table: sa.Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` (dicts naming the same columns) into ``table`` in one statement."""
    if not rows:
        return
    name = session.dialect.name
    if name == "sqlite":
        if len(rows) > 1 and sqlite_bulk.insert_rows(session, table, rows):
            return
    elif name == "postgresql" and pg_bulk.copy_rows(session, table, rows):
        return
    session.execute(sa.insert(table), list(rows))
