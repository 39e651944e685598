"""What tasks do when contacts change (the contacts plugin's hooks, §2.4, §2.7, merge, erase).

* a contact's type cannot change while tasks are linked to it (§2.4);
* a contact with open tasks cannot be deleted (§2.7: "You cannot delete contact %1 because
  there are one or more tasks open."); otherwise a person's tasks move to its company and a
  company's tasks are detached, and their contact attendee rows go;
* merging moves the duplicate's tasks and attendee rows to the survivor;
* erasing personal data clears the contact's names in attendee rows and deletes the comment
  lines of its tasks (descriptions, dates and statuses stay for the statistics).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from relcore_contacts.api import detach_deleted_contacts, refuse_if_linked

from relcore_interactions.tasks_model import attendee, comment, task

T = task.c
A = attendee.c


def check_type_change(session: Any, nos: list[str]) -> None:
    """Refuse a type change while tasks are linked to the contact (§2.4)."""
    refuse_if_linked(
        session,
        [T.contact_no],
        nos,
        "Type cannot be changed because one or more tasks are linked to the contact.",
        field="type",
    )


def check_delete(session: Any, contacts: list[dict]) -> None:
    """Refuse deleting a contact with open tasks (§2.7)."""
    refuse_if_linked(
        session,
        [T.contact_no],
        [c["no"] for c in contacts],
        "You cannot delete contact {no} because there are one or more tasks open.",
        where=T.closed.is_(False),
    )


def before_delete(session: Any, contacts: list[dict]) -> None:
    """Veto (open tasks), then re-point persons' tasks to their company and detach companies'
    tasks (§2.7); contact attendee rows of the deleted contacts are removed."""
    check_delete(session, contacts)
    nos = [c["no"] for c in contacts]
    if not nos:
        return
    detach_deleted_contacts(session, task, contacts)
    session.execute(sa.delete(attendee).where(A.attendee_type == "contact", A.attendee_no.in_(nos)))


def merge(
    session: Any, survivor_no: str, duplicate_no: str, company: str | None, dry_run: bool
) -> int:
    """Move the duplicate's tasks (and contact attendee rows) to the survivor."""
    as_contact = T.contact_no == duplicate_no
    as_company = sa.and_(T.contact_company_no == duplicate_no, T.contact_no != duplicate_no)
    as_attendee = sa.and_(A.attendee_type == "contact", A.attendee_no == duplicate_no)
    if dry_run:
        n = session.execute(
            sa.select(sa.func.count()).select_from(task).where(sa.or_(as_contact, as_company))
        ).scalar_one()
        return (
            n
            + session.execute(
                sa.select(sa.func.count()).select_from(attendee).where(as_attendee)
            ).scalar_one()
        )
    moved = session.execute(
        sa.update(task).where(as_contact).values(contact_no=survivor_no, contact_company_no=company)
    ).rowcount
    moved += session.execute(
        sa.update(task).where(as_company).values(contact_company_no=company or survivor_no)
    ).rowcount
    taken = set(
        session.execute(
            sa.select(A.to_do_no).where(A.attendee_type == "contact", A.attendee_no == survivor_no)
        ).scalars()
    )
    if taken:  # the survivor already attends: drop the duplicate's row there
        session.execute(sa.delete(attendee).where(as_attendee, A.to_do_no.in_(taken)))
    moved += session.execute(
        sa.update(attendee).where(as_attendee).values(attendee_no=survivor_no)
    ).rowcount
    return moved


def erase_personal_data(session: Any, nos: list[str]) -> dict[str, int]:
    """Scrub the contacts' personal data held by tasks; returns the rows scrubbed per table."""
    if not nos:
        return {}
    names = session.execute(
        sa.update(attendee)
        .where(A.attendee_type == "contact", A.attendee_no.in_(nos))
        .values(attendee_name="")
    ).rowcount
    task_nos = sa.select(T.no).where(T.contact_no.in_(nos))
    comments = session.execute(sa.delete(comment).where(comment.c.to_do_no.in_(task_nos))).rowcount
    return {attendee.name: names, comment.name: comments}
