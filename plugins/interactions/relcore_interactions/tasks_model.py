"""The tables of tasks and activities (BC §7: To-do 5080, Attendee 5199, Activity 5081,
Activity Step 5082, and the task's comment lines of "Rlshp. Mgt. Comment Line" 5061).

A task is ONE row plus attendee rows (§7.3): BC's organizer / attendee / team sub-task records
are not stored; lists find a salesperson's tasks through the owner, the team membership and the
attendee rows instead (see ``docs/tasks.md``). Durations are milliseconds, as BC's ``Duration``.
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.dateformula import DateFormula
from relcore.db import Code, Money, master_table, metadata

TASK_TYPES = ("", "meeting", "phone_call")
"""Enum "Task Type" (§7.1): blank, Meeting, Phone Call."""
TASK_STATUSES = ("not_started", "in_progress", "completed", "waiting", "postponed")
"""Enum "Task Status" (§7.1)."""
PRIORITIES = ("low", "normal", "high")
CALC_DUE_DATE_FROM = ("", "due_date", "closing_date")
SYSTEM_TO_DO_TYPES = ("organizer", "salesperson_attendee", "contact_attendee", "team")
ATTENDANCE_TYPES = ("required", "optional", "to_do_organizer")
ATTENDEE_TYPES = ("contact", "salesperson")
INVITATION_RESPONSES = ("none", "accepted", "declined", "tentative")


def _choice(name: str, choices: tuple[str, ...], default: str, length: int = 20) -> sa.Column:
    return sa.Column(
        name, sa.String(length), nullable=False, default=default, info={"choices": choices}
    )


task = master_table(
    "interactions_task",
    sa.Column("no", Code(20), primary_key=True),
    sa.Column("team_code", Code(10), sa.ForeignKey("contacts_team.code"), nullable=True),
    sa.Column(
        "salesperson_code", Code(20), sa.ForeignKey("contacts_salesperson.code"), nullable=True
    ),
    sa.Column("campaign_no", Code(20), nullable=True, index=True),
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), nullable=True),
    sa.Column("contact_company_no", Code(20), nullable=True),
    sa.Column("opportunity_no", Code(20), nullable=True),
    sa.Column("opportunity_entry_no", sa.Integer, nullable=False, default=0),
    sa.Column("segment_no", Code(20), nullable=True, index=True),
    _choice("type", TASK_TYPES, ""),
    sa.Column("date", sa.Date, nullable=False),
    _choice("status", TASK_STATUSES, "not_started"),
    _choice("priority", PRIORITIES, "normal"),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
    sa.Column("date_closed", sa.Date, nullable=True),
    sa.Column("canceled", sa.Boolean, nullable=False, default=False),
    sa.Column("recurring", sa.Boolean, nullable=False, default=False),
    sa.Column("recurring_date_interval", DateFormula(), nullable=False, default=""),
    _choice("calc_due_date_from", CALC_DUE_DATE_FROM, ""),
    sa.Column("start_time", sa.Time, nullable=True),
    sa.Column("duration_ms", sa.BigInteger, nullable=False, default=0),
    sa.Column("all_day_event", sa.Boolean, nullable=False, default=False),
    sa.Column("ending_date", sa.Date, nullable=True),
    sa.Column("ending_time", sa.Time, nullable=True),
    sa.Column("location", sa.String(100), nullable=False, default=""),
    sa.Column("organizer_to_do_no", Code(20), nullable=True),
    _choice("system_to_do_type", SYSTEM_TO_DO_TYPES, "organizer"),
    sa.Column(
        "interaction_template_code",
        Code(10),
        sa.ForeignKey("interactions_template.code"),
        nullable=True,
    ),
    sa.Column("language_code", Code(10), nullable=False, default=""),
    sa.Column("attachment_no", sa.Integer, nullable=True),
    sa.Column("subject", sa.String(100), nullable=False, default=""),
    sa.Column("unit_cost_lcy", Money(2), nullable=False, default=0),
    sa.Column("unit_duration_min", Money(2), nullable=False, default=0),
    sa.Column("completed_by", Code(20), sa.ForeignKey("contacts_salesperson.code"), nullable=True),
    sa.Column("activity_code", Code(10), nullable=True),
    sa.Column("last_date_modified", sa.Date, nullable=True),
    sa.Column("last_time_modified", sa.Time, nullable=True),
)
"""Task (BC table 5080 "To-do"), key No. (§7.1); ``system_to_do_type`` is Organizer or Team."""

_T = task.c
# BC keys (§7.1)
sa.Index("ix_interactions_task_company", _T.contact_company_no, _T.date, _T.contact_no, _T.closed)
sa.Index("ix_interactions_task_contact", _T.contact_no, _T.closed, _T.date)
sa.Index("ix_interactions_task_salesperson", _T.salesperson_code, _T.date, _T.closed)
sa.Index("ix_interactions_task_team", _T.team_code, _T.date, _T.closed)
sa.Index("ix_interactions_task_opportunity", _T.opportunity_no, _T.date, _T.closed)

attendee = sa.Table(
    "interactions_task_attendee",
    metadata,
    sa.Column(
        "to_do_no",
        Code(20),
        sa.ForeignKey("interactions_task.no", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    _choice("attendance_type", ATTENDANCE_TYPES, "required"),
    _choice("attendee_type", ATTENDEE_TYPES, "contact"),
    sa.Column("attendee_no", Code(20), nullable=False),
    sa.Column("attendee_name", sa.String(100), nullable=False, default=""),
    sa.Column("send_invitation", sa.Boolean, nullable=False, default=False),
    _choice("invitation_response_type", INVITATION_RESPONSES, "none"),
    sa.Column("invitation_sent", sa.Boolean, nullable=False, default=False),
)
"""Attendee (5199), key (To-do No., Line No.) (§7.3)."""
sa.Index("ix_interactions_task_attendee_no", attendee.c.attendee_type, attendee.c.attendee_no)

comment = sa.Table(
    "interactions_task_comment",
    metadata,
    sa.Column(
        "to_do_no",
        Code(20),
        sa.ForeignKey("interactions_task.no", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("code", Code(10), nullable=False, default=""),
    sa.Column("comment", sa.String(80), nullable=False, default=""),
    sa.Column("last_date_modified", sa.Date, nullable=True),
)
"""A task's comment lines (Rlshp. Mgt. Comment Line, Table Name To-do, §9.1)."""

activity = master_table(
    "interactions_activity",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
)
"""Activity (5081) (§7.5)."""

activity_step = sa.Table(
    "interactions_activity_step",
    metadata,
    sa.Column(
        "activity_code",
        Code(10),
        sa.ForeignKey("interactions_activity.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("step_no", sa.Integer, primary_key=True, autoincrement=False),
    _choice("type", TASK_TYPES, ""),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    _choice("priority", PRIORITIES, "normal"),
    sa.Column("date_formula", DateFormula(), nullable=False, default=""),
)
"""Activity Step (5082), key (Activity Code, Step No.) (§7.5)."""
