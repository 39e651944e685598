"""The status machine of tasks (§7.2): close, reopen, cancel, uncancel, recurrence, and
canceling an opportunity's open tasks (TK2-TK5, TK10, §9.5 item 9).

* Status ↔ Closed: Status Completed closes; any other status on a closed task reopens it.
* Close: Date Closed := Today, Status := Completed; a team task needs Completed By (TK5) unless
  it is being canceled; a recurring task creates its next occurrence (TK2, TK3).
* Reopen (Closed := false): Canceled := false, Date Closed blank, Status In Progress, Completed By
  cleared (TK4).
* Cancel an open task closes it — and, as in BC (§9.5 item 9), a recurring task still spawns its
  next occurrence; :func:`cancel_open_tasks` clears Recurring first (TK10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import dateformula, entities
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore_interactions import task_rules, tasks
from relcore_interactions.tasks_model import attendee, comment, task

T = task.c
TEAM_CLOSE_ERR = "The Completed By field must be filled in for Tasks assigned to a team."


def _update(session: Any, no: str, changes: dict) -> dict:
    tasks._stamp(changes)
    return entities.update(session, tasks.ENTITY, no, changes)


def close(
    session: Any,
    no: str,
    *,
    completed_by: str | None = None,
    log_interaction: bool = False,
    _canceling: bool = False,
) -> dict:
    """``Validate(Closed, true)`` (§7.2).

    :param completed_by: the salesperson who completed it (required for team tasks, TK5).
    :param log_interaction: log an interaction pre-filled from the task (phone calls through the
        phone-call path of §4.7), in the same transaction.
    :returns: the closed task, with ``next_task_no`` (the next occurrence of a recurring task, or
        ``None``) and ``message`` when one was created.
    """
    row = tasks.get_task(session, no, lock=True)
    if row["closed"]:
        task_rules.fail(row["no"], "closed", "is already closed")
    changes: dict[str, Any] = {
        "closed": True,
        "date_closed": tasks.today(session),
        "status": "completed",
    }
    if completed_by:
        code = completed_by.strip().upper()
        task_rules._usable_salesperson(session, row["no"], "completed_by", code)
        changes["completed_by"] = code
    if _canceling:
        changes["canceled"] = True
    elif row["team_code"] and not (changes.get("completed_by") or row["completed_by"]):
        task_rules.fail(row["no"], "completed_by", TEAM_CLOSE_ERR)
    closed = _update(session, row["no"], changes)
    next_no = None
    if row["recurring"]:
        next_no = create_next_occurrence(session, closed)
    if log_interaction and not _canceling:
        closed["interaction_entry_no"] = log_from_task(session, closed)["entry_no"]
    closed["next_task_no"] = next_no
    if next_no:
        closed["message"] = (
            f"Task No. {next_no} has been created from recurring Task {closed['no']}."
        )
    return closed


def reopen(session: Any, no: str) -> dict:
    """``Validate(Closed, false)`` (TK4): Canceled false, Date Closed blank, Status In Progress
    (when it was Completed), Completed By cleared."""
    row = tasks.get_task(session, no, lock=True)
    if not row["closed"]:
        task_rules.fail(row["no"], "closed", "is not closed")
    status = "in_progress" if row["status"] == "completed" else row["status"]
    return _update(
        session,
        row["no"],
        {
            "closed": False,
            "canceled": False,
            "date_closed": None,
            "status": status,
            "completed_by": None,
        },
    )


def cancel(session: Any, no: str) -> dict:
    """``Validate(Canceled, true)``: an open task is closed (no interaction, no Completed By
    needed); a recurring one still spawns its next occurrence (§9.5 item 9)."""
    row = tasks.get_task(session, no, lock=True)
    if row["canceled"]:
        task_rules.fail(row["no"], "canceled", "is already canceled")
    if row["closed"]:
        out = _update(session, row["no"], {"canceled": True})
        out["next_task_no"] = None
        return out
    return close(session, row["no"], _canceling=True)


def uncancel(session: Any, no: str) -> dict:
    """``Validate(Canceled, false)``: a closed task is reopened."""
    row = tasks.get_task(session, no, lock=True)
    if not row["canceled"]:
        task_rules.fail(row["no"], "canceled", "is not canceled")
    if row["closed"]:
        return reopen(session, row["no"])
    return _update(session, row["no"], {"canceled": False})


def apply_status_values(session: Any, row: dict, values: Mapping[str, Any]) -> dict:
    """``edit --set status=... closed=... canceled=... completed_by=...`` through the machine:
    Status Completed ⇔ Closed (§7.1); filling Completed By closes the task (BC asks first)."""
    typed = coerce_values(task, dict(values), entity="Task", key=row["no"])
    no = row["no"]
    result = row
    if "canceled" in typed and typed["canceled"] != row["canceled"]:
        result = cancel(session, no) if typed["canceled"] else uncancel(session, no)
    status = typed.get("status")
    closing = (
        typed.get("closed") is True or status == "completed" or bool(typed.get("completed_by"))
    )
    reopening = typed.get("closed") is False or (status is not None and status != "completed")
    current = tasks.get_task(session, no)
    if closing and not current["closed"]:
        result = close(session, no, completed_by=typed.get("completed_by"))
    elif reopening and current["closed"] and "canceled" not in typed:
        result = reopen(session, no)
        current = result
    if status is not None and status != "completed" and status != current["status"]:
        result = _update(session, no, {"status": status})
    return result


# -- recurrence (§7.2 CreateRecurringTask) ---------------------------------------------------------


def create_next_occurrence(session: Any, closed: dict) -> str:
    """Copy a closed recurring task: Status Not Started, open, Date from the interval applied to
    the old Date ("Due Date", TK2) or to Today ("Closing Date", TK3); attendees and comment lines
    copied. Returns the new task's number."""
    key = closed["no"]
    interval = closed["recurring_date_interval"]
    if not interval:
        task_rules.fail(
            key, "recurring_date_interval", "Recurring Date Interval must be specified."
        )
    if not closed["calc_due_date_from"]:
        task_rules.fail(key, "calc_due_date_from", "Calc. Due Date From must be specified.")
    base = closed["date"] if closed["calc_due_date_from"] == "due_date" else tasks.today(session)
    row = {
        k: v
        for k, v in closed.items()
        if k in task.c and k not in ("system_id", "created_at", "modified_at", "version")
    }
    row.update(
        date=dateformula.calc_date(interval, base),
        status="not_started",
        closed=False,
        canceled=False,
        date_closed=None,
        completed_by=None,
    )
    row["ending_date"], row["ending_time"] = task_rules.end_date_time(row)
    new = tasks.insert_drafts(session, [row])[0]
    _copy_children(session, key, new["no"])
    return new["no"]


def _copy_children(session: Any, old_no: str, new_no: str) -> None:
    for table in (attendee, comment):
        cols = [c for c in table.c if c.name != "to_do_no"]
        session.execute(
            sa.insert(table).from_select(
                ["to_do_no", *(c.name for c in cols)],
                sa.select(sa.literal(new_no, task.c.no.type), *cols).where(
                    table.c.to_do_no == old_no
                ),
            )
        )


# -- opportunities (TK10) and maintenance (§7.6) -------------------------------------------------


def cancel_open_tasks(session: Any, opportunity_nos: Sequence[str]) -> int:
    """BC ``CancelOpenTasks``: every open, not canceled task of the opportunities gets Recurring
    := false and Canceled := true (so Closed := true, Date Closed := Today, Status Completed),
    set-based. Returns the number of tasks canceled."""
    nos = sorted({str(n).strip().upper() for n in opportunity_nos if n})
    if not nos:
        return 0
    where = sa.and_(T.opportunity_no.in_(nos), T.closed.is_(False), T.canceled.is_(False))
    values = {
        "recurring": False,
        "canceled": True,
        "closed": True,
        "date_closed": tasks.today(session),
        "status": "completed",
    }
    tasks._stamp(values)
    return entities.update_where(session, tasks.ENTITY, where, values)


def delete_canceled(session: Any, task_nos: Sequence[str] | None = None) -> int:
    """Report "Delete Tasks" (5188, §7.6): delete canceled tasks (optionally only these), with
    their attendees and comment lines. Returns the number of tasks deleted."""
    return len(delete_canceled_tasks(session, task_nos))


def delete_canceled_tasks(session: Any, task_nos: Sequence[str] | None = None) -> list[str]:
    """Like :func:`delete_canceled`; returns the numbers of the tasks deleted."""
    where = T.canceled.is_(True)
    if task_nos is not None:
        where = sa.and_(where, T.no.in_([str(n).upper() for n in task_nos]))
    nos = [r[0] for r in session.execute(sa.select(T.no).where(where).order_by(T.no))]
    if nos:
        delete_children(session, nos)
        entities.delete(session, tasks.ENTITY, nos)
    return nos


def delete_children(session: Any, task_nos: Sequence[str]) -> None:
    """Delete the attendee and comment lines of tasks (OnDelete, §7.1)."""
    for table in (attendee, comment):
        session.execute(sa.delete(table).where(table.c.to_do_no.in_(list(task_nos))))


# -- logging an interaction when closing (§7.2 step 2, §4.7) --------------------------------------


def log_from_task(session: Any, row: dict) -> dict:
    """Log the interaction BC's close dialog offers, pre-filled from the task (contact,
    salesperson, campaign, opportunity, template, task no.): a phone call through the phone-call
    path (§4.7, template of ``interactions.outgoing_calls``), else with the task's interaction
    template (required then). Returns the entry."""
    from relcore.interactions import InteractionRecord, log_interactions

    if not row["contact_no"]:
        task_rules.fail(row["no"], "contact_no", "You must select a contact to interact with.")
    salesperson = row["completed_by"] or row["salesperson_code"]
    if row["type"] == "phone_call":
        from relcore_interactions.calls import make_phone_call

        return make_phone_call(
            session,
            row["contact_no"],
            description=row["description"],
            salesperson_code=salesperson,
            campaign_no=row["campaign_no"],
            opportunity_no=row["opportunity_no"],
            dial=False,
            to_do_no=row["no"],
        )
    if not row["interaction_template_code"]:
        raise ValidationError(
            "You must fill in the Interaction Template Code field to log an interaction.",
            entity="Task",
            key=row["no"],
            field="interaction_template_code",
        )
    record = InteractionRecord(
        row["contact_no"],
        row["interaction_template_code"],
        date=tasks.today(session),
        salesperson_code=salesperson,
        campaign_no=row["campaign_no"],
        opportunity_no=row["opportunity_no"],
        language_code=row["language_code"] or None,
        subject=row["subject"] or None,
        extra={"to_do_no": row["no"]},
    )
    return log_interactions(session, [record])[0]
