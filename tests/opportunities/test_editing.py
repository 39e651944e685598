"""``opportunities edit NO --set FIELD=VALUE`` (§6.4.2 field rules on an existing opportunity):
open tasks and meeting attendees follow, the campaign's default segment
(``SetDefaultSegmentNo``), the segment's campaign and description, and the sales document
fields that only ``opportunities document`` sets."""

from __future__ import annotations

import sqlalchemy as sa

from relcore import entities
from tests.opportunities.conftest import (
    WORK_DATE,
    add_campaign,
    add_segment,
    add_task,
    edit,
    new_opp,
    ok,
    show,
)
from tests.opportunities.test_tasks import company_presentation, tasks_of


def test_edit_description_priority(opp_app, run_cli):
    no = new_opp(opp_app)
    data = ok(edit(opp_app, run_cli, no, "description=Bigger deal", "priority=high")).json
    assert data["description"] == "Bigger deal" and data["priority"] == "high"
    assert show(opp_app, no)["priority"] == "high"


def test_edit_refuses_other_fields_and_closed(opp_app, run_cli):
    no = new_opp(opp_app)
    result = edit(opp_app, run_cli, no, "status=won")
    assert result.exit_code == 1 and "status" in result.output
    assert "Traceback" not in result.output
    result = edit(opp_app, run_cli, no, "salesperson_code=OLD")
    assert result.exit_code == 1 and "OLD is blocked" in result.output
    result = edit(opp_app, run_cli, no, "salesperson_code=NOPE")
    assert result.exit_code == 1 and "NOPE" in result.output
    done = new_opp(opp_app, activate=True)
    ok(run_cli(opp_app, "opportunities", "close", done, "--lost", "--code", "PRICE_L"))
    result = edit(opp_app, run_cli, done, "description=Again")
    assert result.exit_code == 1 and "Closed must be equal to 'No'" in result.output
    assert show(opp_app, done)["description"] == "Deal"


def test_contact_change_rules(opp_app, run_cli):
    """Not started: any contact; the company follows. Started: the same company only."""
    no = new_opp(opp_app)
    data = ok(edit(opp_app, run_cli, no, "contact_no=P9")).json
    assert data["contact_no"] == "P9" and data["contact_company_no"] is None
    started = new_opp(opp_app, activate=True)
    result = edit(opp_app, run_cli, started, "contact_no=C2")
    assert result.exit_code == 1
    assert "Contact C2 Beta Inc is related to another company." in result.output
    data = ok(edit(opp_app, run_cli, started, "contact_no=P1")).json
    assert data["contact_no"] == "P1" and data["contact_company_no"] == "C1"
    from relcore_opportunities.model import entry

    with opp_app.session() as session:
        row = session.execute(
            sa.select(entry.c.contact_no).where(
                entry.c.opportunity_no == started, entry.c.active.is_(True)
            )
        ).one()
    assert row.contact_no == "P1"


def test_salesperson_change_repoints_open_tasks(opp_app, run_cli):
    """§6.4.2: open tasks with the old salesperson follow; closed ones and others keep theirs."""
    company_presentation(opp_app, run_cli)
    with opp_app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "KI", "name": "Ki"}])
    no = new_opp(opp_app, activate=True)
    from relcore_interactions.api import assign_activity

    with opp_app.session() as session:
        made = assign_activity(
            session,
            "COMPPRES",
            WORK_DATE,
            salesperson_code="JO",
            contact_no="C1",
            opportunity_no=no,
        )
    ok(run_cli(opp_app, "tasks", "close", made[0]["no"]))
    ok(edit(opp_app, run_cli, no, "salesperson_code=KI", "contact_no=P1"))
    rows = {t["no"]: t for t in tasks_of(opp_app, run_cli, no)}
    assert rows[made[0]["no"]]["salesperson_code"] == "JO"
    assert rows[made[0]["no"]]["contact_no"] == "C1"
    others = [rows[t["no"]] for t in made[1:]]
    assert {t["salesperson_code"] for t in others} == {"KI"}
    assert {t["contact_no"] for t in others} == {"P1"}
    assert show(opp_app, no)["salesperson_code"] == "KI"


def test_campaign_without_campaigns_plugin_is_refused(opp_app, run_cli):
    no = new_opp(opp_app)
    result = edit(opp_app, run_cli, no, "campaign_no=CP01")
    assert result.exit_code == 1 and "no campaign" in result.output
    assert show(opp_app, no)["campaign_no"] is None


# -- meetings: attendee rows follow, the organizer stays (§6.4.2, BC's Salesperson Code and
#    Contact No. OnValidate) -------------------------------------------------------------------


def _add_salespeople(app, *codes):
    with app.session() as session:
        entities.insert(
            session, "contacts.salesperson", [{"code": c, "name": c.title()} for c in codes]
        )


def _meeting(app, run_cli, opp, owner, *attendees, contact="C1"):
    args = ["--type", "meeting", "--start-time", "10:00", "--contact", contact]
    for a in attendees:
        args += ["--attendee", a]
    return add_task(app, run_cli, opp, owner, *args)


def _task(app, run_cli, no):
    data = ok(run_cli(app, "tasks", "show", no, json=True)).json
    people = [
        (a["attendance_type"], a["attendee_type"], a["attendee_no"]) for a in data["attendees"]
    ]
    names = {a["attendee_no"]: a["attendee_name"] for a in data["attendees"]}
    return data, people, names


def test_salesperson_change_repoints_meeting_attendees_not_the_organizer(opp_app, run_cli):
    """BC: a meeting's Required/Optional salesperson attendee rows with the old salesperson get
    the new one (and its name); a meeting the old salesperson organizes keeps its organizer
    (task salesperson and To-do Organizer row); closed meetings keep theirs."""
    _add_salespeople(opp_app, "KI", "PS")
    no = new_opp(opp_app, salesperson_code="JO")
    attended = _meeting(opp_app, run_cli, no, "PS", "salesperson:JO", "contact:P1")
    optional = _meeting(opp_app, run_cli, no, "PS", "salesperson:JO:optional")
    organized = _meeting(opp_app, run_cli, no, "JO", "salesperson:PS")
    closed = _meeting(opp_app, run_cli, no, "PS", "salesperson:JO")
    ok(run_cli(opp_app, "tasks", "close", closed))
    ok(edit(opp_app, run_cli, no, "salesperson_code=KI"))
    data, people, names = _task(opp_app, run_cli, attended)
    assert data["salesperson_code"] == "PS"
    assert people == [
        ("to_do_organizer", "salesperson", "PS"),
        ("required", "salesperson", "KI"),
        ("required", "contact", "P1"),
    ]
    assert names["KI"] == "Ki"
    assert _task(opp_app, run_cli, optional)[1][1] == ("optional", "salesperson", "KI")
    data, people, _ = _task(opp_app, run_cli, organized)
    assert data["salesperson_code"] == "JO"
    assert people == [("to_do_organizer", "salesperson", "JO"), ("required", "salesperson", "PS")]
    assert _task(opp_app, run_cli, closed)[1][1] == ("required", "salesperson", "JO")
    assert show(opp_app, no)["salesperson_code"] == "KI"


def test_contact_change_repoints_meeting_contact_attendees(opp_app, run_cli):
    """BC: a meeting's contact and its contact attendee rows with the old contact follow; a
    task's Contact Company No. follows its new contact."""
    no = new_opp(opp_app, contact="C1")
    meeting = _meeting(opp_app, run_cli, no, "JO", "contact:C1", "contact:C2")
    ok(edit(opp_app, run_cli, no, "contact_no=P9"))
    data, people, names = _task(opp_app, run_cli, meeting)
    assert (data["contact_no"], data["contact_company_no"]) == ("P9", None)
    assert people == [
        ("to_do_organizer", "salesperson", "JO"),
        ("required", "contact", "P9"),
        ("required", "contact", "C2"),
    ]
    assert names["P9"] == "Loner"


def test_an_attendee_listed_twice_refuses_the_edit(opp_app, run_cli):
    """BC ``ValidateAttendee``: "This attendee already exists." when the new salesperson (or
    contact) already attends the meeting; nothing changes."""
    _add_salespeople(opp_app, "KI", "PS")
    no = new_opp(opp_app, salesperson_code="JO", contact="C1")
    both = _meeting(opp_app, run_cli, no, "PS", "salesperson:JO", "salesperson:KI")
    plain = add_task(opp_app, run_cli, no, "JO")
    result = edit(opp_app, run_cli, no, "salesperson_code=KI")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: Task {both}: field attendees: This attendee already exists."
    ]
    assert show(opp_app, no)["salesperson_code"] == "JO"
    assert _task(opp_app, run_cli, both)[1][1] == ("required", "salesperson", "JO")
    assert _task(opp_app, run_cli, plain)[0]["salesperson_code"] == "JO"
    contacts = _meeting(opp_app, run_cli, no, "PS", "contact:C1", "contact:P1")
    result = edit(opp_app, run_cli, no, "contact_no=P1")
    assert result.exit_code == 1 and "This attendee already exists." in result.output
    assert show(opp_app, no)["contact_no"] == "C1"
    assert _task(opp_app, run_cli, contacts)[0]["contact_no"] == "C1"


def test_repoint_open_tasks_counts_task_and_attendee_rows(opp_app, run_cli):
    """``relcore_interactions.api.repoint_open_tasks``: task rows and attendee rows updated."""
    from relcore_interactions.api import repoint_open_tasks

    _add_salespeople(opp_app, "KI", "PS")
    no = new_opp(opp_app, salesperson_code="JO")
    _meeting(opp_app, run_cli, no, "PS", "salesperson:JO")
    add_task(opp_app, run_cli, no, "JO")
    with opp_app.session() as session:
        assert repoint_open_tasks(session, no, {"salesperson_code": ("JO", "KI")}) == 2
        assert repoint_open_tasks(session, no, {"salesperson_code": ("JO", "KI")}) == 0


# -- campaign → default segment, segment ↔ campaign, Segment Description (§6.4.2) -------------


def _segments(app):
    """CP01 with one segment (SM1), CP02 with two (SM2, SM3), CP03 with none; SM0 without a
    campaign."""
    for campaign in ("CP01", "CP02", "CP03"):
        add_campaign(app, campaign)
    add_segment(app, "SM0", "No campaign")
    add_segment(app, "SM1", "Spring fair", "CP01")
    add_segment(app, "SM2", "Mailing A", "CP02")
    add_segment(app, "SM3", "Mailing B", "CP02")


def _segment_of(app, no):
    row = show(app, no)
    return row["campaign_no"], row["segment_no"], row["segment_description"]


def test_campaign_change_sets_the_default_segment(full_app, run_cli):
    """BC ``SetDefaultSegmentNo``: a changed campaign sets Segment No. to the campaign's only
    segment when it has exactly one, else blank (an old segment is replaced); the Segment
    Description follows. Not at creation (BC runs it on an existing opportunity only)."""
    _segments(full_app)
    created = ok(
        run_cli(
            full_app,
            "opportunities",
            "add",
            "--contact",
            "C1",
            "--description",
            "Deal",
            "--cycle",
            "NEW",
            "--campaign",
            "CP01",
            json=True,
        )
    ).json["no"]
    assert _segment_of(full_app, created) == ("CP01", None, "")
    no = new_opp(full_app, segment_no="SM0")
    assert _segment_of(full_app, no) == (None, "SM0", "No campaign")
    ok(edit(full_app, run_cli, no, "campaign_no=CP01"))
    assert _segment_of(full_app, no) == ("CP01", "SM1", "Spring fair")
    ok(edit(full_app, run_cli, no, "description=Same campaign", "campaign_no=CP01"))
    assert _segment_of(full_app, no) == ("CP01", "SM1", "Spring fair")
    ok(edit(full_app, run_cli, no, "campaign_no=CP02"))  # two segments: none chosen
    assert _segment_of(full_app, no) == ("CP02", None, "")
    ok(edit(full_app, run_cli, no, "campaign_no=CP01"))
    ok(edit(full_app, run_cli, no, "campaign_no=CP03"))  # no segment: blank
    assert _segment_of(full_app, no) == ("CP03", None, "")
    ok(edit(full_app, run_cli, no, "campaign_no=CP01"))
    ok(edit(full_app, run_cli, no, "campaign_no="))  # a blank campaign blanks the segment
    assert _segment_of(full_app, no) == (None, None, "")


def test_segment_must_match_the_campaign_and_brings_its_description(full_app, run_cli):
    """BC ``CheckSegmentCampaignNo``: with a campaign on the opportunity, a segment that has a
    campaign must have the same one (TestField); a segment without campaign is accepted; the
    segment must exist; Segment Description := the segment's. Same rules on creation."""
    _segments(full_app)
    no = new_opp(full_app, campaign_no="CP02")
    result = edit(full_app, run_cli, no, "segment_no=SM1")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: Opportunity {no}: field segment_no: Campaign No. must be equal to 'CP02' in "
        "Segment "
        "Header: No.=SM1. Current value is 'CP01'."
    ]
    assert _segment_of(full_app, no) == ("CP02", None, "")
    result = edit(full_app, run_cli, no, "segment_no=NOPE")
    assert result.exit_code == 1 and "Segment NOPE: does not exist" in result.output
    ok(edit(full_app, run_cli, no, "segment_no=sm3"))
    assert _segment_of(full_app, no) == ("CP02", "SM3", "Mailing B")
    ok(edit(full_app, run_cli, no, "segment_no=SM0"))
    assert _segment_of(full_app, no) == ("CP02", "SM0", "No campaign")
    ok(edit(full_app, run_cli, no, "segment_no="))
    assert _segment_of(full_app, no) == ("CP02", None, "")
    # campaign and segment in one edit: the segment is checked against the new campaign
    ok(edit(full_app, run_cli, no, "campaign_no=CP01", "segment_no=SM0"))
    assert _segment_of(full_app, no) == ("CP01", "SM0", "No campaign")
    result = edit(full_app, run_cli, no, "campaign_no=CP02", "segment_no=SM1")
    assert result.exit_code == 1 and "Current value is 'CP01'" in result.output
    assert _segment_of(full_app, no) == ("CP01", "SM0", "No campaign")
    # without a campaign on the opportunity any segment is accepted
    other = new_opp(full_app)
    ok(edit(full_app, run_cli, other, "segment_no=SM2"))
    assert _segment_of(full_app, other) == (None, "SM2", "Mailing A")
    # creating
    args = ["opportunities", "add", "--contact", "C1", "--description", "D", "--cycle", "NEW"]
    bad = run_cli(full_app, *args, "--campaign", "CP01", "--segment", "SM2")
    assert bad.exit_code == 1 and "Campaign No. must be equal to 'CP01'" in bad.output
    made = ok(run_cli(full_app, *args, "--campaign", "CP01", "--segment", "SM1", json=True))
    assert made.json["segment_description"] == "Spring fair"


def test_segment_per_line_creation_copies_the_description(full_app, run_cli):
    """``add --segment S`` without ``--contact``: every opportunity gets S's description."""
    seg = ok(run_cli(full_app, "segments", "add", "--description", "Expo leads", json=True))
    seg = seg.json["no"]
    ok(run_cli(full_app, "segments", "add-contacts", seg, "--where", "contact.salesperson_code=JO"))
    args = ["--segment", seg, "--description", "Expo", "--cycle", "NEW"]
    made = ok(run_cli(full_app, "opportunities", "add", *args, json=True)).json["created"]
    assert len(made) == 4
    assert {show(full_app, no)["segment_description"] for no in made} == {"Expo leads"}


def test_segments_implements_the_opportunity_hooks(full_app):
    """``relcore_opportunities_segments`` and ``relcore_opportunities_campaign_segments`` are the
    segments plugin's optional implementations."""
    _segments(full_app)
    hook = full_app.pm.hook
    for name in ("relcore_opportunities_segments", "relcore_opportunities_campaign_segments"):
        assert [i.plugin_name for i in getattr(hook, name).get_hookimpls()] == ["segments"]
    with full_app.session() as session:
        assert hook.relcore_opportunities_segments(session=session, segment_nos=["SM1", "NO"]) == {
            "SM1": {"description": "Spring fair", "campaign_no": "CP01"}
        }
        assert hook.relcore_opportunities_campaign_segments(
            session=session, campaign_nos=["CP01", "CP02", "CP03"]
        ) == {"CP01": ["SM1"], "CP02": ["SM2", "SM3"]}


def test_sales_document_fields_point_to_the_document_command(opp_app, run_cli):
    """Decision: the sales document link changes through ``opportunities document`` only (one
    code path for BC's uniqueness rule); ``edit`` refuses its fields in one line."""
    no = new_opp(opp_app)
    for field in ("sales_document_type=quote", "sales_document_no=SQ1", "sales_document_value=5"):
        result = edit(opp_app, run_cli, no, "description=Changed", field)
        assert result.exit_code == 1
        [line] = result.output.strip().splitlines()
        assert f"relcore opportunities document {no} --type" in line
    row = show(opp_app, no)
    assert (row["description"], row["sales_document_no"]) == ("Deal", "")
