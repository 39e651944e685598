"""The emulator is an optional distribution: ``relcore d365 emulator`` and the demo's sync use it
when ``relcore-d365sales[emulator]`` is installed, and say how to install it when not."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import requires

import httpx
from dataverse_emulator import EmulatorServer

INSTALL = "pip install 'relcore-d365sales[emulator]'"


def test_werkzeug_and_the_emulator_are_not_hard_dependencies() -> None:
    reqs = requires("relcore-d365sales") or []
    hard = [r for r in reqs if "extra ==" not in r]
    assert not any(r.startswith(("werkzeug", "relcore-dataverse-emulator")) for r in hard)
    assert any(
        r.startswith("relcore-dataverse-emulator") and 'extra == "emulator"' in r for r in reqs
    )


def test_the_plugin_loads_and_syncs_code_imports_without_the_emulator() -> None:
    """Every module of the sync plugin (its test kit aside) imports with the emulator and
    werkzeug unimportable."""
    code = (
        "import sys, pkgutil, importlib\n"
        "sys.modules['dataverse_emulator'] = None\n"
        "sys.modules['werkzeug'] = None\n"
        "import relcore_d365sales\n"
        "for m in pkgutil.iter_modules(relcore_d365sales.__path__):\n"
        "    if m.name != 'testing':\n"
        "        importlib.import_module('relcore_d365sales.' + m.name)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_emulator_command_serves_when_installed(make_app, run_cli, monkeypatch) -> None:
    """The command starts a loopback server that answers token and Web API requests, prints how
    to point ``d365 setup`` at it, and stops on Ctrl-C."""
    seen = {}

    def fake_wait(server: EmulatorServer) -> None:  # stands in for "until Ctrl-C"
        token = httpx.post(
            f"{server.authority}/oauth2/v2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": server.emulator.client_id,
                "client_secret": server.emulator.client_secret,
                "scope": f"{server.url}/.default",
            },
        ).json()["access_token"]
        who = httpx.get(f"{server.api_url}WhoAmI", headers={"Authorization": f"Bearer {token}"})
        seen["who"] = who.json()["UserId"]
        seen["accounts"] = len(server.emulator.rows("accounts"))
        server.stop()

    monkeypatch.setattr(EmulatorServer, "wait", fake_wait)
    result = run_cli(make_app("contacts", "d365sales"), "d365", "emulator", "--seed")
    assert result.exit_code == 0, result.output
    assert "Dataverse emulator listening on http://127.0.0.1:" in result.output
    assert "relcore d365 setup --org-url http://127.0.0.1:" in result.output
    assert seen["who"] and seen["accounts"] > 0


def test_emulator_command_says_how_to_install_when_missing(make_app, run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "dataverse_emulator", None)
    result = run_cli(make_app("contacts", "d365sales"), "d365", "emulator")
    assert result.exit_code == 1
    assert INSTALL in result.output and "Traceback" not in result.output


def test_demo_without_the_emulator_loads_local_data_and_says_why_no_sync(make_app, monkeypatch):
    import sqlalchemy as sa
    from relcore_d365sales.demo import load_demo, tour

    monkeypatch.setitem(sys.modules, "dataverse_emulator", None)
    app = make_app("contacts", "d365sales")
    with app.session() as session:
        load_demo(app, session)
    with app.session() as session:
        assert session.execute(sa.text("select count(*) from contacts_contact")).scalar() > 0
        lines = tour(app, session)
    assert lines == [
        f"no demo sync: the Dataverse emulator is not installed; install it with "
        f"{INSTALL} (distribution relcore-dataverse-emulator)"
    ]
