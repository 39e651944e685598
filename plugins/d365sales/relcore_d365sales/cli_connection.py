"""``relcore d365 setup | test-connection | emulator``: the connection to Dataverse."""

from __future__ import annotations

import os

import click

from relcore.cli.context import State, output, pass_state, record_table


def register(group: click.Group) -> None:
    """Add the connection commands to ``group``."""
    group.add_command(setup_command)
    group.add_command(test_connection_command)
    group.add_command(emulator_command)


@click.command("setup")
@click.option(
    "--org-url", required=True, help="Environment URL (https://contoso.crm4.dynamics.com)."
)
@click.option("--tenant-id", required=True, help="Microsoft Entra tenant id.")
@click.option("--client-id", required=True, help="Application (client) id.")
@click.option("--authority-host", default=None, help="Token authority host (default Microsoft).")
@click.option(
    "--certificate",
    "certificate",
    default=None,
    metavar="FILE.pem",
    help="Authenticate with this certificate (PEM: certificate + private key) instead of a "
    "client secret. Only the path is stored.",
)
@click.option(
    "--certificate-password-env",
    default=None,
    metavar="VAR",
    help="Environment variable holding the private key's password.",
)
@pass_state
def setup_command(
    state: State,
    org_url: str,
    tenant_id: str,
    client_id: str,
    authority_host: str | None,
    certificate: str | None,
    certificate_password_env: str | None,
) -> None:
    """Store the connection settings and the default mappings. The credential never enters the
    database: the client secret stays in the environment variable RELCORE_D365_CLIENT_SECRET;
    with --certificate only the file's path (and the name of its password variable) is stored
    and the key is read when a connection opens. Without --certificate, client-secret
    authentication is used."""
    from relcore.errors import ConfigError
    from relcore_d365sales.auth import SECRET_ENV_VAR
    from relcore_d365sales.certificate import certificate_info
    from relcore_d365sales.mappings import ensure_mappings

    if certificate_password_env and not certificate:
        raise ConfigError("--certificate-password-env needs --certificate")
    cert = certificate_info(certificate) if certificate else None
    app = state.app
    with app.session() as session:
        app.setup.set(session, "d365sales.certificate_path", cert["path"] if cert else None)
        app.setup.set(session, "d365sales.certificate_password_env", certificate_password_env)
        app.setup.set(session, "d365sales.org_url", org_url.rstrip("/"))
        app.setup.set(session, "d365sales.tenant_id", tenant_id)
        app.setup.set(session, "d365sales.client_id", client_id)
        if authority_host:
            app.setup.set(session, "d365sales.authority_host", authority_host.rstrip("/"))
        mappings = ensure_mappings(session)
        values = {
            k: app.setup.get(session, f"d365sales.{k}")
            for k in ("org_url", "api_version", "tenant_id", "client_id", "authority_host")
        }
    if cert:
        values["credential"] = "certificate"
        values["certificate"] = cert["path"]
        values["certificate_thumbprint"] = cert["thumbprint"]
        values["certificate_not_after"] = cert["not_after"]
        if certificate_password_env:
            values["certificate_password"] = (
                "set in " + certificate_password_env
                if os.environ.get(certificate_password_env)
                else "NOT SET: export " + certificate_password_env
            )
    else:
        values["credential"] = "client secret"
        values["client_secret"] = (
            "set in " + SECRET_ENV_VAR
            if os.environ.get(SECRET_ENV_VAR)
            else "NOT SET: export " + SECRET_ENV_VAR
        )
    values["mappings_created"] = ", ".join(mappings) or "(already there)"

    def human(console):
        console.print(record_table(values, title="Dynamics 365 connection"))
        console.print("Next: relcore d365 test-connection")

    output(state, values, human=human)


def _print_act_as(emulator: object, url: str) -> None:
    """How to edit Dataverse rows as a human Sales user (the emulator's act-as control), to
    rehearse conflicts: change a coupled row here and in relcore, then ``relcore d365 sync``."""
    users = [
        u
        for u in emulator.rows("systemusers")  # type: ignore[attr-defined]
        if u["systemuserid"] != emulator.integration_user_id  # type: ignore[attr-defined]
    ]
    if not users:
        return
    click.echo("  act as a Sales user (rehearse conflicts): PATCH a row with as_user, e.g.")
    for user in users:
        click.echo(f"    {user['fullname']}: as_user={user['systemuserid']}")
    click.echo(
        f"    curl -X PATCH {url}/_emulator/records/accounts/ACCOUNT_ID "
        f'-d \'{{"as_user": "{users[0]["systemuserid"]}", '
        f'"values": {{"telephone1": "555 0100"}}}}\''
    )


@click.command("test-connection")
@pass_state
def test_connection_command(state: State) -> None:
    """Acquire a token, call WhoAmI (§B2) and check that the application user holds the
    privileges each enabled mapping needs on its table (exit 1 naming the missing ones)."""
    from relcore.errors import RelcoreError
    from relcore_d365sales.access import check_access
    from relcore_d365sales.connection import open_client

    app = state.app
    with app.session() as session:
        client = open_client(app, session)
        mappings = _enabled_mappings(app, session)
    try:
        who = client.who_am_i()
        tables = check_access(client, who.get("UserId"), mappings)
    except Exception as exc:
        raise RelcoreError(f"connection test failed: {exc}") from None
    finally:
        client.close()
    data = {
        "org_url": client.base_url,
        "user_id": who.get("UserId"),
        "business_unit_id": who.get("BusinessUnitId"),
        "organization_id": who.get("OrganizationId"),
        "tables": tables,
    }
    lacking = [t for t in tables if t["missing"]]
    if lacking:
        raise RelcoreError(
            f"connection test failed: application user {data['user_id']} lacks "
            + "; ".join(
                f"{', '.join(t['missing'])} (mapping {t['mapping']}, {t['dv_entity_set']})"
                for t in lacking
            )
        )

    def human(console):
        console.print(f"Connected to {client.base_url} as application user {data['user_id']}")
        for t in tables:
            console.print(f"  {t['mapping']:<12} {t['dv_entity_set']:<22} {', '.join(t['needs'])}")

    output(state, data, human=human)


def _enabled_mappings(app, session) -> list[dict]:
    """The enabled mappings (from the mapping table; the registered defaults before setup)."""
    import sqlalchemy as sa

    from relcore_d365sales import model
    from relcore_d365sales.mappings import registry

    t = model.table_mapping
    rows = [
        dict(r._mapping)
        for r in session.execute(
            sa.select(t.c.name, t.c.dv_entity_set, t.c.direction).where(t.c.enabled)
        )
    ]
    if rows or session.execute(sa.select(sa.func.count()).select_from(t)).scalar():
        return rows
    return [
        {"name": d.name, "dv_entity_set": d.dv_entity_set, "direction": d.direction}
        for d in registry(app).defs.values()
    ]


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, type=int, help="Port (default: any free port).")
@click.option("--seed/--no-seed", default=False, help="Seed a few demo rows.")
@click.option(
    "--certificate",
    default=None,
    metavar="FILE.pem",
    type=click.Path(exists=True, dir_okay=False),
    help="Also accept client assertions signed with this certificate's key.",
)
@pass_state
def emulator_command(
    state: State, host: str, port: int, seed: bool, certificate: str | None
) -> None:
    """Run the Dataverse emulator as an HTTP server until Ctrl-C (for trying things out).

    Needs the optional distribution ``relcore-dataverse-emulator``
    (``pip install 'relcore-d365sales[emulator]'``)."""
    from relcore_d365sales.emulator_extra import new_emulator

    emulator = new_emulator()
    if seed:
        from relcore_d365sales.demo import seed_emulator

        seed_emulator(emulator)
    if certificate:
        with open(certificate, "rb") as f:
            emulator.register_certificate(f.read())
    server = emulator.serve(host=host, port=port)
    click.echo(f"Dataverse emulator listening on {server.url}")
    click.echo(f"  service root: {server.api_url}")
    click.echo(
        f"  relcore d365 setup --org-url {server.url} --tenant-id {emulator.tenant_id} "
        f"--client-id {emulator.client_id} --authority-host {server.url}"
    )
    click.echo(f"  export RELCORE_D365_CLIENT_SECRET={emulator.client_secret}  (emulator only)")
    if seed:
        _print_act_as(emulator, server.url)
    click.echo("Press Ctrl-C to stop.", err=True)
    server.wait()
    click.echo("emulator stopped", err=True)
