"""The plugin's HTTP layer (Part D6) against the emulator and httpx.MockTransport (Part D8)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from dataverse_emulator import Emulator
from relcore_d365sales import http as dvhttp
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.http import (
    AuthenticationError,
    ConcurrencyError,
    ConnectionFailedError,
    DataverseClient,
    DuplicateRecordError,
    NotFoundError,
    PagingError,
    RetryPolicy,
    ServerError,
    ThrottledError,
)

ORG = "https://contoso.crm4.dynamics.com"


def _mock_client(handler, sleep=None, **kw) -> DataverseClient:
    return DataverseClient(
        ORG,
        StaticTokenProvider("tok-123"),
        transport=httpx.MockTransport(handler),
        sleep=sleep or (lambda s: None),
        **kw,
    )


def test_default_headers_and_auth(client: DataverseClient, emulator: Emulator) -> None:
    """D6/B3: OData headers on every call, bearer token sent (and redacted in the log)."""
    assert client.who_am_i()["UserId"] == emulator.integration_user_id
    headers = emulator.request_log[-1]["headers"]
    assert headers["Odata-Maxversion"] == "4.0" and headers["Odata-Version"] == "4.0"
    assert headers["Accept"] == "application/json" and headers["If-None-Match"] == "null"
    assert headers["Authorization"] == "<redacted>"


def test_compose_prefer() -> None:
    """D6: Prefer values composed per request."""
    assert dvhttp.compose_prefer() is None
    assert dvhttp.compose_prefer(
        return_representation=True, max_page_size=500, annotations="*"
    ) == ('return=representation,odata.maxpagesize=500,odata.include-annotations="*"')
    with pytest.raises(ValueError):
        dvhttp.compose_prefer(max_page_size=5001)


def test_429_retried_honouring_retry_after(
    client: DataverseClient, emulator: Emulator, fake_sleep
) -> None:
    """D6/B18/E9.F: 429 storm -> waits Retry-After each time, then succeeds."""
    emulator.faults.add(status=429, retry_after=7, count=3)
    assert client.who_am_i()["UserId"]
    assert fake_sleep.calls == [7, 7, 7]
    assert [e["status"] for e in emulator.request_log] == [429, 429, 429, 200]


def test_429_rate_window_retry_succeeds_after_wait(
    client: DataverseClient, emulator: Emulator, fake_sleep
) -> None:
    """E7.30: a real window limit; the injected sleep advances the emulator clock."""
    emulator.faults.limits.requests_per_window = 2
    emulator.faults.limits.window_seconds = 10
    for _ in range(3):
        client.who_am_i()
    assert len(fake_sleep.calls) == 1 and 1 <= fake_sleep.calls[0] <= 10


def test_503_retries_with_exponential_backoff_and_cap(
    emulator: Emulator, tokens, fake_sleep
) -> None:
    """D6: 502/503/504 retried with 2, 4, 8… s; attempts capped; total wait capped."""
    emulator.faults.add(status=503, count=10)
    with (
        DataverseClient(
            ORG,
            tokens,
            transport=emulator.transport(),
            sleep=fake_sleep,
            retry=RetryPolicy(max_retries=3),
        ) as dv,
        pytest.raises(ServerError) as err,
    ):
        dv.who_am_i()
    assert fake_sleep.calls == [2, 4, 8] and err.value.status == 503
    fake_sleep.calls.clear()
    with (
        DataverseClient(
            ORG,
            tokens,
            transport=emulator.transport(),
            sleep=fake_sleep,
            retry=RetryPolicy(max_retries=9, max_total_wait=5),
        ) as dv,
        pytest.raises(ServerError),
    ):
        dv.who_am_i()
    assert fake_sleep.calls == [2]


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_errors_are_retried(
    client: DataverseClient, emulator: Emulator, fake_sleep, status: int
) -> None:
    """D6: 502 and 504 are transient."""
    emulator.faults.add(status=status, count=1)
    assert client.who_am_i()
    assert fake_sleep.calls == [2]


def test_retry_after_beyond_cap_raises_throttled(
    client: DataverseClient, emulator: Emulator, fake_sleep
) -> None:
    """D6: never wait past the cumulative cap; the typed error carries retry_after."""
    emulator.faults.add(status=429, retry_after=400)
    with pytest.raises(ThrottledError) as err:
        client.who_am_i()
    assert err.value.retry_after == 400 and err.value.code == "0x80072322"
    assert fake_sleep.calls == []


def test_back_off_holds_the_gate(emulator: Emulator, tokens) -> None:
    """D6: while waiting, no other request may be sent (the gate is held during sleep)."""
    held = []
    dv = DataverseClient(
        ORG, tokens, transport=emulator.transport(), sleep=lambda s: held.append(dv._gate.locked())
    )
    emulator.faults.add(status=429, retry_after=1)
    dv.who_am_i()
    assert held == [True]


def test_401_refreshes_token_once(client: DataverseClient, emulator: Emulator, tokens) -> None:
    """D6/E9.I: token expires mid-run -> one 401, token refreshed, call succeeds."""
    client.who_am_i()
    emulator.expire_tokens()
    assert client.who_am_i()["UserId"]
    assert tokens.fetch_count == 2
    assert [e["status"] for e in emulator.request_log] == [200, 401, 200]


def test_persistent_401_raises_after_one_refresh(emulator: Emulator) -> None:
    """D6: refresh only once; a second 401 surfaces as AuthenticationError."""
    provider = StaticTokenProvider("not-a-valid-token")
    with (
        DataverseClient(ORG, provider, transport=emulator.transport()) as dv,
        pytest.raises(AuthenticationError),
    ):
        dv.who_am_i()
    assert len(emulator.request_log) == 2 and provider.fetch_count == 2


def test_etag_mismatch_is_a_concurrency_error(client: DataverseClient, emulator: Emulator) -> None:
    """B12/E9.G: update with a stale ETag -> ConcurrencyError (412)."""
    rid = client.create("contacts", {"lastname": "A"})["contactid"]
    row = client.retrieve("contacts", rid, select=["lastname", "versionnumber"])
    emulator.update("contacts", rid, {"lastname": "Human"})
    with pytest.raises(ConcurrencyError) as err:
        client.update("contacts", rid, {"lastname": "Sync"}, etag=row["@odata.etag"])
    assert err.value.status == 412 and err.value.code == "0x80060882"
    fresh = client.retrieve("contacts", rid)
    updated = client.update(
        "contacts",
        rid,
        {"lastname": "Sync"},
        etag=fresh["@odata.etag"],
        select=["lastname", "modifiedon", "versionnumber"],
    )
    assert updated["lastname"] == "Sync" and updated["versionnumber"] > fresh["versionnumber"]


def test_update_missing_row_is_not_found(client: DataverseClient) -> None:
    """B10: If-Match: * never creates."""
    with pytest.raises(NotFoundError):
        client.update("contacts", "00000000-0000-0000-0000-000000000001", {"lastname": "x"})


def test_paging_follows_next_link_verbatim(client: DataverseClient, emulator: Emulator) -> None:
    """B8/D6: pages of N, nextLink followed verbatim with the same Prefer, all rows once."""
    for i in range(7):
        emulator.insert("accounts", {"name": f"N{i}"})
    pages = list(
        client.iter_pages("accounts", select=["name"], orderby="name,accountid", page_size=3)
    )
    assert [len(p.value) for p in pages] == [3, 3, 1]
    assert [
        r["name"] for r in client.query("accounts", select=["name"], orderby="name", page_size=2)
    ] == [f"N{i}" for i in range(7)]
    followed = [e for e in emulator.request_log if "skiptoken" in e["query"]]
    first_link = pages[0].next_link
    assert followed[0]["query"] == first_link.split("?", 1)[1]
    assert all(e["headers"]["Prefer"] == "odata.maxpagesize=3" for e in followed[:2])


def test_repeated_or_foreign_next_link_is_refused() -> None:
    """D6: a pager that refuses a repeated link, and never leaks the token to another host."""

    def repeat(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "value": [{}],
                "@odata.nextLink": f"{ORG}/api/data/v9.2/accounts?$skiptoken=same",
            },
        )

    with pytest.raises(PagingError):
        list(_mock_client(repeat).iter_pages("accounts"))

    def foreign(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "value": [],
                "@odata.nextLink": "https://evil.example/api/data/v9.2/accounts?x=1",
            },
        )

    with pytest.raises(PagingError):
        list(_mock_client(foreign).iter_pages("accounts"))


def test_create_retried_after_dropped_response_does_not_duplicate(
    client: DataverseClient, emulator: Emulator, fake_sleep
) -> None:
    """D5/D6: the first POST is applied but its response lost; the retry (same client id)
    meets DuplicateRecord and the client reads the row back: exactly one row."""
    emulator.faults.add("drop", method="POST")
    row = client.create("accounts", {"name": "Once"}, select=["name"])
    assert row["name"] == "Once"
    assert len(emulator.rows("accounts")) == 1
    posts = [e for e in emulator.request_log if e["method"] == "POST"]
    assert len(posts) == 2 and posts[1]["status"] == 412
    assert posts[0]["body"] == posts[1]["body"]  # same client-generated id
    assert fake_sleep.calls == [2]


def test_create_retried_after_gateway_timeout_that_executed(
    client: DataverseClient, emulator: Emulator
) -> None:
    """D6: a 504 returned after the backend created the row; the retry does not duplicate."""
    emulator.faults.add(status=504, method="POST", execute=True)
    row = client.create("accounts", {"name": "Gateway"})
    assert row["name"] == "Gateway"
    assert len(emulator.rows("accounts")) == 1


def test_create_retried_after_timeout(client: DataverseClient, emulator: Emulator) -> None:
    """D6: a timed-out create (not applied) is retried and creates exactly once."""
    emulator.faults.add("timeout", method="POST")
    row = client.create("contacts", {"lastname": "T"}, return_representation=False)
    assert emulator.get("contacts", row["contactid"])["lastname"] == "T"
    assert len(emulator.rows("contacts")) == 1


def test_duplicate_without_retry_is_an_error(client: DataverseClient) -> None:
    """B9: a genuine duplicate id (no transport failure) raises DuplicateRecordError."""
    rid = client.create("contacts", {"lastname": "A"})["contactid"]
    with pytest.raises(DuplicateRecordError):
        client.create("contacts", {"contactid": rid, "lastname": "B"})


def test_actions_are_not_retried_after_5xx(client: DataverseClient, emulator: Emulator) -> None:
    """D6: POST without a client id is retried on 429 only."""
    opp = client.create("opportunities", {"name": "Deal"})["opportunityid"]
    body = {
        "Status": 3,
        "OpportunityClose": {
            "subject": "Won",
            "opportunityid@odata.bind": f"/opportunities({opp})",
        },
    }
    emulator.faults.add(status=503, path_contains="WinOpportunity")
    with pytest.raises(ServerError):
        client.call_action("WinOpportunity", body)
    emulator.faults.add(status=429, retry_after=1, path_contains="WinOpportunity")
    client.call_action("WinOpportunity", body)
    assert emulator.get("opportunities", opp)["statecode"] == 1


def test_transport_errors_on_unsafe_posts_are_not_retried() -> None:
    """D6: a connect error on a non-idempotent POST surfaces immediately."""
    calls = []

    def failing(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ConnectionFailedError):
        _mock_client(failing).call_action("WinOpportunity", {})
    assert len(calls) == 1
    calls.clear()
    sleeps: list[float] = []
    with pytest.raises(ConnectionFailedError):
        _mock_client(failing, sleep=sleeps.append, retry=RetryPolicy(max_retries=2)).who_am_i()
    assert len(calls) == 3 and sleeps == [2, 4]


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "0x80060888", dvhttp.BadRequestError),
        (401, "", AuthenticationError),
        (403, "0x80040220", dvhttp.PermissionDeniedError),
        (404, "0x80040217", NotFoundError),
        (405, "", dvhttp.MethodNotAllowedError),
        (412, "0x80060882", ConcurrencyError),
        (412, "0x80040237", DuplicateRecordError),
        (400, "0x80040237", DuplicateRecordError),
        (413, "", dvhttp.RequestTooLargeError),
        (429, "0x80072322", ThrottledError),
        (501, "", dvhttp.DataverseNotImplementedError),
        (500, "", ServerError),
    ],
)
def test_typed_errors(status: int, code: str, cls: type) -> None:
    """B19: status/code -> exception class with status, code, message and request id."""
    request = httpx.Request("GET", f"{ORG}/api/data/v9.2/accounts")
    response = httpx.Response(
        status,
        json={"error": {"code": code, "message": "boom"}},
        headers={"x-ms-service-request-id": "req-1"},
        request=request,
    )
    error = dvhttp.error_from_response(response)
    assert type(error) is cls
    assert (error.status, error.code, error.message, error.request_id) == (
        status,
        code,
        "boom",
        "req-1",
    )


def test_upsert_by_alternate_key_and_create_only(
    client: DataverseClient, emulator: Emulator
) -> None:
    """B11: upsert by alternate key; create_only (If-None-Match: *) refuses existing rows."""
    key = {"accountnumber": "A-1'1"}
    created = client.upsert("accounts", key, {"name": "Fabrikam"}, select=["name"])
    assert created["name"] == "Fabrikam"
    client.upsert("accounts", key, {"telephone1": "555"})
    rows = emulator.rows("accounts")
    assert len(rows) == 1 and rows[0]["telephone1"] == "555"
    with pytest.raises(DuplicateRecordError):
        client.upsert("accounts", key, {"name": "x"}, create_only=True)
    client.delete("accounts", key)
    assert emulator.rows("accounts") == []


def test_change_tracking_round_trip(client: DataverseClient, emulator: Emulator) -> None:
    """B17: baseline pages end with a deltaLink; iter_delta returns changes and deletions."""
    ids = [emulator.insert("accounts", {"name": f"A{i}"})["accountid"] for i in range(3)]
    pages = list(client.iter_pages("accounts", select=["name"], track_changes=True, page_size=2))
    delta_link = pages[-1].delta_link
    assert delta_link and all(p.delta_link is None for p in pages[:-1])
    emulator.update("accounts", ids[0], {"name": "changed"})
    emulator.delete("accounts", ids[1])
    changes = list(client.iter_delta(delta_link))
    values = [v for p in changes for v in p.value]
    assert values[0]["name"] == "changed" and values[1] == {
        "@odata.context": values[1]["@odata.context"],
        "id": ids[1],
        "reason": "deleted",
    }
    assert changes[-1].delta_link


def test_server_columns_never_sent(client: DataverseClient, emulator: Emulator) -> None:
    """D6: never send modifiedon and other server-managed columns."""
    client.create("contacts", {"lastname": "A", "modifiedon": "2000-01-01T00:00:00Z"})
    assert "modifiedon" not in emulator.request_log[-1]["body"]


def test_datetime_and_literal_helpers() -> None:
    """D6: ISO Z whole seconds; naive datetimes refused; OData string quoting; keys."""
    moment = datetime(2024, 5, 1, 11, 12, 44, 900000, tzinfo=timezone(timedelta(hours=2)))
    assert dvhttp.format_datetime(moment) == "2024-05-01T09:12:44Z"
    assert dvhttp.parse_datetime("2024-05-01T09:12:44Z") == datetime(
        2024, 5, 1, 9, 12, 44, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        dvhttp.format_datetime(datetime(2024, 5, 1))
    assert dvhttp.odata_string("O'Bryan") == "'O''Bryan'"
    assert dvhttp.format_key({"accountnumber": "A 1", "n": 2}) == "(accountnumber='A%201',n=2)"


def test_logging_never_contains_the_token(
    client: DataverseClient, emulator: Emulator, caplog
) -> None:
    """D6: logs carry method, path, status, duration; never the bearer token."""
    token = emulator.issue_token()
    with (
        caplog.at_level(logging.DEBUG, logger="relcore_d365sales"),
        DataverseClient(
            ORG, StaticTokenProvider(token), transport=emulator.transport(), sleep=lambda s: None
        ) as dv,
    ):
        dv.who_am_i()
        emulator.faults.add(status=503, count=1)
        dv.who_am_i()
    assert "GET /api/data/v9.2/WhoAmI -> 200" in caplog.text
    assert token not in caplog.text
    assert dvhttp.redact_headers({"Authorization": "Bearer x", "Accept": "a"}) == {
        "Authorization": "<redacted>",
        "Accept": "a",
    }
