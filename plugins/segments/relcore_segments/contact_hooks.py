"""The segments plugin's answers to the contacts plugin's hooks (§2.5.1, §2.7, merge)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_segments import model

L = model.line

COMPANY_CHANGE_ERR = (
    "You cannot change Company No. because one or more unlogged segments are "
    "assigned to the contact."
)
DELETE_ERR = "You cannot delete contact {} because it is assigned one or more unlogged segments."


def _first_on_segment(session: Any, contact_nos: list[str]) -> str | None:
    if not contact_nos:
        return None
    row = session.execute(
        sa.select(L.c.contact_no)
        .where(L.c.contact_no.in_(contact_nos))
        .order_by(L.c.contact_no)
        .limit(1)
    ).first()
    return None if row is None else row.contact_no


def check_company_change(session: Any, contact_nos: list[str]) -> None:
    """Refuse a company change while the person sits on an unlogged segment (§2.5.1)."""
    no = _first_on_segment(session, list(contact_nos))
    if no is not None:
        raise ValidationError(COMPANY_CHANGE_ERR, entity="Contact", key=no, field="company_no")


def check_delete(session: Any, contacts: list[dict]) -> None:
    """Refuse deleting a contact that is on an unlogged segment (§2.7)."""
    no = _first_on_segment(session, [c["no"] for c in contacts])
    if no is not None:
        raise ValidationError(DELETE_ERR.format(no), entity="Contact", key=no)


def merge(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """Re-point segment lines and history of each duplicate to its survivor (merge)."""
    from relcore_contacts.api import get_contacts

    survivors = get_contacts(session, [s for s, _d in merges])
    counts = {L.name: 0, model.history.name: 0}
    for survivor_no, duplicate_no in merges:
        survivor = survivors[survivor_no]
        for table in (L, model.history):
            where = table.c.contact_no == duplicate_no
            if dry_run:
                counts[table.name] += session.execute(
                    sa.select(sa.func.count()).select_from(table).where(where)
                ).scalar_one()
                continue
            values: dict[str, Any] = {"contact_no": survivor_no}
            if table is L:
                values["contact_company_no"] = (
                    survivor_no if survivor["type"] == "company" else survivor["company_no"]
                )
            counts[table.name] += session.execute(
                sa.update(table).where(where).values(**values)
            ).rowcount
    return counts
