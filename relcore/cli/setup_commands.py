"""``relcore setup show|set``: the typed setup values of every plugin."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, table


@click.group("setup")
def setup_group() -> None:
    """Show and change setup values (the Marketing Setup, split by plugin)."""


@setup_group.command("show")
@click.argument("key", required=False)
@pass_state
def show_command(state: State, key: str | None) -> None:
    """Show every setup value (or one KEY) with its type and meaning."""
    app = state.app
    with app.session() as session:
        keys = [key] if key else sorted(app.setup.fields)
        values = app.setup.get_many(session, keys)
    if key:
        output(state, {key: values[key]}, human=f"{key} = {values[key]}")
        return
    rows = [[k, app.setup.fields[k].type, values[k], app.setup.fields[k].description] for k in keys]
    output(
        state,
        values,
        human=lambda c: c.print(table("Setup", ["key", "type", "value", "description"], rows)),
    )


@setup_group.command("set")
@click.argument("key")
@click.argument("value")
@pass_state
def set_command(state: State, key: str, value: str) -> None:
    """Set KEY to VALUE (checked against the field's type; '' clears it). A connection setting
    is refused here: it is set by its plugin's own command (e.g. ``relcore d365 setup``)."""
    from relcore.errors import ValidationError

    app = state.app
    set_by = app.setup.field(key).set_by
    if set_by:
        raise ValidationError(
            f"a connection setting, checked with the others: set it with 'relcore {set_by}'",
            entity="Setup",
            field=key,
        )
    with app.session() as session:
        stored = app.setup.set_text(session, key, value)
    output(state, {key: stored}, human=f"{key} = {stored}")
