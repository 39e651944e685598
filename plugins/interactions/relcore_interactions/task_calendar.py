"""Calendar export of tasks (``relcore tasks calendar``): an RFC 5545 calendar written with the
``icalendar`` library.

One VEVENT per task a salesperson sees (own, their teams', where they attend): all-day events
as DATE values (DTEND exclusive, the day after the ending date), timed tasks as local "floating"
times (BC stores times without a zone), attendees as ATTENDEE ``mailto:`` their e-mail (CN, ROLE,
PARTSTAT; attendees without an e-mail cannot be addressed and are left out), the meeting
organizer as ORGANIZER. The UID is the task's ``system_id`` (stable for the task's life), and
SEQUENCE its version, so importing the file again updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from relcore.db import utcnow
from relcore_interactions import tasks

PRODID = "-//relcore//tasks//EN"
UID_DOMAIN = "relcore.tasks"
PRIORITY = {"high": 1, "normal": 5, "low": 9}
ROLE = {"required": "REQ-PARTICIPANT", "optional": "OPT-PARTICIPANT", "to_do_organizer": "CHAIR"}
PARTSTAT = {
    "none": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


def uid_of(row: dict) -> str:
    """The task's stable calendar UID."""
    return f"{row['system_id']}@{UID_DOMAIN}"


def _emails(session: Any, people: list[dict]) -> dict[tuple[str, str], str]:
    from relcore_contacts.api import contact_table as ct
    from relcore_contacts.api import salesperson_table as sp

    out: dict[tuple[str, str], str] = {}
    contacts = {p["attendee_no"] for p in people if p["attendee_type"] == "contact"}
    if contacts:
        for r in session.execute(sa.select(ct.c.no, ct.c.email).where(ct.c.no.in_(contacts))):
            out[("contact", r.no)] = r.email
    sps = {p["attendee_no"] for p in people if p["attendee_type"] == "salesperson"}
    if sps:
        for r in session.execute(sa.select(sp.c.code, sp.c.email).where(sp.c.code.in_(sps))):
            out[("salesperson", r.code)] = r.email
    return out


def _event(row: dict, people: list[dict], emails: dict) -> Any:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid_of(row))
    event.add("dtstamp", utcnow())
    event.add("last-modified", row["modified_at"])
    event.add("sequence", row["version"])
    event.add("summary", row["description"])
    if row["all_day_event"]:
        event.add("dtstart", row["date"])
        event.add("dtend", row["ending_date"] + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(row["date"], row["start_time"] or dt.time(0))
        event.add("dtstart", start)
        event.add(
            "dtend", dt.datetime.combine(row["ending_date"], row["ending_time"] or dt.time(0))
        )
    if row["location"]:
        event.add("location", row["location"])
    event.add("priority", PRIORITY[row["priority"]])
    event.add("status", "CANCELLED" if row["canceled"] else "CONFIRMED")
    event.add("categories", [row["type"].upper() or "TASK"])
    lines = [f"Task {row['no']}"]
    if row["contact_no"]:
        lines.append(f"Contact {row['contact_no']}")
    event.add("description", "\n".join(lines))
    event.add("x-relcore-task-no", row["no"])
    for p in people:
        email = emails.get((p["attendee_type"], p["attendee_no"]))
        if not email:
            continue
        params = {
            "CN": p["attendee_name"] or p["attendee_no"],
            "ROLE": ROLE[p["attendance_type"]],
            "PARTSTAT": PARTSTAT[p["invitation_response_type"]],
            "CUTYPE": "INDIVIDUAL",
        }
        address = icalendar.vCalAddress(f"mailto:{email}")
        address.params.update(params)
        event.add("attendee", address, encode=0)
        if p["attendance_type"] == "to_do_organizer":
            organizer = icalendar.vCalAddress(f"mailto:{email}")
            organizer.params["CN"] = params["CN"]
            event.add("organizer", organizer, encode=0)
    return event


def export(
    session: Any,
    salesperson_code: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[bytes, int]:
    """The salesperson's tasks in the period as ICS bytes, and the number of events."""
    import icalendar
    from relcore_contacts.api import ensure_salesperson_usable

    code = ensure_salesperson_usable(session, salesperson_code.strip().upper())["code"]
    rows = tasks.list_tasks(session, salesperson_code=code, date_from=date_from, date_to=date_to)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Tasks of {code}")
    if rows:
        from relcore_interactions.tasks_model import attendee

        nos = [r["no"] for r in rows]
        people_by_task: dict[str, list[dict]] = {}
        stmt = (
            sa.select(attendee)
            .where(attendee.c.to_do_no.in_(nos))
            .order_by(attendee.c.to_do_no, attendee.c.line_no)
        )
        for r in session.execute(stmt):
            people_by_task.setdefault(r.to_do_no, []).append(dict(r._mapping))
        emails = _emails(session, [p for ps in people_by_task.values() for p in ps])
        for row in rows:
            cal.add_component(_event(row, people_by_task.get(row["no"], []), emails))
    return cal.to_ical(), len(rows)


def write_file(path: str, data: bytes) -> None:
    """Write the calendar (replacing the file)."""
    Path(path).write_bytes(data)
