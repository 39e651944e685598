"""``relcore demo``: a demo database from every installed plugin's demo data, and a short tour."""

from __future__ import annotations

from pathlib import Path

import click

from relcore.cli.context import State, output, pass_state

DEMO_FILE = "relcore-demo.db"


@click.command("demo")
@click.option(
    "--file",
    "path",
    default=DEMO_FILE,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite file for the demo (rebuilt on every run); ignored with --db.",
)
@pass_state
def demo_command(state: State, path: str) -> None:
    """Build a demo database from every plugin's demo data, then print a short tour.

    Without the global ``--db`` the demo lives in its own SQLite file, rebuilt each run. With
    ``--db`` the database must be empty (the demo never overwrites data).
    """
    from relcore.demo import build_demo

    if state.db is None:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        state.db = f"sqlite:///{path}"
    summary = build_demo(state.app)
    if state.json:
        output(state, summary)
        return

    def human(console):
        # a heading, not console.rule(): piped output is unbounded, and a rule would fill it
        console.print("[bold]relcore demo[/bold]")
        console.print(f"Database: {state.app.database_url}")
        console.print(f"Plugins: {', '.join(summary['plugins']) or '(core only)'}")
        for section in summary["tour"]:
            console.print(f"\n[bold]{section['plugin']}[/bold]")
            for line in section["lines"]:
                console.print(f"  {line}")
        console.print("\nTry: relcore --db " + state.app.database_url + " numbers list")

    output(state, summary, human=human)
