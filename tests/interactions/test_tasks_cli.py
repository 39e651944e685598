"""The shell contract of ``relcore tasks`` (issue #16): commands, options, JSON keys, and
errors as one line with exit 1 and nothing changed."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from relcore import entities
from tests.interactions.conftest import WORK_DATE

KEYS = {
    "no",
    "type",
    "date",
    "status",
    "closed",
    "canceled",
    "contact_no",
    "contact_company_no",
    "salesperson_code",
    "team_code",
    "duration_min",
    "opportunity_no",
    "segment_no",
}


def _count(app) -> int:
    with app.session() as session:
        return session.execute(sa.text("select count(*) from interactions_task")).scalar()


def test_add_show_edit_list(ia, run_cli):
    r = run_cli(
        ia,
        "tasks", "add", "--description", "Discuss the offer", "--salesperson", "JO",
        "--contact", "CT000010", "--type", "phone_call", "--date", "2025-01-22",
        "--start-time", "10:00", "--duration", "90m", "--priority", "high",
        "--location", "Phone", "--campaign", "CP1", "--opportunity", "OP1",
        json=True,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    task = r.json
    assert set(task) >= KEYS
    assert (task["no"], task["type"], task["date"], task["status"]) == (
        "TD000001", "phone_call", "2025-01-22", "not_started",
    )  # fmt: skip
    assert (task["closed"], task["canceled"], task["duration_min"]) == (False, False, 90)
    assert (task["contact_company_no"], task["team_code"], task["segment_no"]) == (
        "CT000001", None, None,
    )  # fmt: skip
    assert task["ending_time"] == "11:30:00" and task["opportunity_no"] == "OP1"
    r = run_cli(
        ia, "tasks", "edit", "TD000001", "--set", "duration=2h", "--set", "priority=low", json=True
    )
    assert (r.json["duration_min"], r.json["priority"]) == (120, "low")
    r = run_cli(ia, "tasks", "show", "TD000001", json=True)
    assert r.json["ending_time"] == "12:00:00" and r.json["attendees"] == []
    r = run_cli(ia, "tasks", "list", "--salesperson", "JO", "--open", json=True)
    assert [t["no"] for t in r.json] == ["TD000001"]
    assert (
        run_cli(ia, "tasks", "list", "--contact", "CT000001", json=True).json[0]["no"] == "TD000001"
    )
    assert run_cli(ia, "tasks", "list", "--opportunity", "OP2", json=True).json == []
    r = run_cli(ia, "tasks", "show", "TD000001")
    assert r.exit_code == 0 and "Discuss the offer" in r.output


def test_errors_are_one_line_exit_1_nothing_written(ia, run_cli):
    r = run_cli(ia, "tasks", "add", "--description", "x", "--contact", "CT000020")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "Error: Task: field salesperson_code: You must fill in either the Team Code field or "
        "the Salesperson Code field."
    ]
    r = run_cli(
        ia, "tasks", "add", "--description", "x", "--salesperson", "JO", "--duration", "30s"
    )
    assert r.exit_code == 1 and "less than 1 minute" in r.output
    r = run_cli(
        ia, "tasks", "add", "--description", "x", "--salesperson", "JO", "--recurring",
        "--interval", "1X", "--calc-due-date-from", "due_date",
    )  # fmt: skip
    assert r.exit_code == 1
    assert "field recurring_date_interval: '1X' is not a valid date formula" in r.output
    assert "Traceback" not in r.output
    assert _count(ia) == 0
    run_cli(ia, "tasks", "add", "--description", "x", "--salesperson", "JO")
    r = run_cli(
        ia, "tasks", "edit", "TD000001", "--set", "type=meeting", "--set", "start_time=09:00"
    )
    assert r.exit_code == 1 and "You cannot change a Task type" in r.output
    r = run_cli(ia, "tasks", "show", "TD000009")
    assert r.exit_code == 1 and r.output.strip() == "Error: Task TD000009: does not exist"


def test_close_recurring_reopen_cancel_uncancel_delete(ia, run_cli):
    run_cli(
        ia, "tasks", "add", "--description", "Weekly call", "--salesperson", "JO",
        "--date", "2025-01-06", "--recurring", "--interval", "<1W>",
        "--calc-due-date-from", "due_date",
    )  # fmt: skip
    r = run_cli(ia, "tasks", "close", "TD000001", json=True)
    assert r.exit_code == 0, r.output
    assert (r.json["closed"], r.json["status"], r.json["next_task_no"]) == (
        True,
        "completed",
        "TD000002",
    )
    assert r.json["date_closed"] == WORK_DATE.isoformat()
    assert run_cli(ia, "tasks", "show", "TD000002", json=True).json["date"] == "2025-01-13"
    r = run_cli(ia, "tasks", "reopen", "TD000001", json=True)
    assert (r.json["closed"], r.json["status"]) == (False, "in_progress")
    r = run_cli(ia, "tasks", "cancel", "TD000002", json=True)
    assert (r.json["canceled"], r.json["closed"], r.json["next_task_no"]) == (
        True,
        True,
        "TD000003",
    )
    r = run_cli(ia, "tasks", "uncancel", "TD000002", json=True)
    assert (r.json["canceled"], r.json["closed"]) == (False, False)
    run_cli(ia, "tasks", "cancel", "TD000003")  # recurring: TD000004 follows (§9.5 item 9)
    r = run_cli(ia, "tasks", "delete-canceled", json=True)
    assert r.json == {"deleted": [{"no": "TD000003"}]}
    assert [t["no"] for t in run_cli(ia, "tasks", "list", json=True).json] == [
        "TD000001",
        "TD000002",
        "TD000004",
    ]


def test_team_task_close_needs_completed_by_and_shows_for_members(ia, run_cli):
    with ia.session() as session:
        entities.insert(session, "contacts.team", [{"code": "SALES", "name": "Sales"}])
        session.execute(
            sa.text(
                "insert into contacts_team_salesperson (team_code, salesperson_code) "
                "values ('SALES', 'PS')"
            )
        )
    r = run_cli(ia, "tasks", "add", "--description", "Team call", "--team", "SALES", json=True)
    assert r.json["team_code"] == "SALES" and r.json["salesperson_code"] is None
    assert [
        t["no"] for t in run_cli(ia, "tasks", "list", "--salesperson", "PS", json=True).json
    ] == ["TD000001"]
    r = run_cli(ia, "tasks", "close", "TD000001")
    assert r.exit_code == 1
    assert "The Completed By field must be filled in for Tasks assigned to a team." in r.output
    r = run_cli(ia, "tasks", "close", "TD000001", "--completed-by", "PS", json=True)
    assert r.json["completed_by"] == "PS" and r.json["closed"] is True


def test_close_with_log_interaction_phone_call(ia, run_cli):
    run_cli(ia, "interactions", "setup", "set", "interactions.outgoing_calls", "OUTGOING")
    run_cli(ia, "tasks", "add", "--description", "Call Anna", "--salesperson", "JO",
            "--contact", "CT000010", "--type", "phone_call")  # fmt: skip
    r = run_cli(ia, "tasks", "close", "TD000001", "--log-interaction", json=True)
    assert r.exit_code == 0, r.output
    with ia.session() as session:
        row = session.execute(
            sa.text(
                "select to_do_no, interaction_template_code, contact_no from interactions_log_entry"
            )
        ).one()
    assert tuple(row) == ("TD000001", "OUTGOING", "CT000010")
    assert r.json["interaction_entry_no"] >= 1


def test_activities_and_assign(ia, run_cli):
    assert (
        run_cli(ia, "tasks", "activities", "add", "PRES", "--description", "Presentation").exit_code
        == 0
    )
    for args in (
        ["--description", "Prepare"],
        ["--description", "Send material", "--date-formula", "<+1W>"],
        ["--type", "phone_call", "--description", "Call", "--date-formula", "<+1W>"],
        [
            "--type",
            "meeting",
            "--description",
            "Present",
            "--date-formula",
            "<+2W>",
            "--priority",
            "high",
        ],
    ):
        r = run_cli(ia, "tasks", "activities", "steps", "add", "PRES", *args)
        assert r.exit_code == 0, r.output
    r = run_cli(
        ia, "tasks", "activities", "assign", "PRES", "--date", "2024-03-04",
        "--salesperson", "JO", "--contact", "CT000010", json=True,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert [(t["date"], t["type"]) for t in r.json] == [
        ("2024-03-04", ""),
        ("2024-03-11", ""),
        ("2024-03-11", "phone_call"),
        ("2024-03-18", "meeting"),
    ]
    assert all(set(t) >= KEYS for t in r.json)
    r = run_cli(
        ia, "tasks", "add", "--description", "x", "--salesperson", "JO",
        "--activity", "PRES", "--date", "2025-02-03", json=True,
    )  # fmt: skip
    assert isinstance(r.json, list) and len(r.json) == 4
    r = run_cli(ia, "tasks", "activities", "steps", "add", "PRES", "--date-formula", "ZZ")
    assert r.exit_code == 1 and "date_formula" in r.output
    shown = run_cli(ia, "tasks", "activities", "show", "PRES", json=True).json
    assert shown["includes_meeting"] is True and len(shown["steps"]) == 4


def test_stats(ia, run_cli):
    run_cli(
        ia, "tasks", "add", "--description", "old", "--salesperson", "JO", "--date", "2025-01-02"
    )
    run_cli(ia, "tasks", "add", "--description", "new", "--salesperson", "JO")
    run_cli(ia, "tasks", "close", "TD000002")
    r = run_cli(ia, "tasks", "stats", "--salesperson", "JO", json=True)
    assert (r.json["open"], r.json["overdue"], r.json["completed"]) == (1, 1, 1)
    assert r.json["today"] == WORK_DATE.isoformat()
    assert dt.date.fromisoformat(r.json["today"]) == WORK_DATE


def test_add_from_an_interaction_entry(ia, run_cli):
    from relcore.interactions import InteractionRecord, log_interactions

    with ia.session() as session:
        entry = log_interactions(
            session,
            [InteractionRecord("CT000011", "BUS", salesperson_code="PS", campaign_no="CP7")],
        )[0]
    r = run_cli(
        ia, "tasks", "add", "--description", "Follow up the letter",
        "--interaction", str(entry["entry_no"]), json=True,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (r.json["contact_no"], r.json["salesperson_code"], r.json["campaign_no"]) == (
        "CT000011",
        "PS",
        "CP7",
    )
    r = run_cli(ia, "tasks", "add", "--description", "x", "--interaction", "999")
    assert r.exit_code == 1 and "Interaction Log Entry 999: does not exist" in r.output
