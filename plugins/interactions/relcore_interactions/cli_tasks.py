"""``relcore tasks ...``: tasks, activities, statistics and the calendar export (§7).

Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from relcore.cli.context import DATE, output, output_table, pass_state, record_table, table
from relcore.cli.fields_help import set_option

TASK_TYPE_OPTION = click.option(
    "--type",
    "type_",
    type=click.Choice(["", "phone_call", "meeting"]),
    default="",
    help="Task type (blank: a plain to-do).",
)
"""The task type, on ``tasks add`` and on activity steps."""


@click.group("tasks")
def tasks_group() -> None:
    """Tasks: to-dos, phone calls and meetings of salespeople and teams (§7)."""


def _day(value: dt.date | None) -> dt.date | None:
    return value or None


def _print_tasks(state: Any, rows: list[dict], title: str = "Tasks") -> None:
    from relcore_interactions.tasks import as_output

    data = [as_output(r) for r in rows]
    output_table(
        state,
        data,
        title,
        {
            "no": "no",
            "date": "date",
            "type": lambda r: r["type"] or "-",
            "description": "description",
            "owner": lambda r: r["team_code"] or r["salesperson_code"],
            "contact": lambda r: r["contact_no"] or "",
            "status": lambda r: r["status"] + (" (canceled)" if r["canceled"] else ""),
            "closed": lambda r: "yes" if r["closed"] else "no",
        },
    )


def _print_task(state: Any, row: dict, message: str | None = None) -> None:
    from relcore_interactions.tasks import as_output

    data = as_output(row)

    def human(c: Any) -> None:
        if message:
            c.print(message)
        c.print(record_table(data, f"Task {data['no']}"))

    output(state, data, human)


@tasks_group.command("add")
@click.option("--description", required=True, help="What is to be done.")
@click.option("--salesperson", "salesperson_code", default=None, help="The owner.")
@click.option("--team", "team_code", default=None, help="The owning team (a team task).")
@click.option("--contact", "contact_no", default=None, help="A contact (or filter by it).")
@TASK_TYPE_OPTION
@click.option("--date", type=DATE, default=None, help="Due date (default: today).")
@click.option("--start-time", default=None, help="HH:MM.")
@click.option("--duration", default=None, help="90m, 2h, 1d (default 1d).")
@click.option("--all-day", is_flag=True, help="An all-day event.")
@click.option(
    "--priority", type=click.Choice(["low", "normal", "high"]), default=None, help="Priority."
)
@click.option("--campaign", "campaign_no", default=None, help="A campaign (or filter by it).")
@click.option(
    "--opportunity", "opportunity_no", default=None, help="An opportunity (or its filter)."
)
@click.option("--segment", "segment_no", default=None, help="One task per segment contact.")
@click.option("--activity", "activity_code", default=None, help="One task per activity step.")
@click.option("--template", "template_code", default=None, help="Interaction template.")
@click.option("--location", default=None, help="Where the meeting takes place.")
@click.option("--recurring", is_flag=True, help="Create the next task when this one is closed.")
@click.option("--interval", default=None, help="Recurring date interval (a date formula).")
@click.option(
    "--calc-due-date-from",
    type=click.Choice(["due_date", "closing_date"]),
    default=None,
    help="What the next recurring task's date is calculated from.",
)
@click.option(
    "--attendee",
    "attendees",
    multiple=True,
    metavar="contact:NO|salesperson:CODE[:TYPE]",
    help="Repeatable; TYPE required (default), optional or to_do_organizer.",
)
@click.option("--comment", "comments", multiple=True, help="A comment line (repeatable).")
@click.option("--no", "no", default=None, help="A manual task number.")
@click.option(
    "--interaction",
    "entry_no",
    type=int,
    default=None,
    help="Pre-fill contact, salesperson, campaign from this interaction log entry.",
)
@pass_state
def add(state, **opts: Any) -> None:
    """Create a task (or one per segment contact, or one per activity step)."""
    from relcore_interactions import task_service, tasks

    values = {
        "description": opts["description"],
        "salesperson_code": opts["salesperson_code"],
        "team_code": opts["team_code"],
        "contact_no": opts["contact_no"],
        "type": opts["type_"],
        "date": _day(opts["date"]),
        "start_time": opts["start_time"],
        "duration": opts["duration"],
        "all_day_event": True if opts["all_day"] else None,
        "priority": opts["priority"],
        "campaign_no": opts["campaign_no"],
        "opportunity_no": opts["opportunity_no"],
        "segment_no": opts["segment_no"],
        "activity_code": opts["activity_code"],
        "interaction_template_code": opts["template_code"],
        "location": opts["location"],
        "recurring": True if opts["recurring"] else None,
        "recurring_date_interval": opts["interval"],
        "calc_due_date_from": opts["calc_due_date_from"],
    }
    values = {k: v for k, v in values.items() if v is not None}
    with state.app.session() as session:
        if opts["entry_no"] is not None:
            values = tasks.prefill_from_interaction(session, values, opts["entry_no"])
        people = [tasks.parse_attendee(a) for a in opts["attendees"]]
        rows = task_service.create_task(
            session, values, attendees=people, comments=list(opts["comments"]), no=opts["no"]
        )
    if opts["segment_no"] or opts["activity_code"]:
        _print_tasks(state, rows, f"{len(rows)} tasks created")
    else:
        _print_task(state, rows[0], f"Task {rows[0]['no']} created.")


@tasks_group.command("edit")
@click.argument("no")
@set_option(
    "relcore_interactions.tasks:editable_columns",
    "Task fields (duration as 90m / 2h); repeat for several.",
    "pairs",
    required=True,
)
@pass_state
def edit(state, no: str, pairs: tuple[str, ...]) -> None:
    """Change task fields (``duration=90m``, ``status=completed``, ``team_code=...``)."""
    from relcore.fields import parse_assignments
    from relcore_interactions import task_service

    with state.app.session() as session:
        row = task_service.edit_task(session, no, parse_assignments(pairs))
    _print_task(state, row, row.get("message") or f"Task {row['no']} changed.")


@tasks_group.command("show")
@click.argument("no")
@pass_state
def show(state, no: str) -> None:
    """Show a task with its attendees and comment lines."""
    from relcore_interactions import tasks

    with state.app.session() as session:
        row = tasks.show_task(session, no)
    data = tasks.as_output(row)

    def human(c: Any) -> None:
        people = data.pop("attendees")
        c.print(record_table(data, f"Task {data['no']}"))
        if people:
            c.print(
                table(
                    "Attendees",
                    ["line", "attendance", "type", "no", "name", "response"],
                    [
                        [
                            p["line_no"],
                            p["attendance_type"],
                            p["attendee_type"],
                            p["attendee_no"],
                            p["attendee_name"],
                            p["invitation_response_type"],
                        ]
                        for p in people
                    ],
                )
            )

    output(state, data, human)


@tasks_group.command("list")
@click.option("--salesperson", "salesperson_code", default=None, help="Incl. their team tasks.")
@click.option("--team", "team_code", default=None, help="A team (or filter by it).")
@click.option("--contact", "contact_no", default=None, help="A company includes its persons.")
@click.option(
    "--opportunity", "opportunity_no", default=None, help="An opportunity (or its filter)."
)
@click.option("--campaign", "campaign_no", default=None, help="A campaign (or filter by it).")
@click.option("--segment", "segment_no", default=None, help="A segment (or filter by it).")
@click.option("--open", "open_only", is_flag=True, help="Only tasks not closed.")
@click.option("--from", "date_from", type=DATE, default=None, help="From this date.")
@click.option("--to", "date_to", type=DATE, default=None, help="To this date.")
@pass_state
def list_(state, **opts: Any) -> None:
    """List tasks by date."""
    from relcore_interactions import tasks

    opts["date_from"], opts["date_to"] = _day(opts["date_from"]), _day(opts["date_to"])
    with state.app.session() as session:
        rows = tasks.list_tasks(session, **opts)
    _print_tasks(state, rows)


@tasks_group.command("close")
@click.argument("no")
@click.option("--completed-by", default=None, help="Salesperson (required for team tasks).")
@click.option("--log-interaction", is_flag=True, help="Log an interaction from the task.")
@pass_state
def close(state, no: str, completed_by: str | None, log_interaction: bool) -> None:
    """Close a task (a recurring task creates its next occurrence)."""
    from relcore_interactions import task_status

    with state.app.session() as session:
        row = task_status.close(
            session, no, completed_by=completed_by, log_interaction=log_interaction
        )
    _print_task(state, row, row.get("message") or f"Task {row['no']} closed.")


def _simple(name: str, doc: str, verb: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("no")
    @pass_state
    def command(state, no: str) -> None:
        from relcore_interactions import task_status

        with state.app.session() as session:
            row = getattr(task_status, name)(session, no)
        _print_task(state, row, row.get("message") or f"Task {row['no']} {verb}.")

    return command


tasks_group.add_command(_simple("reopen", "Reopen a closed task (Status In Progress).", "reopened"))
tasks_group.add_command(
    _simple("cancel", "Cancel a task (closes it; a recurring one recurs).", "canceled")
)
tasks_group.add_command(_simple("uncancel", "Un-cancel a task (reopens it).", "un-canceled"))


@tasks_group.command("delete-canceled")
@click.option("--task", "task_nos", multiple=True, help="Only these tasks (repeatable).")
@pass_state
def delete_canceled(state, task_nos: tuple[str, ...]) -> None:
    """Delete canceled tasks with their attendees and comments (§7.6)."""
    from relcore_interactions import task_status

    with state.app.session() as session:
        nos = task_status.delete_canceled_tasks(session, list(task_nos) or None)
    n = len(nos)
    output(
        state,
        {"deleted": [{"no": no} for no in nos]},
        f"{n} canceled task{'' if n == 1 else 's'} deleted.",
    )


@tasks_group.command("stats")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="A salesperson (or its filter)."
)
@click.option("--team", "team_code", default=None, help="A team (or filter by it).")
@click.option("--contact", "contact_no", default=None, help="A contact (or filter by it).")
@click.option("--from", "date_from", type=DATE, default=None, help="From this date.")
@click.option("--to", "date_to", type=DATE, default=None, help="To this date.")
@pass_state
def stats(state, **opts: Any) -> None:
    """Open, overdue and completed tasks (completed in the period) per salesperson/team/contact."""
    from relcore_interactions.task_stats import statistics

    opts["date_from"], opts["date_to"] = _day(opts["date_from"]), _day(opts["date_to"])
    with state.app.session() as session:
        row = statistics(session, **opts)
    output(state, row, lambda c: c.print(record_table(row, "Task statistics")))


@tasks_group.command("calendar")
@click.option("--salesperson", "salesperson_code", required=True, help="The salesperson.")
@click.option("--from", "date_from", type=DATE, default=None, help="From this date.")
@click.option("--to", "date_to", type=DATE, default=None, help="To this date.")
@click.option("--output", "path", type=click.Path(dir_okay=False), default=None, help="FILE.ics")
@pass_state
def calendar(state, salesperson_code: str, date_from, date_to, path: str | None) -> None:
    """Export a salesperson's tasks (incl. team tasks) as an RFC 5545 calendar."""
    from relcore_interactions.task_calendar import export

    with state.app.session() as session:
        data, n = export(session, salesperson_code, _day(date_from), _day(date_to))
    if path:
        from relcore_interactions.task_calendar import write_file

        write_file(path, data)
        output(state, {"file": path, "events": n}, f"{n} events written to {path}.")
    elif state.json:
        output(state, {"events": n, "ics": data.decode("utf-8")})
    else:
        click.echo(data.decode("utf-8"), nl=False)


# -- activities (§7.5) ---------------------------------------------------------------------------


@tasks_group.group("activities")
def activities_group() -> None:
    """Activities: templates of tasks with date formulas (§7.5)."""


@activities_group.command("add")
@click.argument("code")
@click.option("--description", default="", help="The description.")
@pass_state
def activity_add(state, code: str, description: str) -> None:
    """Create activity CODE."""
    from relcore_interactions import activities

    with state.app.session() as session:
        row = activities.add_activity(session, code, description)
    output(state, row, f"Activity {row['code']} created.")


@activities_group.command("list")
@pass_state
def activity_list(state) -> None:
    """List activities."""
    from relcore_interactions import activities

    with state.app.session() as session:
        rows = activities.list_activities(session)
    output_table(
        state,
        rows,
        "Activities",
        {"code": "code", "description": "description", "steps": "no_of_steps"},
    )


@activities_group.command("show")
@click.argument("code")
@pass_state
def activity_show(state, code: str) -> None:
    """Show an activity and its steps."""
    from relcore_interactions import activities

    with state.app.session() as session:
        row = activities.get_activity(session, code)
    output_table(
        state,
        row["steps"],
        f"Activity {row['code']}: {row['description']}",
        {
            "step": "step_no",
            "type": lambda r: r["type"] or "-",
            "description": "description",
            "priority": "priority",
            "date formula": "date_formula",
        },
        data=row,
    )


@activities_group.command("delete")
@click.argument("code")
@pass_state
def activity_delete(state, code: str) -> None:
    """Delete an activity and its steps."""
    from relcore_interactions import activities

    with state.app.session() as session:
        activities.delete_activity(session, code)
    output(state, {"deleted": [{"code": code.upper()}]}, f"Activity {code.upper()} deleted.")


@activities_group.group("steps")
def steps_group() -> None:
    """Steps of an activity."""


@steps_group.command("add")
@click.argument("code")
@TASK_TYPE_OPTION
@click.option("--description", default="", help="The description.")
@click.option(
    "--priority",
    type=click.Choice(["low", "normal", "high"]),
    default="normal",
    help="Priority.",
)
@click.option("--date-formula", default="", help="E.g. <+1W>; from the base date.")
@pass_state
def step_add(state, code: str, type_: str, description: str, priority: str, date_formula: str):
    """Append a step to activity CODE."""
    from relcore_interactions import activities

    with state.app.session() as session:
        row = activities.add_step(
            session,
            code,
            type=type_,
            description=description,
            priority=priority,
            date_formula=date_formula,
        )
    output(state, row, f"Step {row['step_no']} added to activity {row['activity_code']}.")


@activities_group.command("assign")
@click.argument("code")
@click.option("--date", type=DATE, required=True, help="The base date of every step.")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="A salesperson (or its filter)."
)
@click.option("--team", "team_code", default=None, help="A team (or filter by it).")
@click.option("--contact", "contact_no", default=None, help="A contact (or filter by it).")
@click.option("--segment", "segment_no", default=None, help="A segment (or filter by it).")
@click.option("--campaign", "campaign_no", default=None, help="A campaign (or filter by it).")
@click.option(
    "--opportunity", "opportunity_no", default=None, help="An opportunity (or its filter)."
)
@pass_state
def assign(state, code: str, date: dt.date, **opts: Any) -> None:
    """Create the activity's tasks, every step dated from the same base date (§7.5)."""
    from relcore_interactions.api import assign_activity

    with state.app.session() as session:
        rows = assign_activity(session, code, date, **opts)
    _print_tasks(state, rows, f"{len(rows)} tasks created")
