"""``relcore tasks calendar``: an RFC 5545 file written with icalendar, parsed back and checked
field by field; re-exporting keeps the UIDs (re-import updates, never duplicates)."""

from __future__ import annotations

import datetime as dt

import icalendar
from relcore_interactions import task_service, task_status, tasks


def _events(path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["VERSION"]) == "2.0" and "relcore" in str(cal["PRODID"])
    return {str(e["X-RELCORE-TASK-NO"]): e for e in cal.walk("VEVENT")}


def test_calendar_round_trip(ia, run_cli, tmp_path):
    with ia.session() as session:
        meeting = task_service.create_task(
            session,
            {
                "description": "Product demo",
                "salesperson_code": "JO",
                "contact_no": "CT000010",
                "type": "meeting",
                "date": "2025-02-03",
                "start_time": "14:00",
                "duration": "90m",
                "location": "Adatum HQ",
                "priority": "high",
            },
            attendees=[
                tasks.parse_attendee("contact:CT000010"),
                tasks.parse_attendee("salesperson:PS:optional"),
                tasks.parse_attendee("contact:CT000011"),  # no e-mail: cannot be addressed
            ],
        )[0]
        tasks.set_response(session, meeting["no"], 20000, "accepted")
        fair = task_service.create_task(
            session,
            {
                "description": "Trade fair",
                "salesperson_code": "JO",
                "date": "2025-02-10",
                "all_day_event": True,
                "duration": "2d",
                "priority": "low",
            },
        )[0]
        other = task_service.create_task(
            session, {"description": "Not JO's", "salesperson_code": "PS", "date": "2025-02-04"}
        )[0]
        late = task_service.create_task(
            session, {"description": "Later", "salesperson_code": "JO", "date": "2025-05-01"}
        )[0]
        gone = task_service.create_task(
            session, {"description": "Dropped", "salesperson_code": "JO", "date": "2025-02-05"}
        )[0]
        task_status.cancel(session, gone["no"])
    out = tmp_path / "jo.ics"
    r = run_cli(
        ia, "tasks", "calendar", "--salesperson", "jo", "--from", "2025-02-01", "--to",
        "2025-02-28", "--output", str(out), json=True,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.json == {"file": str(out), "events": 3}
    events = _events(out)
    assert set(events) == {meeting["no"], fair["no"], gone["no"]}
    assert other["no"] not in events and late["no"] not in events

    m = events[meeting["no"]]
    assert str(m["SUMMARY"]) == "Product demo"
    assert m.decoded("DTSTART") == dt.datetime(2025, 2, 3, 14, 0)
    assert m.decoded("DTEND") == dt.datetime(2025, 2, 3, 15, 30)
    assert str(m["LOCATION"]) == "Adatum HQ"
    assert int(m["PRIORITY"]) == 1
    assert str(m["STATUS"]) == "CONFIRMED"
    assert str(m["UID"]) == f"{meeting['system_id']}@relcore.tasks"
    assert int(m["SEQUENCE"]) == meeting["version"]
    assert [c for c in m["CATEGORIES"].cats] == ["MEETING"]
    attendees = [
        (str(a), a.params["ROLE"], a.params["PARTSTAT"], a.params["CN"]) for a in m["ATTENDEE"]
    ]
    assert attendees == [
        ("mailto:jo@cronus.test", "CHAIR", "NEEDS-ACTION", "Jim Olive"),
        ("mailto:anna@adatum.test", "REQ-PARTICIPANT", "ACCEPTED", "Anna Smith"),
        ("mailto:ps@cronus.test", "OPT-PARTICIPANT", "NEEDS-ACTION", "Peter Saddow"),
    ]
    assert str(m["ORGANIZER"]) == "mailto:jo@cronus.test"
    assert f"Task {meeting['no']}" in str(m["DESCRIPTION"])

    f = events[fair["no"]]
    assert f.decoded("DTSTART") == dt.date(2025, 2, 10)  # a DATE value
    assert f["DTSTART"].params.get("VALUE") == "DATE"
    assert f.decoded("DTEND") == dt.date(2025, 2, 12)  # exclusive: two days
    assert int(f["PRIORITY"]) == 9 and "ATTENDEE" not in f
    assert str(events[gone["no"]]["STATUS"]) == "CANCELLED"

    # a second export after a change: same UIDs, higher SEQUENCE
    run_cli(ia, "tasks", "edit", fair["no"], "--set", "location=Hall 3")
    run_cli(ia, "tasks", "calendar", "--salesperson", "JO", "--from", "2025-02-01",
            "--to", "2025-02-28", "--output", str(out))  # fmt: skip
    again = _events(out)
    assert {str(e["UID"]) for e in again.values()} == {str(e["UID"]) for e in events.values()}
    assert int(again[fair["no"]]["SEQUENCE"]) == int(f["SEQUENCE"]) + 1
    assert str(again[fair["no"]]["LOCATION"]) == "Hall 3"


def test_calendar_to_stdout_and_unknown_salesperson(ia, run_cli):
    run_cli(ia, "tasks", "add", "--description", "Call", "--salesperson", "JO")
    r = run_cli(ia, "tasks", "calendar", "--salesperson", "JO")
    assert r.exit_code == 0 and r.output.startswith("BEGIN:VCALENDAR")
    r = run_cli(ia, "tasks", "calendar", "--salesperson", "XX")
    assert r.exit_code == 1 and "Salesperson XX: does not exist" in r.output
