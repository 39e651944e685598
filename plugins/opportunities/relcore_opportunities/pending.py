"""Pending first-entry values of Not Started opportunities (table
``opportunities_pending_values``).

An opportunity created from outside relcore (a Dynamics 365 Sales opportunity, see
:mod:`relcore_opportunities.d365sales`) arrives Not Started, without entries, but with an
estimated value, chances of success and estimated close date. An opportunity's current values
are never stored on it (they are read from the active entry), so these wait here until the
opportunity is activated: :func:`relcore_opportunities.creating.activate_first_stage` takes them
as the first entry's values; any other first entry (``update --action first``) discards them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore.db import one_of
from relcore_opportunities.model import pending_values

P = pending_values.c
VALUE_FIELDS = ("estimated_value_lcy", "chances_of_success_pct", "estimated_close_date")


def set_pending(session: Any, no: str, values: dict, source: str = "") -> None:
    """Store (merge) pending values of a Not Started opportunity; ``None`` clears one."""
    changes = {k: values[k] for k in VALUE_FIELDS if k in values}
    if not changes:
        return
    found = session.execute(sa.select(P.opportunity_no).where(P.opportunity_no == no)).first()
    if found is None:
        session.execute(
            sa.insert(pending_values).values(opportunity_no=no, source=source, **changes)
        )
    else:
        session.execute(sa.update(pending_values).where(P.opportunity_no == no).values(**changes))


def pending(session: Any, no: str) -> dict | None:
    """The pending values of an opportunity, or ``None``."""
    row = session.execute(sa.select(pending_values).where(P.opportunity_no == no)).first()
    return None if row is None else dict(row._mapping)


def take_first_entry_values(session: Any, no: str, date_of_change: dt.date) -> dict:
    """The pending values as first-entry values (and the row deleted): the value fields that
    are set, with a close date before ``date_of_change`` left out (the stage's date formula
    then gives it) and non-positive values left out (the stage's defaults apply)."""
    row = pending(session, no)
    if row is None:
        return {}
    discard(session, [no])
    out: dict[str, Any] = {}
    for name in ("estimated_value_lcy", "chances_of_success_pct"):
        if row[name] is not None and Decimal(row[name]) > 0:
            out[name] = Decimal(row[name])
    close = row["estimated_close_date"]
    if close is not None and close >= date_of_change:
        out["estimated_close_date"] = close
    return out


def discard(session: Any, nos: list[str]) -> None:
    """Forget the pending values of these opportunities (one statement)."""
    if nos:
        session.execute(
            sa.delete(pending_values).where(one_of(P.opportunity_no, nos, session.dialect.name))
        )
