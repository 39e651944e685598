"""``relcore numbers``: maintain number series and draw numbers (BC No. Series, §1.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from relcore.cli.context import DATE, State, output, pass_state, table


def _date(value: dt.date | None) -> dt.date | None:
    return value or None


def _series_dict(series: Any) -> dict[str, Any]:
    return {
        "code": series.code,
        "description": series.description,
        "default_nos": series.default_nos,
        "manual_nos": series.manual_nos,
        "date_order": series.date_order,
        "lines": [_line_dict(line) for line in series.lines],
    }


def _line_dict(line: Any) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "starting_date": line.starting_date.isoformat() if line.starting_date else None,
        "starting_no": line.starting_no,
        "ending_no": line.ending_no,
        "warning_no": line.warning_no,
        "increment_by": line.increment_by,
        "last_no_used": line.last_no_used,
        "last_date_used": line.last_date_used.isoformat() if line.last_date_used else None,
        "open": line.open,
        "allow_gaps": line.allow_gaps,
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@click.group("numbers")
def numbers_group() -> None:
    """Number series: add series and lines, draw and inspect numbers (BC §1.2)."""


@numbers_group.command("add")
@click.argument("code")
@click.option("--description", required=True, help="What the series numbers.")
@click.option("--no-default", is_flag=True, help="Numbers are not assigned automatically.")
@click.option("--no-manual", is_flag=True, help="Numbers may not be typed by users.")
@click.option("--date-order", is_flag=True, help="Numbers must follow the usage dates.")
@pass_state
def add_command(
    state: State, code: str, description: str, no_default: bool, no_manual: bool, date_order: bool
) -> None:
    """Add the number series CODE."""
    from relcore import numbering

    with state.app.session() as session:
        series = numbering.add_series(
            session,
            code,
            description,
            default_nos=not no_default,
            manual_nos=not no_manual,
            date_order=date_order,
        )
    output(state, _series_dict(series), human=f"Number series {series.code} added.")


@numbers_group.group("lines")
def lines_group() -> None:
    """The lines of a number series: number ranges by starting date (§1.2)."""


@lines_group.command("add")
@click.argument("code")
@click.option("--starting-no", required=True, help="First number, e.g. CT000001.")
@click.option("--ending-no", help="Last allowed number.")
@click.option("--warning-no", help="Warn from this number on (needs --ending-no).")
@click.option(
    "--increment-by",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="The step between numbers.",
)
@click.option("--starting-date", type=DATE, help="The line applies from this date.")
@click.option("--allow-gaps", is_flag=True, help="Draw from a database sequence (gaps possible).")
@pass_state
def add_line_command(
    state: State,
    code: str,
    starting_no: str,
    ending_no: str | None,
    warning_no: str | None,
    increment_by: int,
    starting_date: dt.date | None,
    allow_gaps: bool,
) -> None:
    """Add a line to the number series CODE."""
    from relcore import numbering

    with state.app.session() as session:
        line = numbering.add_line(
            session,
            code,
            starting_no,
            ending_no,
            warning_no,
            increment_by,
            starting_date=_date(starting_date),
            allow_gaps=allow_gaps,
        )
    output(
        state,
        {"series": line.series_code, **_line_dict(line)},
        human=f"Line {line.line_no} added to number series {line.series_code}: "
        f"{line.starting_no}..{line.ending_no or '(no end)'}.",
    )


@numbers_group.command("next")
@click.argument("code")
@click.option("--date", "usage_date", type=DATE, help="Usage date (default: the work date).")
@click.option("--peek", is_flag=True, help="Show the next number without using it.")
@pass_state
def next_command(state: State, code: str, usage_date: dt.date | None, peek: bool) -> None:
    """Draw the next number of CODE (or show it with --peek)."""
    from relcore import numbering

    with state.app.session() as session:
        drawn = numbering.draw(session, code, _date(usage_date), peek=peek)
    if drawn.warning and not state.json:
        click.echo(drawn.warning, err=True)
    output(
        state, {"series": drawn.series, "no": drawn.no, "warning": drawn.warning}, human=drawn.no
    )


@numbers_group.command("list")
@pass_state
def list_command(state: State) -> None:
    """List number series with their current line."""
    from relcore import numbering

    with state.app.session() as session:
        series = numbering.list_series(session)
    rows = []
    for s in series:
        line = next((ln for ln in reversed(s.lines) if ln.open), s.lines[-1] if s.lines else None)
        rows.append(
            [
                s.code,
                s.description,
                _yes(s.default_nos),
                _yes(s.manual_nos),
                _yes(s.date_order),
                line.starting_no if line else "",
                line.ending_no if line else "",
                line.last_no_used if line else "",
                _yes(line.allow_gaps) if line else "",
            ]
        )
    output(
        state,
        [_series_dict(s) for s in series],
        human=lambda c: c.print(
            table(
                "Number series",
                [
                    "code",
                    "description",
                    "default",
                    "manual",
                    "date order",
                    "starting no",
                    "ending no",
                    "last no used",
                    "gaps",
                ],
                rows,
            )
        ),
    )


@numbers_group.command("show")
@click.argument("code")
@pass_state
def show_command(state: State, code: str) -> None:
    """Show the number series CODE with all its lines."""
    from relcore import numbering

    with state.app.session() as session:
        series = numbering.get_series(session, code)
        related = numbering.related_series(session, series.code)
    data = _series_dict(series) | {"related": related}

    def human(console: Any) -> None:
        console.print(f"{series.code}  {series.description}")
        console.print(
            f"default nos: {_yes(series.default_nos)}  manual nos: "
            f"{_yes(series.manual_nos)}  date order: {_yes(series.date_order)}"
            + (f"  related: {', '.join(related)}" if related else "")
        )
        console.print(
            table(
                None,
                [
                    "line",
                    "starting date",
                    "starting no",
                    "ending no",
                    "warning no",
                    "increment",
                    "last no used",
                    "last date used",
                    "open",
                    "gaps",
                ],
                [
                    [
                        ln.line_no,
                        ln.starting_date,
                        ln.starting_no,
                        ln.ending_no,
                        ln.warning_no,
                        ln.increment_by,
                        ln.last_no_used,
                        ln.last_date_used,
                        _yes(ln.open),
                        _yes(ln.allow_gaps),
                    ]
                    for ln in series.lines
                ],
            )
        )

    output(state, data, human=human)


@numbers_group.command("relate")
@click.argument("code")
@click.argument("related_code")
@pass_state
def relate_command(state: State, code: str, related_code: str) -> None:
    """Make RELATED_CODE an alternative to the default series CODE."""
    from relcore import numbering

    with state.app.session() as session:
        numbering.add_relationship(session, code, related_code)
    output(
        state,
        {"code": code.upper(), "related": related_code.upper()},
        human=f"{related_code.upper()} is now related to {code.upper()}.",
    )


@numbers_group.command("delete")
@click.argument("code")
@pass_state
def delete_command(state: State, code: str) -> None:
    """Delete the number series CODE with its lines and relationships."""
    from relcore import numbering

    with state.app.session() as session:
        numbering.delete_series(session, code)
    output(
        state, {"deleted": [{"code": code.upper()}]}, human=f"Number series {code.upper()} deleted."
    )
