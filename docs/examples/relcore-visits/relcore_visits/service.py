"""Recording and listing visits, and what happens to them when contacts change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore import entities, numbering
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_visits.model import visit

VISIT_RECORDED = "visits.visit_recorded"
"""The interaction event a recorded visit of a contact logs (template VISIT, shipped)."""


def record_visit(
    session: Any,
    visitor_name: str,
    purpose: str | None = None,
    visit_date: dt.date | None = None,
    *,
    contact_no: str | None = None,
    no: str | None = None,
) -> dict:
    """Record a visit: number from the ``visits.visit_nos`` series (or ``no``, a manual number),
    purpose from setup. A visit of a contact logs an interaction when interactions is installed.
    """
    from relcore_contacts.api import ensure_usable

    app = app_of(session)
    contact = None
    if contact_no:
        contact_no = contact_no.strip().upper()
        contact = ensure_usable(session, [contact_no])[contact_no]
    name = visitor_name.strip() or (contact["name"] if contact else "")
    if not name:
        raise ValidationError("must not be blank", entity="Visit", field="visitor_name")
    number, _series = numbering.init_no(session, "visits.visit_nos", no=no)
    row = {
        "no": number,
        "visitor_name": name,
        "purpose": purpose
        if purpose is not None
        else app.setup.get(session, "visits.default_purpose"),
        "visit_date": visit_date or app.work_date,
        "contact_no": contact_no or None,
    }
    written = entities.insert(session, "visits.visit", [row])[0]
    if contact_no and app.has_plugin("interactions"):
        from relcore_interactions.api import log_event

        log_event(session, VISIT_RECORDED, contact_no, document_no=number)
    return written


def list_visits(session: Any) -> list[dict]:
    """Every visit, newest number last."""
    return [dict(r._mapping) for r in session.execute(sa.select(visit).order_by(visit.c.no))]


def detach_contacts(session: Any, contacts: list[dict]) -> None:
    """Contacts are deleted: their visits stay, without a contact."""
    nos = [c["no"] for c in contacts]
    entities.update_where(
        session, "visits.visit", visit.c.contact_no.in_(nos), {"contact_no": None}
    )


def merge_contacts(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """Each duplicate's visits move to its survivor; returns ``{"visits_visit": rows}``."""
    moved = 0
    for survivor_no, duplicate_no in merges:
        where = visit.c.contact_no == duplicate_no
        if dry_run:
            moved += session.execute(
                sa.select(sa.func.count()).select_from(visit).where(where)
            ).scalar_one()
        else:
            moved += entities.update_where(
                session, "visits.visit", where, {"contact_no": survivor_no}
            )
    return {visit.name: moved}


def erase_contacts(session: Any, contact_nos: list[str]) -> dict[str, int]:
    """The visitor's name is personal data: blank it on the contacts' visits (GDPR)."""
    where = visit.c.contact_no.in_(contact_nos)
    return {visit.name: entities.update_where(session, "visits.visit", where, {"visitor_name": ""})}


def contact_nos_of_visits(conditions: list[Any]) -> sa.Select[Any]:
    """The contacts with a visit matching every condition (the ``visit`` criteria source)."""
    return sa.select(visit.c.contact_no).where(visit.c.contact_no.is_not(None), *conditions)
