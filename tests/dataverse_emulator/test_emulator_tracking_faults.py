"""Emulator: change tracking, limits and faults, $batch (Part E6, Part E7, Part E8)."""

from __future__ import annotations

import httpx
import pytest
from dataverse_emulator import Emulator

API = "https://contoso.crm4.dynamics.com/api/data/v9.2/"
TRACK = {"Prefer": "odata.track-changes"}


def test_delta_links_report_changes_and_deletions(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E6.27: baseline + deltaLink; delta = changed rows once, then deletions; new link."""
    a = dataverse_emulator.insert("accounts", {"name": "A"})["accountid"]
    b = dataverse_emulator.insert("accounts", {"name": "B"})["accountid"]
    first = dataverse_client.get("accounts", params={"$select": "name"}, headers=TRACK)
    assert first.headers["Preference-Applied"] == "odata.track-changes"
    body = first.json()
    assert {r["name"] for r in body["value"]} == {"A", "B"}
    link = body["@odata.deltaLink"]
    assert "$deltatoken=" in link and "$select=name" in link
    dataverse_emulator.update("accounts", a, {"name": "A1"})
    dataverse_emulator.update("accounts", a, {"name": "A2"})
    c = dataverse_emulator.insert("accounts", {"name": "C"})["accountid"]
    dataverse_emulator.delete("accounts", b)
    temp = dataverse_emulator.insert("accounts", {"name": "T"})["accountid"]
    dataverse_emulator.delete("accounts", temp)
    delta = dataverse_client.get(link, headers=TRACK).json()
    assert delta["@odata.context"].endswith("/$delta")
    rows = delta["value"]
    assert [r.get("name") for r in rows[:2]] == ["A2", "C"]
    assert [r["accountid"] for r in rows[:2]] == [a, c]
    gone = rows[2:]
    assert {g["id"] for g in gone} == {b, temp}
    assert all(
        g["reason"] == "deleted" and g["@odata.context"].endswith("$deletedEntity") for g in gone
    )
    empty = dataverse_client.get(delta["@odata.deltaLink"], headers=TRACK).json()
    assert empty["value"] == [] and "@odata.deltaLink" in empty
    count = dataverse_client.get(link.replace("accounts?", "accounts/$count?"))
    assert count.text == "4"


def test_delta_with_paging(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E6.27: maxpagesize pages carry nextLink, the last page the deltaLink."""
    for i in range(5):
        dataverse_emulator.insert("contacts", {"lastname": str(i)})
    prefer = {"Prefer": "odata.track-changes,odata.maxpagesize=2"}
    body = dataverse_client.get("contacts", params={"$select": "lastname"}, headers=prefer).json()
    pages = [body]
    while "@odata.nextLink" in body:
        assert "@odata.deltaLink" not in body
        body = dataverse_client.get(body["@odata.nextLink"], headers=prefer).json()
        pages.append(body)
    assert len(pages) == 3 and "@odata.deltaLink" in pages[-1]
    assert sum(len(p["value"]) for p in pages) == 5


@pytest.mark.parametrize(
    "option", ["$filter=statecode eq 0", "$orderby=name", "$top=1", "$expand=primarycontactid"]
)
def test_track_changes_rejects_query_options(dataverse_client: httpx.Client, option: str) -> None:
    """E6.28: $filter/$orderby/$expand/$top with track-changes -> 400."""
    response = dataverse_client.get(f"accounts?{option}", headers=TRACK)
    assert response.status_code == 400
    assert "isn't supported when Change Tracking is enabled" in response.json()["error"]["message"]


def test_track_changes_on_untracked_table(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E6.28: track-changes on a table without tracking -> 400."""
    dataverse_emulator.store.table("teams").change_tracking = False
    assert dataverse_client.get("teams", headers=TRACK).status_code == 400


def test_delta_tokens_expire_and_resist_tampering(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E6.29: tokens older than the configured age fail; tampered tokens fail."""
    link = dataverse_client.get("accounts", headers=TRACK).json()["@odata.deltaLink"]
    assert (
        dataverse_client.get(link.replace("deltatoken=", "deltatoken=9"), headers=TRACK).status_code
        == 400
    )
    dataverse_emulator.clock.advance(6 * 86400)
    fresh = {**TRACK, "Authorization": f"Bearer {dataverse_emulator.issue_token()}"}
    assert dataverse_client.get(link, headers=fresh).status_code == 200
    dataverse_emulator.clock.advance(2 * 86400)
    fresh = {**TRACK, "Authorization": f"Bearer {dataverse_emulator.issue_token()}"}
    expired = dataverse_client.get(link, headers=fresh)
    assert expired.status_code == 400 and "expired" in expired.json()["error"]["message"]


def test_rate_limit_window(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E7.30/E7.33: budget per caller per window -> 429 + Retry-After + code; ok after waiting."""
    dataverse_emulator.faults.limits.requests_per_window = 3
    dataverse_emulator.faults.limits.window_seconds = 60
    responses = [dataverse_client.get("WhoAmI") for _ in range(3)]
    assert responses[-1].headers["x-ms-ratelimit-burst-remaining-xrm-requests"] == "0"
    throttled = dataverse_client.get("WhoAmI")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "0x80072322"
    assert "Number of requests exceeded the limit of 3" in throttled.json()["error"]["message"]
    wait = int(throttled.headers["Retry-After"])
    assert 1 <= wait <= 60
    dataverse_emulator.clock.advance(wait)
    assert dataverse_client.get("WhoAmI").status_code == 200


def test_concurrency_limit(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E7.31: more in-flight requests than allowed -> 429 0x80072326."""
    dataverse_emulator.faults.limits.max_concurrent = 1
    dataverse_emulator.faults.enter(
        dataverse_emulator.integration_user_id
    )  # one request already in flight
    response = dataverse_client.get("WhoAmI")
    assert response.status_code == 429 and response.json()["error"]["code"] == "0x80072326"
    dataverse_emulator.faults.leave(dataverse_emulator.integration_user_id)
    assert dataverse_client.get("WhoAmI").status_code == 200


def test_injected_faults(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> None:
    """E7.30/E7.32: injected 429 with Retry-After, 503, path-matched faults, delays."""
    dataverse_emulator.faults.add(status=429, retry_after=7, count=2)
    assert [dataverse_client.get("WhoAmI").status_code for _ in range(3)] == [429, 429, 200]
    dataverse_emulator.faults.add(status=503, method="POST", path_contains="accounts")
    assert dataverse_client.get("accounts").status_code == 200
    assert dataverse_client.post("accounts", json={"name": "x"}).status_code == 503
    before = dataverse_emulator.clock.peek()
    dataverse_emulator.faults.add("delay", seconds=30)
    assert dataverse_client.get("WhoAmI").status_code == 200
    assert (dataverse_emulator.clock.peek() - before).total_seconds() == 30


def test_timeout_and_dropped_response_faults(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E7.32: a timeout does not execute; a dropped response executes but loses the answer."""
    dataverse_emulator.faults.add("timeout", method="POST")
    with pytest.raises(httpx.ReadTimeout):
        dataverse_client.post("accounts", json={"name": "never"})
    assert dataverse_emulator.rows("accounts") == []
    dataverse_emulator.faults.add("drop", method="POST")
    with pytest.raises(httpx.ReadError):
        dataverse_client.post("accounts", json={"name": "stored"})
    assert [r["name"] for r in dataverse_emulator.rows("accounts")] == ["stored"]


def test_hook_fault_simulates_an_etag_race(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E9.G: the row changes between GET and PATCH -> 412."""
    rid = dataverse_emulator.insert("contacts", {"lastname": "A"})["contactid"]
    tag = dataverse_client.get(f"contacts({rid})").headers["ETag"]
    dataverse_emulator.faults.add(
        "hook",
        method="PATCH",
        action=lambda emu: emu.update("contacts", rid, {"lastname": "Human"}),
    )
    response = dataverse_client.patch(
        f"contacts({rid})", json={"lastname": "Sync"}, headers={"If-Match": tag}
    )
    assert response.status_code == 412
    assert dataverse_emulator.get("contacts", rid)["lastname"] == "Human"


def _batch(parts: list[str], boundary: str = "batch_1") -> tuple[str, dict]:
    body = "".join(f"--{boundary}\r\n{p}" for p in parts) + f"--{boundary}--\r\n"
    return body, {"Content-Type": f"multipart/mixed; boundary={boundary}"}


def _http(method: str, url: str, body: str | None = None, content_id: str | None = None) -> str:
    cid = f"Content-ID: {content_id}\r\n" if content_id else ""
    head = (
        f"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n{cid}\r\n"
        f"{method} {url} HTTP/1.1\r\n"
    )
    if body is None:
        return head + "Accept: application/json\r\n\r\n"
    return head + f"Content-Type: application/json; type=entry\r\n\r\n{body}\r\n"


def _changeset(parts: list[str], boundary: str = "changeset_1") -> str:
    inner = "".join(f"--{boundary}\r\n{p}" for p in parts) + f"--{boundary}--\r\n"
    return f"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n{inner}"


def test_batch_with_changeset_and_content_id(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E8.34/35: change set executes with $1 references; responses in order."""
    body, headers = _batch(
        [
            _changeset(
                [
                    _http("POST", "/api/data/v9.2/accounts", '{"name": "Batch Co"}', "1"),
                    _http(
                        "POST",
                        "/api/data/v9.2/contacts",
                        '{"lastname": "B", "parentcustomerid_account@odata.bind": "$1"}',
                        "2",
                    ),
                ]
            ),
            _http("GET", f"{API}accounts?$select=name"),
        ]
    )
    response = dataverse_client.post("$batch", content=body, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("multipart/mixed; boundary=batchresponse_")
    text = response.text
    assert text.count("HTTP/1.1 204") == 2 and "HTTP/1.1 200" in text
    assert "changesetresponse_" in text and "Content-ID: 1" in text
    account = dataverse_emulator.rows("accounts")[0]
    assert dataverse_emulator.rows("contacts")[0]["_parentcustomerid_value"] == account["accountid"]


def test_batch_changeset_is_atomic_and_stops_on_error(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator
) -> None:
    """E8.35/36: a failing change set rolls back; without continue-on-error the batch fails."""
    body, headers = _batch(
        [
            _changeset(
                [
                    _http("POST", "/api/data/v9.2/accounts", '{"name": "Rolled back"}', "1"),
                    _http("POST", "/api/data/v9.2/accounts", '{"nosuchcolumn": 1}', "2"),
                ]
            ),
            _http("POST", "/api/data/v9.2/accounts", '{"name": "Never"}'),
        ]
    )
    response = dataverse_client.post("$batch", content=body, headers=headers)
    assert response.status_code == 400 and "error" in response.json()
    assert dataverse_emulator.rows("accounts") == []
    response = dataverse_client.post(
        "$batch", content=body, headers={**headers, "Prefer": "odata.continue-on-error"}
    )
    assert response.status_code == 200
    assert "HTTP/1.1 400" in response.text and "HTTP/1.1 204" in response.text
    assert [r["name"] for r in dataverse_emulator.rows("accounts")] == ["Never"]


def test_batch_limits(dataverse_client: httpx.Client) -> None:
    """E8.34/35: > 1000 requests -> 400; GET in a change set -> 400."""
    body, headers = _batch([_http("GET", "WhoAmI")] * 1001)
    assert dataverse_client.post("$batch", content=body, headers=headers).status_code == 400
    body, headers = _batch([_changeset([_http("GET", "/api/data/v9.2/accounts")])])
    assert dataverse_client.post("$batch", content=body, headers=headers).status_code == 400
