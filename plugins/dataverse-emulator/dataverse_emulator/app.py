"""The :class:`Emulator`: in-memory Dataverse plus its WSGI application (Part E).

``Emulator().wsgi_app`` serves:

* ``/api/data/v9.x/...`` — the Web API (:mod:`.webapi`), bearer-token protected (Part E1);
* ``/<tenant>/v2.0/.well-known/openid-configuration`` and ``/<tenant>/oauth2/v2.0/token`` —
  the fake Entra ID for msal (Appendix 3);
* ``/_emulator/...`` — test control (:mod:`.control`).
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .auth_endpoints import TokenRegistry, discovery_document, token_response
from .clock import Clock
from .config import EmulatorConfig
from .control import handle_control
from .errors import OBJECT_DOES_NOT_EXIST, ApiError
from .faults import DroppedResponse, FaultInjector, SimulatedTimeout
from .metadata import Privileges
from .paging import Pager
from .render import render_row
from .store import Store
from .webapi import ApiRequest, ApiResponse, WebApi, dump_json
from .writes import apply_state, body_to_values

DEFAULT_CLIENT_ID = "00000000-0000-0000-0000-00000000c1e7"
DEFAULT_CLIENT_SECRET = "emulator-test-secret"  # a fake, emulator-only value
DEFAULT_TENANT = "00000000-0000-0000-0000-000000000001"

_URLS = Map(
    [
        Rule("/api/data/<version>/", endpoint="api", defaults={"path": ""}),
        Rule("/api/data/<version>/<path:path>", endpoint="api"),
        Rule("/_emulator/<path:path>", endpoint="control"),
        Rule("/<tenant>/v2.0/.well-known/openid-configuration", endpoint="discovery"),
        Rule("/<tenant>/.well-known/openid-configuration", endpoint="discovery"),
        Rule("/<tenant>/oauth2/v2.0/token", endpoint="token"),
    ],
    strict_slashes=False,
    merge_slashes=False,
)

Row = dict[str, Any]


class Emulator:
    """An in-memory Dataverse environment with a controllable clock and fault injection.

    Attributes: ``clock`` (:class:`.Clock`), ``store`` (:class:`.Store`), ``tokens``
    (:class:`.TokenRegistry`), ``faults`` (:class:`.FaultInjector`; also rate limits),
    ``config`` (:class:`.EmulatorConfig`), ``request_log`` (list of dicts),
    ``integration_user_id`` (application user of the default client) and
    ``client_id`` / ``client_secret`` / ``tenant_id`` of the default app registration.
    """

    def __init__(self, now: datetime | None = None) -> None:
        self.clock = Clock(now)
        self.config = EmulatorConfig()
        self.tokens = TokenRegistry(self.clock)
        self.faults = FaultInjector(self.clock)
        self.pager = Pager()
        self.privileges = Privileges()
        self.api = WebApi(self)
        self.request_log: list[dict] = []
        self._log_lock = threading.Lock()
        self.organization_id = str(uuid.uuid4())
        self.client_id = DEFAULT_CLIENT_ID
        self.client_secret = DEFAULT_CLIENT_SECRET
        self.tenant_id = DEFAULT_TENANT
        self.store = Store()
        self._seed_defaults()

    # -- data -------------------------------------------------------------------------------
    def _seed_defaults(self) -> None:
        self.integration_user_id = self.add_user(
            "# relcore integration",
            applicationid=self.client_id,
            accessmode=4,
            isintegrationuser=False,
            islicensed=False,
        )["systemuserid"]
        self.tokens.register_app(self.client_id, self.client_secret, self.integration_user_id)

    def reset(self) -> None:
        """Drop all rows, faults, cursors, tokens and the request log; re-seed defaults."""
        with self.store.lock:
            self.store.clear()
            self.faults.clear()
            self.privileges.clear()
            self.pager.clear()
            self.tokens.tokens.clear()
            self.request_log.clear()
            self._seed_defaults()

    def add_user(self, fullname: str, *, systemuserid: str | None = None, **columns: Any) -> Row:
        """Provision a systemuser (users come from Entra ID, not the API, Part B4)."""
        first, _, last = fullname.partition(" ")
        values = {
            "fullname": fullname,
            "firstname": first or None,
            "lastname": last or None,
            "isdisabled": False,
            "islicensed": True,
            "isintegrationuser": False,
            "accessmode": 0,
            **columns,
        }
        if systemuserid:
            values["systemuserid"] = systemuserid
        return self.insert("systemusers", values, as_user=systemuserid or None)

    def register_certificate(
        self, certificate_pem: str | bytes, client_id: str | None = None, user_id: str | None = None
    ) -> None:
        """Let an app registration (default: the default one, acting as the integration user)
        authenticate with client assertions signed by this certificate's private key (PEM text
        with the certificate; a private key block beside it is ignored)."""
        from .assertions import load_certificate

        client_id = client_id or self.client_id
        known = self.tokens.apps.get(client_id)
        self.tokens.register_app(
            client_id,
            known.client_secret if known else None,
            user_id or (known.user_id if known else self.integration_user_id),
            load_certificate(certificate_pem),
        )

    def register_app(self, client_id: str, client_secret: str, user_id: str) -> None:
        """Register another confidential client acting as ``user_id``."""
        self.tokens.register_app(client_id, client_secret, user_id)

    def deny_privileges(self, entity_set: str, *kinds: str, user_id: str | None = None) -> None:
        """Take table privileges (``"Read"``, ``"Write"``, ``"Create"``…) on ``entity_set`` away
        from ``user_id`` (default: the integration user); requests needing them answer ``403``."""
        from .metadata import privilege_name

        table = self.store.table(entity_set)
        self.privileges.deny(
            user_id or self.integration_user_id, *(privilege_name(table, k) for k in kinds)
        )

    def insert(self, entity_set: str, values: dict, as_user: str | None = None) -> Row:
        """Insert a row directly (as ``as_user``, default the integration user) — e.g. a human
        edit in Sales (Part E2 item 11). Values use Web API JSON (``@odata.bind`` allowed)."""
        with self.store.lock:
            table = self.store.table(entity_set)
            clean = body_to_values(self.store, table, values, creating=True)
            apply_state(table, None, clean)
            if entity_set == "systemusers":
                clean.setdefault("systemuserid", str(uuid.uuid4()))
                caller = as_user or clean["systemuserid"]
            else:
                caller = as_user or self.integration_user_id
            row = self.store.insert(entity_set, clean, caller, self.clock.now())
            return render_row(self.store, table, row, None)

    def update(
        self, entity_set: str, record_id: str, values: dict, as_user: str | None = None
    ) -> Row:
        """Update a row directly as ``as_user`` (bumps version/modifiedon like a real edit)."""
        with self.store.lock:
            table = self.store.table(entity_set)
            if self.store.get(entity_set, record_id) is None:
                raise ApiError(
                    404,
                    OBJECT_DOES_NOT_EXIST,
                    f"{table.logical_name} With Id = {record_id} Does Not Exist",
                )
            row = self.store.get(entity_set, record_id)
            clean = body_to_values(self.store, table, values, creating=False, record_id=record_id)
            apply_state(table, row, clean)
            row = self.store.update(
                entity_set, record_id, clean, as_user or self.integration_user_id, self.clock.now()
            )
            return render_row(self.store, table, row, None)

    def delete(self, entity_set: str, record_id: str) -> None:
        """Delete a row directly (recorded for change tracking)."""
        with self.store.lock:
            if self.store.get(entity_set, record_id) is None:
                raise ApiError(404, OBJECT_DOES_NOT_EXIST, f"{record_id} Does Not Exist")
            self.store.delete(entity_set, record_id, self.clock.now())

    def get(self, entity_set: str, record_id: str) -> Row | None:
        """Return a row rendered as Web API JSON (all columns), or ``None``."""
        with self.store.lock:
            row = self.store.get(entity_set, record_id)
            if row is None:
                return None
            return render_row(self.store, self.store.table(entity_set), row, None)

    def rows(self, entity_set: str) -> list[Row]:
        """Every row of ``entity_set`` rendered as Web API JSON, in write order."""
        with self.store.lock:
            table = self.store.table(entity_set)
            rows = sorted(self.store.rows[entity_set].values(), key=lambda r: r["versionnumber"])
            return [render_row(self.store, table, r, None) for r in rows]

    # -- tokens -----------------------------------------------------------------------------
    def issue_token(self, user_id: str | None = None, expires_in: int | None = None) -> str:
        """Mint a bearer token for ``user_id`` (default: the integration user)."""
        return self.tokens.issue(user_id or self.integration_user_id, expires_in)

    def expire_tokens(self) -> None:
        """Expire every issued token now (next API call answers 401)."""
        self.tokens.expire_all()

    # -- WSGI -------------------------------------------------------------------------------
    def wsgi_app(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        """The WSGI entry point."""
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    __call__ = wsgi_app

    def dispatch(self, request: Request) -> Response:
        """Route a Werkzeug request to the API, auth or control handlers."""
        adapter = _URLS.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match(request.path, method=request.method)
        except Exception:
            return _error_response(
                ApiError(404, OBJECT_DOES_NOT_EXIST, f"Resource not found: {request.path}")
            )
        try:
            if endpoint == "api":
                return self._api(request, values["version"], values["path"])
            if endpoint == "control":
                return handle_control(self, request, values["path"])
            if endpoint == "discovery":
                return Response(
                    dump_json(discovery_document(request.host_url, values["tenant"])),
                    200,
                    content_type="application/json",
                )
            if endpoint == "token":
                self._log(request, "token", None, 0)
                return token_response(self.tokens, request)
        except ApiError as error:
            return _error_response(error)
        return _error_response(ApiError(404, OBJECT_DOES_NOT_EXIST, "Not found."))

    def _api(self, request: Request, version: str, path: str) -> Response:
        started = time.perf_counter()
        if not version.startswith(self.config.api_versions_prefix):
            return _error_response(
                ApiError(404, OBJECT_DOES_NOT_EXIST, f"Unsupported API version {version}.")
            )
        # The whole request is received before anything runs: a fault hook holding it while the
        # client is killed must not leave the body unread (it is executed and logged after).
        request.get_data()
        fault = self.faults.take(request.method, request.full_path)
        drop = False
        try:
            if fault is not None:
                drop = self._apply_fault(request, fault)
            caller = self.tokens.caller(request.headers.get("Authorization"))
            rate_headers = self.faults.check_rate(caller)
            self.faults.enter(caller)
            try:
                if path == "$batch":
                    from .batch import execute_batch

                    response = execute_batch(self, request, caller)
                    response.headers.extend(rate_headers)
                else:
                    api_response = self.api.handle(self._api_request(request, path, caller))
                    api_response.headers.update(rate_headers)
                    response = to_werkzeug(api_response)
            finally:
                self.faults.leave(caller)
        except ApiError as error:
            response = _error_response(error)
        if fault is not None and fault.kind == "status" and fault.execute:
            response = _error_response(fault.error())  # executed, but the answer is an error
        self._log(request, path, response.status_code, time.perf_counter() - started)
        if drop:
            self._drop(request)
        return response

    def _api_request(self, request: Request, path: str, caller: str) -> ApiRequest:
        root = request.host_url + "api/data/" + request.path.split("/")[3] + "/"
        return ApiRequest(
            request.method, path, request.args, request.headers, request.get_data(), root, caller
        )

    def _apply_fault(self, request: Request, fault: Any) -> bool:
        """Run a fault; returns True when the response must be dropped after execution."""
        if fault.kind == "status" and not fault.execute:
            raise fault.error()
        if fault.kind == "hook" and fault.action is not None:
            fault.action(self)
        if fault.kind == "delay":
            self.clock.advance(fault.seconds)
            if fault.real_sleep:
                time.sleep(fault.seconds)
        if fault.kind == "timeout":
            self._log(request, "timeout", None, 0)
            if "werkzeug.socket" in request.environ and fault.seconds:
                time.sleep(fault.seconds)
            self._drop(request, timeout=True)
        return fault.kind == "drop"

    def _drop(self, request: Request, timeout: bool = False) -> None:
        sock = request.environ.get("werkzeug.socket")
        if sock is not None:
            import socket

            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        raise (SimulatedTimeout if timeout else DroppedResponse)("response dropped by fault")

    def _log(self, request: Request, path: str, status: int | None, duration: float) -> None:
        headers = {
            k: ("<redacted>" if k.lower() == "authorization" else v)
            for k, v in request.headers.items()
        }
        entry = {
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode(),
            "status": status,
            "headers": headers,
            "at": self.clock.peek().isoformat(),
            "body": request.get_data(as_text=True) if path != "token" else None,
            "duration_ms": round(duration * 1000, 3),
        }
        with self._log_lock:
            self.request_log.append(entry)

    # -- helpers ----------------------------------------------------------------------------
    def transport(self):
        """An ``httpx`` transport running this app in-process (faults mapped to httpx errors)."""
        from .transport import EmulatorTransport

        return EmulatorTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0, ssl_context: Any = None):
        """Start a threaded HTTP(S) server on loopback; returns a running
        :class:`.server.EmulatorServer` (a context manager with ``.url``)."""
        from .server import EmulatorServer

        return EmulatorServer(self, host, port, ssl_context).start()


def to_werkzeug(api_response: ApiResponse) -> Response:
    """Convert an :class:`ApiResponse` into a Werkzeug response with OData headers (E1.1)."""
    headers = Headers({"OData-Version": "4.0"})
    for key, value in api_response.headers.items():
        headers[key] = value
    if api_response.body is not None:
        headers["Content-Type"] = "application/json; odata.metadata=minimal"
        return Response(dump_json(api_response.body), api_response.status, headers)
    if api_response.text is not None:
        return Response(api_response.text, api_response.status, headers)
    return Response(b"", api_response.status, headers)


def _error_response(error: ApiError) -> Response:
    headers = Headers({"OData-Version": "4.0", "x-ms-service-request-id": str(uuid.uuid4())})
    for key, value in error.headers.items():
        headers[key] = value
    headers["Content-Type"] = "application/json; odata.metadata=minimal"
    return Response(dump_json(error.body()), error.status, headers)


__all__ = ["Emulator", "to_werkzeug"]
