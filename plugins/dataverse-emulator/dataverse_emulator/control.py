"""Test-control endpoints under ``/_emulator`` (Part E2 items 10-11, Part E7).

They mirror the Python API of :class:`~.app.Emulator`, so tests against a real server (or from
another process) can reset/seed data, edit rows as another user, move the clock, inject faults,
mint or expire tokens and read the request log.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from .errors import INVALID_ARGUMENT, ApiError
from .faults import Fault
from .values import format_datetime, parse_datetime

if TYPE_CHECKING:
    from .app import Emulator

_FAULT_FIELDS = {
    "kind",
    "status",
    "count",
    "retry_after",
    "seconds",
    "method",
    "path_contains",
    "code",
    "message",
    "execute",
    "real_sleep",
}


def _ok(data: object, status: int = 200) -> Response:
    from .webapi import dump_json

    return Response(dump_json(data), status, content_type="application/json")


def handle_control(emu: Emulator, request: Request, path: str) -> Response:
    """Dispatch ``/_emulator/<path>``; errors use the Dataverse JSON shape."""
    try:
        body = json.loads(request.get_data() or b"{}") if request.method != "GET" else {}
    except ValueError:
        raise ApiError(400, INVALID_ARGUMENT, "Invalid JSON.") from None
    parts = [p for p in path.split("/") if p]
    method = request.method
    head = parts[0] if parts else ""
    if head == "reset" and method == "POST":
        emu.reset()
        return _ok({"ok": True})
    if head == "clock":
        if method == "POST":
            if "now" in body:
                emu.clock.set(parse_datetime(body["now"]))
            if "advance" in body:
                emu.clock.advance(float(body["advance"]))
            if "auto_advance" in body:
                emu.clock.auto_advance = float(body["auto_advance"])
        return _ok(
            {"now": format_datetime(emu.clock.peek()), "auto_advance": emu.clock.auto_advance}
        )
    if head == "records" and len(parts) >= 2:
        entity_set = parts[1]
        as_user = body.get("as_user")
        if len(parts) == 2 and method == "GET":
            return _ok({"value": emu.rows(entity_set)})
        if len(parts) == 2 and method == "POST":
            return _ok(emu.insert(entity_set, body.get("values", {}), as_user=as_user), 201)
        if len(parts) == 3 and method == "GET":
            row = emu.get(entity_set, parts[2])
            if row is None:
                raise ApiError(404, "0x80040217", "Not found.")
            return _ok(row)
        if len(parts) == 3 and method == "PATCH":
            return _ok(emu.update(entity_set, parts[2], body.get("values", {}), as_user=as_user))
        if len(parts) == 3 and method == "DELETE":
            emu.delete(entity_set, parts[2])
            return _ok({"ok": True})
    if head == "seed" and method == "POST":
        created = {
            name: [emu.insert(name, values, as_user=body.get("as_user")) for values in rows]
            for name, rows in body.get("tables", {}).items()
        }
        return _ok(created, 201)
    if head == "faults":
        if method == "POST":
            options = {k: v for k, v in body.items() if k in _FAULT_FIELDS}
            fault: Fault = emu.faults.add(**options)
            return _ok({"kind": fault.kind, "count": fault.count}, 201)
        if method == "DELETE":
            emu.faults.clear()
            return _ok({"ok": True})
        return _ok(
            {
                "faults": [
                    {"kind": f.kind, "status": f.status, "count": f.count}
                    for f in emu.faults.faults
                ]
            }
        )
    if head == "limits" and method == "POST":
        for name in ("requests_per_window", "window_seconds", "max_concurrent"):
            if name in body:
                setattr(emu.faults.limits, name, int(body[name]))
        return _ok({"ok": True})
    if head == "config" and method == "POST":
        for name in ("duplicate_status", "delta_token_max_age_days"):
            if name in body:
                setattr(emu.config, name, body[name])
        return _ok({"ok": True})
    if head == "requests":
        if method == "DELETE":
            emu.request_log.clear()
            return _ok({"ok": True})
        return _ok({"value": list(emu.request_log)})
    if head == "tokens":
        if len(parts) == 2 and parts[1] == "expire" and method == "POST":
            emu.expire_tokens()
            return _ok({"ok": True})
        if method == "POST":
            token = emu.issue_token(body.get("user_id"), body.get("expires_in"))
            return _ok({"access_token": token, "token_type": "Bearer"}, 201)
    if head == "users" and method == "POST":
        return _ok(emu.add_user(**body), 201)
    if head == "privileges" and method == "POST":
        try:
            emu.deny_privileges(body["entity_set"], *body["deny"], user_id=body.get("user_id"))
        except (KeyError, TypeError):
            raise ApiError(
                400, INVALID_ARGUMENT, 'Give entity_set and deny (e.g. ["Write"]).'
            ) from None
        return _ok({"ok": True})
    raise ApiError(404, "0x80040217", f"Unknown control endpoint /_emulator/{path}.")
