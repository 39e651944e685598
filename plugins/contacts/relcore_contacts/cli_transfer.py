"""``relcore contacts import|export``: contacts from and to CSV or JSON lines."""

from __future__ import annotations

import sys

import click

from relcore.cli.context import State, output, pass_state, progress


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "json"]),
    help="File format (default: by extension; .jsonl/.json = JSON lines).",
)
@click.option("--dry-run", is_flag=True, help="Validate every row; write nothing.")
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "latin-1", "utf-16", "cp1252"]),
    default="utf-8",
    show_default=True,
    help="Text encoding of the file.",
)
@pass_state
def import_command(state: State, file: str, fmt: str | None, dry_run: bool, encoding: str) -> None:
    """Import contacts from FILE: all rows or none; every bad row is reported."""
    from relcore_contacts import transfer

    total = transfer.count_rows(file) if sys.stderr.isatty() else None
    try:
        with progress(total, f"Importing {file}") as bar:
            result = transfer.import_file(
                state.app, file, fmt=fmt, dry_run=dry_run, advance=bar.advance, encoding=encoding
            )
    except transfer.ImportFailed as exc:
        if state.json:
            output(state, {"imported": 0, "errors": exc.errors, "dry_run": dry_run})
        else:
            for line in exc.errors:
                click.echo(line, err=True)
            click.echo(f"Error: {len(exc.errors)} bad row(s); nothing imported.", err=True)
        sys.exit(1)
    verb = "would be imported (dry run)" if dry_run else "imported"
    output(
        state,
        {"imported": result["imported"], "errors": [], "dry_run": dry_run},
        human=f"{result['imported']} contacts {verb}.",
    )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl"]),
    default="csv",
    show_default=True,
    help="CSV with a header row, or JSON lines.",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False),
    help="Write to this file (default: standard output).",
)
@pass_state
def export_command(state: State, fmt: str, output_file: str | None) -> None:
    """Export every contact (companies first); 'import' reads the file back."""
    from relcore_contacts import transfer

    with state.app.session() as session:
        if output_file is None:
            n = transfer.export(session, click.get_text_stream("stdout"), fmt)
            return
        from relcore.files import open_new_output

        with open_new_output(output_file) as fh:
            n = transfer.export(session, fh, fmt)
    output(
        state,
        {"exported": n, "file": output_file},
        human=f"{n} contacts exported to {output_file}.",
    )


def register(group: click.Group) -> None:
    """Add ``import`` and ``export`` to the ``contacts`` group."""
    group.add_command(import_command)
    group.add_command(export_command)
