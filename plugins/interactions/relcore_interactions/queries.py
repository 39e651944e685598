"""Reading log entries (lists, one entry with its comments)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore_interactions.model import log_comment, log_entry

E = log_entry.c


def list_entries(
    session: Any,
    *,
    contact_no: str | None = None,
    template_code: str | None = None,
    salesperson_code: str | None = None,
    postponed: bool | None = None,
    canceled: bool | None = None,
    limit: int | None = 200,
) -> list[dict]:
    """Entries matching the filters, newest first (a company's include its persons')."""
    stmt = sa.select(log_entry).order_by(E.entry_no.desc())
    if contact_no:
        from relcore_interactions.statistics import contact_filter

        stmt = stmt.where(*contact_filter(session, contact_no))
    if template_code:
        stmt = stmt.where(E.interaction_template_code == template_code.upper())
    if salesperson_code:
        stmt = stmt.where(E.salesperson_code == salesperson_code.upper())
    if postponed is not None:
        stmt = stmt.where(E.postponed == postponed)
    if canceled is not None:
        stmt = stmt.where(E.canceled == canceled)
    if limit:
        stmt = stmt.limit(limit)
    return [dict(r._mapping) for r in session.execute(stmt)]


def get_entry(session: Any, entry_no: int, *, with_comments: bool = False) -> dict:
    """One entry (NotFoundError naming it), optionally with ``comments``."""
    row = entities.get(session, "interactions.log_entry", entry_no)
    if with_comments:
        row["comments"] = [
            dict(r._mapping)
            for r in session.execute(
                sa.select(log_comment)
                .where(log_comment.c.entry_no == entry_no)
                .order_by(log_comment.c.line_no)
            )
        ]
    return row
