"""``relcore segments add|edit|delete|show|list|export|apply-mailing-group`` and
``relcore segments lines edit|delete``."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state, record_table, table
from relcore.cli.fields_help import set_option

HEADER_FIELDS = "relcore_segments.segments:header_columns"
LINE_FIELDS = "relcore_segments.segments:line_columns"


def register(group: click.Group) -> None:
    """Add this module's commands to the ``segments`` group."""
    group.add_command(add_command)
    group.add_command(edit_command)
    group.add_command(delete_command)
    group.add_command(lines_group)
    group.add_command(show_command)
    group.add_command(list_command)
    group.add_command(export_command)
    group.add_command(apply_mailing_group_command)


@click.command("add")
@click.option("--description", required=True, help="What the segment is for.")
@click.option("--no", default=None, help="A manual segment no. (if the series allows it).")
@set_option(HEADER_FIELDS, "Header fields; repeat for several.")
@pass_state
def add_command(state, description, no, assignments):
    """Create a segment (No. from the SEGM series, Date = work date, §5.1)."""
    from relcore.fields import parse_assignments
    from relcore_segments.segments import create_segment, segment_summary

    values = {"description": description, **parse_assignments(assignments)}
    with state.app.session() as session:
        header = create_segment(session, values, no=no)
        summary = segment_summary(session, header["no"])
    output(state, summary, human=f"Created segment {summary['no']}")


@click.command("edit")
@click.argument("no")
@set_option(HEADER_FIELDS, "Header fields; repeat for several.")
@pass_state
def edit_command(state, no, assignments):
    """Change header fields; the lines follow (§5.2): a changed field goes to every line that
    still has the header's template, a new template to every line with the template's defaults.
    """
    from relcore.fields import parse_assignments
    from relcore_segments.segments import segment_summary, update_segment

    with state.app.session() as session:
        update_segment(session, no.upper(), parse_assignments(assignments))
        summary = segment_summary(session, no.upper())
    output(state, summary, human=f"Segment {summary['no']} changed.")


@click.command("delete")
@click.argument("no")
@pass_state
def delete_command(state, no):
    """Delete a segment with its lines, criteria, history and languages (§5.1 OnDelete)."""
    from relcore_segments.segments import delete_segment

    with state.app.session() as session:
        delete_segment(session, no.upper())
    output(state, {"deleted": [{"no": no.upper()}]}, human=f"Segment {no.upper()} deleted.")


@click.group("lines")
def lines_group():
    """One segment line, as BC's segment subpage edits it (§5.3)."""


@lines_group.command("edit")
@click.argument("no")
@click.argument("line_no", type=int)
@set_option(LINE_FIELDS, "Line fields; repeat for several.")
@pass_state
def line_edit_command(state, no, line_no, assignments):
    """Change one line's fields (a new template copies its defaults; a new date re-reads the
    contact's alternative address)."""
    from relcore.fields import parse_assignments
    from relcore_segments.segments import update_line

    with state.app.session() as session:
        line = update_line(session, no.upper(), line_no, parse_assignments(assignments))
    output(state, line, human=f"Segment {no.upper()} line {line_no} changed.")


@lines_group.command("delete")
@click.argument("no")
@click.argument("line_no", type=int)
@pass_state
def line_delete_command(state, no, line_no):
    """Delete one line (and its own interaction languages)."""
    from relcore_segments.segments import delete_line

    with state.app.session() as session:
        delete_line(session, no.upper(), line_no)
    output(
        state,
        {"deleted": [{"segment_no": no.upper(), "line_no": line_no}]},
        human=f"Segment {no.upper()} line {line_no} deleted.",
    )


@click.command("show")
@click.argument("no")
@pass_state
def show_command(state, no):
    """Show a segment: header, lines and criteria."""
    from relcore_segments.criteria import criteria_of
    from relcore_segments.segments import segment_lines, segment_summary

    with state.app.session() as session:
        data = segment_summary(session, no.upper())
        data["lines"] = segment_lines(session, no.upper())
        data["criteria"] = criteria_of(session, no.upper())

    def human(console):
        hidden = {"lines", "criteria", "system_id", "created_at", "modified_at", "version"}
        header = {k: v for k, v in data.items() if k not in hidden}
        console.print(record_table(header, title=f"Segment {data['no']}"))
        console.print(
            table(
                "Lines",
                ["line", "contact", "name", "company", "corr. type", "salesperson"],
                [
                    [
                        r["line_no"],
                        r["contact_no"],
                        r["contact_name"],
                        r["contact_company_no"],
                        r["correspondence_type"],
                        r["salesperson_code"],
                    ]
                    for r in data["lines"]
                ],
            )
        )
        console.print(
            table(
                "Criteria",
                ["line", "type", "action", "source", "filters"],
                [
                    [r["line_no"], r["type"], r["action"], r["source"], r["table_view"]]
                    for r in data["criteria"]
                ],
            )
        )

    output(state, data, human=human)


@click.command("list")
@pass_state
def list_command(state):
    """List the segments with their numbers of lines and criteria actions."""
    from relcore_segments.segments import list_segments

    with state.app.session() as session:
        rows = list_segments(session)
    output_table(
        state,
        rows,
        "Segments",
        {
            "no": "no",
            "description": "description",
            "date": "date",
            "campaign": "campaign_no",
            "lines": "no_of_lines",
            "actions": "no_of_criteria_actions",
        },
    )


@click.command("export")
@click.argument("no")
@click.option(
    "--output",
    "path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The CSV file to write.",
)
@pass_state
def export_command(state, no, path):
    """Export the segment's contacts to a CSV file (§5.5.5)."""
    from relcore.files import open_new_output
    from relcore_segments.export import export_lines

    with state.app.session() as session, open_new_output(path) as fh:
        count = export_lines(session, no.upper(), fh)
    output(
        state,
        {"segment_no": no.upper(), "rows": count, "file": path},
        human=f"Exported {count} lines to {path}",
    )


@click.command("apply-mailing-group")
@click.argument("no")
@click.argument("mailing_group_code")
@click.option(
    "--remove-existing",
    is_flag=True,
    help="First remove this mailing group from every contact that has it.",
)
@pass_state
def apply_mailing_group_command(state, no, mailing_group_code, remove_existing):
    """Give a mailing group to every contact of the segment (§5.5.5)."""
    from relcore_segments.mailing import apply_mailing_group

    with state.app.session() as session:
        count = apply_mailing_group(
            session, no.upper(), mailing_group_code, remove_existing=remove_existing
        )
    output(
        state,
        {"segment_no": no.upper(), "assigned": count},
        human=f"Mailing group {mailing_group_code.upper()} given to {count} contacts",
    )
