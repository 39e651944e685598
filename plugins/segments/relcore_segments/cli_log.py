"""``relcore segments log`` and ``relcore segments logged list|cancel|delete-canceled``."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state


def register(group: click.Group) -> None:
    """Add this module's commands to the ``segments`` group."""
    group.add_command(log_command)
    group.add_command(logged_group)


@click.command("log")
@click.argument("no")
@click.option("--deliver", is_flag=True, help="Send attachments by correspondence type.")
@click.option("--follow-up", is_flag=True, help="Create a follow-up segment.")
@pass_state
def log_command(state, no, deliver, follow_up):
    """Log the segment: one interaction per line, then delete it (§5.6)."""
    from relcore_segments.segment_log import log_segment

    with state.app.session() as session:
        result = log_segment(session, no.upper(), deliver=deliver, follow_up=follow_up)
    data = {
        "logged_segment_entry_no": result.logged_segment_entry_no,
        "interactions": result.interactions,
        "follow_up_segment_no": result.follow_up_segment_no,
    }
    human = (
        f"Logged segment {no.upper()} as entry {result.logged_segment_entry_no}: "
        f"{result.interactions} interactions"
    )
    if result.follow_up_segment_no:
        human += f"; follow-up segment {result.follow_up_segment_no}"
    output(state, data, human=human)


@click.group("logged")
def logged_group() -> None:
    """Logged segments (§5.7)."""


@logged_group.command("list")
@pass_state
def logged_list_command(state):
    """List the logged segments."""
    from relcore_segments.logged import list_logged_segments

    with state.app.session() as session:
        rows = list_logged_segments(session)
    output_table(
        state,
        rows,
        "Logged segments",
        {
            "entry": "entry_no",
            "segment": "segment_no",
            "description": "description",
            "interactions": "no_of_interactions",
            "created": "creation_date",
            "user": "user_id",
            "canceled": lambda r: "yes" if r["canceled"] else "",
        },
    )


@logged_group.command("cancel")
@click.argument("entry_no", type=int)
@pass_state
def logged_cancel_command(state, entry_no):
    """Switch the Canceled mark of a logged segment and its interactions (§5.7)."""
    from relcore_segments.logged import toggle_canceled

    with state.app.session() as session:
        row = toggle_canceled(session, entry_no)
    output(
        state,
        row,
        human=f"Logged segment {entry_no}: canceled = {'yes' if row['canceled'] else 'no'}",
    )


@logged_group.command("delete-canceled")
@pass_state
def logged_delete_canceled_command(state):
    """Delete the canceled logged segments; their interactions stay (§5.7)."""
    from relcore_segments.logged import delete_canceled

    with state.app.session() as session:
        nos = delete_canceled(session)
    output(
        state,
        {"deleted": [{"entry_no": n} for n in nos]},
        human=f"Deleted {len(nos)} logged segment{'' if len(nos) == 1 else 's'}.",
    )
