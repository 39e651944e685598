"""Certificate authentication (issue 12 item 6): msal with private key + thumbprint against the
emulator over loopback TLS, and ``relcore d365 setup --certificate`` end to end over loopback
HTTP; the key is read when a connection opens and never printed, logged or stored."""

from __future__ import annotations

import logging
import ssl

import pytest
import requests
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from dataverse_emulator import Emulator
from relcore_d365sales.auth import MsalTokenProvider
from relcore_d365sales.certificate import load_credential
from relcore_d365sales.http import DataverseClient

trustme = pytest.importorskip("trustme")

PASSWORD_ENV = "RELCORE_TEST_CERT_PASSWORD"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def ca():
    """A throw-away CA."""
    return trustme.CA()


def _app_cert(ca, name: str):
    """An RSA leaf certificate (Entra ID certificate credentials are RSA)."""
    return ca.issue_cert(name, key_type=trustme.KeyType.RSA)


def _pem_file(tmp_path, leaf, name: str, password: str | None = None) -> tuple[str, str]:
    """Write key + certificate into one PEM file; returns (path, the key's PEM body)."""
    key = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), None)
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()
    path = tmp_path / name
    path.write_text(key_pem + leaf.cert_chain_pems[0].bytes().decode())
    body = "".join(key_pem.strip().splitlines()[1:-1])
    return str(path), body


def test_msal_certificate_credential_against_the_emulator_over_tls(
    ca, emulator: Emulator, tmp_path, caplog
) -> None:
    """msal signs an RS256 assertion (x5t = SHA-1 thumbprint); the emulator verifies it
    against the registered certificate and the token acts as the application user."""
    leaf = _app_cert(ca, "relcore-app.example")
    path, key_body = _pem_file(tmp_path, leaf, "app.pem", PASSWORD)
    emulator.register_certificate(leaf.cert_chain_pems[0].bytes())
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    session = requests.Session()
    session.verify, session.trust_env = str(ca_file), False
    with emulator.serve(ssl_context=context) as server, caplog.at_level(logging.DEBUG):
        credential = load_credential(path, PASSWORD_ENV, {PASSWORD_ENV: PASSWORD})
        provider = MsalTokenProvider(
            tenant_id=emulator.tenant_id,
            client_id=emulator.client_id,
            client_secret=credential,
            org_url=server.url,
            authority_host=server.url,
            http_client=session,
        )
        with DataverseClient(
            server.url,
            provider,
            verify=ssl.create_default_context(cafile=str(ca_file)),
            sleep=lambda s: None,
        ) as dv:
            assert dv.who_am_i()["UserId"] == emulator.integration_user_id
    assert key_body[:40] not in caplog.text and PASSWORD not in caplog.text
    assert key_body[:40] not in repr(credential) and key_body[:40] not in repr(provider)


def test_an_assertion_signed_by_another_certificate_is_refused(
    ca, emulator: Emulator, tmp_path
) -> None:
    import httpx
    from relcore_d365sales.certificate import JWT_BEARER, client_assertion

    registered, other = _app_cert(ca, "app.example"), _app_cert(ca, "intruder.example")
    emulator.register_certificate(registered.cert_chain_pems[0].bytes())
    path, _ = _pem_file(tmp_path, other, "other.pem")
    url = f"https://login.example/{emulator.tenant_id}/oauth2/v2.0/token"
    form = {
        "grant_type": "client_credentials",
        "client_id": emulator.client_id,
        "client_assertion_type": JWT_BEARER,
        "client_assertion": client_assertion(
            load_credential(path, None, {}), emulator.client_id, url
        ),
        "scope": "https://contoso.crm4.dynamics.com/.default",
    }
    with httpx.Client(transport=emulator.transport()) as http:
        refused = http.post(url, data=form)
        assert refused.status_code == 401
        assert "AADSTS700027" in refused.json()["error_description"]
        own, _ = _pem_file(tmp_path, registered, "own.pem")
        form["client_assertion"] = client_assertion(
            load_credential(own, None, {}), emulator.client_id, url
        )
        assert http.post(url, data=form).status_code == 200
        form["client_assertion"] = client_assertion(
            load_credential(own, None, {}), emulator.client_id, url + "x"
        )
        assert "audience" in http.post(url, data=form).json()["error_description"]


@pytest.fixture
def served(make_app, ca, tmp_path, monkeypatch):
    """An app, and the emulator on loopback HTTP accepting a certificate."""
    from relcore_d365sales.testing import SyncEnv

    emulator = Emulator()
    leaf = _app_cert(ca, "relcore-app.example")
    emulator.register_certificate(leaf.cert_chain_pems[0].bytes())
    server = emulator.serve()
    env = SyncEnv(make_app("contacts", "d365sales"), emulator, base_url=server.url, transport=None)
    monkeypatch.delenv("RELCORE_D365_CLIENT_SECRET", raising=False)
    env.server, env.leaf = server, leaf
    env.pem, env.key_body = _pem_file(tmp_path, leaf, "app.pem", PASSWORD)
    yield env
    env.client.close()
    server.stop()


def _setup(run_cli, env, *extra):
    return run_cli(env.app, "d365", "setup", *env.setup_args(env.server), *extra, json=True)


def test_setup_with_a_certificate_then_test_connection(served, run_cli, monkeypatch, caplog):
    """Only the path and the password variable's name are stored; the key is read when the
    connection opens (a missing password, a wrong one or a removed file fail then, with a
    one-line error that shows no key material)."""
    result = _setup(
        run_cli, served, "--certificate", served.pem, "--certificate-password-env", PASSWORD_ENV
    )
    assert result.exit_code == 0, result.output
    assert result.json["credential"] == "certificate"
    assert len(result.json["certificate_thumbprint"]) == 40
    with served.app.session() as session:
        stored = " ".join(
            str(r[0]) for r in session.execute(sa.text("select value from core_setup"))
        )
    assert served.pem in stored and served.key_body[:40] not in stored
    missing = run_cli(served.app, "d365", "test-connection")
    assert missing.exit_code == 1 and PASSWORD_ENV in missing.output
    monkeypatch.setenv(PASSWORD_ENV, "wrong password")
    wrong = run_cli(served.app, "d365", "test-connection")
    assert wrong.exit_code == 1 and "private key cannot be read" in wrong.output
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with caplog.at_level(logging.DEBUG):
        ok = run_cli(served.app, "d365", "test-connection", json=True)
    assert ok.exit_code == 0, ok.output
    assert ok.json["user_id"] == served.emulator.integration_user_id
    for text in (result.output, missing.output, wrong.output, ok.output, caplog.text):
        assert served.key_body[:40] not in text and PASSWORD not in text
    import os

    os.remove(served.pem)
    gone = run_cli(served.app, "d365", "test-connection")
    assert gone.exit_code == 1 and "certificate file" in gone.output


def test_a_non_rsa_key_is_refused_when_the_connection_opens(tmp_path) -> None:
    from relcore.errors import ConfigError

    ec = trustme.CA().issue_cert("ec.example")  # trustme's default keys are EC
    path, _ = _pem_file(tmp_path, ec, "ec.pem")
    with pytest.raises(ConfigError, match="not an RSA key"):
        load_credential(path, None, {})


def test_setup_refuses_a_file_without_key_or_certificate(served, run_cli, tmp_path):
    cert_only = tmp_path / "cert.pem"
    cert_only.write_bytes(served.leaf.cert_chain_pems[0].bytes())
    no_key = _setup(run_cli, served, "--certificate", str(cert_only))
    assert no_key.exit_code == 1 and "no private key" in no_key.output
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    assert "no PEM certificate" in _setup(run_cli, served, "--certificate", str(junk)).output
    lone = _setup(run_cli, served, "--certificate-password-env", PASSWORD_ENV)
    assert lone.exit_code == 1 and "needs --certificate" in lone.output
