"""Open tasks follow their opportunity (§6.4.2 OnValidate of the Opportunity's Salesperson Code,
Contact No. and Campaign No.).

When an opportunity's salesperson, contact or campaign changes, BC re-points (after a
confirmation the shell does not ask) the opportunity's open tasks that carry the old value:

* a task that is not a meeting gets the new value (a new contact brings its company);
* a **meeting** keeps its organizer — BC skips the organizer task and never changes a
  To-do Organizer attendee row ("You cannot change the task organizer.") — while its attendee
  rows naming the old salesperson (attendance Required or Optional) or the old contact get the new
  one; a meeting's own contact follows like any task's. When the new one already attends that
  meeting, BC refuses: "This attendee already exists." (checked before anything is written).

relcore keeps one row per task plus attendee rows (``docs/tasks.md``), so BC's attendee
sub-tasks need no update of their own. Campaign changes touch tasks only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore_interactions import tasks
from relcore_interactions.tasks_model import attendee, task

T = task.c
A = attendee.c

REPOINTABLE = ("salesperson_code", "contact_no", "campaign_no")
"""The task fields that follow an opportunity's change (§6.4.2)."""
ATTENDEE_TYPES = {"salesperson_code": "salesperson", "contact_no": "contact"}
"""The attendee type re-pointed in meetings for each field."""
ATTENDEE_EXISTS = "This attendee already exists."
ATTENDEE_ENTITY = "interactions.task_attendee"


def repoint_open_tasks(
    session: Any, opportunity_no: str, changes: Mapping[str, tuple[Any, Any]]
) -> int:
    """§6.4.2: the open tasks (not closed, not canceled) of ``opportunity_no`` that carry an old
    value get the new one, meetings' attendee rows included (see the module doc).

    :param changes: a field of :data:`REPOINTABLE` → ``(old, new)``; fields whose old value is
        blank or equal to the new one are skipped.
    :returns: the number of task rows plus attendee rows updated (a task changed in two fields
        counts twice).
    :raises ValidationError: for another field, or "This attendee already exists." when the new
        salesperson or contact already attends a meeting whose attendee row would be re-pointed;
        nothing is written then.
    """
    unknown = sorted(set(changes) - set(REPOINTABLE))
    if unknown:
        raise ValidationError(
            f"Task field {unknown[0]} cannot follow an opportunity",
            entity="Task",
            field=unknown[0],
        )
    no = str(opportunity_no).strip().upper()
    wanted = {
        field: (old, new)
        for field, (old, new) in changes.items()
        if old and (old or None) != (new or None)
    }
    moves = {
        ATTENDEE_TYPES[field]: (old, new)
        for field, (old, new) in wanted.items()
        if field in ATTENDEE_TYPES and new
    }
    for kind, (old, new) in moves.items():
        _check_free(session, _attendee_rows(no, kind, old), kind, new)
    total = 0
    for field, (old, new) in wanted.items():
        total += _repoint_tasks(session, no, field, old, new)
    for kind, (old, new) in moves.items():
        total += _repoint_attendees(session, no, kind, old, new)
    return total


def _open_tasks(no: str) -> sa.ColumnElement[bool]:
    return sa.and_(T.opportunity_no == no, T.closed.is_(False), T.canceled.is_(False))


def _repoint_tasks(session: Any, no: str, field: str, old: Any, new: Any) -> int:
    """One set-based UPDATE of the tasks carrying ``old``; meetings keep their organizer (a
    meeting's salesperson), and a new contact brings its company (§7.1)."""
    where = sa.and_(_open_tasks(no), T[field] == old)
    values: dict[str, Any] = {field: new or None}
    if field == "salesperson_code":
        where = sa.and_(where, T.type != "meeting")
    if field == "contact_no":
        values["contact_company_no"] = _company_of(session, new) if new else None
    tasks._stamp(values)
    return entities.update_where(session, tasks.ENTITY, where, values)


def _company_of(session: Any, contact_no: str) -> str | None:
    from relcore_contacts.api import ensure_usable

    contact = ensure_usable(session, [contact_no])[contact_no]
    return (contact["no"] if contact["type"] == "company" else contact["company_no"]) or None


def _attendee_rows(no: str, kind: str, old: Any) -> sa.ColumnElement[bool]:
    """The attendee rows of the opportunity's open meetings that name ``old`` (never an
    organizer row)."""
    meetings = sa.select(T.no).where(_open_tasks(no), T.type == "meeting")
    return sa.and_(
        A.to_do_no.in_(meetings),
        A.attendee_type == kind,
        A.attendee_no == old,
        A.attendance_type != "to_do_organizer",
    )


def _check_free(session: Any, rows: sa.ColumnElement[bool], kind: str, new: Any) -> None:
    """BC ``ValidateAttendee``: a meeting lists an attendee once."""
    meetings = sa.select(A.to_do_no).where(rows).correlate(None)  # the rows to re-point
    taken = (
        session.execute(
            sa.select(A.to_do_no)
            .where(A.to_do_no.in_(meetings), A.attendee_type == kind, A.attendee_no == new)
            .order_by(A.to_do_no)
            .limit(1)
        )
        .scalars()
        .first()
    )
    if taken is not None:
        raise ValidationError(ATTENDEE_EXISTS, entity="Task", key=taken, field="attendees")


def _repoint_attendees(session: Any, no: str, kind: str, old: Any, new: Any) -> int:
    """One set-based UPDATE: the attendee rows naming ``old`` name ``new`` (and its name)."""
    name = tasks._attendee_names(session, [(kind, new)])[(kind, new)]
    values = {"attendee_no": new, "attendee_name": name}
    return entities.update_where(session, ATTENDEE_ENTITY, _attendee_rows(no, kind, old), values)
