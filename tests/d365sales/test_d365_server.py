"""The emulator as a real HTTP server on loopback (Part D8)."""

from __future__ import annotations

import httpx
from dataverse_emulator import Emulator
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.http import DataverseClient


def test_client_over_real_loopback_http(emulator: Emulator) -> None:
    """The plugin client against a threaded werkzeug server: CRUD, paging, faults, control."""
    sleeps: list[float] = []
    with emulator.serve() as server:
        assert server.url.startswith("http://127.0.0.1:")
        provider = StaticTokenProvider(emulator.issue_token)
        with DataverseClient(server.url, provider, sleep=sleeps.append, timeout=5) as dv:
            assert dv.who_am_i()["UserId"] == emulator.integration_user_id
            ids = [
                dv.create("accounts", {"name": f"N{i}"}, select=["name"])["accountid"]
                for i in range(5)
            ]
            names = [
                r["name"]
                for r in dv.query("accounts", select=["name"], orderby="name", page_size=2)
            ]
            assert names == [f"N{i}" for i in range(5)]
            row = dv.retrieve("accounts", ids[0])
            dv.update("accounts", ids[0], {"name": "renamed"}, etag=row["@odata.etag"])
            # control endpoints over the wire: inject a 429 and a dropped response
            with httpx.Client(base_url=server.url) as control:
                control.post("/_emulator/faults", json={"status": 429, "retry_after": 3})
                assert dv.who_am_i()
                control.post("/_emulator/faults", json={"kind": "drop", "method": "POST"})
                created = dv.create("contacts", {"lastname": "Once"})
                log = control.get("/_emulator/requests").json()["value"]
            assert sleeps == [3, 2]
            assert len(emulator.rows("contacts")) == 1
            assert emulator.get("contacts", created["contactid"])["lastname"] == "Once"
            assert any(e["status"] == 429 for e in log)
