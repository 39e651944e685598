"""``relcore interactions stats``: statistics FlowFields (§2.1, §4.1, §4.2)."""

from __future__ import annotations

import click

from relcore.cli.context import output, pass_state, record_table


@click.command("stats")
@click.option(
    "--contact", "contact_no", default=None, help="A contact (a company includes its persons)."
)
@click.option("--group", "group_code", default=None, help="Only this interaction group.")
@click.option("--template", "template_code", default=None, help="Only this template.")
@click.option("--salesperson", "salesperson_code", default=None, help="Only this salesperson.")
@click.option(
    "--from",
    "date_from",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date filter start.",
)
@click.option(
    "--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date filter end."
)
@pass_state
def stats(
    state, contact_no, group_code, template_code, salesperson_code, date_from, date_to
) -> None:
    """Number of interactions, cost, duration, date of last interaction, last date attempted."""
    from relcore_interactions.statistics import statistics

    with state.app.session() as session:
        row = statistics(
            session,
            contact_no=contact_no,
            group_code=group_code,
            template_code=template_code,
            salesperson_code=salesperson_code,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
        )
    output(state, row, lambda c: c.print(record_table(row, "Interaction statistics")))


def register(group: click.Group) -> None:
    """Add the ``stats`` command."""
    group.add_command(stats)
