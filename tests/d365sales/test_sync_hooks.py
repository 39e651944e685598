"""Contact merge, erasure and deletion keep couplings consistent (no orphans, nothing erased is
pushed), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    """Contacts + d365sales on the test database, an emulator, a client on it."""
    env = SyncEnv(make_app("contacts", "d365sales"))
    env.cos = env.companies(["Adatum"])
    env.ps = env.persons(env.cos[0], [("Ann", "Lee"), ("Anne", "Lee"), ("Bob", "Ray")])
    return env


def _merge(env: SyncEnv, survivor: str, duplicate: str) -> dict:
    from relcore_contacts.merge import merge

    with env.app.session() as session:
        return merge(session, survivor, duplicate)


def test_merge_moves_the_coupling_of_an_uncoupled_survivor(env):
    """Only the duplicate is coupled: its coupling moves to the survivor, which then wins."""
    env.sync(mapping="CUSTOMER", full=True)
    env.persons(env.cos[0], [("Zed", "New")])
    env.sync(mapping="CONTACT", full=True)
    dup = env.ps[1]
    dv_id = env.coupling("CONTACT", dup)["dv_id"]
    from relcore_d365sales import couplings

    zed = [c for c in env.couplings("CONTACT") if c["local_key"] not in env.ps][0]
    with env.app.session() as session:
        couplings.uncouple(session, "CONTACT", zed["local_key"])
    survivor = zed["local_key"]
    result = _merge(env, survivor, dup)
    assert result["moved"]["d365_coupling"] == 1
    assert env.coupling("CONTACT", dup) is None
    assert env.coupling("CONTACT", survivor)["dv_id"] == dv_id
    jobs = env.sync(mapping="CONTACT")
    assert jobs["CONTACT", "to_integration"].modified == 1
    assert env.emulator.get("contacts", dv_id)["firstname"] == "Zed"


def test_merge_of_two_coupled_contacts_keeps_the_survivors_coupling(env):
    """Both coupled: the survivor keeps its coupling; the duplicate's is recorded uncoupled."""
    env.sync(full=True)
    keep = env.coupling("CONTACT", env.ps[0])["dv_id"]
    gone = env.coupling("CONTACT", env.ps[1])["dv_id"]
    result = _merge(env, env.ps[0], env.ps[1])
    assert result["moved"]["d365_coupling (uncoupled)"] == 1
    assert env.coupling("CONTACT", env.ps[0])["dv_id"] == keep
    assert all(c["dv_id"] != gone for c in env.couplings("CONTACT"))
    from relcore_d365sales import jobs

    with env.app.session() as session:
        last = jobs.recent_jobs(session, 1)[0]
    assert last["type"] == "uncoupling" and gone in last["message"]
    assert env.emulator.get("contacts", gone) is not None  # Dataverse is left alone


def test_erasure_marks_the_coupling_and_never_pushes(env):
    """Erased contacts are skipped with an error telling the user what to do in Dataverse."""
    from relcore_contacts.erase import erase

    env.sync(full=True)
    dv_id = env.coupling("CONTACT", env.ps[2])["dv_id"]
    with env.app.session() as session:
        erase(session, [env.ps[2]])
    coupling = env.coupling("CONTACT", env.ps[2])
    assert coupling["erased"] and coupling["skipped"]
    jobs = env.sync()
    assert jobs["CONTACT", "to_integration"].skipped == 1
    assert env.emulator.get("contacts", dv_id)["firstname"] == "Bob"  # not blanked silently
    error = env.errors()[0]
    assert "erased" in error["message"] and dv_id in error["message"]
    from relcore_d365sales.couplings import retry

    from relcore.errors import ValidationError

    with pytest.raises(ValidationError, match="uncouple it instead"), env.app.session() as s:
        retry(s, error_id=error["id"])


@pytest.mark.parametrize("policy", ["uncouple", "deactivate", "delete"])
def test_deleted_contacts_leave_no_orphaned_couplings(env, policy):
    """Deleting a coupled contact: uncouple (Dataverse untouched), or deactivate/delete the
    Dataverse row at the next sync; no coupling is left behind."""
    from relcore_contacts.contacts import delete_contacts

    env.sync(full=True)
    with env.app.session() as session:
        env.app.setup.set(session, "d365sales.on_local_delete", policy)
    dv_id = env.coupling("CONTACT", env.ps[0])["dv_id"]
    with env.app.session() as session:
        delete_contacts(session, [env.ps[0]])
    jobs = env.sync()
    assert env.coupling("CONTACT", env.ps[0]) is None
    row = env.emulator.get("contacts", dv_id)
    if policy == "uncouple":
        assert row["statecode"] == 0
    elif policy == "deactivate":
        assert row["statecode"] == 1 and jobs["CONTACT", "to_integration"].deleted == 1
    else:
        assert row is None and jobs["CONTACT", "to_integration"].deleted == 1
