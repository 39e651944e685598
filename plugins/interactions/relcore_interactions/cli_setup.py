"""``relcore interactions setup show | set`` and ``event``: automatic logging (§4.6)."""

from __future__ import annotations

import click

from relcore.cli.context import output, pass_state, table


@click.group("setup")
def setup_group() -> None:
    """The interaction template setup: which template each event logs with."""


@setup_group.command("show")
@pass_state
def show(state) -> None:
    """List the registered events and their templates."""
    from relcore_interactions.events import show_setup

    with state.app.session() as session:
        rows = show_setup(session)
    output(
        state,
        rows,
        lambda c: c.print(
            table(
                "Interaction template setup",
                ["event", "plugin", "template", "description"],
                [
                    [r["event_code"], r["plugin"], r["template_code"], r["description"]]
                    for r in rows
                ],
            )
        ),
    )


@setup_group.command("set")
@click.argument("event_code")
@click.argument("template_code", required=False, default="")
@pass_state
def set_(state, event_code: str, template_code: str) -> None:
    """Log EVENT_CODE with TEMPLATE_CODE (blank: stop logging it)."""
    from relcore_interactions.events import set_template

    with state.app.session() as session:
        set_template(session, event_code, template_code or None)
    output(
        state,
        {"event_code": event_code, "template_code": template_code.upper()},
        f"{event_code} → {template_code.upper() or '(none)'}",
    )


@click.command("event")
@click.argument("event_code")
@click.option("--contact", "contact_no", required=True)
@click.option("--document-type", default=None)
@click.option("--document-no", default=None)
@click.option("--description", default=None)
@click.option("--salesperson", "salesperson_code", default=None)
@pass_state
def event(
    state, event_code, contact_no, document_type, document_no, description, salesperson_code
) -> None:
    """Log an interaction for EVENT_CODE as a plugin would (nothing without a template)."""
    from relcore_interactions.events import log_event

    with state.app.session() as session:
        row = log_event(
            session,
            event_code,
            contact_no,
            document_type=document_type,
            document_no=document_no,
            description=description,
            salesperson_code=salesperson_code,
        )
    output(
        state,
        row,
        "Nothing logged: no template is set up for this event."
        if row is None
        else f"Interaction {row['entry_no']} logged.",
    )


def register(group: click.Group) -> None:
    """Add the ``setup`` group and ``event`` command."""
    group.add_command(setup_group)
    group.add_command(event)
