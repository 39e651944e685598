"""The segments plugin's answers to the reference hooks interactions publishes (§7.1, §7.4):
whether segments exist, and a segment's lines as a SELECT for set-based inserts (tasks per
segment contact)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.errors import NotFoundError
from relcore_segments import model

H = model.header
L = model.line


def check_segments(session: Any, segment_nos: list[str]) -> None:
    """Refuse the first segment number (in order) that has no segment header."""
    found = set(session.execute(sa.select(H.c.no).where(H.c.no.in_(segment_nos))).scalars())
    for no in sorted(set(segment_nos) - found):
        raise NotFoundError("does not exist", entity="Segment", key=no)


def task_defaults(session: Any, segment_nos: list[str]) -> dict[str, dict]:
    """Segment no. → the campaign and salesperson a new task takes from the segment header
    (§7.4 ``SetFilterFromTask``; ``relcore_interactions_task_defaults``)."""
    rows = session.execute(
        sa.select(H.c.no, H.c.campaign_no, H.c.salesperson_code).where(H.c.no.in_(segment_nos))
    ).all()
    return {
        r.no: {"campaign_no": r.campaign_no, "salesperson_code": r.salesperson_code} for r in rows
    }


def segment_lines(session: Any, segment_no: str) -> sa.Select | None:
    """The lines of one segment (line order) with the columns the hook promises, or ``None``
    when the segment does not exist."""
    no = str(segment_no or "").strip().upper()
    if session.execute(sa.select(H.c.no).where(H.c.no == no)).first() is None:
        return None
    return (
        sa.select(
            L.c.line_no.label("line_no"),
            L.c.contact_no.label("contact_no"),
            L.c.contact_company_no.label("contact_company_no"),
            L.c.salesperson_code.label("salesperson_code"),
            L.c.campaign_no.label("campaign_no"),
        )
        .where(L.c.segment_no == no)
        .order_by(L.c.line_no)
    )
