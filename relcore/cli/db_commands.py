"""``relcore db upgrade|pending|check|revision``: the schema, through alembic lineages."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, table


@click.group("db")
def db_group() -> None:
    """Database schema: upgrade, pending migrations, check against the models."""


@db_group.command("upgrade")
@pass_state
def upgrade_command(state: State) -> None:
    """Apply every plugin's pending migrations."""
    from relcore.migrations_api import upgrade

    applied = upgrade(state.app)
    output(
        state,
        {"applied": applied},
        human=f"{len(applied)} migration(s) applied." if applied else "Already up to date.",
    )


@db_group.command("pending")
@pass_state
def pending_command(state: State) -> None:
    """List migrations not yet applied."""
    from relcore.migrations_api import pending

    items = pending(state.app)
    output(
        state,
        items,
        human=(
            lambda c: c.print(
                table(
                    "Pending migrations",
                    ["revision", "branch", "message"],
                    [[i["revision"], i["branch"], i["message"]] for i in items],
                )
            )
        )
        if items
        else "No pending migrations.",
    )


@db_group.command("check")
@pass_state
def check_command(state: State) -> None:
    """Exit 1 when the database differs from the models of the loaded plugins."""
    from relcore.migrations_api import check

    diffs = check(state.app)
    output(
        state,
        {"in_step": not diffs, "differences": diffs},
        human="\n".join(["Database differs from the models:", *diffs])
        if diffs
        else "Database matches the models.",
    )
    if diffs:
        raise click.exceptions.Exit(1)


@db_group.command("revision")
@click.argument("plugin")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@pass_state
def revision_command(state: State, plugin: str, message: str) -> None:
    """(For plugin authors) autogenerate PLUGIN's next migration against a scratch database."""
    from relcore.migrations_api import revision

    path = revision(state.app, plugin, message)
    output(
        state,
        {"path": str(path) if path else None},
        human=f"Wrote {path}" if path else f"No changes in {plugin}'s tables.",
    )
