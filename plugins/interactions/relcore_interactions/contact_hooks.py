"""What the interactions plugin does when contacts change (the contacts plugin's hooks).

* type change is refused while entries are linked (§2.4);
* deleting a company detaches its entries, deleting a person re-points them to its company
  (§2.7);
* a person changing company re-points history (§2.5.1 ``UpdateCompanyNo``);
* merging contacts moves the duplicate's entries to the survivor;
* erasing personal data scrubs the contact's copies in entries and comments, keeping the
  statistics fields.

Each hook takes a batch (every contact, every merge pair) and returns the rows it touched per
table where its spec says so.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from relcore_contacts.api import detach_deleted_contacts, refuse_if_linked

from relcore_interactions import attachments, delivery, task_contact_hooks
from relcore_interactions.model import log_comment, log_entry, template

E = log_entry.c


def check_type_change(session: Any, contacts: list[dict], new_type: str) -> None:
    """Refuse a type change while interaction log entries or tasks are linked to the contact
    (§2.4)."""
    nos = [c["no"] for c in contacts if c.get("type") != new_type]
    if not nos:
        return
    task_contact_hooks.check_type_change(session, nos)
    refuse_if_linked(
        session,
        [E.contact_no],
        nos,
        "Type cannot be changed because one or more interaction log entries are linked to the "
        "contact.",
        field="type",
    )


def check_delete(session: Any, contacts: list[dict]) -> None:
    """Detach or re-point entries of contacts about to be deleted (§2.7).

    A person's entries go to its company (Contact No. := Company No.); entries recorded under
    deleted companies or persons without a company are detached (Contact Company No. and
    Contact No. cleared). Tasks: refused while open ones exist, else the same (see
    task_contact_hooks).
    """
    task_contact_hooks.before_delete(session, contacts)
    detach_deleted_contacts(session, log_entry, contacts)


def company_changed(session: Any, moves: list[tuple[str, str, str]]) -> None:
    """§2.5.1 ``UpdateCompanyNo``: history of a person who left company A stays with A
    (Contact No. := A); entries of a person without company get the new company."""
    left = [{"b_person": p, "b_old": old} for p, old, _new in moves if old]
    if left:
        session.execute(
            sa.update(log_entry)
            .where(
                E.contact_company_no == sa.bindparam("b_old"),
                E.contact_no == sa.bindparam("b_person"),
            )
            .values(contact_no=sa.bindparam("b_old")),
            left,
        )
    joined = [{"b_person": p, "b_new": new} for p, old, new in moves if not old and new]
    if joined:
        session.execute(
            sa.update(log_entry)
            .where(E.contact_company_no.is_(None), E.contact_no == sa.bindparam("b_person"))
            .values(contact_company_no=sa.bindparam("b_new")),
            joined,
        )


def merge(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """Move each duplicate's entries to its survivor (and the survivor's company)."""
    from relcore_contacts.api import get_contacts

    survivors = get_contacts(session, [s for s, _d in merges])
    moved = tasks_moved = 0
    for survivor_no, duplicate_no in merges:
        company = survivors[survivor_no]["company_no"] or None
        tasks_moved += task_contact_hooks.merge(
            session, survivor_no, duplicate_no, company, dry_run
        )
        as_contact = E.contact_no == duplicate_no
        as_company = sa.and_(E.contact_company_no == duplicate_no, E.contact_no != duplicate_no)
        if dry_run:
            moved += session.execute(
                sa.select(sa.func.count())
                .select_from(log_entry)
                .where(sa.or_(as_contact, as_company))
            ).scalar_one()
            continue
        moved += session.execute(
            sa.update(log_entry)
            .where(as_contact)
            .values(contact_no=survivor_no, contact_company_no=company)
        ).rowcount
        moved += session.execute(
            sa.update(log_entry).where(as_company).values(contact_company_no=company or survivor_no)
        ).rowcount
    return {"interactions_log_entry": moved, "interactions_task": tasks_moved}


def erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    """Scrub the contacts' personal data held in entries (GDPR), keeping the statistics.

    Description becomes the template's (generic) description, subject and Contact Via are
    cleared, comment lines are deleted, and merged/imported documents used only by these
    entries (they contain the contact's data) are removed, as are the hard copies relcore
    printed for them into the hard-copy folder.
    """
    if not contact_nos:
        return {}
    nos = [n.upper() for n in contact_nos]
    scrubbed = task_contact_hooks.erase_personal_data(session, nos)
    removed = delivery.remove_hard_copies(session, nos)
    if removed:
        scrubbed = {**scrubbed, "hard copy files": removed}
    where = E.contact_no.in_(nos)
    entry_nos = [r[0] for r in session.execute(sa.select(E.entry_no).where(where))]
    if not entry_nos:
        return scrubbed
    generic = (
        sa.select(template.c.description)
        .where(template.c.code == E.interaction_template_code)
        .scalar_subquery()
    )
    att = {
        r[0]
        for r in session.execute(
            sa.select(E.attachment_no).where(where, E.attachment_no.is_not(None))
        )
    }
    unique = attachments.unique_nos(session, att, except_entries=entry_nos)
    session.execute(
        sa.update(log_entry)
        .where(where)
        .values(description=sa.func.coalesce(generic, ""), subject="", contact_via="")
    )
    if unique:
        session.execute(
            sa.update(log_entry).where(E.attachment_no.in_(unique)).values(attachment_no=None)
        )
        attachments.delete(session, unique)
    comments = session.execute(
        sa.delete(log_comment).where(log_comment.c.entry_no.in_(entry_nos))
    ).rowcount
    return {**scrubbed, log_entry.name: len(entry_nos), log_comment.name: comments}
