"""Acceptance scenarios A–G and I of reference Part E9, end to end against the emulator
(in-process), on SQLite and PostgreSQL."""

from __future__ import annotations

from urllib.parse import unquote_plus

import pytest
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    """Contacts + d365sales on the test database, an emulator, a client on it."""
    return SyncEnv(make_app("contacts", "d365sales"))


def _initial(env: SyncEnv, persons: int = 3) -> tuple[list[str], list[str]]:
    cos = env.companies(["Adatum", "Litware"], city="London")
    ps = env.persons(
        cos[0], [(f"First{i}", f"Last{i}") for i in range(persons)], email="x@adatum.example"
    )
    env.sync(full=True)
    return cos, ps


def test_a_full_sync_to_empty_dataverse_creates_each_record_once(env):
    """A. Empty Dataverse, populated RM DB: full sync creates every record once, coupled,
    counters = inserted N; the next run changes nothing."""
    cos = env.companies(["Adatum", "Litware"], city="London")
    ps = env.persons(cos[0], [("Robin", "Counts"), ("Kim", "Aber")])
    jobs = env.sync(full=True)
    assert jobs["CUSTOMER", "to_integration"].inserted == 2
    assert jobs["CONTACT", "to_integration"].inserted == 2
    assert all(j.failed == 0 and j.modified == 0 for j in jobs.values())
    accounts = {a["accountid"]: a for a in env.emulator.rows("accounts")}
    contacts = env.emulator.rows("contacts")
    assert len(accounts) == 2 and len(contacts) == 2
    adatum = env.coupling("CUSTOMER", cos[0])
    assert accounts[adatum["dv_id"]]["name"] == "Adatum"
    assert accounts[adatum["dv_id"]]["customertypecode"] == 3
    assert accounts[adatum["dv_id"]]["accountnumber"] == "C-ADATUM"
    robin = env.coupling("CONTACT", ps[0])
    row = env.emulator.get("contacts", robin["dv_id"])
    assert (row["firstname"], row["lastname"]) == ("Robin", "Counts")
    assert row["_parentcustomerid_value"] == adatum["dv_id"]
    assert row["address1_city"] == "London"  # inherited from the company locally
    again = env.sync()
    assert all(j.inserted == j.modified == j.failed == 0 for j in again.values())
    assert len(env.emulator.rows("contacts")) == 2


def test_b_same_second_edits_are_picked_up_exactly_once(env):
    """B. Three human edits in the same second as the watermark are all picked up, once."""
    _, ps = _initial(env, persons=4)
    ids = [env.coupling("CONTACT", no)["dv_id"] for no in ps]
    env.human_edit("contacts", ids[0], {"jobtitle": "Buyer"})
    first = env.sync()
    assert first["CONTACT", "from_integration"].modified == 1
    # the clock is frozen: these edits carry the watermark's own second
    for dv_id, title in zip(ids[1:], ("CEO", "CFO", "CTO"), strict=True):
        env.human_edit("contacts", dv_id, {"jobtitle": title})
    second = env.sync()
    assert second["CONTACT", "from_integration"].modified == 3
    assert [env.contact(no)["job_title"] for no in ps] == ["Buyer", "CEO", "CFO", "CTO"]
    third = env.sync()
    assert third["CONTACT", "from_integration"].modified == 0
    assert third["CONTACT", "from_integration"].unchanged == 0


def test_c_integration_writes_are_not_read_back(env):
    """C. Echo suppression: what the integration wrote is not re-imported, nothing counted."""
    _, ps = _initial(env)
    env.modify(ps[0], phone_no="+44 1")
    pushed = env.sync()
    assert pushed["CONTACT", "to_integration"].modified == 1
    follow = env.sync()
    for job in follow.values():
        assert (job.inserted, job.modified, job.unchanged, job.failed) == (0, 0, 0, 0)
    query = [e for e in env.api_requests() if e["method"] == "GET" and "contacts" in e["path"]]
    assert "_modifiedby_value ne" in unquote_plus(query[-1]["query"])


def _both_sides(env: SyncEnv, ps: list[str], local: dict, dv: dict) -> str:
    dv_id = env.coupling("CONTACT", ps[0])["dv_id"]
    env.modify(ps[0], **local)
    env.human_edit("contacts", dv_id, dv)
    return dv_id


def test_d_conflict_none_fails_then_skips(env):
    """D. Both sides change a bidirectional field, strategy None: failed + error row; the same
    error on the next run flags the record skipped; later runs count it skipped."""
    _, ps = _initial(env)
    dv_id = _both_sides(env, ps, {"phone_no": "111"}, {"telephone1": "222"})
    first = env.sync()
    assert first["CONTACT", "to_integration"].failed == 1
    assert "bidirectional" in env.errors()[0]["message"]
    assert env.errors()[0]["local_key"] == ps[0]
    env.sync()
    assert env.coupling("CONTACT", ps[0])["skipped"] is True
    third = env.sync()
    assert third["CONTACT", "to_integration"].skipped == 1
    assert env.emulator.get("contacts", dv_id)["telephone1"] == "222"
    assert env.contact(ps[0])["phone_no"] == "111"


@pytest.mark.parametrize("strategy, winner", [("get_update", "222"), ("send_update", "111")])
def test_d_conflict_strategies(env, strategy, winner):
    """D. Get Update from Integration: Dataverse wins; Send Update to Integration: relcore wins."""
    _, ps = _initial(env)
    env.set_mapping("CONTACT", update_conflict=strategy)
    dv_id = _both_sides(env, ps, {"phone_no": "111"}, {"telephone1": "222"})
    jobs = env.sync()
    assert jobs["CONTACT", "to_integration"].failed == 0
    assert env.emulator.get("contacts", dv_id)["telephone1"] == winner
    assert env.contact(ps[0])["phone_no"] == winner
    assert all(j.modified == 0 for j in env.sync().values())


def test_d_disjoint_edits_both_survive(env):
    """D. Edits of different fields on both sides both survive."""
    _, ps = _initial(env)
    dv_id = _both_sides(env, ps, {"phone_no": "111"}, {"jobtitle": "Buyer"})
    jobs = env.sync()
    assert jobs["CONTACT", "to_integration"].failed == 0
    row = env.emulator.get("contacts", dv_id)
    assert (row["telephone1"], row["jobtitle"]) == ("111", "Buyer")
    local = env.contact(ps[0])
    assert (local["phone_no"], local["job_title"]) == ("111", "Buyer")


@pytest.mark.parametrize("strategy", ["none", "remove_coupling", "restore_records"])
def test_e_deleted_in_dataverse(env, strategy):
    """E. The Dataverse row was deleted, then the local record changes."""
    _, ps = _initial(env)
    env.set_mapping("CONTACT", deletion_conflict=strategy)
    old = env.coupling("CONTACT", ps[0])["dv_id"]
    env.emulator.delete("contacts", old)
    env.modify(ps[0], phone_no="333")
    jobs = env.sync()
    job = jobs["CONTACT", "to_integration"]
    coupling = env.coupling("CONTACT", ps[0])
    if strategy == "none":
        assert job.failed == 1
        assert "coupled to a deleted record" in env.errors()[0]["message"]
        assert coupling["last_result_to_dv"] == "failure"
    elif strategy == "remove_coupling":
        assert coupling is None and job.uncoupled == 1
    else:
        assert job.inserted == 1
        assert coupling["dv_id"] != old
        assert env.emulator.get("contacts", coupling["dv_id"])["telephone1"] == "333"


def test_f_429_storm_waits_and_creates_no_duplicates(env):
    """F. Three injected 429s: the run completes, waits at least Retry-After each time."""
    cos = env.companies(["Adatum"])
    env.persons(cos[0], [("A", "B"), ("C", "D")])
    env.emulator.faults.add("status", status=429, retry_after=7, count=3, path_contains="$batch")
    jobs = env.sync(full=True)
    assert jobs["CONTACT", "to_integration"].inserted == 2
    assert env.sleeps.calls.count(7) == 3
    assert len(env.emulator.rows("contacts")) == 2
    assert len(env.emulator.rows("accounts")) == 1


def test_f_503_after_execution_is_retried_without_duplicates(env):
    """A 503 answered after the batch ran: the resent creates meet DuplicateRecord and are
    taken as done."""
    cos = env.companies(["Adatum"])
    env.persons(cos[0], [("A", "B"), ("C", "D")])
    env.emulator.faults.add("status", status=503, count=1, execute=True, path_contains="$batch")
    jobs = env.sync(full=True)
    assert jobs["CUSTOMER", "to_integration"].inserted == 1
    assert jobs["CONTACT", "to_integration"].inserted == 2
    assert len(env.emulator.rows("accounts")) == 1 and len(env.emulator.rows("contacts")) == 2
    assert all(c["state"] == "coupled" for c in env.couplings("CONTACT"))


@pytest.mark.parametrize(
    "race, strategy, expected",
    [
        ({"jobtitle": "Buyer"}, "none", ("111", "Buyer", 0)),
        ({"telephone1": "999"}, "none", ("999", "", 1)),
        ({"telephone1": "999"}, "send_update", ("111", "", 0)),
    ],
)
def test_g_etag_race_rereads_and_resolves(env, race, strategy, expected):
    """G. The row changes between the plugin's read and its PATCH: 412, re-read, resolve."""
    _, ps = _initial(env)
    env.set_mapping("CONTACT", update_conflict=strategy)
    dv_id = env.coupling("CONTACT", ps[0])["dv_id"]
    env.modify(ps[0], phone_no="111")
    human = env.emulator.add_user("Racing Human")["systemuserid"]
    env.emulator.faults.add(
        "hook",
        path_contains="$batch",
        action=lambda emu: emu.update("contacts", dv_id, race, as_user=human),
    )
    jobs = env.sync(mapping="CONTACT")
    row = env.emulator.get("contacts", dv_id)
    assert (row["telephone1"], row["jobtitle"] or "") == expected[:2]
    assert jobs["CONTACT", "to_integration"].failed == expected[2]
    assert any(e["status"] == 200 for e in env.api_requests() if "$batch" in e["path"])


def test_i_token_expiry_mid_run_refreshes_once(env):
    """I. The token expires mid-run: one 401, a fresh token, the run goes on."""
    cos = env.companies(["Adatum"])
    env.persons(cos[0], [("A", "B")])
    env.emulator.faults.add(
        "hook", path_contains="contacts", action=lambda emu: emu.expire_tokens()
    )
    jobs = env.sync(full=True)
    assert jobs["CONTACT", "to_integration"].inserted == 1
    assert env.tokens.fetch_count == 2
    assert [e["status"] for e in env.api_requests()].count(401) == 1
