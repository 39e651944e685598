"""The OPPORTUNITY mapping (issue 12, reference §D4, §D5.6, Part E scenario H) contributed by
the opportunities plugin as an optional integration of d365sales, against the shipped Dataverse
emulator; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from relcore_d365sales.testing import SyncEnv
from relcore_opportunities import api as opportunities

WORK_DATE = dt.date(2026, 3, 2)
CLOSE_DATE = dt.date(2026, 4, 30)


def opportunity_env(app, **kw) -> SyncEnv:
    """A SyncEnv on an app with opportunities and d365sales: the Contoso cycles (default NEW),
    one Dataverse user coupled as salesperson JS, company Adatum (a customer) with person
    Robin."""
    from relcore_opportunities.demo import load_setup

    env = SyncEnv(app, **kw)
    env.user = env.emulator.add_user("Jo Seller", internalemailaddress="jo@contoso.example")
    env.sync(mapping="SALESPEOPLE", full=True)
    with app.session() as session:
        load_setup(session)
        app.setup.set(session, "opportunities.default_sales_cycle", "NEW")
    (env.company,) = env.companies(["Adatum"], salesperson_code="JS")
    (env.person,) = env.persons(env.company, [("Robin", "Counts")], salesperson_code="JS")
    return env


def make_env(make_app, *plugins: str) -> SyncEnv:
    plugins = ("contacts", "interactions", *plugins, "opportunities", "d365sales")
    return opportunity_env(make_app(*plugins, work_date=WORK_DATE))


@pytest.fixture
def env(make_app):
    return make_env(make_app, "segments", "campaigns")


def open_opportunity(env: SyncEnv, description: str = "Fleet renewal") -> str:
    with env.app.session() as session:
        row = opportunities.create_opportunity(
            session,
            {"description": description, "contact_no": env.person},
            activate_first_stage=True,
            wizard={
                "estimated_value_lcy": Decimal("10000"),
                "chances_of_success_pct": Decimal("25"),
                "estimated_close_date": CLOSE_DATE,
            },
        )
    return row["no"]


def human_action(env: SyncEnv, name: str, dv_id: str, status: int) -> None:
    """Close a Dataverse opportunity as a human user of Sales would."""
    close = {
        "subject": "Closed in Sales",
        "actualrevenue": 9000,
        "opportunityid@odata.bind": f"/opportunities({dv_id})",
    }
    response = env.human_action(name, {"Status": status, "OpportunityClose": close})
    assert response.status_code == 204, response.text


def actions(env: SyncEnv, name: str) -> list[dict]:
    return [e for e in env.api_requests() if e["path"].endswith("/" + name)]


def lost_status_in_dataverse(env: SyncEnv, description: str, code: str) -> int:
    """Open an opportunity, sync it, lose it locally with ``code``, sync: its Dataverse
    statuscode."""
    no = open_opportunity(env, description)
    env.sync()
    with env.app.session() as session:
        opportunities.close_opportunity(session, no, "lost", code=code)
    env.sync()
    return env.emulator.get("opportunities", env.coupling("OPPORTUNITY", no)["dv_id"])["statuscode"]


def writes(env: SyncEnv) -> list[dict]:
    return [e for e in env.api_requests() if e["method"] != "GET"]


def test_h_open_opportunity_arrives_with_its_fields_then_won_locally_closes_it_once(env):
    no = open_opportunity(env)
    jobs = env.sync(full=True)
    assert all(j.failed == 0 for j in jobs.values()), env.errors()
    assert jobs["OPPORTUNITY", "to_integration"].inserted == 1
    (row,) = env.emulator.rows("opportunities")
    account = env.coupling("CUSTOMER", env.company)["dv_id"]
    assert row["name"] == "Fleet renewal"
    assert row["_parentcontactid_value"] == env.coupling("CONTACT", env.person)["dv_id"]
    assert row["_parentaccountid_value"] == account
    assert row["_customerid_value"] == account
    assert row["_ownerid_value"] == env.user["systemuserid"]
    assert (row["estimatedvalue"], row["closeprobability"]) == (10000, 25)
    assert row["estimatedclosedate"] == CLOSE_DATE.isoformat()
    assert row["statecode"] == 0
    quiet = env.sync()
    assert all(j.inserted == j.modified == j.failed == 0 for j in quiet.values())
    # closed Won locally with another description: the PATCH first, then WinOpportunity
    from relcore_opportunities.editing import edit_opportunity

    with env.app.session() as session:
        edit_opportunity(session, no, {"description": "Fleet renewal 2026"})
        opportunities.close_opportunity(
            session, no, "won", code="PRICE_W", sales_lcy=Decimal("12000")
        )
    before = len(env.api_requests())
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "to_integration"].modified == 1, env.errors()
    sent = env.api_requests()[before:]
    kinds = [e["path"].rsplit("/", 1)[-1] for e in sent if e["method"] != "GET"]
    assert kinds.index("WinOpportunity") > kinds.index("$batch")
    row = env.emulator.get("opportunities", row["opportunityid"])
    assert row["name"] == "Fleet renewal 2026"
    assert (row["statecode"], row["statuscode"], row["actualvalue"]) == (1, 3, 12000)
    assert row["actualclosedate"] == WORK_DATE.isoformat()
    assert len(actions(env, "WinOpportunity")) == 1
    (close,) = env.emulator.rows("opportunitycloses")
    assert close["actualrevenue"] == 12000
    for _ in range(2):
        again = env.sync()
        assert all(j.inserted == j.modified == j.failed == 0 for j in again.values())
    assert len(actions(env, "WinOpportunity")) == 1


def test_h_lost_locally_with_an_out_sold_code_sends_status_5(env, run_cli):
    no = open_opportunity(env)
    env.sync(full=True)
    mapped = run_cli(env.app, "d365", "option-map", "opportunities.statuscode", "5", "PRICE_L")
    assert mapped.exit_code == 0, mapped.output
    with env.app.session() as session:
        opportunities.close_opportunity(session, no, "lost", code="PRICE_L")
    env.sync()
    (row,) = env.emulator.rows("opportunities")
    assert (row["statecode"], row["statuscode"]) == (2, 5)
    (lose,) = actions(env, "LoseOpportunity")
    assert lose["method"] == "POST"
    # another lost code goes as Canceled
    assert lost_status_in_dataverse(env, "Second deal", "WALKED_L") == 4
    # more lost codes are Out-Sold through the setup (the option map holds one code per value)
    refused = run_cli(
        env.app, "setup", "set", "opportunities.d365sales_out_sold_codes", "RELATION_W"
    )
    assert refused.exit_code == 1 and "not a close opportunity code of type lost" in refused.output
    kept = run_cli(env.app, "setup", "set", "opportunities.d365sales_out_sold_codes", "walked_l")
    assert kept.exit_code == 0, kept.output
    assert lost_status_in_dataverse(env, "Third deal", "WALKED_L") == 5


def test_h_reverse_closed_in_dataverse_closes_locally_through_the_api(env, run_cli):
    won_no = open_opportunity(env, "Won in Sales")
    lost_no = open_opportunity(env, "Lost in Sales")
    env.sync(full=True)
    mapped = run_cli(env.app, "d365", "option-map", "opportunities.statuscode", "5", "PRICE_L")
    assert mapped.exit_code == 0, mapped.output
    with env.app.session() as session:
        env.app.setup.set(session, "opportunities.d365sales_won_code", "RELATION_W")
    won_id = env.coupling("OPPORTUNITY", won_no)["dv_id"]
    lost_id = env.coupling("OPPORTUNITY", lost_no)["dv_id"]
    human_action(env, "WinOpportunity", won_id, 3)
    human_action(env, "LoseOpportunity", lost_id, 5)
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "from_integration"].modified == 2, env.errors()
    with env.app.session() as session:
        won = opportunities.show(session, won_no)
        lost = opportunities.show(session, lost_no)
    assert (won["status"], won["closed"]) == ("won", True)
    assert won["calcd_current_value"] == Decimal("9000")
    assert won["entries"][-1]["close_code"] == "RELATION_W"
    assert (lost["status"], lost["entries"][-1]["close_code"]) == ("lost", "PRICE_L")
    # nothing goes back: the rows are closed (read-only) and no action is called
    before = len(writes(env))
    for _ in range(2):
        quiet = env.sync()
        assert all(j.inserted == j.modified == j.failed == 0 for j in quiet.values()), env.errors()
    assert len(writes(env)) == before
    assert len(actions(env, "WinOpportunity")) == 1  # the human's


def test_dataverse_value_changes_become_an_update_entry(env):
    no = open_opportunity(env)
    env.sync(full=True)
    dv_id = env.coupling("OPPORTUNITY", no)["dv_id"]
    env.human_edit(
        "opportunities",
        dv_id,
        {"estimatedvalue": 15000, "closeprobability": 60, "name": "Fleet renewal (big)"},
    )
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "from_integration"].modified == 1, env.errors()
    with env.app.session() as session:
        shown = opportunities.show(session, no)
    assert shown["description"] == "Fleet renewal (big)"
    assert (shown["estimated_value"], shown["chances_pct"]) == (Decimal("15000"), 60)
    assert shown["entries"][-1]["action_taken"] == "updated"
    quiet = env.sync()
    assert all(j.inserted == j.modified == j.failed == 0 for j in quiet.values()), env.errors()


def test_an_opportunity_created_in_dataverse_arrives_once_not_started(env):
    env.sync(full=True)
    contact_id = env.coupling("CONTACT", env.person)["dv_id"]
    created = env.human_insert(
        "opportunities",
        {
            "name": "Inbound lead",
            "parentcontactid@odata.bind": f"/contacts({contact_id})",
            "estimatedvalue": 5000,
            "closeprobability": 30,
            "estimatedclosedate": "2026-05-15",
        },
    )
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "from_integration"].inserted == 1, env.errors()
    # the company relcore derived from the contact is carried back once (§A7.3 step 10)
    again = env.sync()
    assert again["OPPORTUNITY", "to_integration"].modified == 1, env.errors()
    account = env.coupling("CUSTOMER", env.company)["dv_id"]
    row = env.emulator.get("opportunities", created["opportunityid"])
    assert (row["_parentaccountid_value"], row["_customerid_value"]) == (account, account)
    assert row["estimatedvalue"] == 5000  # the pending values are not overwritten
    for _ in range(2):
        again = env.sync()
        assert all(j.inserted == j.modified == j.failed == 0 for j in again.values())
    coupled = env.couplings("OPPORTUNITY")
    assert [c["dv_id"] for c in coupled] == [created["opportunityid"]]
    no = coupled[0]["local_key"]
    with env.app.session() as session:
        shown = opportunities.show(session, no)
        assert len(opportunities.list_opportunities(session)) == 1
    assert (shown["status"], shown["sales_cycle_code"]) == ("not_started", "NEW")
    assert (shown["contact_no"], shown["contact_company_no"]) == (env.person, env.company)
    assert shown["salesperson_code"] == "JS"
    # a value changed in Dataverse while Not Started stays pending
    env.human_edit("opportunities", created["opportunityid"], {"estimatedvalue": 6000})
    env.sync()
    # activated: the Dataverse values become the first entry's values
    with env.app.session() as session:
        opportunities.activate_first_stage(session, no)
        shown = opportunities.show(session, no)
    assert shown["status"] == "in_progress"
    assert (shown["estimated_value"], shown["chances_pct"]) == (Decimal("6000"), 30)
    assert shown["estimated_close_date"] == dt.date(2026, 5, 15)
    version = env.emulator.get("opportunities", created["opportunityid"])["versionnumber"]
    jobs = env.sync()
    assert all(j.failed == 0 for j in jobs.values()), env.errors()
    row = env.emulator.get("opportunities", created["opportunityid"])
    assert (row["estimatedvalue"], row["closeprobability"]) == (6000, 30)
    assert row["versionnumber"] == version  # nothing to send: the values are Dataverse's


def test_a_dataverse_closed_opportunity_is_not_reclosed_by_a_stale_local_edit(env):
    stale = open_opportunity(env, "Stale edit")
    rival = open_opportunity(env, "Closed on both sides")
    env.sync(full=True)
    stale_id = env.coupling("OPPORTUNITY", stale)["dv_id"]
    rival_id = env.coupling("OPPORTUNITY", rival)["dv_id"]
    human_action(env, "LoseOpportunity", stale_id, 4)
    human_action(env, "LoseOpportunity", rival_id, 4)
    from relcore_opportunities.editing import edit_opportunity

    with env.app.session() as session:
        edit_opportunity(session, stale, {"description": "Edited before the sync"})
        opportunities.close_opportunity(
            session, rival, "won", code="PRICE_W", sales_lcy=Decimal("500")
        )
    env.sync()
    (error,) = [e for e in env.errors() if e["local_key"] == stale]
    assert "option-map opportunities.statuscode 4" in error["message"]
    with env.app.session() as session:
        env.app.setup.set(session, "opportunities.d365sales_lost_code", "WALKED_L")
    env.sync()
    with env.app.session() as session:
        assert opportunities.show(session, stale)["status"] == "lost"
        assert opportunities.show(session, rival)["status"] == "won"
    assert env.emulator.get("opportunities", stale_id)["statecode"] == 2
    assert env.emulator.get("opportunities", stale_id)["name"] == "Stale edit"
    rival_row = env.emulator.get("opportunities", rival_id)
    assert (rival_row["statecode"], rival_row["statuscode"]) == (2, 4)
    assert actions(env, "WinOpportunity") == []
    errors = [e for e in env.errors() if e["local_key"] == rival]
    assert errors and all("state is bidirectional" in e["message"] for e in errors)
    patches = [e for e in env.api_requests() if e["method"] == "PATCH"]
    assert not any(stale_id in e["path"] or rival_id in e["path"] for e in patches)
    env.sync()
    assert actions(env, "WinOpportunity") == []
    assert env.emulator.get("opportunities", rival_id)["statecode"] == 2


def test_opportunity_mapping_listed_and_synced_by_name(env, run_cli):
    listed = {m["name"]: m for m in run_cli(env.app, "d365", "mappings", json=True).json}
    assert listed["OPPORTUNITY"]["state"] == "enabled"
    assert listed["OPPORTUNITY"]["only_coupled"] is False
    assert listed["OPPORTUNITY"]["direction"] == "bidirectional"


def test_without_campaigns_the_campaign_field_is_left_out(make_app):
    env = make_env(make_app)
    open_opportunity(env)
    jobs = env.sync(full=True)
    assert all(j.failed == 0 for j in jobs.values()), env.errors()
    (row,) = env.emulator.rows("opportunities")
    assert row["_campaignid_value"] is None


@pytest.fixture
def served(make_app, monkeypatch):
    """The env with the emulator on loopback HTTP, configured through ``relcore d365 setup``."""
    from dataverse_emulator import Emulator

    emulator = Emulator()
    server = emulator.serve()
    monkeypatch.setenv("RELCORE_D365_CLIENT_SECRET", emulator.client_secret)
    plugins = ("contacts", "interactions", "segments", "campaigns", "opportunities", "d365sales")
    app = make_app(*plugins, work_date=WORK_DATE)
    env = opportunity_env(app, emulator=emulator, base_url=server.url, transport=None)
    env.server = server
    yield env
    env.client.close()
    server.stop()


def test_shell_sync_of_the_opportunity_mapping_over_loopback(served, run_cli):
    env = served
    setup = run_cli(env.app, "d365", "setup", *env.setup_args(env.server), json=True)
    assert setup.exit_code == 0, setup.output
    no = open_opportunity(env)
    first = run_cli(env.app, "d365", "sync", "--full", json=True)
    assert first.exit_code == 0, first.output
    jobs = {(j["mapping"], j["direction"]): j for j in first.json}
    assert jobs["OPPORTUNITY", "to_integration"]["inserted"] == 1
    mapped = run_cli(env.app, "d365", "option-map", "opportunities.statuscode", "3", "PRICE_W")
    assert mapped.exit_code == 0, mapped.output
    dv_id = env.coupling("OPPORTUNITY", no)["dv_id"]
    human_action(env, "WinOpportunity", dv_id, 3)
    one = run_cli(env.app, "d365", "sync", "--mapping", "opportunity", json=True)
    assert one.exit_code == 0, one.output
    assert {j["mapping"] for j in one.json} == {"OPPORTUNITY"}
    assert {j["direction"]: j["modified"] for j in one.json}["from_integration"] == 1
    with env.app.session() as session:
        shown = opportunities.show(session, no)
    assert (shown["status"], shown["entries"][-1]["close_code"]) == ("won", "PRICE_W")
    listed = run_cli(env.app, "d365", "option-map", json=True)
    assert {
        "dv_column": "opportunities.statuscode",
        "option_value": 3,
        "local_code": "PRICE_W",
    } in (listed.json)


@pytest.mark.parametrize("strategy", ["send_update", "get_update"])
def test_closed_differently_on_both_sides_is_never_reopened_automatically(env, strategy):
    no = open_opportunity(env)
    env.sync(full=True)
    env.set_mapping("OPPORTUNITY", update_conflict=strategy)
    dv_id = env.coupling("OPPORTUNITY", no)["dv_id"]
    human_action(env, "LoseOpportunity", dv_id, 4)
    with env.app.session() as session:
        opportunities.close_opportunity(session, no, "won", code="PRICE_W", sales_lcy=Decimal(5))
    for _ in range(2):
        jobs = env.sync()
        assert sum(j.failed for j in jobs.values()) == 1
    (error, *_) = env.errors()
    assert "reopen" in error["message"] and "never" in error["message"]
    row = env.emulator.get("opportunities", dv_id)
    assert (row["statecode"], row["statuscode"]) == (2, 4)
    assert actions(env, "WinOpportunity") == []
    with env.app.session() as session:
        assert opportunities.show(session, no)["status"] == "won"


def test_a_dataverse_row_reopened_does_not_reopen_the_local_opportunity(env):
    no = open_opportunity(env)
    env.sync(full=True)
    with env.app.session() as session:
        opportunities.close_opportunity(session, no, "lost", code="WALKED_L")
    env.sync()
    dv_id = env.coupling("OPPORTUNITY", no)["dv_id"]
    assert env.emulator.get("opportunities", dv_id)["statecode"] == 2
    env.human_edit("opportunities", dv_id, {"statecode": 0, "statuscode": 1})
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "from_integration"].failed == 1
    assert "never reopens" in env.errors()[0]["message"]
    with env.app.session() as session:
        assert opportunities.show(session, no)["status"] == "lost"


def test_an_opportunity_created_in_dataverse_for_an_account_takes_the_company(env):
    env.sync(full=True)
    account = env.coupling("CUSTOMER", env.company)["dv_id"]
    env.human_insert(
        "opportunities",
        {"name": "Account deal", "parentaccountid@odata.bind": f"/accounts({account})"},
    )
    nothing = env.human_insert("opportunities", {"name": "No customer at all"})
    jobs = env.sync()
    assert jobs["OPPORTUNITY", "from_integration"].inserted == 1
    assert jobs["OPPORTUNITY", "from_integration"].failed == 1
    (error,) = env.errors()
    assert error["dv_id"] == nothing["opportunityid"]
    assert "no coupled contact" in error["message"]
    (coupled,) = env.couplings("OPPORTUNITY")
    with env.app.session() as session:
        shown = opportunities.show(session, coupled["local_key"])
    assert (shown["contact_no"], shown["status"]) == (env.company, "not_started")


def test_the_campaign_goes_through_the_campaign_couplings(env):
    from relcore import entities

    with env.app.session() as session:
        entities.insert(
            session,
            "campaigns.campaign",
            [
                {
                    "no": "CP0001",
                    "description": "Spring fair",
                    "starting_date": dt.date(2026, 3, 1),
                    "ending_date": dt.date(2026, 3, 31),
                    "salesperson_code": "JS",
                }
            ],
        )
        entities.insert(  # activated: it has a target group
            session,
            "campaigns.target_group",
            [
                {
                    "type": "contact",
                    "no": env.company,
                    "campaign_no": "CP0001",
                    "contact_company_no": env.company,
                }
            ],
        )
        no = opportunities.create_opportunity(
            session,
            {"description": "Fair lead", "contact_no": env.person, "campaign_no": "CP0001"},
        )["no"]
    jobs = env.sync(full=True)
    assert all(j.failed == 0 for j in jobs.values()), env.errors()
    campaign_id = env.coupling("CAMPAIGN", "CP0001")["dv_id"]
    row = env.emulator.get("opportunities", env.coupling("OPPORTUNITY", no)["dv_id"])
    assert row["_campaignid_value"] == campaign_id
    assert (row["estimatedvalue"], row["closeprobability"]) == (None, None)  # Not Started
