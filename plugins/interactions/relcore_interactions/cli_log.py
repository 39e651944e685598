"""``relcore interactions log | list | show | resume | postponed | call``."""

from __future__ import annotations

from pathlib import Path

import click

from relcore.cli.context import output, pass_state, record_table, table
from relcore.cli.fields_help import set_option

LIST_COLUMNS = [
    "entry",
    "date",
    "contact",
    "company",
    "template",
    "description",
    "cost",
    "duration",
    "status",
]


def _status(r: dict) -> str:
    flags = [name for name in ("canceled", "postponed", "attempt_failed") if r[name]]
    if r["delivery_status"]:
        flags.append(f"delivery {r['delivery_status']}")
    return ", ".join(flags)


def entries_table(title: str, rows: list[dict]):
    """A rich table of log entries."""
    return table(
        title,
        LIST_COLUMNS,
        [
            [
                r["entry_no"],
                r["date"],
                r["contact_no"],
                r["contact_company_no"],
                r["interaction_template_code"],
                r["description"],
                r["cost"],
                r["duration"],
                _status(r),
            ]
            for r in rows
        ],
    )


@click.command("log")
@click.option("--contact", "contact_no", required=True, help="The contact interacted with.")
@click.option("--template", "template_code", required=True, help="The interaction template.")
@set_option(
    "relcore_interactions.manual:manual_columns", "Wizard fields; repeat for several.", "pairs"
)
@click.option("--comment", "comments", multiple=True, help="A comment line (repeatable).")
@click.option(
    "--attachment",
    type=click.Path(exists=True, dir_okay=False),
    help="A document to attach (wizard action Import).",
)
@click.option("--postpone", is_flag=True, help="Save it unfinished (resume it later).")
@click.option("--no-deliver", is_flag=True, help="Do not send/print it.")
@click.option("--opportunity", "opportunity_no", default=None, help="The opportunity it is about.")
@pass_state
def log(
    state,
    contact_no,
    template_code,
    pairs,
    comments,
    attachment,
    postpone,
    no_deliver,
    opportunity_no,
) -> None:
    """Log an interaction with a contact (BC "Create Interaction", §4.4)."""
    from relcore.fields import parse_assignments
    from relcore_interactions.manual import create_interaction

    upload = (Path(attachment).read_bytes(), Path(attachment).name) if attachment else None
    with state.app.session() as session:
        row = create_interaction(
            session,
            contact_no,
            template_code,
            {
                **parse_assignments(pairs),
                **({"opportunity_no": opportunity_no} if opportunity_no else {}),
            },
            postpone=postpone,
            comments=comments,
            attachment=upload,
            deliver=not no_deliver,
        )
    what = "postponed" if row["postponed"] else "logged"
    output(
        state,
        row,
        f"Interaction {row['entry_no']} {what}"
        + (f" (delivery: {row['delivery_status']})" if row.get("delivery_status") else "")
        + ".",
    )


@click.command("list")
@click.option(
    "--contact",
    "contact_no",
    default=None,
    help="A contact's entries (a company's include its persons').",
)
@click.option("--template", "template_code", default=None, help="Only this template's entries.")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="Only this salesperson's entries."
)
@click.option("--postponed", is_flag=True, help="Only postponed interactions.")
@click.option("--canceled", is_flag=True, help="Only canceled entries.")
@click.option("--limit", default=200, show_default=True, help="At most this many (newest).")
@pass_state
def list_(state, contact_no, template_code, salesperson_code, postponed, canceled, limit) -> None:
    """List interaction log entries, newest first."""
    from relcore_interactions.queries import list_entries

    with state.app.session() as session:
        rows = list_entries(
            session,
            contact_no=contact_no,
            template_code=template_code,
            salesperson_code=salesperson_code,
            postponed=postponed or None,
            canceled=canceled or None,
            limit=limit,
        )
    output(state, rows, lambda c: c.print(entries_table("Interaction log entries", rows)))


@click.command("show")
@click.argument("entry_no", type=int)
@pass_state
def show(state, entry_no: int) -> None:
    """Show an entry with its comment lines."""
    from relcore_interactions.queries import get_entry

    with state.app.session() as session:
        row = get_entry(session, entry_no, with_comments=True)
    output(state, row, lambda c: c.print(record_table(row)))


@click.command("resume")
@click.argument("entry_no", type=int)
@set_option(
    "relcore_interactions.manual:manual_columns", "Fields to change; repeat for several.", "pairs"
)
@click.option("--comment", "comments", multiple=True, help="Replace the comment lines.")
@click.option("--postpone", is_flag=True, help="Keep it postponed (save changes only).")
@click.option("--no-deliver", is_flag=True, help="Do not send or print it on finishing.")
@pass_state
def resume(state, entry_no, pairs, comments, postpone, no_deliver) -> None:
    """Finish a postponed interaction (Date := work date, §4.4 Resume)."""
    from relcore.fields import parse_assignments
    from relcore_interactions.manual import resume as resume_entry

    with state.app.session() as session:
        row = resume_entry(
            session,
            entry_no,
            parse_assignments(pairs),
            postpone=postpone,
            comments=comments,
            deliver=not no_deliver,
        )
    output(
        state,
        row,
        f"Interaction {row['entry_no']} "
        + ("saved (still postponed)." if row["postponed"] else "finished."),
    )


@click.command("call")
@click.argument("contact_no")
@click.option("--phone", "phone_no", default=None, help="The number dialled (default: contact).")
@click.option("--description", default=None, help="Default: the template's description.")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="Default: the contact's salesperson."
)
@click.option("--failed", is_flag=True, help="The call did not reach the contact.")
@pass_state
def call(state, contact_no, phone_no, description, salesperson_code, failed) -> None:
    """Log a phone call with CONTACT_NO (outgoing-calls template, §4.7)."""
    from relcore_interactions.calls import make_phone_call

    with state.app.session() as session:
        row = make_phone_call(
            session,
            contact_no,
            phone_no=phone_no,
            description=description,
            salesperson_code=salesperson_code,
            successful=not failed,
        )
    output(state, row, f"Call logged as interaction {row['entry_no']} ({row['contact_via']}).")


def register(group: click.Group) -> None:
    """Add the logging commands."""
    for command in (log, list_, show, resume, call):
        group.add_command(command)
