"""CUSTOMER's Primary Contact No. ↔ primarycontactid through the CONTACT couplings (§A5:
"Clear Value on Failed Sync" — the primary contact may not be coupled yet), on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    """Contacts + d365sales on the test database, an emulator, a client on it."""
    return SyncEnv(make_app("contacts", "d365sales"))


def test_sync_sends_primarycontactid_for_a_coupled_primary_contact(env):
    (co,) = env.companies(["Adatum"])
    ann, bob = env.persons(co, [("Ann", "Lee"), ("Bob", "Ray")])
    env.modify(co, primary_contact_no=ann)
    jobs = env.sync(full=True)
    # CUSTOMER runs before CONTACT: Ann is not coupled yet, so the account goes without one
    assert jobs["CUSTOMER", "to_integration"].failed == 0
    account_id = env.coupling("CUSTOMER", co)["dv_id"]
    assert env.emulator.get("accounts", account_id).get("_primarycontactid_value") is None
    # once CONTACT has coupled the person, the company's next sync sets it
    ann_id = env.coupling("CONTACT", ann)["dv_id"]
    env.modify(co, phone_no="555 0100")
    env.sync(mapping="CUSTOMER")
    assert env.emulator.get("accounts", account_id)["_primarycontactid_value"] == ann_id
    env.modify(co, primary_contact_no=bob)
    env.sync(mapping="CUSTOMER")
    bob_id = env.coupling("CONTACT", bob)["dv_id"]
    assert env.emulator.get("accounts", account_id)["_primarycontactid_value"] == bob_id
    assert env.contact(co)["primary_contact_no"] == bob
    assert all(j.failed == 0 for j in env.sync().values())
    assert env.contact(co)["primary_contact_no"] == bob
