"""Scenarios over a real loopback HTTP server: full sync, a 429 storm, and a run killed
(SIGKILL) at a chosen request and re-run — it converges with no duplicate and no lost change."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from relcore_d365sales.testing import SyncEnv

SCRIPT = """
import sys
from relcore.app import App
from relcore.plugins import PluginSelection
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.engine import synchronize
from relcore_d365sales.http import DataverseClient

url, api, token = sys.argv[1:4]
app = App(url, selection=PluginSelection(allow=["contacts", "d365sales"]))
with DataverseClient(api, StaticTokenProvider(token), timeout=30) as client:
    synchronize(app, client=client)
print("finished")
"""


@pytest.fixture
def served(make_app):
    """A SyncEnv whose client talks to the emulator over a real loopback server."""
    from dataverse_emulator import Emulator

    emulator = Emulator()
    server = emulator.serve()
    env = SyncEnv(make_app("contacts", "d365sales"), emulator, base_url=server.url, transport=None)
    yield env
    env.client.close()
    server.stop()


def test_full_sync_over_loopback(served):
    cos = served.companies(["Adatum"])
    served.persons(cos[0], [("A", "B"), ("C", "D"), ("E", "F")])
    jobs = served.sync(full=True)
    assert jobs["CONTACT", "to_integration"].inserted == 3
    assert all(j.inserted == j.modified == 0 for j in served.sync().values())
    assert len(served.emulator.rows("contacts")) == 3


def test_429_storm_over_loopback(served):
    cos = served.companies(["Adatum"])
    served.persons(cos[0], [("A", "B")])
    served.emulator.faults.add("status", status=429, retry_after=5, count=3)
    jobs = served.sync(full=True)
    assert jobs["CONTACT", "to_integration"].inserted == 1
    assert served.sleeps.calls == [5, 5, 5]
    assert len(served.emulator.rows("accounts")) == 1


@pytest.fixture(params=["sqlite", "postgres"])
def file_db_url(request, tmp_path):
    """A database another process can open: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.db'}"
        return
    from relcore.testing import _fresh_postgres_schema, postgres_url_or_skip

    url, drop = _fresh_postgres_schema(postgres_url_or_skip())
    yield url
    drop()


@pytest.mark.parametrize("kill_at", [2, 5, 7])
def test_killed_run_converges_without_duplicates_or_lost_changes(file_db_url, tmp_path, kill_at):
    """SIGKILL the sync process while the emulator holds its ``kill_at``-th request (which the
    server then still executes, as if only the answer was lost); the re-run converges."""
    from dataverse_emulator import Emulator

    from relcore.testing import build_app

    app = build_app(file_db_url, ["contacts", "d365sales"])
    emulator = Emulator()
    server = emulator.serve()
    env = SyncEnv(app, emulator, base_url=server.url, transport=None)
    try:
        with app.session() as session:
            app.setup.set(session, "d365sales.batch_size", 4)
        cos = env.companies(["Adatum"])
        old = env.persons(cos[0], [(f"Old{i}", "Person") for i in range(8)])
        env.sync(full=True)
        env.set_mapping("CONTACT", only_coupled=False)
        phones = {no: f"+44 {i:03d}" for i, no in enumerate(old[:4])}
        for no, phone in phones.items():
            env.modify(no, phone_no=phone)
        for no in old[4:7]:
            env.human_edit(
                "contacts", env.coupling("CONTACT", no)["dv_id"], {"jobtitle": f"dv-{no}"}
            )
        new = env.persons(cos[0], [(f"New{i}", "Person") for i in range(12)])
        hold, seen = threading.Event(), []

        def gate(emu):
            seen.append(1)
            if len(seen) == kill_at:
                hold.wait(30)

        emulator.faults.add("hook", count=10_000, path_contains="/api/data/", action=gate)
        script = tmp_path / "run_sync.py"
        script.write_text(SCRIPT)
        token = emulator.issue_token(expires_in=86400)
        env_vars = {**os.environ, "PYTHONPATH": str(Path.cwd())}
        proc = subprocess.Popen(
            [sys.executable, str(script), file_db_url, server.url, token],
            env=env_vars,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        waited = threading.Event()
        for _ in range(3000):  # bounded: at most 30 s
            if len(seen) >= kill_at or proc.poll() is not None:
                break
            waited.wait(0.01)
        assert len(seen) >= kill_at, proc.communicate()[1].decode()[-2000:]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        emulator.faults.clear()
        hold.set()  # the held request now executes, its answer goes nowhere
        env.sync()
        env.sync()
        final = env.sync()
        assert all(j.inserted == j.modified == j.failed == 0 for j in final.values())
        rows = env.emulator.rows("contacts")
        names = sorted(r["firstname"] for r in rows)
        assert names == sorted([f"Old{i}" for i in range(8)] + [f"New{i}" for i in range(12)])
        by_id = {r["contactid"]: r for r in rows}
        coupled = env.couplings("CONTACT")
        assert sorted(c["local_key"] for c in coupled) == sorted(old + new)
        assert all(c["state"] == "coupled" and c["dv_id"] in by_id for c in coupled)
        for no, phone in phones.items():
            assert by_id[env.coupling("CONTACT", no)["dv_id"]]["telephone1"] == phone
        for no in old[4:7]:
            assert env.contact(no)["job_title"] == f"dv-{no}"
    finally:
        env.client.close()
        server.stop()
        app.dispose()
