"""The emulator as a distribution of its own: console script, pytest fixtures, no relcore."""

from __future__ import annotations

import subprocess
import sys

import httpx
from dataverse_emulator import ClockSleep, Emulator, EmulatorServer
from dataverse_emulator.cli import main


def test_console_script_serves_until_ctrl_c(monkeypatch, capsys) -> None:
    answers = []

    def fake_wait(server: EmulatorServer) -> None:
        token = server.emulator.issue_token()
        who = httpx.get(f"{server.api_url}WhoAmI", headers={"Authorization": f"Bearer {token}"})
        answers.append(who.status_code)
        server.stop()

    monkeypatch.setattr(EmulatorServer, "wait", fake_wait)
    assert main(["--port", "0"]) == 0
    out = capsys.readouterr().out
    assert answers == [200]
    assert "service root:  http://127.0.0.1:" in out and "/api/data/v9.2/" in out
    assert "client secret: emulator-test-secret" in out


def test_console_script_is_installed() -> None:
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="dataverse-emulator")
    assert script.value == "dataverse_emulator.cli:main"


def test_fixtures_share_one_emulator(
    dataverse_emulator: Emulator,
    dataverse_client: httpx.Client,
    dataverse_sleep: ClockSleep,
    dataverse_server: EmulatorServer,
) -> None:
    """The in-process client, the loopback server and the sleep all act on the same emulator."""
    created = dataverse_client.post("accounts", json={"name": "Fabrikam"})
    assert created.status_code == 204
    token = dataverse_emulator.issue_token()
    served = httpx.get(
        f"{dataverse_server.api_url}accounts?$select=name",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert [r["name"] for r in served.json()["value"]] == ["Fabrikam"]
    before = dataverse_emulator.clock.peek()
    dataverse_sleep(30)
    assert dataverse_sleep.calls == [30]
    assert (dataverse_emulator.clock.peek() - before).total_seconds() == 30


def test_the_emulator_imports_nothing_from_relcore() -> None:
    code = (
        "import sys, pkgutil, importlib, dataverse_emulator\n"
        "for m in pkgutil.iter_modules(dataverse_emulator.__path__):\n"
        "    importlib.import_module('dataverse_emulator.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0].startswith('relcore')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
