"""Manual coupling, match-based coupling, salespeople and failure handling (reference §A6,
§A9, §A11, §A13), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from relcore_d365sales.testing import SyncEnv

from relcore.errors import ValidationError


@pytest.fixture
def env(make_app):
    """Contacts + d365sales on the test database, an emulator, a client on it."""
    return SyncEnv(make_app("contacts", "d365sales"))


def test_match_couple_by_account_number_then_sync_aligns(env):
    """Both sides have data: match-based coupling pairs them (no duplicates); the next sync
    sends relcore's values (the default for a fresh coupling)."""
    from relcore_d365sales.coupling_service import match_couple

    cos = env.companies(["Adatum", "Litware", "Contoso"], city="London")
    env.human_insert(
        "accounts",
        {
            "name": "Adatum Corp",
            "accountnumber": "C-ADATUM",
            "customertypecode": 3,
            "address1_city": "Paris",
        },
    )
    env.human_insert("accounts", {"name": "litware", "customertypecode": 3})
    result = match_couple(env.app, "CUSTOMER", client=env.client)
    assert (result["coupled"], result["no_match"]) == (2, 1)
    jobs = env.sync(mapping="CUSTOMER")
    assert jobs["CUSTOMER", "to_integration"].modified == 2
    accounts = {a["accountnumber"]: a for a in env.emulator.rows("accounts")}
    assert accounts["C-ADATUM"]["address1_city"] == "London"
    assert accounts["C-LITWARE"]["name"] == "Litware"
    from relcore_d365sales.coupling_service import match_couple

    created = match_couple(env.app, "CUSTOMER", create_missing=True, client=env.client)
    assert created["created"] == 1
    assert len(env.emulator.rows("accounts")) == 3
    assert {c["local_key"] for c in env.couplings("CUSTOMER")} == set(cos)


def test_match_couple_reports_multiple_matches(env):
    """Two rows with the same match values: nothing is coupled, the failure is logged."""
    from relcore_d365sales.coupling_service import match_couple

    env.companies(["Adatum"])
    for _ in range(2):
        env.human_insert("accounts", {"name": "Adatum", "customertypecode": 3})
    result = match_couple(env.app, "CUSTOMER", client=env.client)
    assert result["coupled"] == 0 and result["multiple_matches"] == 1
    assert "multiple matches" in env.errors()[0]["message"]


def test_manual_couple_and_uncouple(env):
    """Couple by hand (both sides must exist and be free), then uncouple."""
    from relcore_d365sales.coupling_service import couple_checked
    from relcore_d365sales.couplings import uncouple

    cos = env.companies(["Adatum", "Litware"])
    account = env.human_insert("accounts", {"name": "Old name", "customertypecode": 3})
    row = couple_checked(
        env.app, "customer", cos[0].lower(), account["accountid"], client=env.client
    )
    assert row["force_sync"] is True
    with pytest.raises(ValidationError, match="already coupled"):
        couple_checked(env.app, "CUSTOMER", cos[1], account["accountid"], client=env.client)
    with pytest.raises(ValidationError, match="does not exist"):
        couple_checked(
            env.app, "CUSTOMER", cos[1], "00000000-0000-0000-0000-0000000000aa", client=env.client
        )
    env.sync(mapping="CUSTOMER")
    assert env.emulator.get("accounts", account["accountid"])["name"] == "Adatum"
    with env.app.session() as session:
        uncouple(session, "CUSTOMER", cos[0])
    assert env.coupling("CUSTOMER", cos[0]) is None


def test_salespeople_come_from_dataverse_and_own_the_accounts(env):
    """SALESPEOPLE: enabled licensed users become salespeople (code from initials); customers
    are then owned by the user coupled to their salesperson (not-null owner)."""
    ada = env.emulator.add_user("Ada Byron", internalemailaddress="ada@x.example")
    env.emulator.add_user("Off Line", isdisabled=True)
    jobs = env.sync(mapping="SALESPEOPLE", full=True)
    assert jobs["SALESPEOPLE", "from_integration"].inserted == 1
    coupling = env.couplings("SALESPEOPLE")[0]
    assert coupling["local_key"] == "AB" and coupling["dv_id"] == ada["systemuserid"]
    cos = env.companies(["Adatum"], salesperson_code="AB")
    env.companies(["Litware"])
    env.sync(mapping="CUSTOMER", full=True)
    adatum = env.emulator.get("accounts", env.coupling("CUSTOMER", cos[0])["dv_id"])
    assert adatum["_ownerid_value"] == ada["systemuserid"]
    env.human_edit("systemusers", ada["systemuserid"], {"mobilephone": "+1 555"})
    again = env.sync(mapping="SALESPEOPLE")
    assert again["SALESPEOPLE", "from_integration"].modified == 1
    with env.app.session() as session:
        from relcore import entities

        assert entities.get(session, "contacts.salesperson", "AB")["phone_no"] == "+1 555"


def test_same_error_twice_skips_and_retry_releases(env):
    """A Dataverse value the local field cannot hold fails the record; the same failure on the
    next run (a failed record is retried without new changes) flags it skipped; ``retry``
    includes it again once the cause is fixed."""
    from relcore_d365sales.couplings import retry

    cos = env.companies(["Adatum"])
    ps = env.persons(cos[0], [("Ann", "Lee")])
    env.sync(full=True)
    dv_id = env.coupling("CONTACT", ps[0])["dv_id"]
    env.human_edit("contacts", dv_id, {"firstname": "A" * 40})
    first = env.sync()
    assert first["CONTACT", "from_integration"].failed == 1
    assert "longer than 30" in env.errors()[0]["message"]
    second = env.sync()
    assert second["CONTACT", "from_integration"].failed == 1
    assert env.coupling("CONTACT", ps[0])["skipped"] is True
    assert env.sync()["CONTACT", "from_integration"].skipped == 1
    env.human_edit("contacts", dv_id, {"firstname": "Annabel"})
    with env.app.session() as session:
        assert retry(session, all_=True) == 1
    fixed = env.sync()
    assert fixed["CONTACT", "from_integration"].modified == 1
    assert env.contact(ps[0])["first_name"] == "Annabel"


def test_new_dataverse_contact_is_created_locally_when_not_only_coupled(env):
    """With "only coupled records" off, a new Dataverse contact becomes a person of the coupled
    company, inheriting its address; the inherited values are carried back to Dataverse."""
    cos = env.companies(["Adatum"], city="Leeds")
    env.sync(full=True)
    env.set_mapping("CONTACT", only_coupled=False)
    account = env.coupling("CUSTOMER", cos[0])["dv_id"]
    row = env.human_insert(
        "contacts",
        {
            "firstname": "Nia",
            "lastname": "Ode",
            "parentcustomerid_account@odata.bind": f"/accounts({account})",
        },
    )
    jobs = env.sync()
    assert jobs["CONTACT", "from_integration"].inserted == 1
    no = [c for c in env.couplings("CONTACT")][0]["local_key"]
    person = env.contact(no)
    assert (person["type"], person["company_no"], person["city"]) == ("person", cos[0], "Leeds")
    back = env.sync()
    assert back["CONTACT", "to_integration"].modified == 1
    assert env.emulator.get("contacts", row["contactid"])["address1_city"] == "Leeds"
    assert all(j.modified == 0 for j in env.sync().values())


def test_full_sync_from_dataverse_creates_linked_customers_and_persons(env):
    """Dataverse-only data: a full sync creates customer companies (linked with the account
    number as customer number) and their persons, coupled."""
    ada = env.emulator.add_user("Ada Byron")["systemuserid"]
    fab = env.emulator.insert(
        "accounts",
        {"name": "Fabrikam", "customertypecode": 3, "accountnumber": "C-FAB"},
        as_user=ada,
    )
    env.emulator.insert("accounts", {"name": "Vendor Co", "customertypecode": 11}, as_user=ada)
    env.emulator.insert(
        "contacts",
        {
            "firstname": "Wendy",
            "lastname": "Kahn",
            "parentcustomerid_account@odata.bind": f"/accounts({fab['accountid']})",
        },
        as_user=ada,
    )
    jobs = env.sync(full=True)
    assert jobs["CUSTOMER", "from_integration"].inserted == 1
    assert jobs["CONTACT", "from_integration"].inserted == 1
    company = env.couplings("CUSTOMER")[0]["local_key"]
    from relcore_contacts import api

    with env.app.session() as session:
        assert api.link_of(session, "customer", ["C-FAB"]) == {"C-FAB": company}
    person = env.contact(env.couplings("CONTACT")[0]["local_key"])
    assert (person["first_name"], person["company_no"]) == ("Wendy", company)
    assert all(j.inserted == j.failed == 0 for j in env.sync().values())
