"""Bulk inserts on SQLite straight through the driver's ``executemany``.

SQLAlchemy processes every parameter of every row on its own; for a batch of 100,000 rows of 60
columns that costs more than SQLite's own work. Here values pass through the *same* bind
processors SQLAlchemy would apply (so ``Code``, ``Money``, ``UTCDateTime`` behave identically),
but column by column:

* a processor runs once per distinct value when a column repeats values (template codes,
  salespeople, dates of one batch);
* a column holding one value in every row is written into the statement as a literal, so
  SQLite binds only the columns that vary.

The statement goes through :meth:`Connection.exec_driver_sql`, so engine events (tracing, tests
that count statements) still see one INSERT.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.rows import transpose

_NONE = {type(None)}
_INT64 = (-(2**63), 2**63 - 1)


def column_values(
    table: sa.Table, rows: Sequence[dict], by_column: Mapping[str, Sequence[Any]] | None = None
) -> list[tuple[Any, list]] | None:
    """Each column of ``table`` with its values in ``rows`` (defaults filled in), or None when
    a row lacks a column whose default is not a plain scalar (a callable or a server default):
    the caller then lets SQLAlchemy do it. Shared with :mod:`relcore.pg_bulk`.

    :param by_column: every column the rows name, with its values in row order
        (:func:`relcore.rows.transpose`), when the caller has them already; worked out here
        otherwise. Given, ``rows`` is only counted (:func:`relcore.bulk.bulk_insert_columns`).
    """
    if by_column is None:
        by_column = transpose(rows)  # one pass when the rows share their columns (a batch)
    uniform = True
    if by_column is None:
        first_keys = rows[0].keys()
        uniform = all(row.keys() == first_keys for row in rows)
    out = []
    for column in table.c:
        name = column.name
        if by_column is not None and name in by_column:
            values = list(by_column[name])
        elif by_column is None and uniform and name in first_keys:
            values = list(map(operator.itemgetter(name), rows))
        else:
            default = column.default
            if (default is not None and not default.is_scalar) or (
                default is None and column.server_default is not None
            ):
                return None
            missing = default.arg if default is not None else None
            if by_column is not None:  # no row names the column
                values = [missing] * len(rows)
            else:
                values = [row.get(name, missing) for row in rows]
        out.append((column, values))
    return out


def insert_rows(
    session: Any,
    table: sa.Table,
    rows: Sequence[dict],
    by_column: Mapping[str, Sequence[Any]] | None = None,
) -> bool:
    """Insert ``rows`` into ``table`` in one ``executemany``; False when it cannot (see
    :func:`column_values`, which also says what ``by_column`` is)."""
    dialect = session.dialect
    columns = column_values(table, rows, by_column)
    if columns is None:
        return False
    names: list[str] = []
    placeholders: list[str] = []
    bound: list[list[Any]] = []
    for column, values in columns:
        processor = column.type._cached_bind_processor(dialect)
        literal = None
        if not column.primary_key and _constant(values):
            literal = sql_literal(values[0] if processor is None else processor(values[0]))
        names.append(column.name)
        if literal is None:
            placeholders.append("?")
            bound.append(bind_values(column, dialect, processor, values))
        else:
            placeholders.append(literal)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join(placeholders)})"
    )
    session.exec_driver_sql(sql, list(zip(*bound, strict=True)))
    return True


def _constant(values: list[Any]) -> bool:
    """True when every value is the same, of one type."""
    return values.count(values[0]) == len(values) and len(set(map(type, values))) == 1


def bind_values(
    column: sa.Column[Any], dialect: Any, processor: Any, values: list[Any]
) -> list[Any]:
    """``values`` as SQLAlchemy would bind them into ``column`` (``processor`` is the column's
    bind processor, None when it has none). A type with a ``process_bind_values(values)`` method
    and no driver-level processor of its own (:class:`relcore.db.Code`) processes the column in one
    call; otherwise :func:`process_values`."""
    if processor is None:
        return values
    column_wise = getattr(column.type, "process_bind_values", None)
    if column_wise is not None:
        impl_processor = column.type.impl_instance._cached_bind_processor(dialect)
        if impl_processor is None:
            return column_wise(values)
    return process_values(processor, values)


def process_values(processor: Any, values: list[Any]) -> list[Any]:
    """``processor`` over ``values``; once per distinct value when the column holds one type
    besides None (equal values of one type bind alike)."""
    if len(set(map(type, values)) - _NONE) > 1:
        return list(map(processor, values))
    try:
        distinct = dict.fromkeys(values)
    except TypeError:  # unhashable values
        return list(map(processor, values))
    if len(distinct) * 2 > len(values):
        return list(map(processor, values))
    for value in distinct:
        distinct[value] = processor(value)
    return list(map(distinct.__getitem__, values))


def sql_literal(value: Any) -> str | None:
    """``value`` as an SQLite literal, or None when it is better bound (bytes, NUL characters,
    non-finite floats, integers beyond 64 bits, other types)."""
    kind = type(value)
    if value is None:
        return "NULL"
    if kind is int:
        return str(value) if _INT64[0] <= value <= _INT64[1] else None
    if kind is float:
        return repr(value) if math.isfinite(value) else None
    if kind is str:
        return None if "\x00" in value else "'" + value.replace("'", "''") + "'"
    return None
