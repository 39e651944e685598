"""``relcore campaigns add|edit|list|show|delete|statuses``."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state, record_table
from relcore.cli.fields_help import columns, set_option

DATE = click.DateTime(formats=["%Y-%m-%d"])


def register(group: click.Group) -> None:
    """Add this module's commands to the ``campaigns`` group."""
    for command in (add_command, edit_command, list_command, show_command, delete_command):
        group.add_command(command)
    group.add_command(statuses_group)


def _date(value):
    return value.date() if value is not None else None


@click.command("add")
@click.option("--description", required=True, help="What the campaign is about.")
@click.option("--starting-date", type=DATE, default=None, help="First day (YYYY-MM-DD).")
@click.option("--ending-date", type=DATE, default=None, help="Last day (YYYY-MM-DD).")
@click.option("--salesperson", default=None, help="Salesperson code (default: the user's).")
@click.option("--status", default=None, help="Campaign status code.")
@click.option("--no", default=None, help="A manual campaign no. (if the series allows it).")
@pass_state
def add_command(state, description, starting_date, ending_date, salesperson, status, no):
    """Create a campaign (No. from the CAMP series, §8.1)."""
    from relcore_campaigns.campaigns import create_campaign, public_row

    values = {"description": description}
    for key, value in (
        ("starting_date", _date(starting_date)),
        ("ending_date", _date(ending_date)),
        ("salesperson_code", salesperson),
        ("status_code", status),
    ):
        if value is not None:
            values[key] = value
    with state.app.session() as session:
        row = public_row(create_campaign(session, values, no=no))
    output(state, row, human=f"Created campaign {row['no']}")


@click.command("edit")
@click.argument("no")
@set_option(
    columns("relcore_campaigns.model:campaign", "relcore_campaigns.campaigns:EDITABLE"),
    "Campaign fields; repeat for several.",
    required=True,
)
@pass_state
def edit_command(state, no, assignments):
    """Change campaign fields (date order and salesperson checked, §8.1)."""
    from relcore.fields import parse_assignments
    from relcore_campaigns.campaigns import public_row, update_campaign

    with state.app.session() as session:
        row = public_row(update_campaign(session, no, parse_assignments(assignments)))
    output(state, row, human=f"Changed campaign {row['no']}")


@click.command("list")
@pass_state
def list_command(state):
    """List the campaigns."""
    from relcore_campaigns.campaigns import list_campaigns

    with state.app.session() as session:
        rows = list_campaigns(session)
    output_table(
        state,
        rows,
        "Campaigns",
        {
            "no": "no",
            "description": "description",
            "starting": "starting_date",
            "ending": "ending_date",
            "salesperson": "salesperson_code",
            "status": "status_code",
            "activated": lambda r: "yes" if r["activated"] else "",
        },
    )


@click.command("show")
@click.argument("no")
@click.option("--from", "date_from", type=DATE, default=None, help="Date filter: first day.")
@click.option("--to", "date_to", type=DATE, default=None, help="Date filter: last day.")
@pass_state
def show_command(state, no, date_from, date_to):
    """Show a campaign with its statistics (page 5088, §8.8); --from/--to filter the figures."""
    from relcore_campaigns.campaigns import get_campaign, public_row
    from relcore_campaigns.statistics import statistics
    from relcore_campaigns.target_groups import is_activated

    with state.app.session() as session:
        row = public_row(get_campaign(session, no))
        row["activated"] = is_activated(session, row["no"])
        row.update(statistics(session, row["no"], _date(date_from), _date(date_to)))

    def human(console):
        shown = dict(row)
        shown["avg_duration_per_response"] = f"{row['avg_duration_per_response']:.0f}"
        console.print(record_table(shown, title=f"Campaign {row['no']}"))

    output(state, row, human=human)


@click.command("delete")
@click.argument("no")
@pass_state
def delete_command(state, no):
    """Delete a campaign with its entries (interactions stay), target groups and prices."""
    from relcore_campaigns.campaigns import delete_campaign

    with state.app.session() as session:
        removed = delete_campaign(session, no)
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in removed.items())
    output(
        state,
        {"deleted": [{"no": no.upper()}]},
        human=f"Deleted campaign {no.upper()} ({counts})",
    )


@click.group("statuses")
def statuses_group() -> None:
    """Campaign statuses (informational, §8.2)."""


@statuses_group.command("add")
@click.argument("code")
@click.option("--description", required=True, help="What the status means.")
@pass_state
def status_add_command(state, code, description):
    """Add a campaign status."""
    from relcore_campaigns.campaigns import add_status

    with state.app.session() as session:
        row = add_status(session, code, description)
    output(state, row, human=f"Added campaign status {row['code']}")


@statuses_group.command("list")
@pass_state
def status_list_command(state):
    """List the campaign statuses."""
    from relcore_campaigns.campaigns import list_statuses

    with state.app.session() as session:
        rows = list_statuses(session)
    output_table(state, rows, "Campaign statuses", {"code": "code", "description": "description"})
