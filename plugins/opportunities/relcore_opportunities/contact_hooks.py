"""What the opportunities plugin does when contacts change (the contacts plugin's hooks), and
what it answers the interactions plugin.

* type change is refused while opportunities exist (§2.4);
* deleting a contact is refused while it has Not Started or In Progress opportunities; otherwise
  a person's opportunities move to its company and a company's are detached (§2.7);
* merging moves the duplicate's opportunities and entries to the survivor.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from relcore_contacts.api import detach_deleted_contacts, refuse_if_linked

from relcore.db import one_of
from relcore.errors import ValidationError
from relcore_opportunities.model import entry, opportunity

O = opportunity.c  # noqa: E741
E = entry.c


def check_type_change(session: Any, contacts: list[dict], new_type: str) -> None:
    """Refuse a type change while opportunities are linked to the contact (§2.4)."""
    refuse_if_linked(
        session,
        [O.contact_no, O.contact_company_no],
        [c["no"] for c in contacts if c.get("type") != new_type],
        "Type cannot be changed because one or more opportunities are linked to the contact.",
        field="type",
    )


def check_delete(session: Any, contacts: list[dict]) -> None:
    """Refuse deleting contacts with open opportunities; re-point or detach closed ones (§2.7)."""
    refuse_if_linked(
        session,
        [O.contact_no],
        [c["no"] for c in contacts],
        "You cannot delete contact {no} because there are one or more opportunities in progress "
        "({record[no]}).",
        where=O.status.in_(("not_started", "in_progress")),
    )
    for table in (opportunity, entry):
        detach_deleted_contacts(session, table, contacts)


def merge(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """Move the duplicates' opportunities and entries to the survivors."""
    moved: dict[str, int] = {}
    for table, col in ((opportunity, O), (entry, E)):
        count = 0
        for survivor, duplicate in merges:
            where = col.contact_no == duplicate
            if dry_run:
                count += session.execute(
                    sa.select(sa.func.count()).select_from(table).where(where)
                ).scalar_one()
                continue
            count += session.execute(
                sa.update(table).where(where).values(contact_no=survivor)
            ).rowcount
            session.execute(
                sa.update(table)
                .where(col.contact_company_no == duplicate)
                .values(contact_company_no=survivor)
            )
        moved[table.name] = count
    return moved


def check_opportunities(session: Any, nos: list[str]) -> None:
    """Veto unknown opportunity numbers (``relcore_interactions_check_opportunities``)."""
    wanted = sorted({n.upper() for n in nos if n})
    if not wanted:
        return
    found = set(
        session.execute(sa.select(O.no).where(one_of(O.no, wanted, session.dialect.name))).scalars()
    )
    for no in wanted:
        if no not in found:
            raise ValidationError("does not exist", entity="Opportunity", key=no)


def task_defaults(session: Any, nos: list[str]) -> dict[str, dict]:
    """Opportunity no. → the contact, company, campaign and salesperson a new task takes from
    it (§7.4 ``SetFilterFromTask``; ``relcore_interactions_task_defaults``)."""
    fields = ("contact_no", "contact_company_no", "campaign_no", "salesperson_code")
    stmt = sa.select(O.no, *(O[f] for f in fields)).where(
        one_of(O.no, sorted(set(nos)), session.dialect.name)
    )
    return {r.no: {f: getattr(r, f) for f in fields} for r in session.execute(stmt)}


def active_entry_nos(session: Any, nos: list[str]) -> dict[str, int]:
    """Opportunity no. → its active entry no.
    (``relcore_interactions_active_opportunity_entries``)."""
    if not nos:
        return {}
    stmt = sa.select(E.opportunity_no, E.entry_no).where(
        E.active.is_(True),
        one_of(E.opportunity_no, sorted({n.upper() for n in nos}), session.dialect.name),
    )
    return dict(session.execute(stmt).all())
