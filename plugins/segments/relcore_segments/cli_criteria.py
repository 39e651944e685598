"""``relcore segments`` criteria commands: add-contacts, reduce, refine, undo, saved criteria."""

from __future__ import annotations

import click

from relcore.cli.context import output, pass_state

WHERE_HELP = (
    "A filter SOURCE.FIELD=EXPR in BC filter syntax, e.g. contact.post_code=1000..1999 "
    "or job_responsibility.code=PURCHASE; repeat to AND several."
)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``segments`` group."""
    for command in (
        add_contacts_command,
        reduce_command,
        refine_command,
        undo_command,
        save_criteria_command,
        reuse_criteria_command,
        reuse_logged_command,
    ):
        group.add_command(command)


def _result(state, result) -> None:
    output(
        state,
        result,
        human=(
            f"Segment {result.segment_no}: action {result.action_no} ({result.action}): "
            f"{result.inserted} lines added, {result.deleted} removed"
        ),
    )


@click.command("add-contacts")
@click.argument("no")
@click.option("--where", "where", multiple=True, metavar="SOURCE.FIELD=EXPR", help=WHERE_HELP)
@click.option("--allow-existing", is_flag=True, help="Also add contacts already on the segment.")
@click.option("--expand-companies", is_flag=True, help="Add the persons of selected companies.")
@click.option(
    "--allow-related-companies", is_flag=True, help="Add the company of selected persons."
)
@click.option(
    "--ignore-exclusion", is_flag=True, help='Add contacts marked "Exclude from Segment" too.'
)
@pass_state
def add_contacts_command(
    state, no, where, allow_existing, expand_companies, allow_related_companies, ignore_exclusion
):
    """Add Contacts: the contacts matching every filter (§5.5.1)."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.sources import parse_where

    with state.app.session() as session:
        result = add_contacts(
            session,
            no.upper(),
            parse_where(where),
            allow_existing_contacts=allow_existing,
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
            ignore_exclusion=ignore_exclusion,
        )
    _result(state, result)


def _remove_command(name: str, doc: str, function_name: str):
    @click.command(name, help=doc)
    @click.argument("no")
    @click.option("--where", "where", multiple=True, metavar="SOURCE.FIELD=EXPR", help=WHERE_HELP)
    @click.option(
        "--entire-companies",
        is_flag=True,
        help="A match on any contact of a company counts for all its lines.",
    )
    @pass_state
    def command(state, no, where, entire_companies):
        from relcore_segments import criteria
        from relcore_segments.sources import parse_where

        with state.app.session() as session:
            result = getattr(criteria, function_name)(
                session, no.upper(), parse_where(where), entire_companies=entire_companies
            )
        _result(state, result)

    return command


reduce_command = _remove_command(
    "reduce",
    "Remove Contacts – Reduce: remove the lines whose contact matches (§5.5.2).",
    "reduce_contacts",
)
refine_command = _remove_command(
    "refine",
    "Remove Contacts – Refine: keep only the lines whose contact matches (§5.5.2).",
    "refine_contacts",
)


@click.command("undo")
@click.argument("no")
@pass_state
def undo_command(state, no):
    """Go Back: undo the latest criteria action (§5.5.3)."""
    from relcore_segments.criteria import go_back

    with state.app.session() as session:
        result = go_back(session, no.upper())
    _result(state, result)


@click.command("save-criteria")
@click.argument("no")
@click.argument("code")
@click.option("--description", default="", help="Default: the segment's description.")
@pass_state
def save_criteria_command(state, no, code, description):
    """Save the segment's criteria under CODE (§5.5.4)."""
    from relcore_segments.saved_criteria import save_criteria

    with state.app.session() as session:
        saved = save_criteria(session, no.upper(), code, description)
    output(state, saved, human=f"Saved criteria {saved['code']} ({saved['no_of_actions']} actions)")


@click.command("reuse-criteria")
@click.argument("no")
@click.argument("code")
@pass_state
def reuse_criteria_command(state, no, code):
    """Replay saved criteria CODE on the segment, action by action (§5.5.4)."""
    from relcore_segments.saved_criteria import reuse_criteria

    with state.app.session() as session:
        results = reuse_criteria(session, no.upper(), code)
    output(
        state,
        results,
        human="\n".join(
            f"action {r.action_no} ({r.action}): {r.inserted} added, {r.deleted} removed"
            for r in results
        ),
    )


@click.command("reuse-logged")
@click.argument("no")
@click.argument("entry_no", type=int)
@pass_state
def reuse_logged_command(state, no, entry_no):
    """Add the contacts of logged segment ENTRY_NO (Reuse Logged Segment, §5.5.4)."""
    from relcore_segments.saved_criteria import reuse_logged_segment

    with state.app.session() as session:
        result = reuse_logged_segment(session, no.upper(), entry_no)
    _result(state, result)
