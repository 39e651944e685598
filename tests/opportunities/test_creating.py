"""Creating opportunities from a segment (one per line, one transaction) and from an
interaction log entry (§6.7); logging an interaction for an opportunity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relcore import entities
from tests.opportunities.conftest import WORK_DATE, add_contacts, ok


@pytest.fixture
def seg_app(make_app):
    from relcore_opportunities.demo import load_setup

    app = make_app("contacts", "interactions", "segments", "opportunities", work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        add_contacts(session)
        load_setup(session)
        entities.insert(session, "interactions.group", [{"code": "LETTER"}])
        entities.insert(
            session,
            "interactions.template",
            [
                {
                    "code": "BUS",
                    "interaction_group_code": "LETTER",
                    "description": "Letter",
                    "correspondence_type": "",
                }
            ],
        )
    return app


def test_one_per_segment_line_with_first_stage(seg_app, run_cli):
    seg = ok(run_cli(seg_app, "segments", "add", "--description", "Fair", json=True)).json["no"]
    ok(run_cli(seg_app, "segments", "add-contacts", seg, "--where", "contact.salesperson_code=JO"))
    made = ok(
        run_cli(
            seg_app,
            "opportunities",
            "add",
            "--segment",
            seg,
            "--description",
            "Fair lead",
            "--cycle",
            "EXISTING",
            "--activate-first-stage",
            "--estimated-value",
            "1000",
            "--chances-pct",
            "30",
            "--estimated-close-date",
            "2024-03-01",
            json=True,
        )
    ).json
    assert made["created"] == ["OP000001", "OP000002", "OP000003", "OP000004"]
    rows = ok(run_cli(seg_app, "opportunities", "list", json=True)).json
    assert sorted(r["contact_no"] for r in rows) == ["C1", "C2", "P1", "P9"]
    assert {r["status"] for r in rows} == {"in_progress"}
    assert {Decimal(r["calcd_current_value"]) for r in rows} == {Decimal(20)}  # 2 % completed
    one = ok(run_cli(seg_app, "opportunities", "show", "OP000001", json=True)).json
    assert one["segment_no"] == seg and one["creation_date"] == "2024-01-15"
    stats = ok(run_cli(seg_app, "opportunities", "stats", "--cycle", "EXISTING", json=True)).json
    assert stats["no_of_opportunities"] == 4


def test_segment_errors_leave_nothing(seg_app, run_cli):
    seg = ok(run_cli(seg_app, "segments", "add", "--description", "Empty", json=True)).json["no"]
    result = run_cli(
        seg_app, "opportunities", "add", "--segment", seg, "--description", "X", "--cycle", "NEW"
    )
    assert result.exit_code == 1
    assert "You cannot create opportunities on an empty segment." in result.output
    result = run_cli(
        seg_app,
        "opportunities",
        "add",
        "--segment",
        "SM09999",
        "--description",
        "X",
        "--cycle",
        "NEW",
    )
    assert result.exit_code == 1 and "SM09999" in result.output
    ok(run_cli(seg_app, "segments", "add-contacts", seg, "--where", "contact.salesperson_code=JO"))
    result = run_cli(
        seg_app,
        "opportunities",
        "add",
        "--segment",
        seg,
        "--description",
        "X",
        "--cycle",
        "NEW",
        "--activate-first-stage",
        "--estimated-value",
        "5",
        "--chances-pct",
        "5",
        "--estimated-close-date",
        "2024-01-01",
    )
    assert result.exit_code == 1 and "has to be later than this change" in result.output
    assert ok(run_cli(seg_app, "opportunities", "list", json=True)).json == []


def test_from_interaction_entry_and_no_of_interactions(seg_app, run_cli):
    from relcore_interactions.api import log_entry_table as ile

    ok(
        run_cli(
            seg_app,
            "interactions",
            "log",
            "--contact",
            "C1",
            "--template",
            "BUS",
            "--set",
            "description=Asked for a quote",
        )
    )
    with seg_app.session() as session:
        entry_no = session.execute(ile.select()).first().entry_no
    ok(run_cli(seg_app, "setup", "set", "opportunities.default_sales_cycle", "NEW"))
    made = ok(run_cli(seg_app, "opportunities", "from-interaction", str(entry_no), json=True)).json
    assert made["contact_no"] == "C1" and made["description"] == "Asked for a quote"
    shown = ok(run_cli(seg_app, "opportunities", "show", made["no"], json=True)).json
    # the source entry and the "opportunity created" event (shipped template OPP-NEW)
    assert shown["no_of_interactions"] == 2
    again = run_cli(seg_app, "opportunities", "from-interaction", str(entry_no))
    assert again.exit_code == 1 and "already linked" in again.output
    # interactions log --opportunity NO: counted; an unknown opportunity is refused
    ok(
        run_cli(
            seg_app,
            "interactions",
            "log",
            "--contact",
            "C1",
            "--template",
            "BUS",
            "--opportunity",
            made["no"],
        )
    )
    shown = ok(run_cli(seg_app, "opportunities", "show", made["no"], json=True)).json
    assert shown["no_of_interactions"] == 3
    bad = run_cli(
        seg_app,
        "interactions",
        "log",
        "--contact",
        "C1",
        "--template",
        "BUS",
        "--opportunity",
        "OP999999",
    )
    assert bad.exit_code == 1 and "Opportunity OP999999: does not exist" in bad.output


def test_work_date_of_entries(seg_app, run_cli):
    made = ok(
        run_cli(
            seg_app,
            "--work-date",
            "2024-05-02",
            "opportunities",
            "add",
            "--contact",
            "C1",
            "--description",
            "X",
            "--cycle",
            "NEW",
            "--activate-first-stage",
            "--estimated-value",
            "10",
            "--chances-pct",
            "5",
            "--estimated-close-date",
            "2024-06-01",
            json=True,
        )
    ).json
    shown = ok(run_cli(seg_app, "opportunities", "show", made["no"], json=True)).json
    assert shown["entries"][0]["date_of_change"] == "2024-05-02"
    assert dt.date.fromisoformat(shown["creation_date"]) == dt.date(2024, 5, 2)


def test_events_log_interactions_with_the_mapped_template(seg_app, run_cli):
    for event in ("opportunities.created", "opportunities.won", "opportunities.lost"):
        ok(run_cli(seg_app, "interactions", "setup", "set", event, "BUS"))
    made = ok(
        run_cli(
            seg_app,
            "opportunities",
            "add",
            "--contact",
            "C2",
            "--description",
            "Chairs",
            "--cycle",
            "NEW",
            json=True,
        )
    ).json
    ok(run_cli(seg_app, "opportunities", "close", made["no"], "--lost", "--code", "PRICE_L"))
    shown = ok(run_cli(seg_app, "opportunities", "show", made["no"], json=True)).json
    assert shown["no_of_interactions"] == 2  # created + lost, both linked to the opportunity
    ok(run_cli(seg_app, "interactions", "setup", "set", "opportunities.created"))
    other = ok(
        run_cli(
            seg_app,
            "opportunities",
            "add",
            "--contact",
            "C2",
            "--description",
            "Desks",
            "--cycle",
            "NEW",
            json=True,
        )
    ).json
    assert (
        ok(run_cli(seg_app, "opportunities", "show", other["no"], json=True)).json[
            "no_of_interactions"
        ]
        == 0
    )


def test_segment_criteria_source_opportunity(seg_app, run_cli):
    from relcore_opportunities.updating import update_opportunity

    from tests.opportunities.conftest import new_opp

    a = new_opp(seg_app, "NEW", contact="C1", activate=True, value="5000")
    new_opp(seg_app, "NEW", contact="C2")  # not started
    with seg_app.session() as session:
        update_opportunity(session, a, "next")
    seg = ok(run_cli(seg_app, "segments", "add", "--description", "Hot", json=True)).json["no"]
    ok(
        run_cli(
            seg_app,
            "segments",
            "add-contacts",
            seg,
            "--where",
            "opportunity.status=in_progress",
            "--where",
            "opportunity.stage=2",
            "--where",
            "opportunity.estimated_value=>1000",
        )
    )
    lines = ok(run_cli(seg_app, "segments", "show", seg, json=True)).json["lines"]
    assert [ln["contact_no"] for ln in lines] == ["C1"]


def test_init_ships_the_event_templates(tmp_path, run_cli):
    from relcore.app import App

    app = App(f"sqlite:///{tmp_path / 'init.db'}", work_date=WORK_DATE)
    try:
        app.init()
        setup = ok(run_cli(app, "interactions", "setup", "show", json=True)).json
        text = str(setup)
        for code in ("OPP-NEW", "OPP-WON", "OPP-LOST"):
            assert code in text
    finally:
        app.dispose()
