"""No secret over plain HTTP; URLs and ids checked at ``d365 setup`` (issue #13 item 5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from relcore.errors import ConfigError

GUID = "11111111-2222-3333-4444-555555555555"


def _setup(
    run_cli, app, org="https://contoso.crm4.dynamics.com", tenant=GUID, client=GUID, host=None
):
    args = ["d365", "setup", "--org-url", org, "--tenant-id", tenant, "--client-id", client]
    if host is not None:
        args += ["--authority-host", host]
    return run_cli(app, *args)


def _stored(app):
    with app.session() as s:
        return dict(s.execute(sa.text("select key, value from core_setup")).all())


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("host", "http://192.0.2.2:18999", "uses plain http: only https is allowed"),
        ("org", "http://contoso.crm4.dynamics.com", "uses plain http"),
        ("org", "javascript:alert(1)", "is not an https:// URL"),
        ("host", "ftp://login.example", "is not an https:// URL"),
        ("org", "not a url", "must be an https:// URL"),
        ("org", "https://user:pw@contoso.example", "must not contain a user name or password"),
        ("tenant", "not a tenant!", "is not a tenant id (a GUID) or a domain name"),
        ("client", "client-x", "is not an application (client) id (a GUID)"),
    ],
)
def test_setup_refuses_insecure_urls_and_malformed_ids(make_app, run_cli, option, value, message):
    app = make_app("contacts", "d365sales")
    result = _setup(run_cli, app, **{option: value})
    assert result.exit_code == 1
    assert message in result.output and "Setup: field d365sales." in result.output
    assert not any(k.startswith("d365sales.") for k in _stored(app))  # nothing half-written


def test_setup_accepts_https_and_loopback_http(make_app, run_cli):
    app = make_app("contacts", "d365sales")
    ok = _setup(run_cli, app, tenant="contoso.onmicrosoft.com", host="http://127.0.0.1:18999/")
    assert ok.exit_code == 0, ok.output
    assert _stored(app)["d365sales.authority_host"] == '"http://127.0.0.1:18999"'


def test_a_connection_never_sends_the_secret_to_a_plain_http_host(make_app, monkeypatch):
    """A value stored around the setup check (older version, direct SQL) is refused again when
    the connection opens, before the secret is read or sent."""
    from relcore_d365sales.connection import open_client

    monkeypatch.setenv("RELCORE_D365_CLIENT_SECRET", "s3cr3t")
    app = make_app("contacts", "d365sales")
    with app.session() as s:
        for key, value in {
            "d365sales.org_url": "https://contoso.crm4.dynamics.com",
            "d365sales.tenant_id": GUID,
            "d365sales.client_id": GUID,
            "d365sales.authority_host": "http://192.0.2.2:18999",
        }.items():
            s.execute(
                sa.text("insert into core_setup (key, value) values (:k, :v)"),
                {"k": key, "v": f'"{value}"'},
            )
    with (
        app.session() as s,
        pytest.raises(ConfigError, match="uses plain http.*no secret was sent"),
    ):
        open_client(app, s)
