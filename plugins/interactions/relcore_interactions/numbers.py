"""Entry numbers of the interaction log (§4.3: "from a DB sequence (may have gaps)").

PostgreSQL draws from :data:`~relcore_interactions.model.ENTRY_NO_SEQUENCE` (``nextval`` is not
transactional: numbers of a rolled-back transaction are lost, never reused). SQLite serialises
writers (``BEGIN IMMEDIATE``), so an in-transaction counter row is atomic; to keep numbers of a
rolled-back log from being handed out again, the app also remembers the highest number it ever
drew (a high-water mark that survives the rollback) and draws above it.
"""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.db import is_postgres
from relcore_interactions.model import ENTRY_NO_SEQUENCE, entry_counter, log_entry

_COUNTER = "log_entry"
_LOCK = threading.Lock()
_HIGH_WATER_KEY = "_relcore_interactions_high_water"


def next_entry_nos(session: Any, n: int) -> list[int]:
    """``n`` fresh, ascending entry numbers (one round trip)."""
    if n <= 0:
        return []
    if is_postgres(session):
        name = ENTRY_NO_SEQUENCE.name
        if n == 1:
            return [session.exec_driver_sql(f"SELECT nextval('{name}')").scalar_one()]
        rows = session.exec_driver_sql(
            f"SELECT nextval('{name}') FROM generate_series(1, {int(n)})"
        ).all()
        return sorted(r[0] for r in rows)
    return _sqlite_draw(session, n)


def _sqlite_draw(session: Any, n: int) -> list[int]:
    app = app_of(session)
    with _LOCK:
        high_water = getattr(app, _HIGH_WATER_KEY, 0)
        last = session.execute(
            sa.update(entry_counter)
            .where(entry_counter.c.name == _COUNTER)
            .values(last_value=sa.func.max(entry_counter.c.last_value, high_water) + n)
            .returning(entry_counter.c.last_value)
        ).scalar()
        if last is None:
            # first draw: start above any entry already stored (e.g. imported rows)
            top = session.execute(sa.select(sa.func.max(log_entry.c.entry_no))).scalar() or 0
            last = max(top, high_water) + n
            session.execute(sa.insert(entry_counter).values(name=_COUNTER, last_value=last))
        setattr(app, _HIGH_WATER_KEY, last)
    return list(range(last - n + 1, last + 1))
