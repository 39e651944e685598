"""One bulk insert of plain rows into a table, the fastest way the backend offers.

SQLite: :func:`relcore.sqlite_bulk.insert_rows` (the driver's ``executemany``); PostgreSQL:
:func:`relcore.pg_bulk.copy_rows` (``COPY``, for large batches); otherwise SQLAlchemy's
``executemany``. Values pass through the columns' bind processors in every case. No hooks, no
system columns and no checks: :func:`relcore.entities.insert` adds those for entities, and
callers writing other tables run :func:`relcore.checks.check_rows` themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import pg_bulk, sqlite_bulk


def bulk_insert(
    session: Any,
    table: sa.Table,
    rows: Sequence[dict],
    *,
    by_column: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Insert ``rows`` (dicts naming the same columns) into ``table`` in one statement.

    :param by_column: the rows' values by column, in row order (:func:`relcore.rows.transpose`),
        when the caller has worked them out already (they are not worked out twice).
    """
    if rows and not _backend_bulk(session, table, rows, by_column):
        session.execute(sa.insert(table), list(rows))


def _backend_bulk(
    session: Any, table: sa.Table, rows: Sequence[Any], by_column: Mapping[str, Any] | None
) -> bool:
    """The backend's own bulk path, when it takes the batch (see the module docstring)."""
    name = session.dialect.name
    if name == "sqlite":
        return len(rows) > 1 and sqlite_bulk.insert_rows(session, table, rows, by_column)
    return name == "postgresql" and pg_bulk.copy_rows(session, table, rows, by_column)


def bulk_insert_columns(
    session: Any, table: sa.Table, by_column: Mapping[str, Sequence[Any]]
) -> None:
    """Insert rows given column by column into ``table`` in one statement: as
    :func:`bulk_insert`, without a dict per row.

    :param by_column: each column's values in row order, every sequence as long (a column
        left out takes its plain default). Derived rows built column-wise (index strings) skip
        building and transposing a dict per row; the dicts are built only when the backend has
        no bulk path for the batch.
    """
    names = list(by_column)
    n = len(by_column[names[0]]) if names else 0
    if not n:
        return
    if any(len(by_column[name]) != n for name in names):
        raise ValueError(f"{table.name}: the columns given hold different numbers of rows")
    # the bulk paths only count the rows when given by_column
    if _backend_bulk(session, table, range(n), by_column):
        return
    rows = zip(*(by_column[name] for name in names), strict=True)
    session.execute(sa.insert(table), [dict(zip(names, row, strict=True)) for row in rows])
