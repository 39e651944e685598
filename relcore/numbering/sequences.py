"""PostgreSQL sequences behind "allow gaps" lines (BC Sequence implementation, §1.2.4).

Each allow-gaps line gets its own database ``SEQUENCE`` on its first draw. ``nextval`` is not
transactional: concurrent drawers never wait for each other, and numbers of rolled-back
transactions are lost (gaps). ``sequence_base`` is the counter value that stands for "nothing
drawn yet" (the numeric part of Last No. Used, or of Starting No. minus the increment); the
sequence starts at ``sequence_base + increment_by``.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from relcore.numbering.nos import no_text, replace_no_text
from relcore.numbering.tables import no_series_line as L


def format_value(starting_no: str, value: int) -> str:
    """The number for a counter value: ``value`` in Starting No.'s digit run, zero-padded."""
    return replace_no_text(starting_no, str(value))


def base_of(starting_no: str, last_no_used: str, increment_by: int) -> int:
    """The counter value standing for the line's current state (§1.2.4)."""
    if last_no_used:
        return int(no_text(last_no_used) or 0)
    return int(no_text(starting_no) or 0) - increment_by


def ensure_sequence(session: Any, row: Any) -> tuple[str, int]:
    """The line's sequence ``(name, base)``, creating it when missing (once, race-free).

    The line row is claimed with a conditional UPDATE before ``CREATE SEQUENCE``; a concurrent
    creator waits for that transaction, sees the name set, and uses it.
    """
    if row.sequence_name:
        return row.sequence_name, row.sequence_base
    name = "core_nos_" + uuid.uuid4().hex
    base = base_of(row.starting_no, row.last_no_used, row.increment_by)
    claimed = session.execute(
        sa.update(L)
        .where(L.c.series_code == row.series_code, L.c.line_no == row.line_no)
        .where(L.c.sequence_name.is_(None))
        .values(sequence_name=name, sequence_base=base)
    ).rowcount
    if not claimed:
        got = session.execute(
            sa.select(L.c.sequence_name, L.c.sequence_base).where(
                L.c.series_code == row.series_code, L.c.line_no == row.line_no
            )
        ).one()
        return got.sequence_name, got.sequence_base
    session.exec_driver_sql(
        f"CREATE SEQUENCE {name} AS bigint INCREMENT BY {int(row.increment_by)} "
        f"MINVALUE {min(base, 0)} START WITH {base + int(row.increment_by)}"
    )
    return name, base


def current_value(session: Any, name: str) -> int | None:
    """The last value handed out by the sequence (any transaction), or None if none yet."""
    return session.exec_driver_sql(f"SELECT pg_sequence_last_value('{name}'::regclass)").scalar()


def next_values(session: Any, name: str, n: int) -> list[int]:
    """``n`` values from the sequence in one round trip (not necessarily consecutive)."""
    if n == 1:
        return [session.exec_driver_sql(f"SELECT nextval('{name}')").scalar()]
    rows = session.exec_driver_sql(
        f"SELECT nextval('{name}') FROM generate_series(1, {int(n)})"
    ).all()
    return sorted(r[0] for r in rows)


def drop_sequence(session: Any, name: str) -> None:
    """Drop a line's sequence (when its series is deleted)."""
    session.exec_driver_sql(f"DROP SEQUENCE IF EXISTS {name}")


def last_no_used(session: Any, row: Any) -> str:
    """Last No. Used of an allow-gaps line as list/show report it (§1.2.4).

    Values consumed by draws that failed the range check are not counted.
    """
    if not row.sequence_name:
        return row.last_no_used
    value = current_value(session, row.sequence_name)
    if value is None or value <= row.sequence_base:
        return row.last_no_used
    if row.ending_no:
        end = int(no_text(row.ending_no) or 0)
        if value > end:
            inc = row.increment_by
            value -= ((value - end + inc - 1) // inc) * inc
            if value <= row.sequence_base:
                return row.last_no_used
    return format_value(row.starting_no, value)
