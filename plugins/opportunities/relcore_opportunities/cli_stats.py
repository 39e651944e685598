"""``relcore opportunities stats|pipeline`` (§6.11)."""

from __future__ import annotations

import click

from relcore.cli.context import DATE, output, pass_state, table


def register(group: click.Group) -> None:
    """Add this module's commands to the ``opportunities`` group."""
    group.add_command(stats_command)
    group.add_command(pipeline_command)


@click.command("stats")
@click.option("--cycle", default=None, help="Per stage of this sales cycle.")
@click.option("--salesperson", default=None, help="Per stage, this salesperson's.")
@click.option("--contact", default=None, help="A company aggregates its persons.")
@click.option("--campaign", default=None, help="Per stage, this campaign's.")
@click.option("--from", "date_from", type=DATE, default=None, help="Estimated close date from.")
@click.option("--to", "date_to", type=DATE, default=None, help="Estimated close date to.")
@pass_state
def stats_command(state, cycle, salesperson, contact, campaign, date_from, date_to):
    """Open opportunities and their values by stage, average days per stage (one query)."""
    from relcore.errors import ValidationError
    from relcore_opportunities.statistics import statistics

    given = [x for x in (cycle, salesperson, contact, campaign) if x]
    if len(given) != 1:
        raise ValidationError("give exactly one of --cycle, --salesperson, --contact, --campaign")
    with state.app.session() as session:
        data = statistics(
            session,
            cycle=cycle,
            salesperson=salesperson,
            contact=contact,
            campaign=campaign,
            date_from=date_from,
            date_to=date_to,
        )

    def human(console):
        console.print(
            table(
                "Opportunity statistics",
                [
                    "cycle",
                    "stage",
                    "description",
                    "opportunities",
                    "estimated",
                    "current",
                    "avg. days",
                ],
                [
                    [
                        r["sales_cycle_code"],
                        r["stage"],
                        r["description"],
                        r["no_of_opportunities"],
                        r["estimated_value"],
                        r["calcd_current_value"],
                        r["average_days"],
                    ]
                    for r in data["stages"]
                ]
                + [
                    [
                        "total",
                        "",
                        "",
                        data["no_of_opportunities"],
                        data["estimated_value"],
                        data["calcd_current_value"],
                        "",
                    ]
                ],
            )
        )

    output(state, data, human=human)


@click.command("pipeline")
@click.option("--cycle", default=None, help="One sales cycle (default: all).")
@click.option("--salesperson", default=None, help="Only this salesperson's.")
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a chart: FILE.png, FILE.svg or FILE.html (needs the [charts] extra).",
)
@pass_state
def pipeline_command(state, cycle, salesperson, output_path):
    """The sales pipeline as a funnel by stage (terminal, or a chart file)."""
    from relcore_opportunities.pipeline import funnel_renderable, write_chart
    from relcore_opportunities.statistics import stage_figures

    with state.app.session() as session:
        rows = stage_figures(session, cycle=cycle, salesperson=salesperson)
    title = (
        "Pipeline"
        + (f" {cycle.upper()}" if cycle else "")
        + (f" (salesperson {salesperson.upper()})" if salesperson else "")
    )
    if output_path:
        written = write_chart(rows, title, output_path)
        output(state, {"written": str(written), "stages": rows}, human=f"Wrote {written}")
        return
    output(
        state, {"stages": rows}, human=lambda console: console.print(funnel_renderable(rows, title))
    )
