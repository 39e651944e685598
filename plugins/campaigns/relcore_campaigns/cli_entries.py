"""``relcore campaigns entries NO | entries cancel ENTRY_NO | entries delete-canceled``."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state


class _ListByDefault(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``list``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["list", *args]
        return super().parse_args(ctx, args)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``campaigns`` group."""
    group.add_command(entries_group)


@click.group("entries", cls=_ListByDefault)
def entries_group() -> None:
    """Campaign entries (§8.3): "entries NO" lists the entries of campaign NO."""


@entries_group.command("list")
@click.argument("no")
@pass_state
def list_command(state, no):
    """List a campaign's entries with No. of Interactions, Cost and Duration."""
    from relcore_campaigns.entries import list_entries

    with state.app.session() as session:
        rows = list_entries(session, no)
    output_table(
        state,
        rows,
        f"Campaign entries of {no.upper()}",
        {
            "entry": "entry_no",
            "description": "description",
            "date": "date",
            "segment": "segment_no",
            "register": "register_no",
            "canceled": lambda r: "yes" if r["canceled"] else "",
            "interactions": "no_of_interactions",
            "cost": "cost",
            "duration": "duration",
        },
    )


@entries_group.command("cancel")
@click.argument("entry_no", type=int)
@pass_state
def cancel_command(state, entry_no):
    """Switch the Canceled mark of a campaign entry and its interactions (CA13)."""
    from relcore_campaigns.entries import toggle_canceled

    with state.app.session() as session:
        row = toggle_canceled(session, entry_no)
    word = "canceled" if row["canceled"] else "un-canceled"
    output(state, row, human=f"Campaign entry {entry_no} {word} with its interactions")


@entries_group.command("delete-canceled")
@click.option("--campaign", default=None, help="Only this campaign's entries.")
@pass_state
def delete_canceled_command(state, campaign):
    """Delete canceled campaign entries and their interactions (report 5189)."""
    from relcore_campaigns.entries import delete_canceled

    with state.app.session() as session:
        result = delete_canceled(session, campaign)
    output(
        state,
        {"deleted": [{"entry_no": n} for n in result["campaign_entries"]]},
        human=f"{len(result['campaign_entries'])} campaign entries and "
        f"{result['interactions']} interactions deleted",
    )
