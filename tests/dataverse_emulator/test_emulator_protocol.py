"""Emulator: transport, headers, auth, tables and server columns (Part E1, Part E2)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from dataverse_emulator import Emulator

API = "https://contoso.crm4.dynamics.com/api/data/v9.2/"


def _id(response: httpx.Response) -> str:
    return response.headers["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")


def test_any_v9_version_and_odata_headers(dataverse_client: httpx.Client) -> None:
    """E1.1: v9.x served, OData-Version and JSON content type on bodies."""
    response = dataverse_client.get("https://contoso.crm4.dynamics.com/api/data/v9.1/WhoAmI")
    assert response.status_code == 200
    assert response.headers["OData-Version"] == "4.0"
    assert response.headers["Content-Type"] == "application/json; odata.metadata=minimal"
    assert (
        dataverse_client.get("https://contoso.crm4.dynamics.com/api/data/v8.0/WhoAmI").status_code
        == 404
    )


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Basic abc"])
def test_missing_or_unknown_token_is_401(dataverse_emulator: Emulator, auth: str | None) -> None:
    """E1.2: missing/unknown token -> 401 with the JSON error shape."""
    headers = {"Authorization": auth} if auth else {}
    with httpx.Client(transport=dataverse_emulator.transport(), base_url=API) as raw:
        response = raw.get("WhoAmI", headers=headers)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message"}


def test_expired_token_is_401_and_tokens_follow_the_clock(dataverse_emulator: Emulator) -> None:
    """E1.2: tokens expire by dataverse_emulator time and can be expired early."""
    short = dataverse_emulator.issue_token(expires_in=60)
    other = dataverse_emulator.issue_token()
    with httpx.Client(transport=dataverse_emulator.transport(), base_url=API) as raw:
        assert raw.get("WhoAmI", headers={"Authorization": f"Bearer {short}"}).status_code == 200
        dataverse_emulator.clock.advance(61)
        assert raw.get("WhoAmI", headers={"Authorization": f"Bearer {short}"}).status_code == 401
        assert raw.get("WhoAmI", headers={"Authorization": f"Bearer {other}"}).status_code == 200
        dataverse_emulator.expire_tokens()
        assert raw.get("WhoAmI", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_whoami_is_per_caller(dataverse_emulator: Emulator) -> None:
    """E1.2/E1.3: WhoAmI answers the caller's identity."""
    alice = dataverse_emulator.add_user("Alice Sales")["systemuserid"]
    with httpx.Client(transport=dataverse_emulator.transport(), base_url=API) as raw:
        me = raw.get(
            "WhoAmI", headers={"Authorization": f"Bearer {dataverse_emulator.issue_token()}"}
        )
        her = raw.get(
            "WhoAmI", headers={"Authorization": f"Bearer {dataverse_emulator.issue_token(alice)}"}
        )
    assert me.json()["UserId"] == dataverse_emulator.integration_user_id
    assert her.json()["UserId"] == alice
    assert {"BusinessUnitId", "OrganizationId"} <= set(me.json())


def test_prefer_applied_is_echoed(dataverse_client: httpx.Client) -> None:
    """E1.4: applied preferences are echoed in Preference-Applied."""
    dataverse_client.post("accounts", json={"name": "A"})
    response = dataverse_client.get(
        "accounts", headers={"Prefer": 'odata.maxpagesize=10, odata.include-annotations="*"'}
    )
    applied = response.headers["Preference-Applied"]
    assert "odata.maxpagesize=10" in applied and "odata.include-annotations" in applied
    created = dataverse_client.post(
        "accounts", json={"name": "B"}, headers={"Prefer": "return=representation"}
    )
    assert created.headers["Preference-Applied"] == "return=representation"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "widgets", None, 404),
        ("GET", "accounts?$select=nosuchcolumn", None, 400),
        ("GET", "accounts?$filter=nosuch eq 1", None, 400),
        ("POST", "accounts", {"name": "x", "nosuch": 1}, 400),
        ("POST", "accounts", {"name": 5}, 400),
        ("POST", "accounts", {"name": "x" * 161}, 400),
        ("POST", "accounts", {"customertypecode": 99}, 400),
        ("GET", "accounts(00000000-0000-0000-0000-0000000000aa)", None, 404),
        ("POST", "systemusers", {"fullname": "x"}, 403),
        ("PUT", "accounts", {}, 405),
    ],
)
def test_errors_use_the_dataverse_shape(
    dataverse_client: httpx.Client, method, path, body, status
) -> None:
    """E1.5/E2.6: every error is {"error": {"code": "0x…", "message": …}} with the right status."""
    response = dataverse_client.request(method, path, json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"].startswith("0x") and error["message"]


def test_missing_record_message(dataverse_client: httpx.Client) -> None:
    """E3.12: 404 message "<entity> With Id = <guid> Does Not Exist"."""
    rid = "6f1c0000-0000-0000-0000-000000000001"
    response = dataverse_client.get(f"contacts({rid})")
    assert response.json()["error"]["message"] == f"contact With Id = {rid} Does Not Exist"


def test_tables_of_b4_exist(dataverse_client: httpx.Client) -> None:
    """E2.6: the required entity sets are served."""
    for name in (
        "contacts",
        "accounts",
        "systemusers",
        "opportunities",
        "campaigns",
        "transactioncurrencies",
        "teams",
        "opportunitycloses",
        "leads",
        "products",
    ):
        assert dataverse_client.get(name).status_code == 200, name


def test_primary_key_generated_or_client_supplied(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E2.7: generated when absent, accepted when supplied, duplicate -> 412 (or 400)."""
    generated = _id(dataverse_client.post("contacts", json={"lastname": "A"}))
    assert dataverse_emulator.get("contacts", generated) is not None
    rid = "11111111-2222-3333-4444-555555555555"
    assert _id(dataverse_client.post("contacts", json={"contactid": rid, "lastname": "B"})) == rid
    duplicate = dataverse_client.post("contacts", json={"contactid": rid, "lastname": "C"})
    assert duplicate.status_code == 412
    assert duplicate.json()["error"]["code"] == "0x80040237"
    dataverse_emulator.config.duplicate_status = 400
    assert dataverse_client.post("contacts", json={"contactid": rid}).status_code == 400
    assert dataverse_emulator.get("contacts", rid)["lastname"] == "B"


def test_server_columns(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E2.8: createdon/modifiedon whole seconds UTC, creator/modifier, global versionnumber, ETag;
    client-supplied values for server columns are not stored."""
    dataverse_emulator.clock.set(datetime(2024, 5, 1, 9, 12, 44, 987654, tzinfo=UTC))
    created = dataverse_client.post(
        "accounts",
        params={"$select": "createdon,modifiedon,versionnumber,_createdby_value,_modifiedby_value"},
        json={"name": "A", "modifiedon": "2000-01-01T00:00:00Z", "versionnumber": 1},
        headers={"Prefer": "return=representation"},
    ).json()
    assert created["modifiedon"] == created["createdon"] == "2024-05-01T09:12:44Z"
    assert (
        created["_createdby_value"]
        == created["_modifiedby_value"]
        == dataverse_emulator.integration_user_id
    )
    assert created["@odata.etag"] == f'W/"{created["versionnumber"]}"'
    other = dataverse_client.post(
        "contacts", json={"lastname": "B"}, headers={"Prefer": "return=representation"}
    )
    assert other.json()["versionnumber"] > created["versionnumber"]


def test_fullname_required_columns_and_owner_default(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E2.9: fullname computed; only SystemRequired columns enforced; ownerid defaults to caller."""
    contact = dataverse_client.post(
        "contacts",
        json={"firstname": "Ada", "middlename": "K", "lastname": "Lovelace"},
        headers={"Prefer": "return=representation"},
    ).json()
    assert contact["fullname"] == "Ada K Lovelace"
    assert contact["_ownerid_value"] == dataverse_emulator.integration_user_id
    assert (
        dataverse_client.post("contacts", json={}).status_code == 204
    )  # business-required not enforced
    assert dataverse_client.post("campaigns", json={"description": "no name"}).status_code == 400
    cid = _id(dataverse_client.post("campaigns", json={"name": "Spring"}))
    assert dataverse_client.patch(f"campaigns({cid})", json={"name": None}).status_code == 400
    rid = contact["contactid"]
    dataverse_client.patch(f"contacts({rid})", json={"firstname": "Augusta"})
    assert dataverse_emulator.get("contacts", rid)["fullname"] == "Augusta K Lovelace"


def test_clock_same_second_and_auto_advance(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E2.10: several changes within one second, then across seconds."""
    dataverse_emulator.clock.set(datetime(2024, 5, 1, 9, 0, 0, tzinfo=UTC))
    first = [
        dataverse_client.post(
            "contacts", json={"lastname": str(i)}, headers={"Prefer": "return=representation"}
        ).json()
        for i in range(3)
    ]
    assert {c["modifiedon"] for c in first} == {"2024-05-01T09:00:00Z"}
    assert len({c["versionnumber"] for c in first}) == 3
    dataverse_emulator.clock.auto_advance = 1
    stamps = [
        dataverse_client.post(
            "contacts", json={"lastname": "x"}, headers={"Prefer": "return=representation"}
        ).json()["modifiedon"]
        for _ in range(2)
    ]
    assert stamps[0] != stamps[1]


def test_control_endpoints(dataverse_emulator: Emulator) -> None:
    """E2.10/E2.11: reset/seed, edits as another user, clock, faults and the request log."""
    with httpx.Client(transport=dataverse_emulator.transport(), base_url="http://emu") as control:
        alice = control.post("/_emulator/users", json={"fullname": "Alice Sales"}).json()
        seeded = control.post(
            "/_emulator/seed",
            json={"as_user": alice["systemuserid"], "tables": {"accounts": [{"name": "Contoso"}]}},
        ).json()
        account = seeded["accounts"][0]
        assert account["_modifiedby_value"] == alice["systemuserid"]
        control.post("/_emulator/clock", json={"now": "2025-01-01T00:00:00Z", "advance": 5})
        updated = control.patch(
            f"/_emulator/records/accounts/{account['accountid']}",
            json={"values": {"telephone1": "1"}, "as_user": alice["systemuserid"]},
        ).json()
        assert updated["modifiedon"] == "2025-01-01T00:00:05Z"
        assert updated["versionnumber"] > account["versionnumber"]
        token = control.post("/_emulator/tokens", json={}).json()["access_token"]
        control.post("/_emulator/faults", json={"status": 503, "count": 1})
        auth = {"Authorization": f"Bearer {token}"}
        assert control.get("/api/data/v9.2/WhoAmI", headers=auth).status_code == 503
        assert control.get("/api/data/v9.2/WhoAmI", headers=auth).status_code == 200
        log = control.get("/_emulator/requests").json()["value"]
        assert [e["status"] for e in log[-2:]] == [503, 200]
        assert all(e["headers"].get("Authorization") in (None, "<redacted>") for e in log)
        assert len(control.get("/_emulator/records/accounts").json()["value"]) == 1
        control.post("/_emulator/reset")
        assert control.get("/_emulator/records/accounts").json()["value"] == []
        assert control.get("/api/data/v9.2/WhoAmI", headers=auth).status_code == 401


def test_entity_definitions_by_key_and_filter(dataverse_client: httpx.Client) -> None:
    """EntityDefinitions: one table by LogicalName with its privileges; a filtered list."""
    one = dataverse_client.get(
        "EntityDefinitions(LogicalName='opportunity')",
        params={"$select": "LogicalName,EntitySetName,PrimaryIdAttribute,Privileges"},
    )
    assert one.status_code == 200
    body = one.json()
    assert (body["LogicalName"], body["EntitySetName"], body["PrimaryIdAttribute"]) == (
        "opportunity",
        "opportunities",
        "opportunityid",
    )
    assert {p["Name"] for p in body["Privileges"]} >= {"prvReadOpportunity", "prvWriteOpportunity"}
    listed = dataverse_client.get(
        "EntityDefinitions",
        params={
            "$select": "LogicalName,EntitySetName",
            "$filter": "EntitySetName eq 'accounts' or EntitySetName eq 'transactioncurrencies'",
        },
    ).json()["value"]
    assert sorted(r["LogicalName"] for r in listed) == ["account", "transactioncurrency"]
    assert dataverse_client.get("EntityDefinitions(LogicalName='nosuch')").status_code == 404


def test_denied_privileges_are_403_and_missing_from_user_privileges(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """A denied table privilege: writes answer 403 naming it, reads still work, and
    RetrieveUserPrivileges of the user no longer lists it."""
    created = dataverse_client.post("accounts", json={"name": "Before"})
    assert created.status_code == 204
    dataverse_emulator.deny_privileges("accounts", "Write", "Create")
    refused = dataverse_client.post("accounts", json={"name": "After"})
    assert refused.status_code == 403
    assert "prvCreateAccount" in refused.json()["error"]["message"]
    row_url = created.headers["OData-EntityId"]
    patch = dataverse_client.patch(row_url, json={"name": "Changed"})
    assert patch.status_code == 403 and "prvWriteAccount" in patch.json()["error"]["message"]
    assert dataverse_client.get("accounts").status_code == 200
    me = dataverse_emulator.integration_user_id
    names = {
        p["PrivilegeName"]
        for p in dataverse_client.get(
            f"systemusers({me})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"
        ).json()["RolePrivileges"]
    }
    assert "prvReadAccount" in names and "prvWriteAccount" not in names
    assert "prvCreateAccount" not in names
