"""Tasks (BC §7): creating, changing, reading, attendees and comments.

A task is one row of ``interactions_task`` plus attendee rows (§7.3, see ``docs/tasks.md`` for
the difference from BC's sub-task records). Every write goes through :mod:`relcore.entities`
(write hooks, system columns) after :func:`relcore_interactions.task_rules.apply_rules`. Closing,
canceling and recurrence live in :mod:`relcore_interactions.task_status`; one task per segment
contact in :mod:`relcore_interactions.task_segments`; creating and editing a task (which
dispatch to those) in :mod:`relcore_interactions.task_service`.

Dates: BC's "Today" of the task wizard, Date Closed and the recurrence base (§9.4) is the app's
work date here (which is today unless ``--work-date`` sets it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore.db import Code
from relcore.errors import NotFoundError, ValidationError
from relcore.fields import coerce_values
from relcore_interactions import task_rules
from relcore_interactions.tasks_model import attendee, comment, task

ENTITY = "interactions.task"
T = task.c
A = attendee.c

READ_ONLY = frozenset(
    {
        "no",
        "contact_company_no",
        "opportunity_entry_no",
        "organizer_to_do_no",
        "system_to_do_type",
        "closed",
        "date_closed",
        "canceled",
        "status",
        "completed_by",
        "last_date_modified",
        "last_time_modified",
    }
)
"""Fields ``edit`` does not set directly: derived ones, and the status machine's (which
``edit`` routes to close / reopen / cancel / uncancel)."""

STATUS_FIELDS = ("status", "closed", "canceled", "completed_by")


def editable_columns() -> list[Any]:
    """The task fields ``tasks edit --set`` takes (for ``--help``): the task's columns but the
    derived ones and the activity, plus ``duration`` (``90m``, ``2h``)."""
    from relcore.fields import SYSTEM_FIELDS

    hidden = (READ_ONLY - set(STATUS_FIELDS)) | {"activity_code", "duration_ms"} | SYSTEM_FIELDS
    duration = sa.Column("duration", sa.String(20), info={"description": "90m, 2h, 1d"})
    return [c for c in task.c if c.name not in hidden] + [duration]


def today(session: Any) -> dt.date:
    """BC "Today" for tasks (§9.4): the app's work date."""
    return app_of(session).work_date


def _now_time() -> dt.time:
    return dt.datetime.now(dt.UTC).time().replace(microsecond=0)


def defaults(session: Any) -> dict:
    """A new task's values (§7.1 InitValue, §7.4 wizard: Date := Today, Duration := 1 day)."""
    row: dict[str, Any] = {
        c.name: c.default.arg
        for c in task.c
        if c.default is not None and not callable(c.default.arg)
    }
    row.update(
        date=today(session),
        duration_ms=task_rules.DAY_MS,
        start_time=None,
        ending_date=None,
        ending_time=None,
        date_closed=None,
    )
    for name in (
        "team_code",
        "salesperson_code",
        "campaign_no",
        "contact_no",
        "contact_company_no",
        "opportunity_no",
        "segment_no",
        "interaction_template_code",
        "attachment_no",
        "completed_by",
        "activity_code",
    ):
        row.setdefault(name, None)
    return row


def typed_values(values: Mapping[str, Any], key: Any = None) -> dict[str, Any]:
    """User input (text or typed) checked against the task columns; ``duration`` (``90m``)
    becomes ``duration_ms``."""
    values = dict(values)
    if "duration" in values:
        values["duration_ms"] = task_rules.parse_duration(values.pop("duration"))
    typed = coerce_values(task, values, entity="Task", key=key)
    for name, value in typed.items():  # a blank code reference is NULL (BC '')
        if value == "" and task.c[name].nullable and isinstance(task.c[name].type, Code):
            typed[name] = None
    return typed


def get_task(session: Any, no: str, *, lock: bool = False) -> dict:
    """The task row, or NotFoundError ``Task TD000009: does not exist``."""
    return entities.get(session, ENTITY, str(no).strip().upper(), lock=lock)


def _stamp(row: dict) -> None:
    row["last_date_modified"] = dt.datetime.now(dt.UTC).date()
    row["last_time_modified"] = _now_time()


# -- creating (§7.4) ------------------------------------------------------------------------------


_SOURCES = (
    ("campaign", "campaign_no"),
    ("opportunity", "opportunity_no"),
    ("segment", "segment_no"),
)
"""The sources of ``SetFilterFromTask`` answered by the plugins above (§7.4), in BC's order."""


def prefill(session: Any, row: dict, given: set[str]) -> None:
    """``SetFilterFromTask`` (§7.4): the salesperson from the contact when neither team nor
    salesperson is given; then the fields a campaign (salesperson), an opportunity (contact,
    company, campaign, salesperson) or a segment (campaign, salesperson) supplies through
    ``relcore_interactions_task_defaults`` — only fields the user did not give (a team task
    takes no salesperson). The opportunity's active entry is linked by the task rules."""
    from relcore_interactions import references

    if row.get("contact_no") and not ({"salesperson_code", "team_code"} & given):
        from relcore_contacts.api import contact_table as ct

        sp = session.execute(
            sa.select(ct.c.salesperson_code).where(ct.c.no == row["contact_no"])
        ).scalar()
        if sp:
            row["salesperson_code"] = sp
    owner_given = bool({"salesperson_code", "team_code"} & given)
    for source, field in _SOURCES:
        no = str(row.get(field) or "").strip().upper()
        if not no:
            continue
        for name, value in references.task_defaults(session, source, [no]).get(no, {}).items():
            if value in (None, "") or name in given:
                continue
            if name == "salesperson_code" and owner_given:
                continue
            row[name] = value


def prefill_from_interaction(session: Any, values: dict, entry_no: int) -> dict:
    """BC ``CreateTaskFromInteractLogEntry`` (§7.4): contact, salesperson and campaign from an
    interaction log entry, unless given."""
    from relcore_interactions.model import log_entry

    entry = session.execute(
        sa.select(
            log_entry.c.contact_no, log_entry.c.salesperson_code, log_entry.c.campaign_no
        ).where(log_entry.c.entry_no == int(entry_no))
    ).first()
    if entry is None:
        raise NotFoundError("does not exist", entity="Interaction Log Entry", key=entry_no)
    out = dict(values)
    out.setdefault("contact_no", entry.contact_no)
    if not (out.get("salesperson_code") or out.get("team_code")) and entry.salesperson_code:
        out["salesperson_code"] = entry.salesperson_code
    out.setdefault("campaign_no", entry.campaign_no)
    return {k: v for k, v in out.items() if v is not None}


def draft(session: Any, values: Mapping[str, Any]) -> dict:
    """A checked new task row (no number yet) from user values."""
    typed = typed_values(values)
    row = defaults(session)
    row.update(typed)
    prefill(session, row, set(typed))
    return task_rules.apply_rules(session, row)


def insert_drafts(
    session: Any,
    drafts: Sequence[dict],
    *,
    attendees: Sequence[Mapping[str, Any]] = (),
    comments: Sequence[str] = (),
    no: str | None = None,
) -> list[dict]:
    """Number and insert checked rows (one statement), with attendees and comment lines."""
    from relcore.numbering import init_no, next_nos

    if not drafts:
        return []
    rows = [dict(r) for r in drafts]
    if no is not None:
        if len(rows) != 1:
            raise ValidationError(
                "a task number can only be given for a single task", entity="Task"
            )
        drawn, _ = init_no(session, "interactions.to_do_nos", no=no)
        if entities.exists(session, ENTITY, drawn):
            raise ValidationError("already exists", entity="Task", key=drawn)
        nos = [drawn]
    else:
        series = app_of(session).setup.get(session, "interactions.to_do_nos")
        if not series:
            raise ValidationError(
                "interactions.to_do_nos must have a value in the setup.", entity="Task"
            )
        nos = next_nos(session, series, len(rows), today(session))
    for row, number in zip(rows, nos, strict=True):
        row["no"] = number
        row["organizer_to_do_no"] = number
        _stamp(row)
    entities.insert(session, ENTITY, rows)
    for row in rows:
        set_attendees(session, row, attendees)
    add_comments(session, [r["no"] for r in rows], comments)
    return [get_task(session, r["no"]) for r in rows]


def _attendee_names(session: Any, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    from relcore_contacts.api import ensure_usable
    from relcore_contacts.api import salesperson_table as sp

    names: dict[tuple[str, str], str] = {}
    contacts = [n for t, n in wanted if t == "contact"]
    if contacts:
        for no, row in ensure_usable(session, contacts).items():
            names[("contact", no)] = row["name"]
    people = [n for t, n in wanted if t == "salesperson"]
    if people:
        for r in session.execute(sa.select(sp.c.code, sp.c.name).where(sp.c.code.in_(people))):
            names[("salesperson", r.code)] = r.name
    for kind, no in wanted:
        if (kind, no) not in names:
            label = "Contact" if kind == "contact" else "Salesperson"
            raise NotFoundError("does not exist", entity=label, key=no)
    return names


def parse_attendee(text: str) -> dict:
    """``contact:CT000010`` / ``salesperson:JO`` (optionally ``:optional``) → an attendee."""
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) not in (2, 3) or parts[0] not in ("contact", "salesperson") or not parts[1]:
        raise ValidationError(
            f"{text!r}: expected contact:NO or salesperson:CODE", entity="Attendee"
        )
    row = {"attendee_type": parts[0], "attendee_no": parts[1].upper()}
    if len(parts) == 3:
        row["attendance_type"] = parts[2]
    return row


def set_attendees(session: Any, task_row: dict, wanted: Iterable[Mapping[str, Any]]) -> None:
    """Write a task's attendee rows (§7.3): the given ones, plus for a meeting its organizer
    (the task's salesperson, attendance type To-do Organizer) — a team meeting must name one
    among the salesperson attendees ("You must specify the Task organizer.")."""
    rows = [dict(w) for w in wanted]
    organizer = None
    if task_row["type"] == "meeting":
        organizer = task_row.get("salesperson_code")
        if not organizer:
            named = [r for r in rows if r.get("attendance_type") == "to_do_organizer"]
            if not named:
                task_rules.fail(task_row["no"], "attendees", "You must specify the Task organizer.")
            organizer = named[0]["attendee_no"]
    if organizer:
        rows = [
            r
            for r in rows
            if not (r["attendee_type"] == "salesperson" and r["attendee_no"] == organizer)
        ]
        rows.insert(
            0,
            {
                "attendee_type": "salesperson",
                "attendee_no": organizer,
                "attendance_type": "to_do_organizer",
            },
        )
    if not rows:
        return
    keys = [(r["attendee_type"], str(r["attendee_no"]).upper()) for r in rows]
    if len(set(keys)) != len(keys):
        task_rules.fail(task_row["no"], "attendees", "an attendee is listed twice")
    names = _attendee_names(session, keys)
    start = (
        session.execute(
            sa.select(sa.func.max(A.line_no)).where(A.to_do_no == task_row["no"])
        ).scalar()
        or 0
    )
    out = []
    for i, (r, k) in enumerate(zip(rows, keys, strict=True)):
        out.append(
            {
                "to_do_no": task_row["no"],
                "line_no": start + 10000 * (i + 1),
                "attendance_type": r.get("attendance_type") or "required",
                "attendee_type": k[0],
                "attendee_no": k[1],
                "attendee_name": names[k],
                "send_invitation": bool(r.get("send_invitation", False)),
                "invitation_response_type": r.get("invitation_response_type") or "none",
                "invitation_sent": False,
            }
        )
    for row in out:
        coerce_values(attendee, row, entity="Attendee", key=task_row["no"])
    entities.insert(session, "interactions.task_attendee", out)


def list_attendees(session: Any, no: str) -> list[dict]:
    """A task's attendees in line order."""
    return [
        dict(r._mapping)
        for r in session.execute(sa.select(attendee).where(A.to_do_no == no).order_by(A.line_no))
    ]


def set_response(session: Any, no: str, line_no: int, response: str) -> dict:
    """Record an attendee's invitation response (none, accepted, declined, tentative)."""
    values = coerce_values(
        attendee, {"invitation_response_type": response}, entity="Attendee", key=no
    )
    entities.update(session, "interactions.task_attendee", (no, line_no), values)
    return entities.get(session, "interactions.task_attendee", (no, line_no))


def add_comments(session: Any, task_nos: Sequence[str], texts: Sequence[str]) -> None:
    """Comment lines (Line No. 10000, 20000, ...) on each task; the first is dated (§9.1)."""
    if not texts or not task_nos:
        return
    day = today(session)
    rows = []
    for no in task_nos:
        start = (
            session.execute(
                sa.select(sa.func.max(comment.c.line_no)).where(comment.c.to_do_no == no)
            ).scalar()
            or 0
        )
        for i, text in enumerate(texts):
            if len(text) > 80:
                raise ValidationError(
                    "is longer than 80 characters", entity="Task", key=no, field="comment"
                )
            rows.append(
                {
                    "to_do_no": no,
                    "line_no": start + 10000 * (i + 1),
                    "date": day if start == 0 and i == 0 else None,
                    "code": "",
                    "comment": text,
                    "last_date_modified": day,
                }
            )
    entities.insert(session, "interactions.task_comment", rows)


def list_comments(session: Any, no: str) -> list[dict]:
    """A task's comment lines."""
    c = comment.c
    return [
        dict(r._mapping)
        for r in session.execute(sa.select(comment).where(c.to_do_no == no).order_by(c.line_no))
    ]


# -- changing --------------------------------------------------------------------------------------


# -- reading ---------------------------------------------------------------------------------------


def visible_to_salesperson(code: str) -> sa.ColumnElement[bool]:
    """Tasks a salesperson sees (§7.3, §7.6): own, of the teams they belong to, or where they
    are an attendee."""
    from relcore_contacts.api import team_salesperson_table as ts

    code = code.strip().upper()
    teams = sa.select(ts.c.team_code).where(ts.c.salesperson_code == code)
    attending = sa.select(A.to_do_no).where(A.attendee_type == "salesperson", A.attendee_no == code)
    return sa.or_(T.salesperson_code == code, T.team_code.in_(teams), T.no.in_(attending))


def list_tasks(
    session: Any,
    *,
    salesperson_code: str | None = None,
    team_code: str | None = None,
    contact_no: str | None = None,
    opportunity_no: str | None = None,
    campaign_no: str | None = None,
    segment_no: str | None = None,
    open_only: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[dict]:
    """Tasks by date and number; ``contact_no`` of a company includes its persons' tasks."""
    where: list[sa.ColumnElement[bool]] = []
    if salesperson_code:
        where.append(visible_to_salesperson(salesperson_code))
    if team_code:
        where.append(T.team_code == team_code.upper())
    if contact_no:
        no = contact_no.upper()
        where.append(sa.or_(T.contact_no == no, T.contact_company_no == no))
    for col, value in (
        (T.opportunity_no, opportunity_no),
        (T.campaign_no, campaign_no),
        (T.segment_no, segment_no),
    ):
        if value:
            where.append(col == value.upper())
    if open_only:
        where.append(T.closed.is_(False))
    if date_from:
        where.append(T.date >= date_from)
    if date_to:
        where.append(T.date <= date_to)
    stmt = sa.select(task).where(*where).order_by(T.date, T.start_time, T.no)
    return [dict(r._mapping) for r in session.execute(stmt)]


def show_task(session: Any, no: str) -> dict:
    """The task with its attendees and comment lines (and the BC FlowFields No. of Attendees,
    Attendees Accepted No.)."""
    row = get_task(session, no)
    people = list_attendees(session, row["no"])
    return {
        **row,
        "attendees": people,
        "no_of_attendees": len(people),
        "attendees_accepted_no": sum(
            1 for p in people if p["invitation_response_type"] == "accepted"
        ),
        "comments": [c["comment"] for c in list_comments(session, row["no"])],
    }


def as_output(row: Mapping[str, Any]) -> dict:
    """A task as the shell prints it: the row plus ``duration_min``."""
    out = dict(row)
    out["duration_min"] = task_rules.duration_min(row["duration_ms"])
    return out
