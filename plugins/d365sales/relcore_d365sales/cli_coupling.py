"""``relcore d365 couple | uncouple | match-couple``: coupling records (§A6, §A11)."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, record_table


def register(group: click.Group) -> None:
    """Add the coupling commands to ``group``."""
    for command in (couple_command, uncouple_command, match_couple_command):
        group.add_command(command)


def _public(row: dict) -> dict:
    keep = ("mapping_name", "local_key", "dv_id", "state", "skipped")
    return {k: row[k] for k in keep}


@click.command("couple")
@click.argument("mapping")
@click.argument("local_no")
@click.argument("dataverse_id")
@pass_state
def couple_command(state: State, mapping: str, local_no: str, dataverse_id: str) -> None:
    """Couple a local record with a Dataverse row; the next sync aligns them (relcore's values
    win unless the mapping's update conflict resolution is get_update)."""
    from relcore_d365sales.coupling_service import couple_checked

    row = couple_checked(state.app, mapping, local_no, dataverse_id)
    output(state, _public(row), human=lambda c: c.print(record_table(_public(row), "Coupled")))


@click.command("uncouple")
@click.argument("mapping")
@click.argument("local_no")
@pass_state
def uncouple_command(state: State, mapping: str, local_no: str) -> None:
    """Remove a coupling; neither record changes."""
    from relcore_d365sales.couplings import uncouple

    with state.app.session() as session:
        row = uncouple(session, mapping, local_no)
    output(state, _public(row), human=f"{row['local_key']} uncoupled from {row['dv_id']}")


@click.command("match-couple")
@click.argument("mapping")
@click.option(
    "--create-missing", is_flag=True, help="Create a counterpart for records without a match."
)
@pass_state
def match_couple_command(state: State, mapping: str, create_missing: bool) -> None:
    """Couple uncoupled records whose match fields agree (BC match-based coupling, §A11)."""
    from relcore_d365sales.coupling_service import match_couple

    result = match_couple(state.app, mapping, create_missing=create_missing)

    def human(console):
        console.print(
            record_table(
                {k: v for k, v in result.items() if k != "failures"},
                f"Match-based coupling {mapping.upper()}",
            )
        )
        for f in result["failures"][:20]:
            console.print(f"  {f}")

    output(state, result, human=human)
