"""Acceptance scenario J of reference Part E9: change tracking (delta links), and re-baselining
after an expired delta token without losing a change."""

from __future__ import annotations

import pytest
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    """Contacts + d365sales on the test database, an emulator, a client on it."""
    return SyncEnv(make_app("contacts", "d365sales"))


def test_j_delta_links_pick_up_create_update_delete(env):
    """Create, update and delete in Dataverse all arrive through the delta link; an expired
    token falls back to polling (no change lost) and the next run re-baselines."""
    cos = env.companies(["Adatum"])
    ps = env.persons(cos[0], [("A", "One"), ("B", "Two"), ("C", "Three")])
    env.sync(full=True)
    env.set_mapping("CONTACT", use_change_tracking=True, only_coupled=False)
    baseline = env.sync(mapping="CONTACT")
    assert baseline["CONTACT", "from_integration"].modified == 0
    ids = [env.coupling("CONTACT", no)["dv_id"] for no in ps]
    account = env.coupling("CUSTOMER", cos[0])["dv_id"]
    env.human_insert(
        "contacts",
        {
            "firstname": "New",
            "lastname": "Person",
            "parentcustomerid_account@odata.bind": f"/accounts({account})",
        },
    )
    env.human_edit("contacts", ids[0], {"jobtitle": "Boss"})
    env.emulator.delete("contacts", ids[1])
    jobs = env.sync(mapping="CONTACT")
    got = jobs["CONTACT", "from_integration"]
    assert (got.inserted, got.modified) == (1, 1)
    assert jobs["CONTACT", "to_integration"].failed == 1  # deletion: strategy None reports it
    assert "deleted record" in env.errors()[0]["message"]
    assert env.contact(ps[0])["job_title"] == "Boss"
    new = [c for c in env.couplings("CONTACT") if c["local_key"] not in ps]
    assert len(new) == 1 and env.contact(new[0]["local_key"])["surname"] == "Person"
    delta = [e for e in env.api_requests() if "deltatoken" in e["query"]]
    assert delta, "the second run followed the delta link"
    # the delta token expires: polling by modifiedon keeps the change, then a new baseline
    env.emulator.config.delta_token_max_age_days = 1
    env.emulator.clock.advance(2 * 86400)
    env.human_edit("contacts", ids[2], {"jobtitle": "Late"})
    late = env.sync(mapping="CONTACT")
    assert late["CONTACT", "from_integration"].modified == 1
    assert env.contact(ps[2])["job_title"] == "Late"
    rebased = env.sync(mapping="CONTACT")
    assert rebased["CONTACT", "from_integration"].modified == 0
    from relcore import entities

    with env.app.session() as session:
        row = entities.get(session, "d365sales.table_mapping", "CONTACT")
    assert row["dv_delta_link"] and "deltatoken" in row["dv_delta_link"]
