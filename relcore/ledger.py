"""Entry numbers of append-only ledgers ("last entry no. + 1", safe under concurrency).

BC numbers its ledgers (Logged Segment, Opportunity Entry, Campaign Entry, Interaction Log Entry)
by "last entry no. + 1" under a table lock, or from a database sequence (§0 "Entry numbers").
``SELECT max(entry_no) + 1`` without a lock hands two concurrent PostgreSQL transactions the same
number (one of them then fails on the primary key), so every ledger draws here instead:

* **PostgreSQL**: one database ``SEQUENCE`` per ledger table, created on the ledger's first draw
  (starting above the highest entry already stored) and remembered in :data:`ledger_counter`.
  ``nextval`` never blocks another transaction and is not transactional: concurrent writers never
  wait for each other, and the numbers of a rolled-back transaction are lost (gaps), never reused.
* **SQLite**: writers are serialised (``BEGIN IMMEDIATE``), so a counter row in
  :data:`ledger_counter` updated inside the transaction is atomic. The app also remembers the
  highest number it drew per ledger, so numbers of a rolled-back transaction are not handed out
  again by the same process either.

Entry numbers are therefore unique and ascending in drawing order, and may have gaps.
"""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa

from relcore.db import is_postgres, metadata

ledger_counter = sa.Table(
    "core_ledger_counter",
    metadata,
    sa.Column("table_name", sa.String(63), primary_key=True),
    sa.Column("last_entry_no", sa.BigInteger(), nullable=False, default=0),
    sa.Column("sequence_name", sa.String(63), nullable=True),
)
"""One row per ledger table: its counter (SQLite) or the name of its sequence (PostgreSQL)."""

_LOCK = threading.Lock()
_HIGH_WATER_KEY = "_relcore_ledger_high_water"


def next_entry_nos(session: Any, table: sa.Table, n: int) -> list[int]:
    """``n`` fresh, ascending entry numbers for the ledger ``table`` (column ``entry_no``).

    Call it inside the transaction that inserts the entries. Safe when several processes or
    threads append to the same ledger at once, on PostgreSQL and SQLite; one round trip per call
    once the ledger has been drawn from.

    :param session: the open session (a Connection in a transaction).
    :param table: the ledger table; it must have an integer column ``entry_no``.
    :param n: how many numbers; ``0`` or less returns ``[]``.
    :returns: ``n`` distinct numbers, ascending, each above every entry already stored.
    """
    if n <= 0:
        return []
    if is_postgres(session):
        name = _postgres_sequence(session, table)
        if n == 1:
            return [session.exec_driver_sql(f"SELECT nextval('{name}')").scalar_one()]
        rows = session.exec_driver_sql(
            f"SELECT nextval('{name}') FROM generate_series(1, {int(n)})"
        ).all()
        return sorted(r[0] for r in rows)
    return _sqlite_draw(session, table, n)


def _top(session: Any, table: sa.Table) -> int:
    return session.execute(sa.select(sa.func.max(table.c.entry_no))).scalar() or 0


def _postgres_sequence(session: Any, table: sa.Table) -> str:
    """The ledger's sequence, created (race-free) on its first draw.

    The counter row is inserted with ``ON CONFLICT DO NOTHING`` before ``CREATE SEQUENCE``; a
    concurrent first drawer waits for that transaction, then finds the row (or, when it was
    rolled back, creates both itself).
    """
    from sqlalchemy.dialects.postgresql import insert

    C = ledger_counter
    name = session.execute(
        sa.select(C.c.sequence_name).where(C.c.table_name == table.name)
    ).scalar()
    if name:
        return name
    name = _sequence_name(table.name)
    claimed = session.execute(
        insert(C)
        .values(table_name=table.name, last_entry_no=0, sequence_name=name)
        .on_conflict_do_nothing(index_elements=["table_name"])
        .returning(C.c.table_name)
    ).first()
    if claimed is None:
        return session.execute(
            sa.select(C.c.sequence_name).where(C.c.table_name == table.name)
        ).scalar_one()
    session.exec_driver_sql(
        f"CREATE SEQUENCE {name} AS bigint START WITH {_top(session, table) + 1}"
    )
    return name


def _sequence_name(table_name: str) -> str:
    name = f"{table_name}_entry_no_ledger"
    if len(name) > 63:
        import hashlib

        name = f"core_ledger_{hashlib.sha1(table_name.encode()).hexdigest()[:20]}"
    return name


def _sqlite_draw(session: Any, table: sa.Table, n: int) -> list[int]:
    from relcore.app import app_of

    C = ledger_counter
    app = app_of(session)
    with _LOCK:
        marks = getattr(app, _HIGH_WATER_KEY, None)
        if marks is None:
            marks = {}
            setattr(app, _HIGH_WATER_KEY, marks)
        high_water = marks.get(table.name, 0)
        last = session.execute(
            sa.update(C)
            .where(C.c.table_name == table.name)
            .values(last_entry_no=sa.func.max(C.c.last_entry_no, high_water) + n)
            .returning(C.c.last_entry_no)
        ).scalar()
        if last is None:
            # first draw: start above any entry already stored (e.g. imported rows)
            last = max(_top(session, table), high_water) + n
            session.execute(sa.insert(C).values(table_name=table.name, last_entry_no=last))
        marks[table.name] = last
    return list(range(last - n + 1, last + 1))
