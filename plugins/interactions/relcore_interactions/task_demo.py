"""Demo tasks: the Contoso-style activity "company presentation" (§7.5), assigned to the first
demo contacts, a recurring weekly call, a team task and a meeting with attendees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

STEPS = [
    # type, description, date formula (from the same base date, §7.5)
    ("", "Prepare the presentation", ""),
    ("", "Send the invitation", "<+1W>"),
    ("phone_call", "Confirm the appointment", "<+1W>"),
    ("", "Send the material", "<+1W>"),
    ("meeting", "Present the company", "<+2W>"),
]


def load_demo_data(app: Any, session: Any) -> None:
    """Activities and tasks on the contacts plugin's demo contacts."""
    from relcore_contacts.api import contact_table as ct
    from relcore_contacts.api import team_salesperson_table as team_salesperson

    from relcore_interactions import activities, task_service, task_status
    from relcore_interactions.api import assign_activity

    activities.add_activity(session, "COMPPRES", "Company presentation")
    for kind, description, formula in STEPS:
        activities.add_step(
            session, "COMPPRES", type=kind, description=description, date_formula=formula
        )
    people = session.execute(
        sa.select(ct.c.no, ct.c.salesperson_code)
        .where(ct.c.privacy_blocked.is_(False), ct.c.salesperson_code.is_not(None))
        .order_by(ct.c.no)
        .limit(3)
    ).all()
    if not people:
        return
    day = app.work_date
    first = people[0]
    assign_activity(
        session, "COMPPRES", day, salesperson_code=first.salesperson_code, contact_no=first.no
    )
    weekly = task_service.create_task(
        session,
        {
            "description": "Weekly check-in call",
            "contact_no": people[-1].no,
            "type": "phone_call",
            "date": day - dt.timedelta(days=7),
            "start_time": "09:00",
            "duration": "15m",
            "recurring": True,
            "recurring_date_interval": "1W",
            "calc_due_date_from": "due_date",
        },
    )[0]
    task_status.close(session, weekly["no"])
    team = session.execute(sa.select(team_salesperson.c.team_code).limit(1)).scalar()
    if team:
        task_service.create_task(
            session,
            {
                "description": "Plan the trade fair stand",
                "team_code": team,
                "date": day + dt.timedelta(days=10),
                "all_day_event": True,
                "priority": "high",
            },
        )
    task_service.create_task(
        session,
        {
            "description": "Quarterly review",
            "salesperson_code": first.salesperson_code,
            "contact_no": first.no,
            "type": "meeting",
            "date": day + dt.timedelta(days=3),
            "start_time": "14:00",
            "duration": "90m",
            "location": "Head office",
        },
        attendees=[{"attendee_type": "contact", "attendee_no": first.no}],
    )


def tour(session: Any) -> list[str]:
    """Lines for the demo tour."""
    from relcore_interactions.tasks_model import task

    row = session.execute(
        sa.select(task.c.salesperson_code).where(task.c.salesperson_code.is_not(None)).limit(1)
    ).first()
    n = session.execute(sa.select(sa.func.count()).select_from(task)).scalar()
    lines = [f"{n} tasks", "relcore tasks activities show COMPPRES"]
    if row:
        lines += [
            f"relcore tasks list --salesperson {row[0]} --open",
            f"relcore tasks calendar --salesperson {row[0]} --output tasks.ics",
        ]
    return lines
