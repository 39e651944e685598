"""Emulator: create, update, upsert, delete, lookups, state and actions (Part E4, Part E5)."""

from __future__ import annotations

import httpx
import pytest
from dataverse_emulator import Emulator

API = "https://contoso.crm4.dynamics.com/api/data/v9.2/"
REP = {"Prefer": "return=representation"}


def _id(response: httpx.Response) -> str:
    return response.headers["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")


def test_create_204_and_201(dataverse_client: httpx.Client) -> None:
    """E4.19: POST -> 204 + OData-EntityId; return=representation -> 201 + body, no EntityId."""
    plain = dataverse_client.post("contacts", json={"lastname": "A"})
    assert plain.status_code == 204 and plain.headers["OData-EntityId"].startswith(API)
    rep = dataverse_client.post(
        "contacts", json={"lastname": "B"}, headers=REP, params={"$select": "lastname"}
    )
    assert rep.status_code == 201 and "OData-EntityId" not in rep.headers
    assert set(rep.json()) == {"@odata.context", "@odata.etag", "lastname", "contactid"}


def test_patch_with_if_match(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E4.20: If-Match * (404 when missing), matching/mismatching ETag (204/412), bumps."""
    missing = "00000000-0000-0000-0000-0000000000ff"
    assert (
        dataverse_client.patch(
            f"contacts({missing})", json={"lastname": "x"}, headers={"If-Match": "*"}
        ).status_code
        == 404
    )
    assert dataverse_emulator.get("contacts", missing) is None
    rid = _id(dataverse_client.post("contacts", json={"lastname": "A"}))
    tag = dataverse_client.get(f"contacts({rid})").headers["ETag"]
    dataverse_emulator.clock.advance(2)
    assert (
        dataverse_client.patch(
            f"contacts({rid})", json={"lastname": "B"}, headers={"If-Match": tag}
        ).status_code
        == 204
    )
    stale = dataverse_client.patch(
        f"contacts({rid})", json={"lastname": "C"}, headers={"If-Match": tag}
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["message"] == (
        "The version of the existing record doesn't match the RowVersion property provided."
    )
    row = dataverse_emulator.get("contacts", rid)
    assert row["lastname"] == "B" and f'W/"{row["versionnumber"]}"' != tag
    assert row["modifiedon"] > row["createdon"]
    human = dataverse_emulator.add_user("Hugo Human")["systemuserid"]
    dataverse_emulator.update("contacts", rid, {"lastname": "D"}, as_user=human)
    assert dataverse_emulator.get("contacts", rid)["_modifiedby_value"] == human


def test_upsert_semantics(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E4.20: PATCH without If-Match upserts (204 + EntityId; 201/200 with representation);
    If-None-Match: * creates only."""
    rid = "aaaaaaaa-0000-0000-0000-000000000001"
    first = dataverse_client.patch(f"contacts({rid})", json={"lastname": "New"})
    assert first.status_code == 204 and first.headers["OData-EntityId"].endswith(f"({rid})")
    again = dataverse_client.patch(f"contacts({rid})", json={"lastname": "Upd"}, headers=REP)
    assert again.status_code == 200 and again.json()["lastname"] == "Upd"
    other = "aaaaaaaa-0000-0000-0000-000000000002"
    assert (
        dataverse_client.patch(
            f"contacts({other})", json={"lastname": "x"}, headers=REP
        ).status_code
        == 201
    )
    dup = dataverse_client.patch(
        f"contacts({rid})", json={"lastname": "y"}, headers={"If-None-Match": "*"}
    )
    assert dup.status_code == 412
    assert dup.json()["error"]["message"] == "A record with matching key values already exists."
    new = "aaaaaaaa-0000-0000-0000-000000000003"
    assert (
        dataverse_client.patch(
            f"contacts({new})", json={"lastname": "z"}, headers={"If-None-Match": "*"}
        ).status_code
        == 204
    )


def test_alternate_keys(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E4.21: /accounts(accountnumber='…') for read and upsert; undeclared key -> 400."""
    created = dataverse_client.patch("accounts(accountnumber='A-1001')", json={"name": "Fabrikam"})
    assert created.status_code == 204
    rid = _id(created)
    assert dataverse_emulator.get("accounts", rid)["accountnumber"] == "A-1001"
    dataverse_client.patch("accounts(accountnumber='A-1001')", json={"telephone1": "555"})
    row = dataverse_client.get(
        "accounts(accountnumber='A-1001')", params={"$select": "telephone1"}
    ).json()
    assert row["accountid"] == rid and row["telephone1"] == "555"
    assert dataverse_client.get("accounts(name='Fabrikam')").status_code == 400
    quoted = dataverse_client.patch("accounts(accountnumber='O''Neil/1')", json={"name": "Q"})
    assert dataverse_emulator.get("accounts", _id(quoted))["accountnumber"] == "O'Neil/1"


def test_delete(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E4.22: DELETE 204, missing 404, If-Match mismatch 412."""
    rid = _id(dataverse_client.post("contacts", json={"lastname": "A"}))
    assert (
        dataverse_client.delete(f"contacts({rid})", headers={"If-Match": 'W/"1"'}).status_code
        == 412
    )
    assert dataverse_client.delete(f"contacts({rid})").status_code == 204
    assert dataverse_client.delete(f"contacts({rid})").status_code == 404
    assert dataverse_emulator.store.tombstones[-1].record_id == rid


@pytest.mark.parametrize("prefix", ["/", "", API])
def test_odata_bind_variants(dataverse_client: httpx.Client, prefix: str) -> None:
    """E4.23: @odata.bind with or without leading / or absolute URL; polymorphic customer."""
    acc = _id(dataverse_client.post("accounts", json={"name": "Contoso"}))
    row = dataverse_client.post(
        "contacts",
        json={"lastname": "A", "parentcustomerid_account@odata.bind": f"{prefix}accounts({acc})"},
        headers=REP,
    ).json()
    assert row["_parentcustomerid_value"] == acc and row["parentcustomeridtype"] == "account"


def test_owner_binding_clearing_and_missing_targets(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E4.23: owner to systemusers/teams, null clears, missing target -> 4xx, $ref."""
    alice = dataverse_emulator.add_user("Alice Sales")["systemuserid"]
    team = _id(dataverse_client.post("teams", json={"name": "Sales"}))
    acc = _id(
        dataverse_client.post(
            "accounts", json={"name": "A", "ownerid@odata.bind": f"/systemusers({alice})"}
        )
    )
    assert dataverse_emulator.get("accounts", acc)["_ownerid_value"] == alice
    dataverse_client.patch(f"accounts({acc})", json={"ownerid@odata.bind": f"/teams({team})"})
    row = dataverse_emulator.get("accounts", acc)
    assert row["_ownerid_value"] == team and row["owneridtype"] == "team"
    contact = _id(dataverse_client.post("contacts", json={"lastname": "C"}))
    dataverse_client.patch(
        f"accounts({acc})", json={"primarycontactid@odata.bind": f"/contacts({contact})"}
    )
    dataverse_client.patch(f"accounts({acc})", json={"primarycontactid": None})
    assert dataverse_emulator.get("accounts", acc)["_primarycontactid_value"] is None
    missing = dataverse_client.patch(
        f"accounts({acc})",
        json={"primarycontactid@odata.bind": "/contacts(00000000-0000-0000-0000-000000000009)"},
    )
    assert missing.status_code in (400, 404)
    wrong = dataverse_client.patch(
        f"accounts({acc})", json={"primarycontactid@odata.bind": f"/accounts({acc})"}
    )
    assert wrong.status_code == 400
    assert (
        dataverse_client.put(
            f"accounts({acc})/primarycontactid/$ref",
            json={"@odata.id": f"{API}contacts({contact})"},
        ).status_code
        == 204
    )
    assert dataverse_emulator.get("accounts", acc)["_primarycontactid_value"] == contact
    assert dataverse_client.delete(f"accounts({acc})/primarycontactid/$ref").status_code == 204
    assert dataverse_emulator.get("accounts", acc)["_primarycontactid_value"] is None


def test_single_property_put_and_delete(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """B10: PUT /contacts(id)/telephone1 {"value"} and DELETE clears."""
    rid = _id(dataverse_client.post("contacts", json={"lastname": "A"}))
    assert (
        dataverse_client.put(f"contacts({rid})/telephone1", json={"value": "123"}).status_code
        == 204
    )
    assert dataverse_client.get(f"contacts({rid})/telephone1").json()["value"] == "123"
    assert dataverse_client.delete(f"contacts({rid})/telephone1").status_code == 204
    assert dataverse_emulator.get("contacts", rid)["telephone1"] is None


def test_state_pairs(dataverse_client: httpx.Client) -> None:
    """E4.24: statecode/statuscode validated per table; deactivate via PATCH."""
    rid = _id(dataverse_client.post("contacts", json={"lastname": "A"}))
    assert (
        dataverse_client.patch(
            f"contacts({rid})", json={"statecode": 1, "statuscode": 1}
        ).status_code
        == 400
    )
    assert (
        dataverse_client.patch(
            f"contacts({rid})", json={"statecode": 1, "statuscode": 2}
        ).status_code
        == 204
    )
    row = dataverse_client.get(
        f"contacts({rid})", params={"$select": "statecode,statuscode"}
    ).json()
    assert (row["statecode"], row["statuscode"]) == (1, 2)


def _opportunity(dataverse_client: httpx.Client) -> str:
    return _id(
        dataverse_client.post("opportunities", json={"name": "Deal", "estimatedvalue": 1000})
    )


def test_win_opportunity(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E5.25: WinOpportunity closes as won, sets actuals and creates an opportunityclose."""
    opp = _opportunity(dataverse_client)
    response = dataverse_client.post(
        "WinOpportunity",
        json={
            "Status": 3,
            "OpportunityClose": {
                "subject": "Won",
                "actualrevenue": 12000.5,
                "actualend": "2024-06-01",
                "opportunityid@odata.bind": f"/opportunities({opp})",
            },
        },
    )
    assert response.status_code == 204
    row = dataverse_emulator.get("opportunities", opp)
    assert (row["statecode"], row["statuscode"]) == (1, 3)
    assert row["actualvalue"] == 12000.5 and row["actualclosedate"] == "2024-06-01"
    closes = dataverse_emulator.rows("opportunitycloses")
    assert len(closes) == 1 and closes[0]["_opportunityid_value"] == opp
    again = dataverse_client.post(
        "WinOpportunity",
        json={
            "Status": 3,
            "OpportunityClose": {"opportunityid@odata.bind": f"/opportunities({opp})"},
        },
    )
    assert again.status_code == 400
    assert dataverse_client.patch(f"opportunities({opp})", json={"name": "x"}).status_code == 400


def test_lose_and_reopen_opportunity(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E5.25/E5.26 and E4.24: LoseOpportunity statuses; direct close via PATCH rejected; reopen."""
    opp = _opportunity(dataverse_client)
    assert dataverse_client.patch(f"opportunities({opp})", json={"statecode": 1}).status_code == 400
    bad = dataverse_client.post(
        "LoseOpportunity",
        json={
            "Status": 3,
            "OpportunityClose": {"opportunityid@odata.bind": f"/opportunities({opp})"},
        },
    )
    assert bad.status_code == 400
    assert (
        dataverse_client.post(
            "LoseOpportunity",
            json={
                "Status": 5,
                "OpportunityClose": {
                    "subject": "Lost",
                    "opportunityid@odata.bind": f"/opportunities({opp})",
                },
            },
        ).status_code
        == 204
    )
    assert dataverse_emulator.get("opportunities", opp)["statecode"] == 2
    reopened = dataverse_client.patch(
        f"opportunities({opp})", json={"statecode": 0, "statuscode": 1}
    )
    assert reopened.status_code == 204
    assert dataverse_emulator.get("opportunities", opp)["statecode"] == 0
    assert (
        dataverse_client.patch(f"opportunities({opp})", json={"name": "again"}).status_code == 204
    )


def test_money_keeps_decimal_precision(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """B5: money values round-trip exactly (stored as Decimal)."""
    rid = _id(dataverse_client.post("accounts", json={"name": "A", "creditlimit": 1234567.89}))
    from decimal import Decimal

    assert dataverse_emulator.store.get("accounts", rid)["creditlimit"] == Decimal("1234567.89")


def test_campaign_codename_is_generated_when_blank_and_never_updated(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """B4: codename is generated if blank and not updatable (a PATCH leaves it as it was)."""
    given = _id(dataverse_client.post("campaigns", json={"name": "Fair", "codename": "CP1001"}))
    blank = _id(dataverse_client.post("campaigns", json={"name": "Spring"}))
    generated = dataverse_emulator.get("campaigns", blank)["codename"]
    assert generated.startswith("CMP-") and len(generated) <= 32
    patched = dataverse_client.patch(
        f"campaigns({given})", json={"codename": "RENAMED", "name": "Fair 2026"}
    )
    assert patched.status_code == 204
    row = dataverse_emulator.get("campaigns", given)
    assert (row["codename"], row["name"]) == ("CP1001", "Fair 2026")
