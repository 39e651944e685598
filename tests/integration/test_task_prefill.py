"""Tasks created from a campaign, an opportunity or a segment are pre-filled as BC's
``SetFilterFromTask`` does (§7.4), through ``relcore_interactions_task_defaults`` answered by the
real campaigns, opportunities and segments plugins; values the user gives win."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from relcore import entities
from tests.opportunities.conftest import WORK_DATE, add_contacts


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def app(make_app: Any) -> Any:
    """Campaign CP (salesperson CA), opportunity OP (person P1 of C1, campaign CP, salesperson
    OPS, active entry) and segment SM (campaign CP, salesperson SEG, no lines)."""
    from relcore_campaigns.campaigns import create_campaign
    from relcore_opportunities.creating import create_opportunity
    from relcore_opportunities.demo import load_setup
    from relcore_segments.segments import create_segment

    app = make_app(
        "contacts", "interactions", "segments", "campaigns", "opportunities", work_date=WORK_DATE
    )
    with app.session() as session:
        entities.insert(
            session,
            "contacts.salesperson",
            [{"code": c, "name": c} for c in ("JO", "CA", "OPS", "SEG")],
        )
        entities.insert(session, "contacts.team", [{"code": "TEAM", "name": "Team"}])
        add_contacts(session)
        load_setup(session)
        camp = create_campaign(
            session,
            {
                "description": "Fair",
                "salesperson_code": "CA",
                "starting_date": WORK_DATE - dt.timedelta(days=30),
                "ending_date": WORK_DATE + dt.timedelta(days=60),
            },
        )["no"]
        # activated and running on the creation date, as an opportunity's campaign must be (OP24)
        entities.insert(
            session,
            "campaigns.target_group",
            [{"type": "contact", "no": "C2", "campaign_no": camp, "contact_company_no": "C2"}],
        )
        opp = create_opportunity(
            session,
            {
                "description": "Deal",
                "contact_no": "P1",
                "sales_cycle_code": "NEW",
                "campaign_no": camp,
                "salesperson_code": "OPS",
            },
            activate_first_stage=True,
            wizard={
                "estimated_value_lcy": Decimal("1000"),
                "chances_of_success_pct": Decimal("50"),
                "estimated_close_date": WORK_DATE + dt.timedelta(days=30),
            },
        )["no"]
        seg = create_segment(
            session, {"description": "Mailing", "campaign_no": camp, "salesperson_code": "SEG"}
        )["no"]
    app.test_nos = {"campaign": camp, "opportunity": opp, "segment": seg}
    return app


def _add(app: Any, run_cli: Any, *args: str) -> dict:
    return ok(run_cli(app, "tasks", "add", "--description", "Call", *args, json=True)).json


def _active_entry(app: Any, opp: str) -> int:
    from relcore_opportunities.model import entry

    with app.session() as session:
        return session.execute(
            entry.select()
            .with_only_columns(entry.c.entry_no)
            .where(entry.c.opportunity_no == opp, entry.c.active.is_(True))
        ).scalar_one()


def test_task_from_a_campaign_takes_its_salesperson(app, run_cli):
    camp = app.test_nos["campaign"]
    assert _add(app, run_cli, "--campaign", camp)["salesperson_code"] == "CA"
    # explicit values win; a team task takes no salesperson from the campaign
    assert _add(app, run_cli, "--campaign", camp, "--salesperson", "JO")["salesperson_code"] == "JO"
    team = _add(app, run_cli, "--campaign", camp, "--team", "TEAM")
    assert team["team_code"] == "TEAM" and team["salesperson_code"] in (None, "")


def test_task_from_an_opportunity_takes_contact_company_campaign_salesperson(app, run_cli):
    opp, camp = app.test_nos["opportunity"], app.test_nos["campaign"]
    row = _add(app, run_cli, "--opportunity", opp)
    assert (row["contact_no"], row["contact_company_no"]) == ("P1", "C1")
    assert (row["campaign_no"], row["salesperson_code"]) == (camp, "OPS")
    assert row["opportunity_entry_no"] == _active_entry(app, opp) != 0
    mine = _add(app, run_cli, "--opportunity", opp, "--contact", "C2", "--salesperson", "JO")
    assert (mine["contact_no"], mine["contact_company_no"]) == ("C2", "C2")
    assert (mine["salesperson_code"], mine["campaign_no"]) == ("JO", camp)


def test_activity_assigned_from_an_opportunity_is_prefilled(app, run_cli):
    opp, camp = app.test_nos["opportunity"], app.test_nos["campaign"]
    ok(run_cli(app, "tasks", "activities", "add", "FOLLOW", "--description", "Follow up"))
    rows = ok(
        run_cli(
            app,
            "tasks",
            "activities",
            "assign",
            "FOLLOW",
            "--date",
            "2024-02-01",
            "--opportunity",
            opp,
            json=True,
        )
    ).json
    assert [(r["contact_no"], r["campaign_no"], r["salesperson_code"]) for r in rows] == [
        ("P1", camp, "OPS")
    ]


def test_task_from_a_segment_without_lines_takes_header_campaign_and_salesperson(app, run_cli):
    seg, camp = app.test_nos["segment"], app.test_nos["campaign"]
    row = _add(app, run_cli, "--segment", seg)[0]
    assert (row["segment_no"], row["campaign_no"], row["salesperson_code"]) == (seg, camp, "SEG")


def test_without_the_plugins_nothing_is_prefilled(make_app, run_cli):
    app = make_app("contacts", "interactions", work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
    row = _add(app, run_cli, "--campaign", "CP1", "--salesperson", "JO")
    assert (row["campaign_no"], row["salesperson_code"], row["contact_no"]) == ("CP1", "JO", None)
