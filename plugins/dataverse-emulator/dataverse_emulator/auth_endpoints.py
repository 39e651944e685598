"""Fake Microsoft Entra ID: token registry, discovery document and token endpoint.

Implements Part E1 item 2 (bearer tokens mapped to a caller identity, early expiry) and the
msal-compatible endpoints of Appendix 3: ``GET /<tenant>/v2.0/.well-known/openid-configuration``
and ``POST /<tenant>/oauth2/v2.0/token`` (client-credentials grant).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from .clock import Clock
from .errors import AUTH_FAILED, ApiError

DEFAULT_TOKEN_LIFETIME = 3599


@dataclass
class IssuedToken:
    """A bearer token: the caller's systemuser id and its expiry (emulator clock)."""

    user_id: str
    expires_at: datetime
    client_id: str | None = None


@dataclass
class ClientApp:
    """An Entra app registration bound to an application user (Part B2): a client secret
    and/or a certificate (an ``x509.Certificate``; see :mod:`.assertions`)."""

    client_id: str
    client_secret: str | None
    user_id: str
    certificate: Any = None


class TokenRegistry:
    """Issues and validates bearer tokens against the emulator clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.tokens: dict[str, IssuedToken] = {}
        self.apps: dict[str, ClientApp] = {}
        self.lifetime = DEFAULT_TOKEN_LIFETIME
        self._lock = threading.Lock()

    def register_app(
        self, client_id: str, client_secret: str | None, user_id: str, certificate: Any = None
    ) -> ClientApp:
        """Register a confidential client whose tokens act as ``user_id``."""
        app = ClientApp(client_id, client_secret, user_id, certificate)
        self.apps[client_id] = app
        return app

    def issue(
        self, user_id: str, expires_in: int | None = None, client_id: str | None = None
    ) -> str:
        """Mint a token for ``user_id`` valid ``expires_in`` seconds of emulator time."""
        token = "emu." + secrets.token_urlsafe(24)
        lifetime = self.lifetime if expires_in is None else expires_in
        with self._lock:
            self.tokens[token] = IssuedToken(
                user_id, self.clock.peek() + timedelta(seconds=lifetime), client_id
            )
        return token

    def expire_all(self) -> None:
        """Expire every issued token now (Part E9 scenario I)."""
        with self._lock:
            for issued in self.tokens.values():
                issued.expires_at = self.clock.peek() - timedelta(seconds=1)

    def expire(self, token: str) -> None:
        """Expire one token now."""
        with self._lock:
            if token in self.tokens:
                self.tokens[token].expires_at = self.clock.peek() - timedelta(seconds=1)

    def caller(self, authorization: str | None) -> str:
        """Return the caller's user id for an ``Authorization`` header; 401 otherwise."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise _unauthorized("The user is not authenticated: missing bearer token.")
        token = authorization.split(" ", 1)[1].strip()
        issued = self.tokens.get(token)
        if issued is None:
            raise _unauthorized("The access token is invalid.")
        if issued.expires_at <= self.clock.peek():
            raise _unauthorized("The access token has expired (ExpiredAuthTicket).")
        return issued.user_id


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, AUTH_FAILED, message, {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def discovery_document(base_url: str, tenant: str) -> dict:
    """The OpenID configuration msal fetches on construction (Appendix 3)."""
    root = f"{base_url.rstrip('/')}/{tenant}"
    return {
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "issuer": f"{root}/v2.0",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "client_secret_basic",
            "private_key_jwt",
        ],
        "response_types_supported": ["code", "id_token", "token"],
        "grant_types_supported": ["client_credentials"],
    }


def token_response(registry: TokenRegistry, request: Request) -> Response:
    """Handle a client-credentials token request (``application/x-www-form-urlencoded``)."""
    form = request.form
    client_id = form.get("client_id")
    secret = form.get("client_secret")
    if request.authorization and request.authorization.type == "basic":
        client_id = client_id or request.authorization.username
        secret = secret or request.authorization.password
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
    assertion = form.get("client_assertion")
    if assertion is not None:
        app, problem = _assertion_app(registry, request, form, assertion)
        if problem:
            return _oauth_error(401, "invalid_client", problem)
    else:
        app = registry.apps.get(client_id or "")
        if (
            app is None
            or app.client_secret is None
            or not secrets.compare_digest(app.client_secret, secret or "")
        ):
            return _oauth_error(
                401, "invalid_client", "AADSTS7000215: Invalid client secret provided."
            )
    scope = form.get("scope", "")
    if not any(s.endswith("/.default") for s in scope.split()):
        return _oauth_error(400, "invalid_scope", "AADSTS70011: The scope must end in /.default.")
    token = registry.issue(app.user_id, client_id=app.client_id)
    return Response(
        _json(
            {
                "token_type": "Bearer",
                "expires_in": registry.lifetime,
                "ext_expires_in": registry.lifetime,
                "access_token": token,
            }
        ),
        200,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _assertion_app(
    registry: TokenRegistry, request: Request, form: Any, assertion: str
) -> tuple[ClientApp | None, str | None]:
    """The app a client assertion authenticates, or ``(None, AADSTS description)``."""
    from .assertions import JWT_BEARER, InvalidAssertion, claims_of, verify

    if form.get("client_assertion_type") != JWT_BEARER:
        return None, f"AADSTS700024: client_assertion_type must be {JWT_BEARER}."
    try:
        _, claims = claims_of(assertion)
        client_id = form.get("client_id") or claims.get("sub") or ""
        app = registry.apps.get(client_id)
        if app is None or app.certificate is None:
            return None, f"AADSTS700027: No certificate is registered on application {client_id}."
        verify(assertion, app.certificate, request.base_url, client_id)
    except InvalidAssertion as exc:
        return None, str(exc)
    return app, None


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(
        _json({"error": error, "error_description": description}),
        status,
        content_type="application/json",
    )


def _json(data: dict) -> str:
    import json

    return json.dumps(data)
