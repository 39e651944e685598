"""``relcore opportunities cycles|stages|close-codes ...``: the setup lists (§6.1–§6.3)."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state, table
from relcore_opportunities.cli_types import DECIMAL


def register(group: click.Group) -> None:
    """Add this module's command groups to the ``opportunities`` group."""
    group.add_command(cycles_group)
    group.add_command(stages_group)
    group.add_command(close_codes_group)


@click.group("cycles")
def cycles_group() -> None:
    """Sales cycles (§6.1)."""


@cycles_group.command("add")
@click.argument("code")
@click.option("--description", required=True, help="The description.")
@click.option(
    "--probability-calculation",
    type=click.Choice(["multiply", "add", "chances", "completed"]),
    required=True,
    help="How an entry's Probability % is derived (§6.6).",
)
@click.option("--blocked", is_flag=True, help="Cannot be put on opportunities.")
@pass_state
def cycles_add(state, code, description, probability_calculation, blocked):
    """Create a sales cycle."""
    from relcore_opportunities.setup_lists import add_cycle

    with state.app.session() as session:
        row = add_cycle(session, code, description, probability_calculation, blocked)
    output(state, _plain(row), human=f"Created sales cycle {row['code']}")


@cycles_group.command("block")
@click.argument("code")
@click.option("--unblock", is_flag=True, help="Unblock instead.")
@pass_state
def cycles_block(state, code, unblock):
    """Block (or unblock) a sales cycle."""
    from relcore_opportunities.setup_lists import set_cycle_blocked

    with state.app.session() as session:
        row = set_cycle_blocked(session, code, not unblock)
    output(state, _plain(row), human=f"Sales cycle {row['code']} blocked: {row['blocked']}")


@cycles_group.command("delete")
@click.argument("code")
@pass_state
def cycles_delete(state, code):
    """Delete a sales cycle and its stages (refused while it has open opportunities)."""
    from relcore_opportunities.setup_lists import delete_cycle

    with state.app.session() as session:
        delete_cycle(session, code)
    output(
        state, {"deleted": [{"code": code.upper()}]}, human=f"Deleted sales cycle {code.upper()}"
    )


@cycles_group.command("list")
@pass_state
def cycles_list(state):
    """Sales cycles with their stages."""
    from relcore_opportunities.setup_lists import list_cycles

    with state.app.session() as session:
        rows = [_plain(r) for r in list_cycles(session)]
        for r in rows:
            r["stages"] = [_plain(s) for s in r["stages"]]

    def human(console):
        for r in rows:
            console.print(
                table(
                    f"{r['code']} {r['description']} ({r['probability_calculation']}"
                    f"{', blocked' if r['blocked'] else ''})",
                    [
                        "stage",
                        "description",
                        "completed %",
                        "chances %",
                        "quote",
                        "skip",
                        "formula",
                        "activity",
                    ],
                    [
                        [
                            s["stage"],
                            s["description"],
                            s["completed_pct"],
                            s["chances_of_success_pct"],
                            s["quote_required"],
                            s["allow_skip"],
                            s["date_formula"],
                            s["activity_code"],
                        ]
                        for s in r["stages"]
                    ],
                )
            )

    output(state, rows, human=human)


@click.group("stages")
def stages_group() -> None:
    """Stages of sales cycles (§6.2)."""


@stages_group.command("add")
@click.argument("cycle")
@click.argument("stage", type=int)
@click.option("--description", required=True, help="The description.")
@click.option("--completed-pct", type=DECIMAL, required=True, help="How far along the cycle (%).")
@click.option(
    "--chances-pct", type=DECIMAL, required=True, help="Chances of success (%) at this stage."
)
@click.option("--quote-required", is_flag=True, help="Entering it (Next/Skip) needs a quote.")
@click.option("--allow-skip", is_flag=True, help="The stage may be skipped.")
@click.option("--date-formula", default="", help="Estimated close date = CalcDate(F, date).")
@click.option(
    "--activity", "activity_code", default=None, help="Activity whose steps become tasks."
)
@pass_state
def stages_add(
    state,
    cycle,
    stage,
    description,
    completed_pct,
    chances_pct,
    quote_required,
    allow_skip,
    date_formula,
    activity_code,
):
    """Add a stage to a sales cycle."""
    from relcore_opportunities.setup_lists import add_stage

    with state.app.session() as session:
        row = add_stage(
            session,
            cycle,
            stage,
            {
                "description": description,
                "completed_pct": completed_pct,
                "chances_of_success_pct": chances_pct,
                "quote_required": quote_required,
                "allow_skip": allow_skip,
                "date_formula": date_formula,
                "activity_code": activity_code,
            },
        )
    output(state, _plain(row), human=f"Added stage {row['stage']} to {row['sales_cycle_code']}")


@stages_group.command("delete")
@click.argument("cycle")
@click.argument("stage", type=int)
@pass_state
def stages_delete(state, cycle, stage):
    """Delete a stage (refused while active entries are at it)."""
    from relcore_opportunities.setup_lists import delete_stage

    with state.app.session() as session:
        delete_stage(session, cycle, stage)
    output(
        state,
        {"deleted": [{"sales_cycle_code": cycle.upper(), "stage": stage}]},
        human=f"Deleted stage {stage}",
    )


@click.group("close-codes")
def close_codes_group() -> None:
    """Close opportunity codes: why an opportunity was won or lost (§6.3)."""


@close_codes_group.command("add")
@click.argument("code")
@click.option(
    "--type", "type_", type=click.Choice(["won", "lost"]), required=True, help="Won or lost."
)
@click.option("--description", required=True, help="The description.")
@pass_state
def close_codes_add(state, code, type_, description):
    """Create a close opportunity code."""
    from relcore_opportunities.setup_lists import add_close_code

    with state.app.session() as session:
        row = add_close_code(session, code, type_, description)
    output(state, _plain(row), human=f"Created close code {row['code']}")


@close_codes_group.command("list")
@click.option(
    "--type", "type_", type=click.Choice(["won", "lost"]), default=None, help="Only this type."
)
@pass_state
def close_codes_list(state, type_):
    """Close codes with their No. of Opportunities."""
    from relcore_opportunities.setup_lists import close_codes

    with state.app.session() as session:
        rows = [_plain(r) for r in close_codes(session, type_)]
    output_table(
        state,
        rows,
        "Close opportunity codes",
        {
            "code": "code",
            "type": "type",
            "description": "description",
            "opportunities": "no_of_opportunities",
        },
    )


def _plain(row: dict) -> dict:
    """A row without the system columns."""
    return {
        k: v
        for k, v in row.items()
        if k not in ("system_id", "created_at", "modified_at", "version")
    }
