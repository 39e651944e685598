"""Creating and editing tasks (§7): the entry points that dispatch to activities (§7.5), one
task per segment contact (TK9) and the status machine (§7.2), above :mod:`.tasks` (which they
build on, so :mod:`.tasks` imports none of them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relcore import entities
from relcore_interactions import task_rules, task_segments, task_status
from relcore_interactions.activities import insert_activity_tasks
from relcore_interactions.tasks import (
    ENTITY,
    READ_ONLY,
    STATUS_FIELDS,
    _stamp,
    draft,
    get_task,
    insert_drafts,
    typed_values,
)


def create_task(
    session: Any,
    values: Mapping[str, Any],
    *,
    attendees: Sequence[Mapping[str, Any]] = (),
    comments: Sequence[str] = (),
    no: str | None = None,
) -> list[dict]:
    """Create tasks as the Create Task wizard does (§7.4 ``InsertTask``).

    With ``segment_no`` and a segment that has lines: one task per segment contact (TK9,
    set-based); with ``activity_code``: one task per activity step (§7.5); else one task.

    :param values: task fields (text or typed): ``description``, ``salesperson_code`` or
        ``team_code``, ``contact_no``, ``type``, ``date``, ``start_time``, ``duration`` (``90m``)
        or ``duration_ms``, ``all_day_event``, ``priority``, ``campaign_no``, ``opportunity_no``,
        ``segment_no``, ``activity_code``, ``interaction_template_code``, ``location``,
        ``recurring``, ``recurring_date_interval``, ``calc_due_date_from``.
    :param attendees: ``{"attendee_type": "contact"|"salesperson", "attendee_no": ...,
        "attendance_type": ...}`` rows (§7.3).
    :returns: the created task rows.
    """
    values = dict(values)
    activity_code = values.pop("activity_code", None)
    if activity_code:
        return insert_activity_tasks(
            session, str(activity_code), values, attendees=attendees, comments=comments
        )
    segment_no = values.get("segment_no")
    if segment_no:
        created = task_segments.create_for_segment(session, values, comments=comments)
        if created is not None:
            return created
    return insert_drafts(
        session, [draft(session, values)], attendees=attendees, comments=comments, no=no
    )


# -- attendees and comments (§7.3, §9.1) -----------------------------------------------------------


def edit_task(session: Any, no: str, values: Mapping[str, Any]) -> dict:
    """Change fields of a task (the field rules of §7.1 apply); ``status``, ``closed``,
    ``canceled`` and ``completed_by`` go through the status machine (§7.2).

    :returns: the task after the change (with ``next_task_no`` when closing a recurring task
        created its next occurrence).
    """
    old = get_task(session, no, lock=True)
    values = dict(values)
    status_values = {k: values.pop(k) for k in STATUS_FIELDS if k in values}
    for name in values:
        if name in READ_ONLY:
            task_rules.fail(old["no"], name, "is derived or read-only and cannot be set")
    if "activity_code" in values:
        task_rules.fail(old["no"], "activity_code", "is set when the task is created")
    result = dict(old)
    if values:
        typed = typed_values(values, key=old["no"])
        row = task_rules.apply_rules(session, {**old, **typed}, old)
        changes = {k: v for k, v in row.items() if v != old.get(k)}
        if "team_code" in changes or "salesperson_code" in changes:
            _reassign(row, old, changes)
        if changes:
            _stamp(changes)
            result = entities.update(session, ENTITY, old["no"], changes)
    if status_values:
        result = task_status.apply_status_values(session, result, status_values)
    return result


def _reassign(row: dict, old: dict, changes: dict) -> None:
    """Reassignment between team and salesperson (§7.3): a closed task is reopened (BC asks
    first; the shell's ``edit`` is the confirmation)."""
    if old["closed"] and not old["canceled"]:
        changes.update(closed=False, date_closed=None, status="in_progress", completed_by=None)
