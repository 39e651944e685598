"""The SQLite hot path of a draw: the same two statements as the Core path, on the DBAPI cursor.

A draw on SQLite is a few microseconds of SQLite work wrapped in ~100 µs of statement machinery,
so :func:`select_line` and :func:`save_line` run pre-written SQL directly on the session's DBAPI
connection, inside the transaction the session already holds (``BEGIN IMMEDIATE``: the write lock,
so the line needs no row lock). Values are converted like SQLAlchemy stores them (ISO dates,
0/1 booleans). The SQL mirrors :data:`relcore.numbering.engine._SELECT` and ``_UPDATE``.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from typing import Any

LineRow = namedtuple(
    "LineRow",
    "series_code line_no starting_date starting_no ending_no warning_no increment_by "
    "last_no_used last_date_used open allow_gaps sequence_name sequence_base date_order",
)

_SELECT_SQL = (
    "SELECT l.series_code, l.line_no, l.starting_date, l.starting_no, l.ending_no, l.warning_no, "
    "l.increment_by, l.last_no_used, l.last_date_used, l.open, l.allow_gaps, l.sequence_name, "
    "l.sequence_base, s.date_order "
    "FROM core_no_series_line AS l JOIN core_no_series AS s ON s.code = l.series_code "
    "WHERE l.series_code = ? AND l.open = 1 AND (l.starting_date IS NULL OR l.starting_date <= ?) "
    "ORDER BY l.starting_date DESC NULLS LAST, l.line_no LIMIT 1"
)
_UPDATE_SQL = (
    "UPDATE core_no_series_line SET last_no_used = ?, last_date_used = ? "
    "WHERE series_code = ? AND line_no = ?"
)
_UPDATE_OPEN_SQL = (
    "UPDATE core_no_series_line SET last_no_used = ?, last_date_used = ?, open = ? "
    "WHERE series_code = ? AND line_no = ?"
)
_from_iso = dt.date.fromisoformat


def select_line(session: Any, code: str, usage_date: dt.date) -> LineRow | None:
    """The open line serving ``usage_date`` (§1.2.2), or None."""
    raw = session.connection.dbapi_connection
    r = raw.execute(_SELECT_SQL, (code, usage_date.isoformat())).fetchone()
    if r is None:
        return None
    return LineRow(
        r[0],
        r[1],
        r[2] and _from_iso(r[2]),
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        r[8] and _from_iso(r[8]),
        bool(r[9]),
        bool(r[10]),
        r[11],
        r[12],
        bool(r[13]),
    )


def save_line(session: Any, row: LineRow, last: str, usage_date: dt.date, is_open: bool) -> None:
    """Store Last No. Used, Last Date Used and (when it changes) Open (§1.2.3)."""
    raw = session.connection.dbapi_connection
    if is_open == row.open:  # leave the indexed column alone: one page less to write
        raw.execute(_UPDATE_SQL, (last, usage_date.isoformat(), row.series_code, row.line_no))
    else:
        raw.execute(
            _UPDATE_OPEN_SQL,
            (last, usage_date.isoformat(), int(is_open), row.series_code, row.line_no),
        )
