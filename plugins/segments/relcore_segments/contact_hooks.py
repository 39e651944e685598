"""The segments plugin's answers to the contacts plugin's hooks (§2.5.1, §2.7, merge)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from relcore_contacts.api import refuse_if_linked

from relcore_segments import model

L = model.line

COMPANY_CHANGE_ERR = (
    "You cannot change Company No. because one or more unlogged segments are "
    "assigned to the contact."
)
DELETE_ERR = "You cannot delete contact {no} because it is assigned one or more unlogged segments."


def check_company_change(session: Any, contact_nos: list[str]) -> None:
    """Refuse a company change while the person sits on an unlogged segment (§2.5.1)."""
    refuse_if_linked(session, [L.c.contact_no], contact_nos, COMPANY_CHANGE_ERR, field="company_no")


def check_delete(session: Any, contacts: list[dict]) -> None:
    """Refuse deleting a contact that is on an unlogged segment (§2.7)."""
    refuse_if_linked(session, [L.c.contact_no], [c["no"] for c in contacts], DELETE_ERR)


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
