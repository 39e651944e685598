"""Issue 12 item 7: the new mappings end to end over loopback HTTPS (TLS from a throw-away CA),
authenticated with a certificate through msal — SALESPEOPLE, CURRENCY, CUSTOMER, CONTACT and
CAMPAIGN in one full sync, then a quiet second run."""

from __future__ import annotations

import ssl

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from dataverse_emulator import Emulator
from relcore_d365sales.auth import MsalTokenProvider
from relcore_d365sales.certificate import load_credential
from relcore_d365sales.http import DataverseClient, RetryPolicy
from relcore_d365sales.testing import SyncEnv

from relcore import entities

trustme = pytest.importorskip("trustme")


@pytest.fixture
def https_env(make_app, tmp_path):
    ca = trustme.CA()
    app_cert = ca.issue_cert("relcore-app.example", key_type=trustme.KeyType.RSA)
    pem = tmp_path / "app.pem"
    key = serialization.load_pem_private_key(app_cert.private_key_pem.bytes(), None)
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + app_cert.cert_chain_pems[0].bytes()
    )
    emulator = Emulator()
    emulator.register_certificate(app_cert.cert_chain_pems[0].bytes())
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = emulator.serve(ssl_context=context)
    app = make_app("contacts", "interactions", "segments", "campaigns", "d365sales")
    env = SyncEnv(app, emulator, base_url=server.url, transport=None)
    session = requests.Session()
    session.verify, session.trust_env = str(ca_file), False  # Appendix 3: REQUESTS_CA_BUNDLE
    provider = MsalTokenProvider(
        tenant_id=emulator.tenant_id,
        client_id=emulator.client_id,
        client_secret=load_credential(str(pem), None, {}),
        org_url=server.url,
        authority_host=server.url,
        http_client=session,
    )
    env.client.close()
    env.client = DataverseClient(
        server.url,
        provider,
        verify=ssl.create_default_context(cafile=str(ca_file)),
        sleep=env.sleeps,
        retry=RetryPolicy(max_retries=5, max_total_wait=300),
        timeout=10,
    )
    yield env
    env.client.close()
    server.stop()


def test_full_sync_of_the_new_mappings_over_https_with_a_certificate(https_env):
    env = https_env
    user = env.emulator.add_user("Jo Seller")
    usd = env.human_insert(
        "transactioncurrencies", {"isocurrencycode": "USD", "currencyname": "US Dollar"}
    )
    env.sync(mapping="SALESPEOPLE", full=True)
    (adatum,) = env.companies(["Adatum"], salesperson_code="JS", currency_code="USD")
    env.persons(adatum, [("Robin", "Counts")])
    with env.app.session() as session:
        entities.insert(
            session,
            "campaigns.campaign",
            [{"no": "CP0001", "description": "Spring fair", "salesperson_code": "JS"}],
        )
    jobs = env.sync(full=True)
    assert all(j.failed == 0 for j in jobs.values()), env.errors()
    (account,) = env.emulator.rows("accounts")
    assert account["_transactioncurrencyid_value"] == usd["transactioncurrencyid"]
    assert account["_ownerid_value"] == user["systemuserid"]
    assert len(env.emulator.rows("contacts")) == 1
    (campaign,) = env.emulator.rows("campaigns")
    assert (campaign["codename"], campaign["name"]) == ("CP0001", "Spring fair")
    token_calls = [e for e in env.emulator.request_log if e["path"].endswith("/oauth2/v2.0/token")]
    assert token_calls  # msal signed client assertions; no secret anywhere
    quiet = env.sync()
    assert all(j.inserted == j.modified == j.failed == 0 for j in quiet.values())
