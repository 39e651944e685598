"""``relcore interactions cancel | uncancel | evaluate | delete-canceled | deliver`` (§4.8)."""

from __future__ import annotations

import click

from relcore.cli.context import DATE, output, pass_state
from relcore.interactions import EVALUATIONS


@click.command("cancel")
@click.argument("entry_nos", nargs=-1, type=int, required=True)
@click.option(
    "--remove-attachments", is_flag=True, help="Also remove attachments no other entry uses."
)
@pass_state
def cancel(state, entry_nos, remove_attachments) -> None:
    """Cancel entries (they leave every statistic)."""
    from relcore_interactions.maintenance import cancel as do_cancel

    with state.app.session() as session:
        result = do_cancel(session, list(entry_nos), remove_unique_attachments=remove_attachments)
    output(state, result, f"{len(result['canceled'])} entries canceled.")


@click.command("uncancel")
@click.argument("entry_nos", nargs=-1, type=int, required=True)
@pass_state
def uncancel(state, entry_nos) -> None:
    """Un-cancel entries."""
    from relcore_interactions.maintenance import uncancel as do_uncancel

    with state.app.session() as session:
        result = do_uncancel(session, list(entry_nos))
    output(state, result, f"{len(result['uncanceled'])} entries un-canceled.")


@click.command("evaluate")
@click.argument("entry_nos", nargs=-1, type=int, required=True)
@click.option(
    "--evaluation",
    required=True,
    type=click.Choice([e for e in EVALUATIONS if e]),
    help="How the interaction went.",
)
@pass_state
def evaluate(state, entry_nos, evaluation) -> None:
    """Set the evaluation of entries."""
    from relcore_interactions.maintenance import evaluate as do_evaluate

    with state.app.session() as session:
        result = do_evaluate(session, list(entry_nos), evaluation)
    output(state, result, f"{len(result['evaluated'])} entries evaluated {evaluation}.")


@click.command("delete-canceled")
@click.option("--entry", "entry_nos", multiple=True, type=int, help="Entry no. (repeatable).")
@click.option("--contact", "contact_no", default=None, help="Only this contact's entries.")
@click.option("--from", "date_from", type=DATE, default=None, help="Entries dated on or after.")
@click.option("--to", "date_to", type=DATE, default=None, help="Entries dated on or before.")
@click.option("--campaign", "campaign_no", default=None, help="Only this campaign's entries.")
@click.option("--group", "group_code", default=None, help="Only this interaction group.")
@click.option("--template", "template_code", default=None, help="Only this template.")
@click.option("--salesperson", "salesperson_code", default=None, help="Only this salesperson.")
@pass_state
def delete_canceled(
    state,
    entry_nos,
    contact_no,
    date_from,
    date_to,
    campaign_no,
    group_code,
    template_code,
    salesperson_code,
) -> None:
    """Delete canceled entries matching the filters (BC report 5190)."""
    from relcore_interactions.maintenance import delete_canceled_entries

    with state.app.session() as session:
        nos = delete_canceled_entries(
            session,
            entry_nos=list(entry_nos) or None,
            contact_no=contact_no,
            date_from=date_from,
            date_to=date_to,
            campaign_no=campaign_no,
            group_code=group_code,
            template_code=template_code,
            salesperson_code=salesperson_code,
        )
    n = len(nos)
    output(
        state,
        {"deleted": [{"entry_no": no} for no in nos]},
        f"{n} Interaction Log {'Entry has' if n == 1 else 'Entries have'} been deleted.",
    )


@click.command("deliver")
@click.argument("entry_nos", nargs=-1, type=int, required=True)
@pass_state
def deliver(state, entry_nos) -> None:
    """(Re)send or print entries by their correspondence type."""
    from relcore_interactions.delivery import deliver as do_deliver

    with state.app.session() as session:
        result = do_deliver(session, list(entry_nos))
    lines = [
        f"sent: {len(result['sent'])}, errors: {len(result['error'])}, "
        f"skipped: {len(result['skipped'])}"
    ]
    lines += [f"  entry {no}: {reason}" for no, reason in result["error"].items()]
    output(state, result, "\n".join(lines))


def register(group: click.Group) -> None:
    """Add the maintenance commands."""
    for command in (cancel, uncancel, evaluate, delete_canceled, deliver):
        group.add_command(command)
