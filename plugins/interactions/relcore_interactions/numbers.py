"""Entry numbers of the interaction log (§4.3: "from a DB sequence (may have gaps)").

The interaction log is a ledger like any other: its numbers come from the core's
:func:`relcore.ledger.next_entry_nos` (a sequence on PostgreSQL, a counter row on SQLite;
numbers of a rolled-back transaction are never handed out again).
"""

from __future__ import annotations

from typing import Any

from relcore.ledger import next_entry_nos as _draw
from relcore_interactions.model import log_entry


def next_entry_nos(session: Any, n: int) -> list[int]:
    """``n`` fresh, ascending interaction log entry numbers (one round trip)."""
    return _draw(session, log_entry, n)
