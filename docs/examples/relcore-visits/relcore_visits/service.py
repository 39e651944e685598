"""Recording and listing visits (the operations the shell and integrators call)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore import entities, numbering
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_visits.model import visit


def record_visit(
    session: Any, visitor_name: str, purpose: str | None = None, visit_date: dt.date | None = None
) -> dict:
    """Record a visit: number from the ``visits.visit_nos`` series, purpose from setup."""
    if not visitor_name.strip():
        raise ValidationError("must not be blank", entity="Visit", field="visitor_name")
    app = app_of(session)
    no, _series = numbering.init_no(session, "visits.visit_nos")
    row = {
        "no": no,
        "visitor_name": visitor_name.strip(),
        "purpose": purpose
        if purpose is not None
        else app.setup.get(session, "visits.default_purpose"),
        "visit_date": visit_date or app.work_date,
    }
    return entities.insert(session, "visits.visit", [row])[0]


def list_visits(session: Any) -> list[dict]:
    """Every visit, newest number last."""
    return [dict(r._mapping) for r in session.execute(sa.select(visit).order_by(visit.c.no))]
