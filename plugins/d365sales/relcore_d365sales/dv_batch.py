"""Client side of ``$batch`` (reference §B16): many writes in one HTTP request.

The HTTP layer (:mod:`.http`) sends JSON bodies only, so this adapter serialises a
``multipart/mixed`` batch itself and posts it through the client's connection with the same
behaviour: bearer token (one refresh on 401), retries on 429 (``Retry-After``) and 502/503/504
with the client's :class:`~.http.RetryPolicy` and injected sleep. Requests are *not* wrapped in
change sets (each write stands alone), and ``Prefer: odata.continue-on-error`` makes every part
report its own status. Re-sending a batch is safe for the engine: creates carry client-generated
ids (a repeat answers ``DuplicateRecord``) and updates carry ETags (a repeat answers 412).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import attrs
import httpx

from relcore_d365sales.http import (
    ConnectionFailedError,
    DataverseClient,
    error_from_response,
    parse_retry_after,
)

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@attrs.define
class BatchOp:
    """One request of a batch: ``method``, ``url`` relative to the service root, JSON ``body``,
    extra ``headers``."""

    method: str
    url: str
    body: dict | None = None
    headers: dict[str, str] = attrs.Factory(dict)


@attrs.define
class BatchResult:
    """The answer to one :class:`BatchOp`."""

    status: int
    headers: dict[str, str]
    body: Any = None

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str:
        """The Dataverse error code of a failed part ('' when none)."""
        if isinstance(self.body, dict):
            return str(self.body.get("error", {}).get("code") or "")
        return ""

    @property
    def error_message(self) -> str:
        """The error message of a failed part."""
        if isinstance(self.body, dict) and "error" in self.body:
            return str(self.body["error"].get("message") or f"HTTP {self.status}")
        return f"HTTP {self.status}"


def serialise(base_url: str, ops: list[BatchOp], boundary: str) -> str:
    """The ``multipart/mixed`` body of a batch."""
    parts = []
    for op in ops:
        lines = [
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            f"{op.method} {base_url}{op.url} HTTP/1.1",
        ]
        headers = dict(op.headers)
        if op.body is not None:
            headers.setdefault("Content-Type", "application/json; type=entry")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append("")
        if op.body is not None:
            lines.append(json.dumps(op.body))
        parts.append(f"--{boundary}\r\n" + "\r\n".join(lines) + "\r\n")
    return "".join(parts) + f"--{boundary}--\r\n"


def parse_response(text: str, content_type: str) -> list[BatchResult]:
    """Parse a ``multipart/mixed`` batch response into results (change sets flattened)."""
    match = _BOUNDARY.search(content_type or "")
    if not match:
        raise ValueError("batch response without a multipart boundary")
    results: list[BatchResult] = []
    for part in _split(text, match.group(1)):
        head, _, rest = part.partition("\n\n")
        if "multipart/mixed" in head.lower():
            inner = _BOUNDARY.search(head)
            if inner:
                results += [
                    _parse_http(p.partition("\n\n")[2]) for p in _split(rest, inner.group(1))
                ]
            continue
        results.append(_parse_http(rest))
    return results


def _split(text: str, boundary: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    out = []
    for chunk in text.split("--" + boundary)[1:]:
        if chunk.startswith("--"):
            break
        out.append(chunk.lstrip("\n"))
    return out


def _parse_http(text: str) -> BatchResult:
    status_line, _, rest = text.lstrip("\n").partition("\n")
    bits = status_line.split()
    status = int(bits[1]) if len(bits) > 1 and bits[1].isdigit() else 500
    head, _, body = rest.partition("\n\n")
    headers = {}
    for line in head.split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip()] = v.strip()
    body = body.strip()
    parsed: Any = None
    if body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = body
    return BatchResult(status, headers, parsed)


def send_batch(client: DataverseClient, ops: list[BatchOp]) -> list[BatchResult]:
    """Send ``ops`` as one ``$batch`` request; one result per op, in order."""
    if not ops:
        return []
    boundary = f"batch_{uuid.uuid4()}"
    content = serialise(client.base_url, ops, boundary).encode()
    headers = {
        "Content-Type": f"multipart/mixed; boundary={boundary}",
        "Prefer": "odata.continue-on-error",
    }
    response = _post(client, content, headers)
    if response.status_code >= 400:
        raise error_from_response(response)
    results = parse_response(response.text, response.headers.get("Content-Type", ""))
    if len(results) != len(ops):
        raise ValueError(f"$batch answered {len(results)} parts for {len(ops)} requests")
    return results


def _post(client: DataverseClient, content: bytes, headers: dict[str, str]) -> httpx.Response:
    policy = client.retry
    waited, attempt, refreshed = 0.0, 0, False
    while True:
        with client._gate:
            pass  # do not send while another request waits out a back-off
        request_headers = {
            **headers,
            "Authorization": f"Bearer {client.token_provider.get_token()}",
        }
        try:
            response = client._http.post("$batch", content=content, headers=request_headers)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            attempt += 1
            delay = policy.fallback_delay(attempt)
            if attempt > policy.max_retries or waited + delay > policy.max_total_wait:
                raise ConnectionFailedError(
                    f"{type(exc).__name__} after {attempt} attempt(s)", method="POST", path="$batch"
                ) from exc
            client._wait(delay)
            waited += delay
            continue
        if response.status_code == 401 and not refreshed:
            refreshed = True
            client.token_provider.invalidate()
            continue
        if response.status_code in policy.statuses:
            attempt += 1
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            delay = retry_after if retry_after is not None else policy.fallback_delay(attempt)
            if attempt <= policy.max_retries and waited + delay <= policy.max_total_wait:
                client._wait(delay)
                waited += delay
                continue
        return response
