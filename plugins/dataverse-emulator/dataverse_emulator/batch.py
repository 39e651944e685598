"""``$batch`` execution (Part B16, Part E8 items 34-36).

Parses ``multipart/mixed`` batches with nested change sets, runs the inner requests
sequentially through :class:`~.webapi.WebApi`, rolls change sets back atomically on failure,
resolves ``Content-ID`` references (``$1``) in URLs and ``@odata.bind`` values, and answers with
``batchresponse_``/``changesetresponse_`` parts.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from werkzeug.datastructures import Headers, MultiDict
from werkzeug.wrappers import Request, Response

from .errors import INVALID_ARGUMENT, ApiError
from .prefer import parse_prefer
from .webapi import ApiRequest, ApiResponse, dump_json

if TYPE_CHECKING:
    from .app import Emulator

MAX_REQUESTS = 1000
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@dataclass
class InnerRequest:
    """One HTTP request inside a batch part."""

    method: str
    url: str
    headers: Headers
    body: bytes
    content_id: str | None = None


@dataclass
class ChangeSet:
    """An atomic group of write requests."""

    requests: list[InnerRequest] = field(default_factory=list)


def _boundary(content_type: str) -> str:
    match = _BOUNDARY.search(content_type or "")
    if not match:
        raise ApiError(
            400, INVALID_ARGUMENT, "The batch request must be multipart/mixed with a boundary."
        )
    return match.group(1)


def _split_parts(body: str, boundary: str) -> list[str]:
    delimiter = "--" + boundary
    chunks = body.split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith("--"):
            break
        parts.append(chunk.lstrip("\r\n") if chunk.startswith(("\r\n", "\n")) else chunk)
    return parts


def _headers_and_rest(text: str) -> tuple[Headers, str]:
    text = text.replace("\r\n", "\n")
    head, _, rest = text.partition("\n\n")
    headers = Headers()
    for line in head.split("\n"):
        if ":" in line:
            name, value = line.split(":", 1)
            headers.add(name.strip(), value.strip())
    return headers, rest


def _parse_http(text: str, part_headers: Headers) -> InnerRequest:
    text = text.replace("\r\n", "\n").lstrip("\n")
    request_line, _, remainder = text.partition("\n")
    bits = request_line.split()
    if len(bits) < 2:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid request line in batch: {request_line!r}.")
    headers, body = _headers_and_rest(remainder) if remainder.strip() else (Headers(), "")
    if "\n\n" not in remainder and ":" not in remainder.split("\n", 1)[0]:
        headers, body = Headers(), remainder
    return InnerRequest(
        bits[0].upper(),
        bits[1],
        headers,
        body.strip().encode(),
        part_headers.get("Content-ID") or headers.get("Content-ID"),
    )


def parse_batch(body: str, content_type: str) -> list[InnerRequest | ChangeSet]:
    """Parse a batch body into requests and change sets."""
    items: list[InnerRequest | ChangeSet] = []
    for part in _split_parts(body, _boundary(content_type)):
        headers, rest = _headers_and_rest(part)
        ctype = headers.get("Content-Type", "")
        if ctype.lower().startswith("multipart/mixed"):
            changeset = ChangeSet()
            for inner in _split_parts(rest, _boundary(ctype)):
                inner_headers, inner_rest = _headers_and_rest(inner)
                changeset.requests.append(_parse_http(inner_rest, inner_headers))
            items.append(changeset)
        else:
            items.append(_parse_http(rest, headers))
    return items


def _count(items: list) -> int:
    return sum(len(i.requests) if isinstance(i, ChangeSet) else 1 for i in items)


class BatchRunner:
    """Executes parsed batch items for one caller."""

    def __init__(self, emu: Emulator, request: Request, caller: str) -> None:
        self.emu = emu
        self.caller = caller
        self.service_root = request.host_url + "api/data/" + request.path.split("/")[3] + "/"
        self.content_ids: dict[str, str] = {}

    def _resolve_url(self, url: str) -> tuple[str, str]:
        if url.startswith("$"):
            ref, _, rest = url[1:].partition("/")
            target = self.content_ids.get(ref)
            if target is None:
                raise ApiError(400, INVALID_ARGUMENT, f"Unknown Content-ID reference ${ref}.")
            url = target + ("/" + rest if rest else "")
        parts = urlsplit(url)
        path = parts.path
        if "/api/data/" in path:
            path = (
                path.split("/api/data/", 1)[1].split("/", 1)[1]
                if "/" in path.split("/api/data/", 1)[1]
                else ""
            )
        return unquote(path.lstrip("/")), parts.query

    def _resolve_body(self, body: bytes) -> bytes:
        if not body or not self.content_ids:
            return body
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if isinstance(data, dict):
            for key, value in list(data.items()):
                if key.endswith("@odata.bind") and isinstance(value, str) and value.startswith("$"):
                    target = self.content_ids.get(value[1:])
                    if target is None:
                        raise ApiError(
                            400, INVALID_ARGUMENT, f"Unknown Content-ID reference {value}."
                        )
                    data[key] = target
        return json.dumps(data).encode()

    def run(self, inner: InnerRequest) -> ApiResponse:
        """Execute one inner request; errors become error responses."""
        try:
            path, query = self._resolve_url(inner.url)
            api_request = ApiRequest(
                inner.method,
                path,
                MultiDict(parse_qsl(query)),
                inner.headers,
                self._resolve_body(inner.body),
                self.service_root,
                self.caller,
            )
            response = self.emu.api.handle(api_request)
        except ApiError as error:
            headers = {"Content-Type": "application/json; odata.metadata=minimal", **error.headers}
            return ApiResponse(error.status, headers, error.body())
        if inner.content_id and "OData-EntityId" in response.headers:
            self.content_ids[inner.content_id] = response.headers["OData-EntityId"]
        elif inner.content_id and response.body and response.status == 201:
            context = response.body.get("@odata.context", "")
            entity_set = context.split("#", 1)[-1].split("(", 1)[0].split("/", 1)[0]
            table = self.emu.store.tables.get(entity_set)
            if table is not None:
                self.content_ids[inner.content_id] = (
                    f"{self.service_root}{entity_set}({response.body[table.primary_key]})"
                )
        return response


def _render_part(response: ApiResponse, content_id: str | None) -> str:
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id:
        lines.append(f"Content-ID: {content_id}")
    phrase = (
        HTTPStatus(response.status).phrase
        if response.status in HTTPStatus._value2member_map_
        else ""
    )
    lines += ["", f"HTTP/1.1 {response.status} {phrase}", "OData-Version: 4.0"]
    for key, value in response.headers.items():
        lines.append(f"{key}: {value}")
    if response.body is not None:
        if "Content-Type" not in response.headers:
            lines.append("Content-Type: application/json; odata.metadata=minimal")
        lines += ["", dump_json(response.body)]
    else:
        lines.append("")
    return "\r\n".join(lines) + "\r\n"


def execute_batch(emu: Emulator, request: Request, caller: str) -> Response:
    """Handle ``POST $batch`` (Part E8)."""
    if request.method != "POST":
        raise ApiError(405, "0x80060887", "$batch requires POST.")
    items = parse_batch(request.get_data(as_text=True), request.headers.get("Content-Type", ""))
    if _count(items) > MAX_REQUESTS:
        raise ApiError(
            400,
            INVALID_ARGUMENT,
            f"The number of requests in a batch exceeds the limit of {MAX_REQUESTS}.",
        )
    prefs = parse_prefer(request.headers.getlist("Prefer"))
    runner = BatchRunner(emu, request, caller)
    boundary = f"batchresponse_{uuid.uuid4()}"
    chunks: list[str] = []
    with emu.store.lock:
        for item in items:
            if isinstance(item, ChangeSet):
                if any(r.method == "GET" for r in item.requests):
                    raise ApiError(
                        400, INVALID_ARGUMENT, "GET requests are not allowed in a change set."
                    )
                state = emu.store.snapshot()
                results = []
                failed: ApiResponse | None = None
                for inner in item.requests:
                    response = runner.run(inner)
                    if response.status >= 400:
                        failed = response
                        break
                    results.append((response, inner.content_id))
                if failed is not None:
                    emu.store.restore(state)
                    if not prefs.continue_on_error:
                        return _error_out(failed)
                    chunks.append(_render_part(failed, None))
                    continue
                cs_boundary = f"changesetresponse_{uuid.uuid4()}"
                body = "".join(f"--{cs_boundary}\r\n{_render_part(r, cid)}" for r, cid in results)
                body += f"--{cs_boundary}--\r\n"
                chunks.append(
                    f"Content-Type: multipart/mixed; boundary={cs_boundary}\r\n\r\n{body}"
                )
            else:
                response = runner.run(item)
                if response.status >= 400 and not prefs.continue_on_error:
                    return _error_out(response)
                chunks.append(_render_part(response, item.content_id))
    if prefs.continue_on_error:
        prefs.apply("odata.continue-on-error")
    payload = "".join(f"--{boundary}\r\n{chunk}" for chunk in chunks) + f"--{boundary}--\r\n"
    headers = Headers({"OData-Version": "4.0"})
    if prefs.header():
        headers["Preference-Applied"] = prefs.header()
    return Response(payload, 200, headers, content_type=f"multipart/mixed; boundary={boundary}")


def _error_out(response: ApiResponse) -> Response:
    headers = Headers({"OData-Version": "4.0"})
    for key, value in response.headers.items():
        headers[key] = value
    return Response(dump_json(response.body), response.status, headers)
