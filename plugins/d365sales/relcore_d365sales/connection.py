"""Opening a connection to Dataverse from the setup (reference §B2, §D2, §D6).

With ``d365sales.certificate_path`` set, the credential is the certificate's private key, read
from that file now (:mod:`.certificate`). Otherwise the client secret comes only from the
environment variable ``RELCORE_D365_CLIENT_SECRET`` (or the system keyring when the optional
``keyring`` package is installed: service ``relcore-d365sales``, user = the client id). Either is
handed to msal and never printed, logged or stored. msal accepts only https authorities; for an
``http://`` authority on loopback (the emulator run by ``relcore d365 emulator``) a plain
client-credentials request is made instead (a signed client assertion for a certificate).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

from relcore.errors import ConfigError
from relcore.urls import secure_url_problem
from relcore_d365sales.auth import SECRET_ENV_VAR, AuthError, Secret

KEYS = (
    "org_url",
    "api_version",
    "tenant_id",
    "client_id",
    "authority_host",
    "certificate_path",
    "certificate_password_env",
    "page_size",
    "max_retries",
    "max_retry_wait_s",
)

_factory: Callable[[Any, dict], Any] | None = None


@contextlib.contextmanager
def use_client_factory(factory: Callable[[Any, dict], Any]) -> Iterator[None]:
    """Make :func:`open_client` call ``factory(app, settings)`` (tests, the demo)."""
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous


def settings(app: Any, session: Any) -> dict[str, Any]:
    """The connection settings (``d365sales.*`` without the prefix)."""
    values = app.setup.get_many(session, [f"d365sales.{k}" for k in KEYS])
    return {k.split(".", 1)[1]: v for k, v in values.items()}


def read_secret(client_id: str, environ: Any = os.environ) -> Secret:
    """The client secret from the environment, else the keyring; never from the database."""
    value = environ.get(SECRET_ENV_VAR)
    if not value:
        try:
            import keyring  # optional

            value = keyring.get_password("relcore-d365sales", client_id)
        except Exception:  # keyring missing or without a backend
            value = None
    if not value:
        raise ConfigError(
            f"the client secret is not set: define the environment variable {SECRET_ENV_VAR}"
        )
    return Secret(value)


def read_credential(values: dict[str, Any], environ: Any = os.environ) -> Secret:
    """The client credential of the settings: the certificate's key (read now from its file)
    when ``certificate_path`` is set, else the client secret."""
    if values.get("certificate_path"):
        from relcore_d365sales.certificate import load_credential

        return load_credential(
            values["certificate_path"], values.get("certificate_password_env"), environ
        )
    return read_secret(values["client_id"], environ)


class LoopbackTokenProvider:
    """Client-credentials tokens from an ``http://`` loopback authority (the emulator), which
    msal refuses; same protocol as :class:`~.auth.MsalTokenProvider`. A certificate credential
    is sent as a signed client assertion, as msal would."""

    def __init__(self, *, authority: str, client_id: str, secret: Secret, scope: str) -> None:
        self.authority = authority.rstrip("/")
        self.client_id = client_id
        self._secret = secret
        self.scope = scope
        self._token: str | None = None

    def get_token(self) -> str:
        """A cached token, or a new one from the authority's token endpoint."""
        if self._token is None:
            import httpx

            url = f"{self.authority}/oauth2/v2.0/token"
            form = {"grant_type": "client_credentials", "client_id": self.client_id}
            if self._secret.is_certificate:
                from relcore_d365sales.certificate import JWT_BEARER, client_assertion

                form["client_assertion_type"] = JWT_BEARER
                form["client_assertion"] = client_assertion(self._secret, self.client_id, url)
            else:
                form["client_secret"] = self._secret.reveal()
            form["scope"] = self.scope
            response = httpx.post(url, data=form, timeout=30)
            body = response.json() if response.content else {}
            if response.status_code != 200 or "access_token" not in body:
                raise AuthError(f"Token request failed: {body.get('error', response.status_code)}")
            self._token = body["access_token"]
        return self._token

    def invalidate(self) -> None:
        """Forget the cached token."""
        self._token = None


def open_client(
    app: Any,
    session: Any,
    *,
    environ: Any = os.environ,
    sleep: Callable[[float], None] | None = None,
) -> Any:
    """A :class:`~.http.DataverseClient` for the configured environment.

    :raises ConfigError: a connection setting or the secret is missing.
    """
    values = settings(app, session)
    if _factory is not None:
        return _factory(app, values)
    missing = [k for k in ("org_url", "tenant_id", "client_id") if not values.get(k)]
    if missing:
        raise ConfigError(
            "the Dynamics 365 connection is not set up (missing "
            + ", ".join(f"d365sales.{k}" for k in missing)
            + "): run 'relcore d365 setup'"
        )
    from relcore_d365sales.auth import MsalTokenProvider
    from relcore_d365sales.http import DataverseClient, RetryPolicy

    host = values["authority_host"] or "https://login.microsoftonline.com"
    for key, url in (("org_url", values["org_url"]), ("authority_host", host)):
        problem = secure_url_problem(url)
        if problem:  # stored before the check existed, or written around it
            raise ConfigError(f"setup d365sales.{key}: {problem}; no secret was sent")
    secret = read_credential(values, environ)
    scope = values["org_url"].rstrip("/") + "/.default"
    if host.startswith("http://"):
        provider: Any = LoopbackTokenProvider(
            authority=f"{host.rstrip('/')}/{values['tenant_id']}",
            client_id=values["client_id"],
            secret=secret,
            scope=scope,
        )
    else:
        provider = MsalTokenProvider(
            tenant_id=values["tenant_id"],
            client_id=values["client_id"],
            client_secret=secret,
            org_url=values["org_url"],
            authority_host=host,
        )
    options: dict[str, Any] = {}
    if sleep is not None:
        options["sleep"] = sleep
    return DataverseClient(
        values["org_url"],
        provider,
        api_version=values["api_version"] or "v9.2",
        retry=RetryPolicy(
            max_retries=values["max_retries"], max_total_wait=float(values["max_retry_wait_s"])
        ),
        page_size=values["page_size"],
        **options,
    )
