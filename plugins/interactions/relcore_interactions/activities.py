"""Activities and activity steps (§7.5): templates of tasks with date formulas.

``InsertActivityTask``: one task per step in Step No. order, with the step's type, priority and
description, and Date := CalcDate(step formula, **base date**) — every step from the same base
date, not cumulatively (TK8, §9.5 item 8, OP25). Meeting steps become all-day events. An activity
without steps creates one task with the original values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import dateformula, entities
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore_interactions import tasks
from relcore_interactions.tasks_model import activity, activity_step

S = activity_step.c


def add_activity(session: Any, code: str, description: str = "") -> dict:
    """Create an activity."""
    values = coerce_values(
        activity, {"code": code, "description": description}, entity="Activity", key=code
    )
    if entities.exists(session, "interactions.activity", values["code"]):
        raise ValidationError("already exists", entity="Activity", key=values["code"])
    entities.insert(session, "interactions.activity", [values])
    return entities.get(session, "interactions.activity", values["code"])


def get_activity(session: Any, code: str) -> dict:
    """The activity with its steps (and ``includes_meeting``)."""
    row = entities.get(session, "interactions.activity", code.strip().upper())
    steps = list_steps(session, row["code"])
    return {**row, "steps": steps, "includes_meeting": any(s["type"] == "meeting" for s in steps)}


def list_activities(session: Any) -> list[dict]:
    """All activities with their number of steps."""
    n = (
        sa.select(sa.func.count())
        .where(S.activity_code == activity.c.code)
        .scalar_subquery()
        .label("no_of_steps")
    )
    stmt = sa.select(activity.c.code, activity.c.description, n).order_by(activity.c.code)
    return [dict(r._mapping) for r in session.execute(stmt)]


def delete_activity(session: Any, code: str) -> None:
    """Delete an activity and its steps (OnDelete)."""
    code = code.strip().upper()
    entities.get(session, "interactions.activity", code)
    session.execute(sa.delete(activity_step).where(S.activity_code == code))
    entities.delete(session, "interactions.activity", [code])


def add_step(
    session: Any,
    activity_code: str,
    *,
    type: str = "",
    description: str = "",
    priority: str = "normal",
    date_formula: str = "",
    step_no: int | None = None,
) -> dict:
    """Append a step (Step No. 10000, 20000, ... unless given)."""
    code = activity_code.strip().upper()
    entities.get(session, "interactions.activity", code)
    if step_no is None:
        last = session.execute(
            sa.select(sa.func.max(S.step_no)).where(S.activity_code == code)
        ).scalar()
        step_no = (last or 0) + 10000
    values = coerce_values(
        activity_step,
        {
            "activity_code": code,
            "step_no": step_no,
            "type": type,
            "description": description,
            "priority": priority,
            "date_formula": date_formula or "",
        },
        entity="Activity Step",
        key=(code, step_no),
    )
    entities.insert(session, "interactions.activity_step", [values])
    return entities.get(session, "interactions.activity_step", (code, step_no))


def list_steps(session: Any, activity_code: str) -> list[dict]:
    """The steps of an activity in Step No. order."""
    stmt = sa.select(activity_step).where(S.activity_code == activity_code).order_by(S.step_no)
    return [dict(r._mapping) for r in session.execute(stmt)]


def step_values(step: Mapping[str, Any], base: dt.date, fallback_description: str) -> dict:
    """The task fields a step sets (§7.5): type, priority, description, the date from the base
    date, all-day for meetings."""
    values: dict[str, Any] = {
        "type": step["type"],
        "priority": step["priority"],
        "description": step["description"] or fallback_description,
        "date": dateformula.calc_date(step["date_formula"], base),
    }
    if step["type"] == "meeting":
        values["all_day_event"] = True
    return values


def insert_activity_tasks(
    session: Any,
    activity_code: str,
    values: Mapping[str, Any],
    *,
    attendees: Sequence[Mapping[str, Any]] = (),
    comments: Sequence[str] = (),
) -> list[dict]:
    """``InsertActivityTask`` (§7.5): the tasks of an activity from the task ``values`` (whose
    ``date`` is the base date, default Today); with ``segment_no``, per segment contact."""
    act = get_activity(session, activity_code)
    values = {k: v for k, v in values.items() if v is not None}
    base_values = tasks.typed_values(values)
    base = base_values.get("date") or tasks.today(session)
    description = base_values.get("description") or act["description"]
    if (
        act["includes_meeting"]
        and base_values.get("team_code")
        and not any(a.get("attendance_type") == "to_do_organizer" for a in attendees)
    ):
        raise ValidationError(
            f"Activity {act['code']} contains Tasks of type Meeting. You must fill in the "
            "Meeting Organizer field.",
            entity="Activity",
            key=act["code"],
        )
    per_step = [step_values(s, base, description) for s in act["steps"]] or [
        {"description": description, "date": base}
    ]
    created: list[dict] = []
    drafts: list[dict] = []
    for step in per_step:
        merged = {**values, **step, "activity_code": act["code"]}
        if values.get("segment_no"):
            from relcore_interactions import task_segments

            rows = task_segments.create_for_segment(session, merged, comments=comments)
            if rows is not None:
                created.extend(rows)
                continue
        drafts.append(tasks.draft(session, merged))
    if drafts:
        created.extend(tasks.insert_drafts(session, drafts, attendees=attendees, comments=comments))
    return created


def assign_activity(
    session: Any,
    activity_code: str,
    base_date: dt.date,
    *,
    salesperson_code: str | None = None,
    team_code: str | None = None,
    contact_no: str | None = None,
    campaign_no: str | None = None,
    opportunity_no: str | None = None,
    segment_no: str | None = None,
) -> list[dict]:
    """Create the tasks of an activity (§7.5 "Assign Activity"): one per step, each dated
    CalcDate(step date formula, ``base_date``) — all steps from the same base date (TK8, OP25);
    meeting steps as all-day events; an activity without steps gives one task. With
    ``segment_no``: per segment contact. The opportunity's active entry is linked (hook
    ``relcore_interactions_active_opportunity_entries``). Duration 1 day.

    :returns: the created task rows (keys as ``relcore --json tasks show``).
    :raises ValidationError: unknown activity, no team/salesperson ("You must fill in either the
        Team Code field or the Salesperson Code field."), a meeting step for a team without an
        organizer, or any task field rule (§7.1).
    """
    values = {
        "date": base_date,
        "salesperson_code": salesperson_code,
        "team_code": team_code,
        "contact_no": contact_no,
        "campaign_no": campaign_no,
        "opportunity_no": opportunity_no,
        "segment_no": segment_no,
    }
    return insert_activity_tasks(session, activity_code, values)
