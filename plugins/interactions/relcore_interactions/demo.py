"""Demo data: BC's Contoso interaction groups and templates (§4.10), the template setup, a
merge letter, and a few interactions logged on the contacts plugin's demo contacts (read from
the database: this demo runs after the contacts demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore.interactions import InteractionRecord

GROUPS = [
    ("LETTER", "Letters"),
    ("PHONE", "Telephone conversations"),
    ("MEETING", "Meetings"),
    ("EMAIL", "E-mails"),
    ("SALES", "Sales documents"),
]
TEMPLATES = [
    # code, group, description, cost, duration, flow, initiated by, corr. type, ignore
    ("ABSTRACT", "LETTER", "Abstracts of meeting", "8", "90", "outbound", "", "hard_copy", True),
    ("BUS", "LETTER", "Business letter", "8", "30", "outbound", "us", "hard_copy", True),
    ("GOLF", "LETTER", "Golf event", "8", "1", "outbound", "us", "email", True),
    ("INCOME", "PHONE", "Incoming phone call", "0", "15", "inbound", "them", "", False),
    ("OUTGOING", "PHONE", "Outgoing phone call", "1", "15", "outbound", "us", "", True),
    ("INHOUSE", "MEETING", "Meeting held at CRONUS", "25", "120", "", "", "", False),
    ("ONSITE", "MEETING", "Meeting at the customers site", "45", "180", "", "", "", False),
    ("EMAIL", "EMAIL", "E-mail", "0", "5", "outbound", "us", "", False),
    ("S_INVOICE", "SALES", "Sales Invoice", "8", "1", "outbound", "us", "", False),
    ("S_QUOTE", "SALES", "Sales Quote", "8", "1", "outbound", "us", "", False),
]
GOLF_LETTER = (
    "<p>Dear {{ contact.first_name or contact.name }},</p>\n"
    "<p>{{ company.name or contact.company_name }} is invited to our golf event.</p>\n"
    "<p>Kind regards,<br>{{ salesperson.name }}</p>\n"
)


def load_demo_data(app: Any, session: Any) -> None:
    """Groups, templates, setup and a few interactions."""
    from relcore_contacts.api import contact_table as ct
    from relcore_contacts.api import salesperson_table as sp

    from relcore import entities
    from relcore_interactions import events, templates

    # a plugin may ship templates in these groups (relcore init): keep what exists
    for code, description in GROUPS:
        if not entities.exists(session, "interactions.group", code):
            templates.add_group(session, code, description)
    for code, group, desc, cost, dur, flow, init, corr, ignore in TEMPLATES:
        if entities.exists(session, "interactions.template", code):
            continue
        templates.add_template(
            session,
            code,
            group,
            {
                "description": desc,
                "unit_cost": cost,
                "unit_duration": dur,
                "information_flow": flow,
                "initiated_by": init,
                "correspondence_type": corr,
                "ignore_contact_corres_type": ignore,
            },
        )
    templates.import_attachment(session, "GOLF", "", GOLF_LETTER.encode(), "golf.html")
    templates.edit_template(session, "GOLF", {"wizard_action": "merge"})
    events.set_template(session, events.OUTGOING_CALLS, "OUTGOING")
    events.set_template(session, "interactions.emails", "EMAIL")
    contacts = session.execute(
        sa.select(ct.c.no, ct.c.salesperson_code)
        .where(ct.c.privacy_blocked == sa.false())
        .order_by(ct.c.no)
        .limit(6)
    ).all()
    fallback = session.execute(
        sa.select(sp.c.code).where(sp.c.privacy_blocked == sa.false()).order_by(sp.c.code).limit(1)
    ).scalar()
    if not contacts or not (fallback or any(c.salesperson_code for c in contacts)):
        return
    day = app.work_date
    plan = ["BUS", "OUTGOING", "INHOUSE", "ONSITE", "INCOME", "GOLF"]
    records = [
        InteractionRecord(
            c.no,
            plan[i % len(plan)],
            date=day - dt.timedelta(days=7 * (i + 1)),
            salesperson_code=c.salesperson_code or fallback,
            attempt_failed=(i == 1),
        )
        for i, c in enumerate(contacts)
    ]
    app.log_interactions(session, records)
    from relcore_interactions.task_demo import load_demo_data as load_tasks

    load_tasks(app, session)


def tour(app: Any, session: Any) -> list[str]:
    """Lines for the demo tour."""
    from relcore_interactions.model import group, log_entry, template

    n_groups = session.execute(sa.select(sa.func.count()).select_from(group)).scalar()
    n_templates = session.execute(sa.select(sa.func.count()).select_from(template)).scalar()
    n_entries = session.execute(sa.select(sa.func.count()).select_from(log_entry)).scalar()
    first = session.execute(
        sa.select(log_entry.c.contact_no).order_by(log_entry.c.entry_no).limit(1)
    ).scalar()
    lines = [
        f"{n_groups} interaction groups, {n_templates} templates, {n_entries} interactions",
        "relcore interactions templates list",
        "relcore interactions setup show",
    ]
    if first:
        lines += [
            f"relcore interactions list --contact {first}",
            f"relcore interactions stats --contact {first}",
            # not INHOUSE: without an attachment it cannot be logged for a contact who prefers
            # e-mail; OUTGOING ignores the contact's correspondence type (issue #14 item 11)
            f"relcore interactions log --contact {first} --template OUTGOING",
        ]
    from relcore_interactions.task_demo import tour as task_tour

    return lines + task_tour(session)
