"""Issue 12: a sync process killed (SIGKILL) while Dataverse holds its ``WinOpportunity`` call
converges without a second close — whether Dataverse then applied the call (only the answer was
lost) or not. A real subprocess runs the sync against the emulator on loopback HTTP; the test
synchronises with events, never with sleeps. SQLite file and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from relcore_opportunities import api as opportunities

from tests.d365sales.test_scenarios_loopback import file_db_url  # noqa: F401  (fixture)
from tests.opportunities.test_d365sales_opportunity import (
    WORK_DATE,
    open_opportunity,
    opportunity_env,
)

SCRIPT = """
import sys
from relcore.app import App
from relcore.plugins import PluginSelection
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.engine import synchronize
from relcore_d365sales.http import DataverseClient

url, api, token = sys.argv[1:4]
plugins = ["contacts", "interactions", "opportunities", "d365sales"]
app = App(url, selection=PluginSelection(allow=plugins))
with DataverseClient(api, StaticTokenProvider(token), timeout=30) as client:
    synchronize(app, client=client, mapping="OPPORTUNITY")
print("finished")
"""


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "not-applied"])
def test_killed_during_win_opportunity_converges_with_one_close(
    file_db_url,  # noqa: F811
    tmp_path,
    applied,
):
    from dataverse_emulator import Emulator
    from dataverse_emulator.errors import ApiError

    from relcore.testing import build_app

    app = build_app(
        file_db_url,
        ["contacts", "interactions", "opportunities", "d365sales"],
        work_date=WORK_DATE,
    )
    emulator = Emulator()
    server = emulator.serve()
    env = opportunity_env(app, emulator=emulator, base_url=server.url, transport=None)
    try:
        no = open_opportunity(env)
        env.sync(full=True)
        dv_id = env.coupling("OPPORTUNITY", no)["dv_id"]
        from relcore_opportunities.editing import edit_opportunity

        with app.session() as session:
            edit_opportunity(session, no, {"description": "Won after a crash"})
            opportunities.close_opportunity(
                session, no, "won", code="PRICE_W", sales_lcy=Decimal("12000")
            )
        arrived, killed, done = threading.Event(), threading.Event(), threading.Event()
        original = emulator.api.close_opportunity

        def close_then_signal(req, action):
            try:
                return original(req, action)
            finally:
                done.set()

        emulator.api.close_opportunity = close_then_signal

        def gate(emu):
            arrived.set()
            killed.wait(60)
            if not applied:
                done.set()
                raise ApiError(503, "0x80040216", "the server went away before executing it")

        emulator.faults.add("hook", count=1, path_contains="/WinOpportunity", action=gate)
        script = tmp_path / "run_sync.py"
        script.write_text(SCRIPT)
        token = emulator.issue_token(expires_in=86400)
        proc = subprocess.Popen(
            [sys.executable, str(script), file_db_url, server.url, token],
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert arrived.wait(60), proc.communicate(timeout=60)[1].decode()[-2000:]
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            killed.set()  # the held call now executes (or not); its answer goes nowhere
        assert done.wait(60)
        row = emulator.get("opportunities", dv_id)
        assert row["name"] == "Won after a crash"  # the PATCH came first
        assert row["statecode"] == (1 if applied else 0)
        jobs = env.sync()
        assert all(j.failed == 0 for j in jobs.values()), env.errors()
        row = emulator.get("opportunities", dv_id)
        assert (row["statecode"], row["statuscode"], row["actualvalue"]) == (1, 3, 12000)
        wins = [e for e in emulator.request_log if e["path"].endswith("/WinOpportunity")]
        assert len(wins) == (1 if applied else 2)  # a call not executed is sent again
        assert len(emulator.rows("opportunitycloses")) == 1
        assert env.coupling("OPPORTUNITY", no)["last_result_to_dv"] == "success"
        quiet = env.sync()
        assert all(j.inserted == j.modified == j.failed == 0 for j in quiet.values())
        assert len([e for e in emulator.request_log if e["path"].endswith("/WinOpportunity")]) == (
            len(wins)
        )
    finally:
        env.client.close()
        server.stop()
        app.dispose()
