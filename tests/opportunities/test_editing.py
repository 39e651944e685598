"""``opportunities edit NO --set FIELD=VALUE`` (§6.4.2 field rules on an existing opportunity)."""

from __future__ import annotations

import sqlalchemy as sa

from relcore import entities
from tests.opportunities.conftest import WORK_DATE, new_opp, show
from tests.opportunities.test_tasks import company_presentation, ok, tasks_of


def edit(app, run_cli, no, *pairs):
    args = []
    for pair in pairs:
        args += ["--set", pair]
    return run_cli(app, "opportunities", "edit", no, *args, json=True)


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
