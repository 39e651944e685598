"""Small SQL helpers for large batches: ``IN`` over many values on both backends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

SQLITE_CHUNK = 30_000  # below SQLite's 32,766 bound parameters


def select_in(session: Any, stmt: sa.Select[Any], expr: Any, values: Iterable[Any]) -> list[Any]:
    """Rows of ``stmt`` where ``expr`` is one of ``values``: one ``= ANY(array)`` query on
    PostgreSQL, ``IN`` lists of at most 30,000 values on SQLite.
    """
    values = list(dict.fromkeys(values))
    if not values:
        return []
    if session.dialect.name == "postgresql":
        param = sa.bindparam(None, values, type_=postgresql.ARRAY(sa.String()))
        return session.execute(stmt.where(expr == sa.any_(param))).all()
    rows: list[Any] = []
    for start in range(0, len(values), SQLITE_CHUNK):
        chunk = values[start : start + SQLITE_CHUNK]
        rows += session.execute(stmt.where(expr.in_(chunk))).all()
    return rows
