"""Token acquisition for the Dataverse Web API (Part B2, Part C, Appendix 3).

The HTTP layer depends only on the :class:`TokenProvider` protocol. Production uses
:class:`MsalTokenProvider` (msal client-credentials flow, tokens cached by msal, dropped and
re-acquired after a 401); tests inject :class:`StaticTokenProvider` or point msal at the
emulator. The client secret is read only from the ``RELCORE_D365_CLIENT_SECRET`` entry of an
environment mapping handed in by the caller, held in a :class:`Secret` that never prints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

SECRET_ENV_VAR = "RELCORE_D365_CLIENT_SECRET"
DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"


class AuthError(Exception):
    """Token acquisition failed (bad credentials, unreachable authority, missing secret)."""


@runtime_checkable
class TokenProvider(Protocol):
    """Source of bearer tokens for the Web API."""

    def get_token(self) -> str:
        """Return a valid access token (cached where possible)."""
        ...

    def invalidate(self) -> None:
        """Forget the cached token so the next :meth:`get_token` fetches a fresh one."""
        ...


class Secret:
    """A client credential that never shows itself in ``repr``/``str``/logs; use :meth:`reveal`.

    The value is a client secret (``str``) or msal's certificate credential (``dict`` with
    ``private_key``, ``thumbprint`` and optionally ``passphrase``; see :mod:`.certificate`).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | dict) -> None:
        self._value = value

    def reveal(self) -> Any:
        """Return the credential (only to hand it to msal or sign an assertion)."""
        return self._value

    @property
    def is_certificate(self) -> bool:
        """True for a certificate credential."""
        return isinstance(self._value, dict)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def secret_from_env(environ: Mapping[str, str], name: str = SECRET_ENV_VAR) -> Secret:
    """Read the client secret from ``environ[name]`` (Part D2: secrets from env, never logged)."""
    value = environ.get(name)
    if not value:
        raise AuthError(f"The client secret is not set: define the environment variable {name}.")
    return Secret(value)


class StaticTokenProvider:
    """A provider returning tokens from a callable (or a fixed string), cached until
    :meth:`invalidate`. Handy for tests: ``StaticTokenProvider(emulator.issue_token)``."""

    def __init__(self, token: str | Callable[[], str]) -> None:
        self._fetch = token if callable(token) else (lambda: token)
        self._token: str | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def get_token(self) -> str:
        """Return the cached token, fetching one when none is cached."""
        with self._lock:
            if self._token is None:
                self._token = self._fetch()
                self.fetch_count += 1
            return self._token

    def invalidate(self) -> None:
        """Drop the cached token."""
        with self._lock:
            self._token = None


class MsalTokenProvider:
    """Client-credentials tokens from Microsoft Entra ID via msal (Part B2).

    :param client_secret: a :class:`Secret` holding the client secret or a certificate
        credential (msal's ``client_credential``).
    :param org_url: environment URL; the scope is ``org_url + "/.default"``.
    :param authority_host: ``https://login.microsoftonline.com`` or an emulator URL (https).
    :param local_authority: disable instance discovery and authority validation so nothing
        leaves the machine (Appendix 3); defaults to True for non-Microsoft hosts.
    :param http_client: a ``requests.Session``-like object for msal (e.g. carrying a test CA).
    """

    def __init__(
        self,
        *,
        tenant_id: str,
        client_id: str,
        client_secret: Secret,
        org_url: str,
        authority_host: str = DEFAULT_AUTHORITY_HOST,
        local_authority: bool | None = None,
        http_client: Any = None,
        app_factory: Callable[..., Any] | None = None,
    ) -> None:
        if not isinstance(client_secret, Secret):
            raise TypeError("client_secret must be a Secret (see secret_from_env)")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._secret = client_secret
        self.scope = org_url.rstrip("/") + "/.default"
        self.authority = f"{authority_host.rstrip('/')}/{tenant_id}"
        if local_authority is None:
            local_authority = not authority_host.startswith(DEFAULT_AUTHORITY_HOST)
        self.local_authority = local_authority
        self._http_client = http_client
        self._app_factory = app_factory
        self._app: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        tenant_id: str,
        client_id: str,
        org_url: str,
        **options: Any,
    ) -> MsalTokenProvider:
        """Build a provider whose secret comes from ``environ["RELCORE_D365_CLIENT_SECRET"]``."""
        return cls(
            tenant_id=tenant_id,
            client_id=client_id,
            client_secret=secret_from_env(environ),
            org_url=org_url,
            **options,
        )

    def __repr__(self) -> str:
        return (
            f"MsalTokenProvider(tenant_id={self.tenant_id!r}, client_id={self.client_id!r}, "
            f"scope={self.scope!r})"
        )

    def _application(self) -> Any:
        if self._app is None:
            factory = self._app_factory
            if factory is None:
                import msal

                factory = msal.ConfidentialClientApplication
            options: dict[str, Any] = {
                "authority": self.authority,
                "client_credential": self._secret.reveal(),
            }
            if self.local_authority:
                options.update(instance_discovery=False, validate_authority=False)
            if self._http_client is not None:
                options["http_client"] = self._http_client
            try:
                self._app = factory(self.client_id, **options)
            except Exception as exc:  # msal raises ValueError / requests errors on discovery
                raise AuthError(
                    f"Cannot reach the authority {self.authority}: {type(exc).__name__}"
                ) from None
        return self._app

    def get_token(self) -> str:
        """Return an access token; msal serves it from its cache until close to expiry."""
        with self._lock:
            app = self._application()
            result = app.acquire_token_for_client(scopes=[self.scope])
        if not result or "access_token" not in result:
            result = result or {}
            raise AuthError(
                f"Token request failed: {result.get('error', 'unknown_error')}: "
                f"{result.get('error_description', '')}".strip()
            )
        return result["access_token"]

    def invalidate(self) -> None:
        """Remove msal's cached app tokens so the next call asks the authority (Appendix 3)."""
        with self._lock:
            if self._app is not None:
                self._app.remove_tokens_for_client()
