"""Tasks (§7): the BC test vectors TK1-TK8, TK10, the quirks of §9.5 items 8-9, and the field
rules of §7.1 (TK9 — one task per segment contact — is in
tests/segments/test_tasks_per_segment.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from relcore_interactions import activities, task_service, task_status, tasks
from relcore_interactions.api import assign_activity, cancel_open_tasks, repoint_open_tasks
from relcore_interactions.api import log_entry_table as E

from relcore import entities, hookimpl
from relcore.errors import ValidationError
from tests.interactions.conftest import WORK_DATE, add_contacts, add_templates


def _new(session, **values):
    values.setdefault("description", "Call about the offer")
    return task_service.create_task(session, values)[0]


def _team(session):
    entities.insert(session, "contacts.team", [{"code": "SALES", "name": "Sales"}])
    session.execute(
        sa.insert(
            sa.table(
                "contacts_team_salesperson", sa.column("team_code"), sa.column("salesperson_code")
            )
        ),
        [
            {"team_code": "SALES", "salesperson_code": "JO"},
            {"team_code": "SALES", "salesperson_code": "PS"},
        ],
    )


def test_tk1_new_task_defaults(ia):
    with ia.session() as session:
        row = _new(session, contact_no="CT000010", salesperson_code="JO")
    assert row["no"] == "TD000001"
    assert row["date"] == WORK_DATE  # Today (§9.4: the app's work date)
    assert row["duration_ms"] == 24 * 3600 * 1000
    assert (row["status"], row["priority"]) == ("not_started", "normal")
    assert row["contact_company_no"] == "CT000001"
    assert row["system_to_do_type"] == "organizer"
    assert row["organizer_to_do_no"] == "TD000001"
    assert row["ending_date"] == WORK_DATE + dt.timedelta(days=1)


def test_salesperson_prefilled_from_the_contact(ia):
    with ia.session() as session:
        row = _new(session, contact_no="CT000002")
    assert row["salesperson_code"] == "PS"


def test_team_or_salesperson_required_and_salesperson_not_blocked(ia):
    with ia.session() as session:
        with pytest.raises(
            ValidationError,
            match="You must fill in either the Team Code field or the Salesperson Code field",
        ):
            _new(session, contact_no="CT000020")
        entities.update(session, "contacts.salesperson", "PS", {"blocked": True})
        with pytest.raises(ValidationError, match="salesperson PS is blocked"):
            _new(session, salesperson_code="PS")
        with pytest.raises(ValidationError, match="field description: You must fill in"):
            _new(session, salesperson_code="JO", description=" ")


def test_tk2_recurring_from_due_date(ia):
    with ia.session() as session:
        first = _new(
            session,
            salesperson_code="JO",
            date="2024-03-04",
            recurring=True,
            recurring_date_interval="<1W>",
            calc_due_date_from="due_date",
        )
        tasks.add_comments(session, [first["no"]], ["bring the brochure"])
        tasks.set_attendees(session, first, [tasks.parse_attendee("contact:CT000010")])
        done = task_service.edit_task(session, first["no"], {"status": "completed"})
        nxt = tasks.show_task(session, done["next_task_no"])
    assert done["closed"] is True and done["date_closed"] == WORK_DATE
    assert done["message"] == "Task No. TD000002 has been created from recurring Task TD000001."
    assert nxt["date"] == dt.date(2024, 3, 11)
    assert (nxt["status"], nxt["closed"], nxt["recurring"]) == ("not_started", False, True)
    assert nxt["comments"] == ["bring the brochure"]
    assert [(a["attendee_type"], a["attendee_no"]) for a in nxt["attendees"]] == [
        ("contact", "CT000010")
    ]


def test_tk3_recurring_from_closing_date(ia):
    ia.work_date = dt.date(2024, 3, 6)
    with ia.session() as session:
        first = _new(
            session,
            salesperson_code="JO",
            date="2024-03-04",
            recurring=True,
            recurring_date_interval="1W",
            calc_due_date_from="closing_date",
        )
        done = task_status.close(session, first["no"])
        assert tasks.get_task(session, done["next_task_no"])["date"] == dt.date(2024, 3, 13)


def test_recurring_needs_interval_and_base(ia):
    with ia.session() as session:
        with pytest.raises(ValidationError, match="Recurring Date Interval must be specified"):
            _new(session, salesperson_code="JO", recurring=True, calc_due_date_from="due_date")
        with pytest.raises(ValidationError, match="Calc. Due Date From must be specified"):
            _new(session, salesperson_code="JO", recurring=True, recurring_date_interval="1W")
        with pytest.raises(ValidationError, match="field recurring_date_interval: 'XX'"):
            _new(session, salesperson_code="JO", recurring_date_interval="XX")


def test_tk4_reopen(ia):
    with ia.session() as session:
        row = _new(session, salesperson_code="JO")
        task_status.close(session, row["no"], completed_by="PS")
        reopened = task_service.edit_task(session, row["no"], {"closed": "false"})
    assert reopened["status"] == "in_progress"
    assert reopened["date_closed"] is None
    assert reopened["canceled"] is False and reopened["closed"] is False
    assert reopened["completed_by"] is None


def test_tk5_team_task_needs_completed_by(ia):
    with ia.session() as session:
        _team(session)
        row = _new(session, team_code="SALES")
        assert row["system_to_do_type"] == "team"
        with pytest.raises(
            ValidationError,
            match="The Completed By field must be filled in for Tasks assigned to a team.",
        ):
            task_status.close(session, row["no"])
        closed = task_service.edit_task(session, row["no"], {"completed_by": "PS"})
    assert closed["closed"] is True and closed["completed_by"] == "PS"


def test_team_tasks_visible_to_each_member_and_reassignment(ia):
    with ia.session() as session:
        _team(session)
        team_task = _new(session, team_code="SALES")
        own = _new(session, salesperson_code="PS")
        assert [t["no"] for t in tasks.list_tasks(session, salesperson_code="JO")] == [
            team_task["no"]
        ]
        assert {t["no"] for t in tasks.list_tasks(session, salesperson_code="PS")} == {
            team_task["no"],
            own["no"],
        }
        task_status.close(session, team_task["no"], completed_by="JO")
        moved = task_service.edit_task(
            session, team_task["no"], {"team_code": "", "salesperson_code": "JO"}
        )
    assert moved["system_to_do_type"] == "organizer" and moved["closed"] is False
    assert moved["status"] == "in_progress"


def test_tk6_type_change_rule(ia):
    with ia.session() as session:
        row = _new(session, salesperson_code="JO")
        with pytest.raises(ValidationError, match="You cannot change a Task type from Blank"):
            task_service.edit_task(session, row["no"], {"type": "meeting", "start_time": "10:00"})
        assert (
            task_service.edit_task(session, row["no"], {"type": "phone_call"})["type"]
            == "phone_call"
        )
        assert task_service.edit_task(session, row["no"], {"type": ""})["type"] == ""
        meeting = _new(session, salesperson_code="JO", type="meeting", start_time="09:00")
        with pytest.raises(ValidationError, match="field type: You cannot change"):
            task_service.edit_task(session, meeting["no"], {"type": "phone_call"})


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        ("30s", "less than 1 minute, which is not allowed"),
        ("-5m", "cannot be negative"),
        ("3660d", "cannot be more than 10 years"),
    ],
)
def test_tk7_duration_rules(ia, duration, message):
    with ia.session() as session:
        row = _new(session, salesperson_code="JO")
        with pytest.raises(ValidationError, match=f"Task {row['no']}: field duration: .*{message}"):
            task_service.edit_task(session, row["no"], {"duration": duration})


def test_ending_date_time_derived_and_editable(ia):
    with ia.session() as session:
        row = _new(
            session, salesperson_code="JO", date="2025-02-03", start_time="09:30", duration="90m"
        )
        assert (row["ending_date"], row["ending_time"]) == (dt.date(2025, 2, 3), dt.time(11, 0))
        edited = task_service.edit_task(session, row["no"], {"ending_time": "12:00"})
        assert edited["duration_ms"] == 150 * 60_000
        all_day = task_service.edit_task(
            session, row["no"], {"all_day_event": "yes", "duration": "26h"}
        )
    assert all_day["start_time"] is None
    assert all_day["duration_ms"] == 2 * 24 * 3600 * 1000  # rounded up to whole days
    assert all_day["ending_date"] == dt.date(2025, 2, 4)


def test_date_range(ia):
    refused = pytest.raises(ValidationError, match="The valid range of dates is from 01/01/1900")
    with ia.session() as session, refused:
        _new(session, salesperson_code="JO", date="1899-12-31")


def test_interaction_template_defaults(ia):
    with ia.session() as session:
        entities.update(session, "interactions.template", "BUS", {"campaign_no": "CP1"})
        row = _new(session, salesperson_code="JO", interaction_template_code="BUS")
    assert row["subject"] == "Business letter"
    assert str(row["unit_cost_lcy"]) == "8.00" and str(row["unit_duration_min"]) == "30.00"
    assert row["campaign_no"] == "CP1"


class OpportunitiesStandIn:
    """Opportunity OP1 exists with active entry 5; OP2 exists without one."""

    @hookimpl
    def relcore_interactions_check_opportunities(self, session, opportunity_nos):
        for no in opportunity_nos:
            if no not in ("OP1", "OP2"):
                raise ValidationError("does not exist", entity="Opportunity", key=no)

    @hookimpl
    def relcore_interactions_active_opportunity_entries(self, session, opportunity_nos):
        return {no: 5 for no in opportunity_nos if no == "OP1"}


@pytest.fixture
def opp_app(make_app):
    app = make_app(
        "contacts",
        "interactions",
        extra=[("opportunities", OpportunitiesStandIn())],
        work_date=WORK_DATE,
    )
    with app.session() as session:
        add_contacts(session)
        add_templates(session)
    return app


def test_opportunity_entry_no_from_the_active_entry(opp_app):
    with opp_app.session() as session:
        first = _new(session, salesperson_code="JO", opportunity_no="OP1")
        assert first["opportunity_entry_no"] == 5
        second = _new(session, salesperson_code="JO", opportunity_no="OP2")
        assert second["opportunity_entry_no"] == 0
        with pytest.raises(ValidationError, match="Opportunity OP9: does not exist"):
            _new(session, salesperson_code="JO", opportunity_no="OP9")


def test_without_opportunities_plugin_the_opportunity_is_a_plain_reference(ia):
    with ia.session() as session:
        row = _new(session, salesperson_code="JO", opportunity_no="OP9")
    assert (row["opportunity_no"], row["opportunity_entry_no"]) == ("OP9", 0)


def test_tk10_cancel_open_tasks_of_an_opportunity(opp_app):
    with opp_app.session() as session:
        recurring = _new(
            session,
            salesperson_code="JO",
            opportunity_no="OP1",
            recurring=True,
            recurring_date_interval="1W",
            calc_due_date_from="due_date",
        )
        plain = _new(session, salesperson_code="JO", opportunity_no="OP1")
        other = _new(session, salesperson_code="JO", opportunity_no="OP2")
        assert cancel_open_tasks(session, ["OP1"]) == 2
        rows = {r["no"]: r for r in tasks.list_tasks(session)}
    for no in (recurring["no"], plain["no"]):
        assert (rows[no]["canceled"], rows[no]["closed"], rows[no]["recurring"]) == (
            True,
            True,
            False,
        )
        assert rows[no]["date_closed"] == WORK_DATE
    assert rows[other["no"]]["closed"] is False
    assert len(rows) == 3  # no next occurrence of the recurring task


def test_repoint_open_tasks_of_an_opportunity(opp_app):
    """§6.4.2: open tasks of the opportunity with the old value follow; closed ones, other
    values and other opportunities keep theirs; an unknown field is refused."""
    with opp_app.session() as session:
        jo = _new(session, salesperson_code="JO", opportunity_no="OP1")
        ps = _new(session, salesperson_code="PS", opportunity_no="OP1")
        done = _new(session, salesperson_code="JO", opportunity_no="OP1")
        task_status.cancel(session, done["no"])
        other = _new(session, salesperson_code="JO", opportunity_no="OP2")
        changed = repoint_open_tasks(session, "op1", {"salesperson_code": ("JO", "PS")})
        rows = {r["no"]: r for r in tasks.list_tasks(session)}
        with pytest.raises(ValidationError, match="description"):
            repoint_open_tasks(session, "OP1", {"description": ("a", "b")})
    assert rows[jo["no"]]["salesperson_code"] == "PS"
    assert rows[ps["no"]]["salesperson_code"] == "PS"
    assert rows[other["no"]]["salesperson_code"] == "JO"
    assert rows[done["no"]]["salesperson_code"] == "JO"
    assert changed == 1


def test_quirk_9_canceling_a_recurring_task_directly_creates_the_next(ia):
    with ia.session() as session:
        row = _new(
            session,
            salesperson_code="JO",
            date="2024-03-04",
            recurring=True,
            recurring_date_interval="1W",
            calc_due_date_from="due_date",
        )
        canceled = task_status.cancel(session, row["no"])
        assert canceled["canceled"] and canceled["closed"]
        assert tasks.get_task(session, canceled["next_task_no"])["date"] == dt.date(2024, 3, 11)
        uncanceled = task_status.uncancel(session, row["no"])
    assert (uncanceled["canceled"], uncanceled["closed"]) == (False, False)


def test_tk8_and_quirk_8_activity_steps_from_the_same_base_date(ia):
    with ia.session() as session:
        activities.add_activity(session, "PRES", "Company presentation")
        for formula, kind in (
            ("", ""),
            ("<+1W>", ""),
            ("<+1W>", "phone_call"),
            ("<+2W>", "meeting"),
        ):
            activities.add_step(
                session, "PRES", type=kind, description=f"step {formula}", date_formula=formula
            )
        rows = assign_activity(
            session, "PRES", dt.date(2024, 3, 4), salesperson_code="JO", contact_no="CT000010"
        )
    assert [r["date"] for r in rows] == [
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 11),
        dt.date(2024, 3, 11),
        dt.date(2024, 3, 18),
    ]
    assert [r["type"] for r in rows] == ["", "", "phone_call", "meeting"]
    assert rows[3]["all_day_event"] is True
    assert {r["activity_code"] for r in rows} == {"PRES"}


def test_activity_without_steps_creates_one_task(ia):
    with ia.session() as session:
        activities.add_activity(session, "EMPTY", "Nothing planned")
        rows = task_service.create_task(
            session, {"description": "Visit", "salesperson_code": "JO", "activity_code": "EMPTY"}
        )
    assert [r["description"] for r in rows] == ["Visit"]


def test_team_meeting_activity_needs_an_organizer(ia):
    with ia.session() as session:
        _team(session)
        activities.add_activity(session, "MEET", "Meeting")
        activities.add_step(session, "MEET", type="meeting", description="Kick-off")
        with pytest.raises(ValidationError, match="Activity MEET contains Tasks of type Meeting"):
            assign_activity(session, "MEET", WORK_DATE, team_code="SALES")


def test_meeting_organizer_and_attendees(ia):
    with ia.session() as session:
        row = task_service.create_task(
            session,
            {
                "description": "Demo",
                "salesperson_code": "JO",
                "type": "meeting",
                "start_time": "14:00",
            },
            attendees=[
                tasks.parse_attendee("contact:CT000010"),
                tasks.parse_attendee("salesperson:PS:optional"),
            ],
        )[0]
        shown = tasks.show_task(session, row["no"])
        with pytest.raises(
            ValidationError, match="because this salesperson is the meeting organizer"
        ):
            task_service.edit_task(session, row["no"], {"salesperson_code": "PS"})
        tasks.set_response(session, row["no"], 20000, "accepted")
        assert tasks.show_task(session, row["no"])["attendees_accepted_no"] == 1
        assert [t["no"] for t in tasks.list_tasks(session, salesperson_code="PS")] == [row["no"]]
    assert [
        (a["attendance_type"], a["attendee_type"], a["attendee_no"]) for a in shown["attendees"]
    ] == [
        ("to_do_organizer", "salesperson", "JO"),
        ("required", "contact", "CT000010"),
        ("optional", "salesperson", "PS"),
    ]
    assert shown["no_of_attendees"] == 3


def test_meeting_needs_start_time_unless_all_day(ia):
    with ia.session() as session:
        with pytest.raises(ValidationError, match="You must fill in the Start Time field"):
            _new(session, salesperson_code="JO", type="meeting")
        assert _new(session, salesperson_code="JO", type="meeting", all_day_event=True)[
            "all_day_event"
        ]


def test_close_with_log_interaction(ia):
    from relcore_interactions.events import OUTGOING_CALLS, set_template

    with ia.session() as session:
        set_template(session, OUTGOING_CALLS, "OUTGOING")
        call = _new(session, salesperson_code="JO", contact_no="CT000010", type="phone_call")
        letter = _new(
            session, salesperson_code="JO", contact_no="CT000011", interaction_template_code="BUS"
        )
        bare = _new(session, salesperson_code="JO", contact_no="CT000011")
        task_status.close(session, call["no"], log_interaction=True)
        task_status.close(session, letter["no"], completed_by="PS", log_interaction=True)
        with pytest.raises(ValidationError, match="Interaction Template Code"):
            task_status.close(session, bare["no"], log_interaction=True)
        entries = session.execute(sa.select(E).order_by(E.c.entry_no)).mappings().all()
    assert [
        (e["to_do_no"], e["interaction_template_code"], e["salesperson_code"]) for e in entries
    ] == [
        (call["no"], "OUTGOING", "JO"),
        (letter["no"], "BUS", "PS"),
    ]
    assert entries[0]["contact_via"] == "555-0110"


def test_delete_canceled_with_attendees(ia):
    with ia.session() as session:
        keep = _new(session, salesperson_code="JO")
        gone = task_service.create_task(
            session,
            {"description": "x", "salesperson_code": "JO"},
            attendees=[tasks.parse_attendee("contact:CT000010")],
            comments=["note"],
        )[0]
        task_status.cancel(session, gone["no"])
        assert task_status.delete_canceled(session) == 1
        assert [t["no"] for t in tasks.list_tasks(session)] == [keep["no"]]
        assert tasks.list_attendees(session, gone["no"]) == []
        assert tasks.list_comments(session, gone["no"]) == []


def test_statistics(ia):
    from relcore_interactions.task_stats import statistics

    with ia.session() as session:
        _new(session, salesperson_code="JO", date="2025-01-10")  # overdue
        _new(session, salesperson_code="JO", date="2025-01-25")
        done = _new(session, salesperson_code="JO", contact_no="CT000010")
        task_status.close(session, done["no"])
        gone = _new(session, salesperson_code="PS")
        task_status.cancel(session, gone["no"])
        jo = statistics(session, salesperson_code="JO", date_from=WORK_DATE, date_to=WORK_DATE)
        company = statistics(session, contact_no="CT000001")
        later = statistics(session, salesperson_code="JO", date_from=dt.date(2025, 2, 1))
    assert (jo["open"], jo["overdue"], jo["completed"], jo["canceled"]) == (2, 1, 1, 0)
    assert (company["open"], company["completed"]) == (0, 1)
    assert later["completed"] == 0
