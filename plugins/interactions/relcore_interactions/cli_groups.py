"""``relcore interactions groups ...``: interaction groups (§4.1)."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state, record_table


@click.group("groups")
def groups() -> None:
    """Interaction groups (letters, calls, meetings...)."""


@groups.command("add")
@click.argument("code")
@click.option("--description", default="", help="What the group holds.")
@pass_state
def add(state, code: str, description: str) -> None:
    """Create an interaction group CODE."""
    from relcore_interactions import templates

    with state.app.session() as session:
        row = templates.add_group(session, code, description)
    output(state, row, f"Interaction group {row['code']} created.")


@groups.command("edit")
@click.argument("code")
@click.option("--description", required=True, help="The new description.")
@pass_state
def edit(state, code: str, description: str) -> None:
    """Change a group's description."""
    from relcore_interactions import templates

    with state.app.session() as session:
        row = templates.edit_group(session, code, description)
    output(state, row, f"Interaction group {row['code']} changed.")


@groups.command("list")
@pass_state
def list_(state) -> None:
    """List interaction groups with their statistics."""
    from relcore_interactions import statistics, templates

    with state.app.session() as session:
        rows = []
        for g in templates.list_groups(session):
            stats = statistics.statistics(session, group_code=g["code"])
            rows.append({"code": g["code"], "description": g["description"], **stats})
    output_table(
        state,
        rows,
        "Interaction groups",
        {
            "code": "code",
            "description": "description",
            "no. of interactions": "no_of_interactions",
            "cost": "cost",
            "duration": "duration",
        },
    )


@groups.command("show")
@click.argument("code")
@pass_state
def show(state, code: str) -> None:
    """Show a group and its statistics."""
    from relcore_interactions import statistics, templates

    with state.app.session() as session:
        row = templates.get_group(session, code)
        row = {**row, **statistics.statistics(session, group_code=row["code"])}
    output(state, row, lambda c: c.print(record_table(row)))


@groups.command("delete")
@click.argument("code")
@pass_state
def delete(state, code: str) -> None:
    """Delete a group (refused while templates or entries use it)."""
    from relcore_interactions import templates

    with state.app.session() as session:
        templates.delete_group(session, code)
    output(
        state, {"deleted": [{"code": code.upper()}]}, f"Interaction group {code.upper()} deleted."
    )


def register(group: click.Group) -> None:
    """Add the ``groups`` commands."""
    group.add_command(groups)
