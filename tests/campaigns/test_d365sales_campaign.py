"""The CAMPAIGN mapping (issue 12 item 2, reference §D4) contributed by the campaigns plugin as an
optional integration of d365sales: created once with its codename, never renamed, status through
the option map, owner through the SALESPEOPLE couplings; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from relcore_campaigns.campaigns import add_status, create_campaign, update_campaign
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    app = make_app("contacts", "interactions", "segments", "campaigns", "d365sales")
    return SyncEnv(app)


def test_a_campaign_created_locally_arrives_once_and_is_never_renamed(env, run_cli):
    user = env.emulator.add_user("Jo Seller", internalemailaddress="jo@contoso.example")
    env.sync(mapping="SALESPEOPLE", full=True)
    salesperson = env.coupling("SALESPEOPLE", "JS")
    assert salesperson["dv_id"] == user["systemuserid"]
    with env.app.session() as session:
        add_status(session, "5-START", "Started")
        campaign = create_campaign(
            session,
            {
                "description": "Spring fair",
                "starting_date": dt.date(2026, 3, 1),
                "ending_date": dt.date(2026, 3, 31),
                "salesperson_code": "JS",
                "status_code": "5-START",
            },
        )
    no = campaign["no"]
    # a status without a mapped choice value fails the record, naming the field
    jobs = env.sync(mapping="CAMPAIGN")
    assert jobs["CAMPAIGN", "to_integration"].failed == 1
    assert "status_code" in env.errors()[0]["message"]
    assert env.emulator.rows("campaigns") == []
    mapped = run_cli(env.app, "d365", "option-map", "campaigns.statuscode", "2", "5-START")
    assert mapped.exit_code == 0, mapped.output
    jobs = env.sync(mapping="CAMPAIGN")
    assert jobs["CAMPAIGN", "to_integration"].inserted == 1
    (row,) = env.emulator.rows("campaigns")
    assert (row["codename"], row["name"], row["statuscode"]) == (no, "Spring fair", 2)
    assert (row["proposedstart"], row["proposedend"]) == ("2026-03-01", "2026-03-31")
    assert row["_ownerid_value"] == user["systemuserid"]
    assert env.coupling("CAMPAIGN", no)["dv_id"] == row["campaignid"]
    # a later change updates the row; the codename stays the campaign's number
    with env.app.session() as session:
        update_campaign(session, no, {"description": "Spring fair 2026"})
    again = env.sync()
    assert again["CAMPAIGN", "to_integration"].modified == 1
    (row,) = env.emulator.rows("campaigns")
    assert (row["codename"], row["name"]) == (no, "Spring fair 2026")
    quiet = env.sync()
    assert (
        quiet["CAMPAIGN", "to_integration"].inserted,
        quiet["CAMPAIGN", "to_integration"].modified,
    ) == (0, 0)
    assert len(env.emulator.rows("campaigns")) == 1


def test_campaign_mapping_is_listed_as_available_with_campaigns_installed(env, run_cli):
    listed = {m["name"]: m for m in run_cli(env.app, "d365", "mappings", json=True).json}
    assert listed["CAMPAIGN"]["state"] == "enabled"
    assert listed["CAMPAIGN"]["dependency_filter"] == "SALESPEOPLE"
    assert listed["OPPORTUNITY"]["state"] == "not available"
