"""Logged segments and their maintenance (Logged Segment 5075, report 5191, §5.7)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore_segments import model

LS = model.logged_segment


def _log_entry() -> Any:
    from relcore_interactions.api import log_entry_table

    return log_entry_table


def list_logged_segments(session: Any) -> list[dict]:
    """Every logged segment with its FlowField No. of Interactions (§5.7)."""
    e = _log_entry()
    count = (
        sa.select(sa.func.count())
        .where(e.c.logged_segment_entry_no == LS.c.entry_no)
        .scalar_subquery()
        .label("no_of_interactions")
    )
    rows = session.execute(sa.select(LS, count).order_by(LS.c.entry_no))
    return [dict(r._mapping) for r in rows]


def toggle_canceled(session: Any, entry_no: int) -> dict:
    """Switch Check Mark in Canceled (§5.7): the logged segment, all its interaction entries
    and, through ``relcore_segments_logged_canceled``, its campaign entries."""
    from relcore.app import app_of

    logged = entities.get(session, "segments.logged_segment", entry_no)
    canceled = not logged["canceled"]
    entities.update(session, "segments.logged_segment", entry_no, {"canceled": canceled})
    e = _log_entry()
    session.execute(
        sa.update(e).where(e.c.logged_segment_entry_no == entry_no).values(canceled=canceled)
    )
    app_of(session).pm.hook.relcore_segments_logged_canceled(
        session=session, entry_nos=[entry_no], canceled=canceled
    )
    return {**logged, "canceled": canceled}


def delete_canceled(session: Any) -> list[int]:
    """Delete Logged Segments (report 5191, §5.7): only canceled ones; their interaction entries
    stay, with no logged segment (BC's 0 is ``NULL`` here).

    :returns: the entry nos. deleted.
    """
    from relcore.app import app_of

    nos = list(
        session.execute(
            sa.select(LS.c.entry_no).where(LS.c.canceled.is_(True)).order_by(LS.c.entry_no)
        ).scalars()
    )
    if not nos:
        return []
    app_of(session).pm.hook.relcore_segments_logged_deleted(session=session, entry_nos=nos)
    e = _log_entry()
    session.execute(
        sa.update(e)
        .where(e.c.logged_segment_entry_no.in_(nos))
        .values(logged_segment_entry_no=None)
    )
    session.execute(sa.delete(LS).where(LS.c.entry_no.in_(nos)))
    return nos


def check_uncancel(session: Any, entries: list[dict]) -> None:
    """Refuse un-cancelling interaction entries whose logged segment is canceled (§4.8)."""
    nos = {e.get("logged_segment_entry_no") for e in entries} - {None}
    if not nos:
        return
    row = session.execute(
        sa.select(LS.c.entry_no)
        .where(LS.c.entry_no.in_(nos), LS.c.canceled.is_(True))
        .order_by(LS.c.entry_no)
        .limit(1)
    ).first()
    if row is not None:
        raise ValidationError(
            "is canceled: switch the Canceled mark of the logged segment instead",
            entity="Logged Segment",
            key=row.entry_no,
        )
