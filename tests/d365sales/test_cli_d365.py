"""The ``relcore d365`` shell against the emulator served on loopback (token from its fake
Entra endpoint, secret from the environment only), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dataverse_emulator import Emulator
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def served(make_app, monkeypatch):
    """An app configured through ``d365 setup`` for an emulator on loopback."""
    emulator = Emulator()
    server = emulator.serve()
    env = SyncEnv(make_app("contacts", "d365sales"), emulator, base_url=server.url, transport=None)
    monkeypatch.setenv("RELCORE_D365_CLIENT_SECRET", emulator.client_secret)
    env.server = server
    yield env
    env.client.close()
    server.stop()


def _setup(run_cli, env, *extra):
    return run_cli(env.app, "d365", "setup", *env.setup_args(env.server), *extra, json=True)


def test_setup_test_connection_sync_status(served, run_cli):
    result = _setup(run_cli, served)
    assert result.exit_code == 0, result.output
    assert result.json["client_secret"].startswith("set in RELCORE_D365_CLIENT_SECRET")
    with served.app.session() as session:
        stored = [r[0] or "" for r in session.execute(sa.text("select value from core_setup"))]
    assert not any(served.emulator.client_secret in v for v in stored)
    conn = run_cli(served.app, "d365", "test-connection", json=True)
    assert conn.exit_code == 0, conn.output
    assert conn.json["user_id"] == served.emulator.integration_user_id
    assert {t["mapping"]: t["needs"] for t in conn.json["tables"]}["CUSTOMER"] == [
        "prvReadAccount",
        "prvCreateAccount",
        "prvWriteAccount",
    ]
    assert all(t["missing"] == [] for t in conn.json["tables"])
    cos = served.companies(["Adatum"])
    served.persons(cos[0], [("A", "B"), ("C", "D")])
    sync = run_cli(served.app, "d365", "sync", "--full", json=True)
    assert sync.exit_code == 0, sync.output
    jobs = {(j["mapping"], j["direction"]): j for j in sync.json}
    assert jobs["CONTACT", "to_integration"]["inserted"] == 2
    assert set(sync.json[0]) >= {
        "mapping",
        "direction",
        "inserted",
        "modified",
        "unchanged",
        "skipped",
        "failed",
    }
    one = run_cli(served.app, "d365", "sync", "--mapping", "contact", json=True)
    assert [j["mapping"] for j in one.json] == ["CONTACT", "CONTACT"]
    status = run_cli(served.app, "d365", "status", json=True)
    mappings = {m["name"]: m for m in status.json["mappings"]}
    assert mappings["CONTACT"]["coupled"] == 2 and mappings["CUSTOMER"]["coupled"] == 1
    human = run_cli(served.app, "d365", "status")
    assert human.exit_code == 0 and "CONTACT" in human.output


def test_couple_uncouple_errors_retry_match(served, run_cli):
    _setup(run_cli, served)
    cos = served.companies(["Adatum", "Litware"])
    row = served.human_insert("accounts", {"name": "Adatum", "customertypecode": 3})
    ok = run_cli(served.app, "d365", "couple", "CUSTOMER", cos[0], row["accountid"], json=True)
    assert ok.exit_code == 0, ok.output
    assert ok.json["dv_id"] == row["accountid"]
    again = run_cli(served.app, "d365", "couple", "CUSTOMER", cos[1], row["accountid"])
    assert again.exit_code == 1 and "already coupled" in again.output
    gone = run_cli(served.app, "d365", "uncouple", "CUSTOMER", cos[0], json=True)
    assert gone.exit_code == 0
    match = run_cli(served.app, "d365", "match-couple", "CUSTOMER", "--create-missing", json=True)
    assert match.exit_code == 0, match.output
    assert (match.json["coupled"], match.json["created"]) == (1, 1)
    served.human_insert("accounts", {"name": "Dup", "customertypecode": 3})
    served.human_insert("accounts", {"name": "Dup", "customertypecode": 3})
    served.companies(["Dup"])
    multiple = run_cli(served.app, "d365", "match-couple", "CUSTOMER", json=True)
    assert multiple.json["multiple_matches"] == 1
    human = run_cli(served.app, "d365", "match-couple", "CUSTOMER")  # issue #14 item 9
    assert human.exit_code == 0 and "Match-based coupling CUSTOMER" in human.output
    assert "Job(" not in human.output and " object at 0x" not in human.output
    errors = run_cli(served.app, "d365", "errors", json=True)
    assert "multiple matches" in errors.json[0]["message"]
    retry = run_cli(served.app, "d365", "retry", "--all", json=True)
    assert retry.exit_code == 0 and retry.json == {"released": 0}
    bad = run_cli(served.app, "d365", "retry")
    assert bad.exit_code == 1 and "--all" in bad.output


def test_missing_setup_and_secret_fail_in_one_line(make_app, run_cli, monkeypatch):
    app = make_app("contacts", "d365sales")
    result = run_cli(app, "d365", "sync")
    assert result.exit_code == 1
    assert "relcore d365 setup" in result.output and "Traceback" not in result.output
    monkeypatch.delenv("RELCORE_D365_CLIENT_SECRET", raising=False)
    run_cli(
        app,
        "d365",
        "setup",
        "--org-url",
        "https://x.example",
        "--tenant-id",
        "contoso.onmicrosoft.com",
        "--client-id",
        "11111111-2222-3333-4444-555555555555",
    )
    result = run_cli(app, "d365", "test-connection")
    assert result.exit_code == 1 and "RELCORE_D365_CLIENT_SECRET" in result.output


def test_group_help_lists_the_commands(make_app, run_cli):
    result = run_cli(make_app("contacts", "d365sales"), "d365", "--help")
    for name in (
        "setup",
        "test-connection",
        "sync",
        "status",
        "errors",
        "retry",
        "couple",
        "uncouple",
        "match-couple",
        "emulator",
    ):
        assert name in result.output


def test_demo_syncs_with_an_in_process_emulator_without_network(make_app):
    """The demo data hook configures a placeholder URL and runs one sync in-process."""
    from relcore_d365sales.demo import DEMO_ORG_URL, load_demo, tour

    app = make_app("contacts", "d365sales")
    with app.session() as session:
        load_demo(app, session)
    with app.session() as session:
        lines = tour(app, session)
        assert app.setup.get(session, "d365sales.org_url") == DEMO_ORG_URL
    assert "inserted" in lines[1] and "couplings" in lines[-1]


def test_mapping_options_and_option_map_from_the_shell(make_app, run_cli):
    app = make_app("contacts", "d365sales")
    listed = run_cli(app, "d365", "mappings", json=True)
    assert [m["name"] for m in listed.json if m["state"] == "enabled"] == [
        "SALESPEOPLE",
        "CURRENCY",
        "CUSTOMER",
        "CONTACT",
    ]
    changed = run_cli(
        app,
        "d365",
        "mapping",
        "contact",
        "--set",
        "update_conflict=get_update",
        "--set",
        "only_coupled=no",
        json=True,
    )
    assert changed.exit_code == 0, changed.output
    assert (changed.json["update_conflict"], changed.json["only_coupled"]) == ("get_update", False)
    assert any(f["dv_column"] == "parentcustomerid" for f in changed.json["fields"])
    bad = run_cli(app, "d365", "mapping", "CONTACT", "--set", "update_conflict=maybe")
    assert bad.exit_code == 1 and "update_conflict" in bad.output
    bad = run_cli(app, "d365", "mapping", "CONTACT", "--set", "local_watermark=x")
    assert bad.exit_code == 1
    opt = run_cli(app, "d365", "option-map", "accounts.paymenttermscode", "1", "net30", json=True)
    assert opt.json == [
        {"dv_column": "accounts.paymenttermscode", "option_value": 1, "local_code": "NET30"}
    ]
    reset = run_cli(app, "d365", "mappings", "--reset-defaults", json=True)
    assert {m["name"]: m.get("update_conflict") for m in reset.json}["CONTACT"] == "none"


def test_test_connection_names_the_privileges_the_application_user_lacks(served, run_cli):
    """test-connection checks each enabled mapping's table through EntityDefinitions and
    RetrieveUserPrivileges: a user without write access to contacts fails, naming it."""
    assert _setup(run_cli, served).exit_code == 0
    served.emulator.deny_privileges("contacts", "Write")
    served.emulator.deny_privileges("systemusers", "Create", "Write")  # SALESPEOPLE only reads
    conn = run_cli(served.app, "d365", "test-connection")
    assert conn.exit_code == 1
    assert "lacks prvWriteContact (mapping CONTACT, contacts)" in conn.output
    assert "SALESPEOPLE" not in conn.output and "Traceback" not in conn.output
    served.set_mapping("CONTACT", enabled=False)
    assert run_cli(served.app, "d365", "test-connection").exit_code == 0


def test_failed_token_request_writes_a_job_row(served, run_cli, monkeypatch):
    """§A10: a sync whose token request fails exits 1 with one line and leaves a job row with
    the error, which ``d365 jobs`` shows (issue #14 item 7)."""
    assert _setup(run_cli, served).exit_code == 0
    monkeypatch.setenv("RELCORE_D365_CLIENT_SECRET", "not-the-secret")
    result = run_cli(served.app, "d365", "sync")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "cannot connect to Dataverse" in result.output
    logged = run_cli(served.app, "d365", "jobs", json=True)
    assert logged.exit_code == 0, logged.output
    failed = logged.json[0]
    assert failed["mapping_name"] == "" and "cannot connect to Dataverse" in failed["message"]
    assert failed["finished_at"] is not None
    shown = run_cli(served.app, "d365", "jobs")
    assert shown.exit_code == 0 and "cannot connect to Dataverse" in shown.output


def test_emulator_act_as_control_for_rehearsing_conflicts(make_app, run_cli, monkeypatch):
    """``d365 emulator --seed`` prints the Sales users and how to edit a row as one of them
    (issue #14 item 7); the printed control edits the row as that user."""
    import re

    import httpx
    from dataverse_emulator import EmulatorServer

    seen = {}

    def fake_wait(server):  # stands in for "until Ctrl-C"
        account = server.emulator.rows("accounts")[0]["accountid"]
        ada = next(
            u["systemuserid"]
            for u in server.emulator.rows("systemusers")
            if u["fullname"] == "Ada Byron"
        )
        seen["ada"] = ada
        edited = httpx.patch(
            f"{server.url}/_emulator/records/accounts/{account}",
            json={"as_user": ada, "values": {"telephone1": "555 0100"}},
        )
        seen["edited"] = edited.json()
        server.stop()

    monkeypatch.setattr(EmulatorServer, "wait", fake_wait)
    result = run_cli(make_app("contacts", "d365sales"), "d365", "emulator", "--seed")
    assert result.exit_code == 0, result.output
    assert "act as a Sales user" in result.output
    assert f"Ada Byron: as_user={seen['ada']}" in result.output
    assert re.search(
        r"curl -X PATCH http://127\.0\.0\.1:\d+/_emulator/records/accounts/", result.output
    )
    assert seen["edited"]["telephone1"] == "555 0100"
    assert seen["edited"]["_modifiedby_value"] == seen["ada"]


def test_mappings_say_why_opportunity_and_campaign_are_out(make_app, run_cli):
    """Issue 12: OPPORTUNITY/CAMPAIGN come from their plugins; without them (or when a plugin
    registers no mapping) `d365 mappings` lists them as not available, saying why, and a sync of
    one refuses with the same reason."""
    import types

    app = make_app("contacts", "d365sales")
    listed = {m["name"]: m for m in run_cli(app, "d365", "mappings", json=True).json}
    assert listed["CUSTOMER"]["state"] == "enabled"
    assert listed["OPPORTUNITY"]["state"] == "not available"
    assert "pip install relcore-opportunities" in listed["OPPORTUNITY"]["reason"]
    assert "pip install relcore-campaigns" in listed["CAMPAIGN"]["reason"]
    sync = run_cli(app, "d365", "sync", "--mapping", "opportunity")
    assert sync.exit_code == 1
    assert "OPPORTUNITY is not available: plugin opportunities is not installed" in sync.output
    silent = make_app(
        "contacts", "d365sales", extra=[("opportunities", types.ModuleType("opportunities"))]
    )
    listed = {m["name"]: m for m in run_cli(silent, "d365", "mappings", json=True).json}
    assert "installed but registers no OPPORTUNITY mapping" in listed["OPPORTUNITY"]["reason"]
    human = run_cli(app, "d365", "mappings")
    assert "not available" in human.output
