"""Bulk inserts on PostgreSQL through ``COPY … FROM STDIN``.

An ``executemany`` of a large batch costs PostgreSQL one statement execution per row; ``COPY``
streams the rows in one command, which is what a plain psycopg user picks for bulk loads. Values
pass through the *same* bind processors SQLAlchemy would apply (``Code``, ``Money``,
``UTCDateTime`` behave identically; see :mod:`relcore.sqlite_bulk`), then psycopg's text dumpers.
Used for batches of at least :data:`MIN_ROWS` rows; errors are raised as SQLAlchemy's
(``IntegrityError`` …) like the statement path's.

``COPY`` does not go through SQLAlchemy's cursor events: statement tracers see nothing for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.sqlite_bulk import bind_values, column_values

MIN_ROWS = 1000
"""Smaller batches take the ordinary ``executemany`` (COPY's set-up is not worth it)."""


def copy_rows(
    session: Any,
    table: sa.Table,
    rows: Sequence[dict],
    by_column: Mapping[str, Sequence[Any]] | None = None,
) -> bool:
    """Insert ``rows`` into ``table`` with one ``COPY``; False when it cannot (too few rows, or
    a column whose default is not a plain scalar is missing: the caller inserts them).
    ``by_column``: see :func:`relcore.sqlite_bulk.column_values`."""
    if len(rows) < MIN_ROWS:
        return False
    columns = column_values(table, rows, by_column)
    if columns is None:
        return False
    dialect = session.dialect
    names, bound = [], []
    for column, values in columns:
        if values.count(None) == len(values) and _null_when_left_out(column):
            continue  # left out of the COPY: PostgreSQL stores NULL without parsing a field
        processor = column.type._cached_bind_processor(dialect)
        names.append(column.name)
        bound.append(bind_values(column, dialect, processor, values))
    quote = dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(map(quote, names))}) FROM STDIN"
    driver = session.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in zip(*bound, strict=True):
                copy.write_row(row)
    except dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            statement, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error
    return True


def _null_when_left_out(column: sa.Column[Any]) -> bool:
    """True when a column ``COPY`` leaves out gets NULL: not part of the primary key (a serial
    key has a default in the database), no server default, no identity."""
    return not column.primary_key and column.server_default is None and column.identity is None
