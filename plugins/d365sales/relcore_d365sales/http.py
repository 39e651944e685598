"""The plugin's HTTP layer for the Dataverse Web API, on a sync ``httpx.Client`` (Part D6).

* Base URL ``org_url + "/api/data/" + api_version + "/"``; default OData headers (Part B3);
  ``Prefer`` composed per request.
* Bearer tokens from an injected :class:`~.auth.TokenProvider`; one refresh and retry on 401.
* Retries on 429 (honouring ``Retry-After``), 502/503/504 and connect/read timeouts, with an
  exponential fallback (2, 4, 8… s), a cap on attempts and on total waiting; the sleep function
  is injected so tests never sleep. While waiting no other request is sent (shared gate).
* POST is retried after a transport failure only when a client-supplied id makes it safe:
  :meth:`DataverseClient.create` always sends one, and a ``DuplicateRecord`` answer to a retried
  create is resolved by reading the row back (Part D5 step 2).
* Errors become typed exceptions (Part B19); ETags drive ``If-Match`` (Part B12).
* Paging follows ``@odata.nextLink`` verbatim and refuses a repeated link (Part B8).
* Logs method, path, status and duration; never the token, the secret, or request bodies.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from .auth import TokenProvider

logger = logging.getLogger("relcore_d365sales.http")

DEFAULT_HEADERS = {
    "Accept": "application/json",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    "If-None-Match": "null",
}
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
SERVER_COLUMNS = frozenset(
    {
        "createdon",
        "modifiedon",
        "versionnumber",
        "_createdby_value",
        "_modifiedby_value",
        "@odata.etag",
        "@odata.context",
    }
)
PRIMARY_KEYS = {
    "contacts": "contactid",
    "accounts": "accountid",
    "systemusers": "systemuserid",
    "teams": "teamid",
    "opportunities": "opportunityid",
    "opportunitycloses": "activityid",
    "campaigns": "campaignid",
    "leads": "leadid",
    "products": "productid",
    "transactioncurrencies": "transactioncurrencyid",
}
DUPLICATE_RECORD_CODE = "0x80040237"
CONCURRENCY_MISMATCH_CODE = "0x80060882"
REDACTED = "<redacted>"


# -- typed errors (Part B19) ------------------------------------------------------------------
class DataverseError(Exception):
    """An error answer (or failure) of the Web API.

    :ivar status: HTTP status (0 for transport failures).
    :ivar code: Dataverse hex error code (may be empty).
    :ivar message: the error message.
    :ivar retry_after: seconds from ``Retry-After``, if any.
    :ivar request_id: ``x-ms-service-request-id`` / ``REQ_ID`` header, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        retry_after: float | None = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.request_id = request_id
        self.method = method
        self.path = path

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method else ""
        code = f" [{self.code}]" if self.code else ""
        return f"HTTP {self.status}{code}: {self.message}{where}"


class BadRequestError(DataverseError):
    """400: invalid argument, body, filter, unknown column or validation error."""


class AuthenticationError(DataverseError):
    """401: missing, invalid or expired token (after one refresh)."""


class PermissionDeniedError(DataverseError):
    """403: missing privilege (e.g. PrivilegeDenied)."""


class NotFoundError(DataverseError):
    """404: resource or record not found."""


class MethodNotAllowedError(DataverseError):
    """405: wrong method or a delete/association restriction."""


class PreconditionFailedError(DataverseError):
    """412: a precondition failed."""


class ConcurrencyError(PreconditionFailedError):
    """412 ``ConcurrencyVersionMismatch``: the row changed since its ETag was read (Part B12)."""


class DuplicateRecordError(PreconditionFailedError):
    """412 (or 400) ``DuplicateRecord``: a row with the same key already exists (Part B9/B11)."""


class RequestTooLargeError(DataverseError):
    """413: request too large."""


class ThrottledError(DataverseError):
    """429: service protection limit hit and retries exhausted (Part B18)."""


class ServerError(DataverseError):
    """5xx: server-side failure (transient ones are retried first)."""


class DataverseNotImplementedError(ServerError):
    """501: not implemented."""


class ConnectionFailedError(DataverseError):
    """Network failure or timeout that persisted through the retries."""


class PagingError(DataverseError):
    """The server returned a repeated or foreign ``@odata.nextLink``."""


_BY_STATUS: dict[int, type[DataverseError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    412: PreconditionFailedError,
    413: RequestTooLargeError,
    429: ThrottledError,
    501: DataverseNotImplementedError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Parse ``Retry-After`` (integer/decimal seconds); ``None`` when absent or unparseable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def error_from_response(response: httpx.Response) -> DataverseError:
    """Build the typed exception for an error ``response`` (Part B19 body shape)."""
    code, message = "", response.reason_phrase or f"HTTP {response.status_code}"
    try:
        payload = response.json()
        error = payload.get("error", {}) if isinstance(payload, dict) else {}
        code = str(error.get("code") or "")
        message = str(error.get("message") or message)
    except ValueError:
        if response.text:
            message = response.text[:500]
    status = response.status_code
    if code == DUPLICATE_RECORD_CODE and status in (400, 412):
        cls: type[DataverseError] = DuplicateRecordError
    elif status == 412:
        cls = (
            ConcurrencyError
            if code == CONCURRENCY_MISMATCH_CODE or "version" in message.lower()
            else PreconditionFailedError
        )
    else:
        cls = _BY_STATUS.get(status, ServerError if status >= 500 else DataverseError)
    request = response.request
    return cls(
        message,
        status=status,
        code=code,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
        request_id=response.headers.get("x-ms-service-request-id")
        or response.headers.get("REQ_ID"),
        method=request.method if request else None,
        path=request.url.path if request else None,
    )


# -- helpers ----------------------------------------------------------------------------------
def new_guid() -> str:
    """A new lower-case GUID for client-generated primary keys (Part B9)."""
    return str(uuid.uuid4())


def format_datetime(value: datetime) -> str:
    """ISO 8601 UTC with ``Z`` and whole seconds, for bodies and ``$filter`` (Part B5)."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass a timezone-aware value")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: str) -> datetime:
    """Parse a Dataverse date-time into an aware UTC ``datetime``."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def odata_string(value: str) -> str:
    """Quote a string literal for ``$filter`` or alternate keys (``'`` doubled, Part B7)."""
    return "'" + value.replace("'", "''") + "'"


def format_key(key: str | Mapping[str, Any]) -> str:
    """Render a key segment: ``(<guid>)`` or ``(col='v',col2=2)`` for alternate keys."""
    if isinstance(key, str):
        return f"({key})"
    parts = []
    for name, value in key.items():
        if isinstance(value, bool):
            literal = "true" if value else "false"
        elif isinstance(value, int | float):
            literal = str(value)
        else:
            literal = odata_string(str(value))
        parts.append(f"{name}={quote(literal, safe=chr(39) + '=-_.~')}")
    return "(" + ",".join(parts) + ")"


def compose_prefer(
    *,
    return_representation: bool = False,
    max_page_size: int | None = None,
    track_changes: bool = False,
    annotations: str | None = None,
    continue_on_error: bool = False,
    extra: Iterable[str] = (),
) -> str | None:
    """Compose a ``Prefer`` header value (Part B3); ``None`` when nothing is preferred."""
    items = []
    if return_representation:
        items.append("return=representation")
    if max_page_size:
        if not 1 <= max_page_size <= 5000:
            raise ValueError("odata.maxpagesize must be between 1 and 5000")
        items.append(f"odata.maxpagesize={max_page_size}")
    if track_changes:
        items.append("odata.track-changes")
    if annotations:
        items.append(f'odata.include-annotations="{annotations}"')
    if continue_on_error:
        items.append("odata.continue-on-error")
    items.extend(extra)
    return ",".join(items) or None


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Copy of ``headers`` with credentials replaced (for debug logging, Part D6)."""
    hidden = {"authorization", "cookie", "set-cookie", "proxy-authorization"}
    return {k: (REDACTED if k.lower() in hidden else v) for k, v in headers.items()}


def strip_server_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    """Drop server-managed columns from a write body: never send ``modifiedon`` (Part D6)."""
    return {k: v for k, v in data.items() if k not in SERVER_COLUMNS}


@dataclass
class RetryPolicy:
    """Retry settings (Part D2 ``max_retries``, ``max_retry_wait_s``; Part B18).

    :param max_retries: retries per request (not counting the 401 refresh).
    :param max_total_wait: cap on the cumulative seconds slept for one request.
    :param backoff_base: fallback delay is ``backoff_base ** attempt`` (2, 4, 8… s).
    """

    max_retries: int = 5
    max_total_wait: float = 300.0
    backoff_base: float = 2.0
    statuses: frozenset[int] = TRANSIENT_STATUSES

    def fallback_delay(self, attempt: int) -> float:
        """Exponential fallback for retry number ``attempt`` (1-based)."""
        return float(self.backoff_base**attempt)


@dataclass
class Page:
    """One page of a collection: rows plus paging/delta links and ``@odata.count``."""

    value: list[dict]
    next_link: str | None = None
    delta_link: str | None = None
    count: int | None = None


@dataclass
class _Outcome:
    response: httpx.Response
    maybe_applied: bool = False
    waited: float = 0.0
    attempts: int = 1
    sleeps: list[float] = field(default_factory=list)


class DataverseClient:
    """A sync client for one Dataverse environment (Part D6).

    :param org_url: environment URL, e.g. ``https://contoso.crm4.dynamics.com``.
    :param token_provider: source of bearer tokens (:mod:`.auth`).
    :param transport: optional httpx transport (``emulator.transport()`` in tests).
    :param sleep: function used to wait between retries (inject a fake in tests).
    :param verify: TLS verification (``True``, a CA bundle path or an ``ssl.SSLContext``).
    """

    def __init__(
        self,
        org_url: str,
        token_provider: TokenProvider,
        *,
        api_version: str = "v9.2",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        verify: Any = True,
        page_size: int = 500,
        log: logging.Logger | None = None,
    ) -> None:
        self.base_url = f"{org_url.rstrip('/')}/api/data/{api_version}/"
        self.token_provider = token_provider
        self.retry = retry or RetryPolicy()
        self.page_size = page_size
        self._sleep = sleep
        self._log = log or logger
        self._gate = threading.Lock()
        if isinstance(verify, str):
            verify = ssl.create_default_context(cafile=verify)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=DEFAULT_HEADERS,
            transport=transport,
            timeout=timeout,
            verify=verify,
        )

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        """Close the underlying connection pool."""
        self._http.close()

    def __enter__(self) -> DataverseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DataverseClient({self.base_url!r})"

    # -- core request loop ------------------------------------------------------------------
    def _wait(self, seconds: float) -> None:
        # Holding the gate while sleeping keeps other threads from sending (Part D6).
        with self._gate:
            self._sleep(seconds)

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> _Outcome:
        """Send with auth, 401 refresh and retries; returns the final response (any status)."""
        if idempotent is None:
            idempotent = method.upper() != "POST"
        self._check_origin(url)
        waited, attempt, refreshed, maybe_applied = 0.0, 0, False, False
        sleeps: list[float] = []
        while True:
            with self._gate:
                pass  # wait for any in-progress back-off before sending
            request_headers = dict(headers or {})
            request_headers["Authorization"] = f"Bearer {self.token_provider.get_token()}"
            started = time.perf_counter()
            try:
                response = self._http.request(
                    method, url, params=params, json=json, headers=request_headers
                )
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                self._log.warning("%s %s failed: %s", method, _path(url), type(exc).__name__)
                attempt += 1
                delay = self.retry.fallback_delay(attempt)
                if (
                    not idempotent
                    or attempt > self.retry.max_retries
                    or waited + delay > self.retry.max_total_wait
                ):
                    raise ConnectionFailedError(
                        f"{type(exc).__name__} after {attempt} attempt(s)",
                        method=method,
                        path=_path(url),
                    ) from exc
                maybe_applied = True  # the server may have executed the request
                self._wait(delay)
                waited += delay
                sleeps.append(delay)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            self._log.info(
                "%s %s -> %s (%.1f ms)",
                method,
                response.request.url.path,
                response.status_code,
                elapsed,
            )
            status = response.status_code
            if status == 401 and not refreshed:
                refreshed = True
                self.token_provider.invalidate()
                continue
            retryable = status in self.retry.statuses and (idempotent or status == 429)
            if retryable:
                attempt += 1
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = (
                    retry_after if retry_after is not None else self.retry.fallback_delay(attempt)
                )
                if (
                    attempt <= self.retry.max_retries
                    and waited + delay <= self.retry.max_total_wait
                ):
                    self._log.warning(
                        "%s %s -> %s, retrying in %.1f s",
                        method,
                        response.request.url.path,
                        status,
                        delay,
                    )
                    self._wait(delay)
                    waited += delay
                    sleeps.append(delay)
                    # 429 means "not executed"; a 502/504 (or 503) may follow executed work
                    maybe_applied = maybe_applied or status != 429
                    continue
            return _Outcome(response, maybe_applied, waited, attempt + 1, sleeps)

    def _check_origin(self, url: str) -> None:
        if url.startswith(("http://", "https://")):
            target, base = httpx.URL(url), httpx.URL(self.base_url)
            if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
                raise PagingError(f"Refusing to send the token to a foreign URL {target.host!r}.")

    @staticmethod
    def _raise_for_status(response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            raise error_from_response(response)
        return response

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        prefer: str | None = None,
        if_match: str | None = None,
        if_none_match: str | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request and return the response; error statuses raise typed errors.

        :param path: relative to the service root (``contacts(…)``) or an absolute URL on it.
        :param idempotent: allow retries after transport failures / 5xx (default: not POST).
        """
        merged = dict(headers or {})
        if prefer:
            merged["Prefer"] = prefer
        if if_match:
            merged["If-Match"] = if_match
        if if_none_match:
            merged["If-None-Match"] = if_none_match
        outcome = self._send(
            method, path, params=params, json=json, headers=merged, idempotent=idempotent
        )
        return self._raise_for_status(outcome.response)

    # -- reads ------------------------------------------------------------------------------
    def who_am_i(self) -> dict:
        """``GET WhoAmI`` → ``{"BusinessUnitId", "UserId", "OrganizationId"}`` (Part B2)."""
        return self.request("GET", "WhoAmI").json()

    def retrieve(
        self,
        entity_set: str,
        key: str | Mapping[str, Any],
        *,
        select: Iterable[str] | None = None,
        expand: str | None = None,
        annotations: str | None = None,
        if_none_match: str | None = None,
    ) -> dict | None:
        """``GET /<set>(<key>)``; the row with ``@odata.etag``; ``None`` on 304 (Part B6)."""
        params = _query_params(select=select, expand=expand)
        response = self.request(
            "GET",
            entity_set + format_key(key),
            params=params,
            prefer=compose_prefer(annotations=annotations),
            if_none_match=if_none_match,
        )
        if response.status_code == 304:
            return None
        return response.json()

    def iter_pages(
        self,
        entity_set: str,
        *,
        select: Iterable[str] | None = None,
        filter: str | None = None,
        orderby: str | None = None,
        top: int | None = None,
        count: bool = False,
        expand: str | None = None,
        page_size: int | None = None,
        track_changes: bool = False,
        annotations: str | None = None,
    ) -> Iterator[Page]:
        """Query a collection page by page, following ``@odata.nextLink`` verbatim (Part B8)."""
        params = _query_params(
            select=select, filter=filter, orderby=orderby, top=top, count=count, expand=expand
        )
        prefer = compose_prefer(
            max_page_size=page_size or self.page_size,
            track_changes=track_changes,
            annotations=annotations,
        )
        yield from self._pages(entity_set, params, prefer)

    def iter_delta(
        self, delta_link: str, *, page_size: int | None = None, annotations: str | None = None
    ) -> Iterator[Page]:
        """Follow a stored ``@odata.deltaLink`` (Part B17); the last page has the new link."""
        prefer = compose_prefer(
            max_page_size=page_size or self.page_size, track_changes=True, annotations=annotations
        )
        yield from self._pages(delta_link, None, prefer)

    def _pages(
        self, url: str, params: Mapping[str, Any] | None, prefer: str | None
    ) -> Iterator[Page]:
        seen: set[str] = set()
        while True:
            body = self.request("GET", url, params=params, prefer=prefer).json()
            page = Page(
                body.get("value", []),
                body.get("@odata.nextLink"),
                body.get("@odata.deltaLink"),
                body.get("@odata.count"),
            )
            yield page
            if not page.next_link:
                return
            if page.next_link in seen:
                raise PagingError("The server repeated an @odata.nextLink.", path=_path(url))
            seen.add(page.next_link)
            url, params = page.next_link, None

    def query(self, entity_set: str, **options: Any) -> Iterator[dict]:
        """Iterate over every row of a query (same options as :meth:`iter_pages`)."""
        for page in self.iter_pages(entity_set, **options):
            yield from page.value

    # -- writes -----------------------------------------------------------------------------
    def create(
        self,
        entity_set: str,
        data: Mapping[str, Any],
        *,
        primary_key: str | None = None,
        select: Iterable[str] | None = None,
        return_representation: bool = True,
    ) -> dict:
        """``POST /<set>`` with a client-generated primary key (Part B9, Part D5 step 2).

        A create retried after a lost response that meets ``DuplicateRecord`` reads the row
        back instead of failing, so a retried create never duplicates. Returns the created row
        (``return=representation``) or ``{<pk>: id, "@odata.etag": …}``.
        """
        pk = primary_key or PRIMARY_KEYS.get(entity_set)
        if not pk:
            raise ValueError(f"primary_key is required for entity set {entity_set!r}")
        body = strip_server_columns(data)
        record_id = str(body.get(pk) or new_guid()).lower()
        body[pk] = record_id
        columns = list(select or [])
        if columns and pk not in columns:
            columns.append(pk)
        params = _query_params(select=columns or None) if return_representation else None
        outcome = self._send(
            "POST",
            entity_set,
            params=params,
            json=body,
            idempotent=True,
            headers=_prefer_header(compose_prefer(return_representation=return_representation)),
        )
        response = outcome.response
        if response.status_code >= 400:
            error = error_from_response(response)
            if isinstance(error, DuplicateRecordError) and outcome.maybe_applied:
                self._log.info(
                    "create %s(%s) already applied by an earlier attempt", entity_set, record_id
                )
                return self.retrieve(entity_set, record_id, select=columns or None) or {}
            raise error
        if response.status_code == 201:
            return response.json()
        return {pk: record_id, "@odata.etag": response.headers.get("ETag")}

    def update(
        self,
        entity_set: str,
        key: str | Mapping[str, Any],
        data: Mapping[str, Any],
        *,
        etag: str = "*",
        select: Iterable[str] | None = None,
    ) -> dict | None:
        """``PATCH`` an existing row with ``If-Match`` (Part B10/B12).

        ``etag`` is the ``@odata.etag`` last seen (``ConcurrencyError`` on mismatch) or ``*``
        (update only; ``NotFoundError`` when missing). With ``select`` returns the updated row.
        """
        params = _query_params(select=select)
        response = self.request(
            "PATCH",
            entity_set + format_key(key),
            params=params,
            json=strip_server_columns(data),
            if_match=etag,
            prefer=compose_prefer(return_representation=bool(select)),
        )
        return response.json() if response.status_code == 200 else None

    def upsert(
        self,
        entity_set: str,
        key: str | Mapping[str, Any],
        data: Mapping[str, Any],
        *,
        create_only: bool = False,
        select: Iterable[str] | None = None,
    ) -> dict | None:
        """``PATCH`` without ``If-Match``: create or update by id or alternate key (Part B11).

        ``create_only`` sends ``If-None-Match: *`` (``DuplicateRecordError`` when present).
        """
        params = _query_params(select=select)
        response = self.request(
            "PATCH",
            entity_set + format_key(key),
            params=params,
            json=strip_server_columns(data),
            if_none_match="*" if create_only else None,
            prefer=compose_prefer(return_representation=bool(select)),
        )
        return response.json() if response.status_code in (200, 201) else None

    def delete(
        self, entity_set: str, key: str | Mapping[str, Any], *, etag: str | None = None
    ) -> None:
        """``DELETE /<set>(<key>)``, optionally guarded by ``If-Match`` (Part B13)."""
        self.request("DELETE", entity_set + format_key(key), if_match=etag)

    def call_action(
        self, name: str, body: Mapping[str, Any], *, idempotent: bool = False
    ) -> dict | None:
        """``POST /<action>`` (e.g. ``WinOpportunity``, Part B15); retried only on 429."""
        response = self.request("POST", name, json=dict(body), idempotent=idempotent)
        return response.json() if response.content else None


def _query_params(
    *,
    select: Iterable[str] | None = None,
    filter: str | None = None,
    orderby: str | None = None,
    top: int | None = None,
    count: bool = False,
    expand: str | None = None,
) -> dict[str, str] | None:
    params: dict[str, str] = {}
    if select:
        params["$select"] = ",".join(select)
    if filter:
        params["$filter"] = filter
    if orderby:
        params["$orderby"] = orderby
    if top is not None:
        params["$top"] = str(top)
    if count:
        params["$count"] = "true"
    if expand:
        params["$expand"] = expand
    return params or None


def _prefer_header(prefer: str | None) -> dict[str, str]:
    return {"Prefer": prefer} if prefer else {}


def _path(url: str) -> str:
    return httpx.URL(url).path if "://" in url else url.split("?", 1)[0]
