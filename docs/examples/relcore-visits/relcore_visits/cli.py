"""``relcore visits add|list``."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, output_table, pass_state


@click.group("visits")
def visits_group() -> None:
    """The visitor log (example plugin)."""


@visits_group.command("add")
@click.argument("visitor_name")
@click.option("--purpose", help="Why they came (default: setup visits.default_purpose).")
@click.option("--contact", "contact_no", help="The contact who visited (logs an interaction).")
@click.option("--no", "no", help="A manual visit number (when the series allows it).")
@pass_state
def add_command(
    state: State, visitor_name: str, purpose: str | None, contact_no: str | None, no: str | None
) -> None:
    """Record a visit by VISITOR_NAME ('' with --contact: the contact's name)."""
    from relcore_visits.service import record_visit

    with state.app.session() as session:
        row = record_visit(session, visitor_name, purpose, contact_no=contact_no, no=no)
    shown = {k: row[k] for k in ("no", "visit_date", "visitor_name", "purpose", "contact_no")}
    output(state, shown, human=f"Visit {row['no']} recorded.")


@visits_group.command("list")
@pass_state
def list_command(state: State) -> None:
    """List the visits."""
    from relcore_visits.service import list_visits

    with state.app.session() as session:
        rows = [
            {k: r[k] for k in ("no", "visit_date", "visitor_name", "purpose")}
            for r in list_visits(session)
        ]
    output_table(
        state,
        rows,
        "Visits",
        {"no": "no", "date": "visit_date", "visitor": "visitor_name", "purpose": "purpose"},
    )
