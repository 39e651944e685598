"""Token acquisition (Part B2, Appendix 3): msal against the emulator over loopback TLS."""

from __future__ import annotations

import logging
import ssl

import pytest
import requests
from dataverse_emulator import Emulator
from relcore_d365sales.auth import (
    SECRET_ENV_VAR,
    AuthError,
    MsalTokenProvider,
    Secret,
    StaticTokenProvider,
    TokenProvider,
    secret_from_env,
)
from relcore_d365sales.http import DataverseClient

trustme = pytest.importorskip("trustme")


@pytest.fixture(scope="module")
def ca():
    """A throw-away CA (Appendix 3)."""
    return trustme.CA()


@pytest.fixture
def tls_server(ca, emulator: Emulator):
    """The emulator served over HTTPS on 127.0.0.1 with a certificate from the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with emulator.serve(ssl_context=context) as server:
        yield server


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _session(ca_file: str) -> requests.Session:
    session = requests.Session()
    session.verify = ca_file
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify (Appendix 3)
    return session


def _provider(server, emulator: Emulator, ca_file: str, secret: str | None = None):
    env = {SECRET_ENV_VAR: secret or emulator.client_secret}
    return MsalTokenProvider.from_env(
        env,
        tenant_id=emulator.tenant_id,
        client_id=emulator.client_id,
        org_url=server.url,
        authority_host=server.url,
        http_client=_session(ca_file),
    )


def test_msal_client_credentials_against_the_emulator(
    tls_server, emulator: Emulator, ca_file: str, caplog
) -> None:
    """B2/Appendix 3: discovery + token endpoint; the token calls WhoAmI as the app user;
    msal caches; after expiry + 401 the provider drops the cache and gets a fresh token."""
    provider = _provider(tls_server, emulator, ca_file)
    assert isinstance(provider, TokenProvider)
    with caplog.at_level(logging.DEBUG):
        token = provider.get_token()
        assert provider.get_token() == token  # served from msal's cache
        with DataverseClient(
            tls_server.url,
            provider,
            verify=ssl.create_default_context(cafile=ca_file),
            sleep=lambda s: None,
        ) as dv:
            assert dv.who_am_i()["UserId"] == emulator.integration_user_id
            emulator.expire_tokens()
            assert dv.who_am_i()["UserId"] == emulator.integration_user_id
    assert provider.get_token() != token
    token_calls = [e for e in emulator.request_log if e["path"].endswith("/oauth2/v2.0/token")]
    assert len(token_calls) == 2
    assert emulator.client_secret not in caplog.text
    assert emulator.client_secret not in repr(provider)


def test_wrong_secret_is_an_auth_error(tls_server, emulator: Emulator, ca_file: str) -> None:
    """B2: invalid client credentials surface as AuthError without echoing the secret."""
    provider = _provider(tls_server, emulator, ca_file, secret="wrong-secret-value")
    with pytest.raises(AuthError) as err:
        provider.get_token()
    assert "invalid_client" in str(err.value) and "wrong-secret-value" not in str(err.value)


def test_secret_only_from_the_environment_mapping() -> None:
    """D2: the secret comes from RELCORE_D365_CLIENT_SECRET and never prints."""
    with pytest.raises(AuthError, match=SECRET_ENV_VAR):
        secret_from_env({})
    secret = secret_from_env({SECRET_ENV_VAR: "s3cr3t"})
    assert secret.reveal() == "s3cr3t"
    assert "s3cr3t" not in repr(secret) and "s3cr3t" not in str(secret)
    assert "s3cr3t" not in f"{secret}"
    with pytest.raises(TypeError):
        MsalTokenProvider(
            tenant_id="t",
            client_id="c",
            client_secret="plain",  # type: ignore
            org_url="https://x.crm.dynamics.com",
        )


def test_msal_provider_with_a_fake_app() -> None:
    """Unit: scope, local-authority options, cache removal on invalidate."""
    calls: dict = {}

    class FakeApp:
        def __init__(self, client_id, **options):
            calls["init"] = (client_id, options)
            calls["removed"] = 0

        def acquire_token_for_client(self, scopes):
            calls["scopes"] = scopes
            return {"access_token": "abc", "expires_in": 3599}

        def remove_tokens_for_client(self):
            calls["removed"] += 1

    provider = MsalTokenProvider(
        tenant_id="tenant",
        client_id="cid",
        client_secret=Secret("s"),
        org_url="https://contoso.crm4.dynamics.com/",
        app_factory=FakeApp,
    )
    assert provider.get_token() == "abc"
    assert calls["scopes"] == ["https://contoso.crm4.dynamics.com/.default"]
    client_id, options = calls["init"]
    assert options["authority"] == "https://login.microsoftonline.com/tenant"
    assert "instance_discovery" not in options  # real Entra: normal discovery
    provider.invalidate()
    assert calls["removed"] == 1


def test_static_provider_refetches_after_invalidate() -> None:
    """The test provider caches until invalidated."""
    tokens = iter(["a", "b"])
    provider = StaticTokenProvider(lambda: next(tokens))
    assert provider.get_token() == provider.get_token() == "a"
    provider.invalidate()
    assert provider.get_token() == "b"
