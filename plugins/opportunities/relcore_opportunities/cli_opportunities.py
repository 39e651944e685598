"""``relcore opportunities add|edit|activate-first-stage|stages-available|update|close|document|
show|list|delete|delete-closed|from-interaction`` (§6.4–§6.10)."""

from __future__ import annotations

import click

from relcore.cli.context import DATE, output, output_table, pass_state, record_table, table
from relcore.cli.fields_help import columns, set_option
from relcore_opportunities.cli_setup import _plain
from relcore_opportunities.cli_types import DECIMAL


def register(group: click.Group) -> None:
    """Add this module's commands to the ``opportunities`` group."""
    for command in (
        add_command,
        edit_command,
        from_interaction_command,
        activate_command,
        stages_available_command,
        update_command,
        close_command,
        document_command,
        show_command,
        list_command,
        delete_command,
        delete_closed_command,
    ):
        group.add_command(command)


@click.command("add")
@click.option(
    "--contact", "contact_no", default=None, help="The contact (required without --segment)."
)
@click.option("--description", required=True, help="The description.")
@click.option("--cycle", "sales_cycle_code", default=None, help="Sales cycle (default: setup).")
@click.option("--salesperson", "salesperson_code", default=None, help="Default: the contact's.")
@click.option("--campaign", "campaign_no", default=None, help="Needs the campaigns plugin.")
@click.option("--segment", "segment_no", default=None, help="Without --contact: one per line.")
@click.option(
    "--priority", type=click.Choice(["low", "normal", "high"]), default="normal", help="Priority."
)
@click.option("--no", default=None, help="A manual opportunity no. (if the series allows it).")
@click.option("--activate-first-stage", is_flag=True, help="Start the first stage at once.")
@click.option("--estimated-value", type=DECIMAL, default=None, help="With the first stage: > 0.")
@click.option("--chances-pct", type=DECIMAL, default=None, help="With the first stage: > 0.")
@click.option(
    "--estimated-close-date", type=DATE, default=None, help="With the first stage: required."
)
@pass_state
def add_command(
    state,
    contact_no,
    description,
    sales_cycle_code,
    salesperson_code,
    campaign_no,
    segment_no,
    priority,
    no,
    activate_first_stage,
    estimated_value,
    chances_pct,
    estimated_close_date,
):
    """Create an opportunity (Creation Date = work date), or one per segment line (§6.7)."""
    from relcore_opportunities.creating import create_for_segment, create_opportunity

    values = {
        "description": description,
        "contact_no": contact_no,
        "sales_cycle_code": sales_cycle_code,
        "salesperson_code": salesperson_code,
        "campaign_no": campaign_no,
        "segment_no": segment_no,
        "priority": priority,
    }
    wizard = {
        "estimated_value_lcy": estimated_value,
        "chances_of_success_pct": chances_pct,
        "estimated_close_date": estimated_close_date,
    }
    with state.app.session() as session:
        if segment_no and not contact_no:
            nos = create_for_segment(
                session,
                segment_no,
                values,
                activate_first_stage=activate_first_stage,
                wizard=wizard,
            )
            output(state, {"created": nos}, human=f"Created {len(nos)} opportunities")
            return
        row = create_opportunity(
            session, values, no=no, activate_first_stage=activate_first_stage, wizard=wizard
        )
    output(state, _plain(row), human=f"Created opportunity {row['no']}")


@click.command("from-interaction")
@click.argument("entry_no", type=int)
@click.option("--description", default=None, help="Default: the entry's description.")
@pass_state
def from_interaction_command(state, entry_no, description):
    """Create an opportunity from an interaction log entry, which then points at it (§6.7)."""
    from relcore_opportunities.creating import create_from_interaction

    with state.app.session() as session:
        row = create_from_interaction(session, entry_no, description)
    output(state, _plain(row), human=f"Created opportunity {row['no']}")


@click.command("activate-first-stage")
@click.argument("no")
@pass_state
def activate_command(state, no):
    """Start the first stage of a not-started opportunity (§6.7, OP9)."""
    from relcore_opportunities.creating import activate_first_stage
    from relcore_opportunities.queries import show

    with state.app.session() as session:
        activate_first_stage(session, no)
        data = show(session, no)
    output(state, data, human=f"Opportunity {data['no']} is at stage {data['current_stage']}")


@click.command("stages-available")
@click.argument("no")
@pass_state
def stages_available_command(state, no):
    """The stages each update action offers (empty: the action is not offered) (§6.8)."""
    from relcore_opportunities.updating import available_stages

    with state.app.session() as session:
        lists = available_stages(session, no)
    output(
        state,
        lists,
        human=lambda console: console.print(
            table(
                f"Opportunity {no.upper()}",
                ["action", "stages"],
                [[k, ", ".join(map(str, v)) or "-"] for k, v in lists.items()],
            )
        ),
    )


@click.command("update")
@click.argument("no")
@click.option(
    "--action",
    type=click.Choice(["first", "next", "previous", "skip", "update", "jump"]),
    required=True,
    help="Which stage to go to (BC's Update Opportunity).",
)
@click.option("--stage", type=int, default=None, help="For skip/jump: the target stage.")
@click.option("--estimated-value", type=DECIMAL, default=None, help="Default: quote or current.")
@click.option("--chances-pct", type=DECIMAL, default=None, help="Default: the stage's.")
@click.option("--date", "date_of_change", type=DATE, default=None, help="Date of change.")
@click.option(
    "--estimated-close-date", type=DATE, default=None, help="Default: by the stage's formula."
)
@click.option("--cancel-old-tasks", is_flag=True, help="Cancel the opportunity's open tasks.")
@pass_state
def update_command(
    state,
    no,
    action,
    stage,
    estimated_value,
    chances_pct,
    date_of_change,
    estimated_close_date,
    cancel_old_tasks,
):
    """Move an opportunity to another stage: a new active entry (§6.8)."""
    from relcore_opportunities.queries import show
    from relcore_opportunities.updating import update_opportunity

    with state.app.session() as session:
        update_opportunity(
            session,
            no,
            action,
            stage=stage,
            estimated_value=estimated_value,
            chances_pct=chances_pct,
            date_of_change=date_of_change,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
        )
        data = show(session, no)
    output(state, data, human=f"Opportunity {data['no']} is at stage {data['current_stage']}")


@click.command("close")
@click.argument("no")
@click.option("--won", "outcome", flag_value="won", default=None, help="Close as won.")
@click.option("--lost", "outcome", flag_value="lost", help="Close as lost.")
@click.option("--code", default=None, help="Close opportunity code (the only one of its type).")
@click.option("--sales-lcy", type=DECIMAL, default=None, help="Won: the sales value.")
@click.option("--date", "date_of_change", type=DATE, default=None, help="Date of change.")
@click.option("--no-cancel-old-tasks", is_flag=True, help="Keep the open tasks.")
@pass_state
def close_command(state, no, outcome, code, sales_lcy, date_of_change, no_cancel_old_tasks):
    """Close an opportunity as won or lost (§6.9)."""
    from relcore_opportunities.closing import close_opportunity
    from relcore_opportunities.queries import show

    with state.app.session() as session:
        result = close_opportunity(
            session,
            no,
            outcome,
            code=code,
            sales_lcy=sales_lcy,
            date_of_change=date_of_change,
            cancel_old_tasks=not no_cancel_old_tasks,
        )
        data = show(session, no)
    data["customer_no"] = result["customer_no"]
    data["customer_created"] = result["customer_created"]
    note = ""
    if outcome == "won" and not result["customer_no"]:
        note = " (no customer created: no ERP connector plugin is installed)"
    output(state, data, human=f"Opportunity {data['no']} closed as {data['status']}{note}")


@click.command("document")
@click.argument("no")
@click.option(
    "--type",
    "document_type",
    type=click.Choice(["quote", "order", "posted_invoice"]),
    default=None,
    help="The document's kind.",
)
@click.option("--no", "document_no", default=None, help="The document's number in the ERP.")
@click.option("--value", type=DECIMAL, default=None, help="Its value (LCY, excl. VAT).")
@click.option("--clear", is_flag=True, help="Remove the link.")
@pass_state
def document_command(state, no, document_type, document_no, value, clear):
    """Link an external sales quote/order/posted invoice (§6.10)."""
    from relcore.errors import ValidationError
    from relcore_opportunities.maintenance import clear_document, set_document

    with state.app.session() as session:
        if clear:
            row = clear_document(session, no)
        else:
            if not (document_type and document_no):
                raise ValidationError(
                    "give --type and --no (or --clear)", entity="Opportunity", key=no.upper()
                )
            row = set_document(session, no, document_type, document_no, value)
    kind = row["sales_document_type"] or "no"
    output(state, _plain(row), human=f"Opportunity {row['no']}: {kind} document")


@click.command("edit")
@click.argument("no")
@set_option(
    columns("relcore_opportunities.model:opportunity", "relcore_opportunities.editing:EDITABLE"),
    "Opportunity fields; repeat for several.",
    required=True,
)
@pass_state
def edit_command(state, no, assignments):
    """Change an open opportunity's fields (§6.4.2); its open tasks follow the salesperson,
    contact and campaign."""
    from relcore.fields import parse_assignments
    from relcore_opportunities.editing import edit_opportunity

    with state.app.session() as session:
        row = edit_opportunity(session, no, parse_assignments(assignments))
    output(state, _plain(row), human=f"Changed opportunity {row['no']}")


@click.command("show")
@click.argument("no")
@pass_state
def show_command(state, no):
    """An opportunity, its current values and its entries."""
    from relcore_opportunities.queries import show

    with state.app.session() as session:
        data = show(session, no)

    def human(console):
        console.print(
            record_table(
                {k: v for k, v in data.items() if k != "entries"}, title=f"Opportunity {data['no']}"
            )
        )
        console.print(
            table(
                "Entries",
                [
                    "entry",
                    "stage",
                    "action",
                    "active",
                    "date",
                    "days open",
                    "prob. %",
                    "value",
                    "current value",
                    "close code",
                ],
                [
                    [
                        e["entry_no"],
                        e["stage"],
                        e["action_taken"],
                        e["active"],
                        e["date_of_change"],
                        e["days_open"],
                        e["probability_pct"],
                        e["estimated_value"],
                        e["calcd_current_value"],
                        e["close_code"],
                    ]
                    for e in data["entries"]
                ],
            )
        )

    output(state, data, human=human)


@click.command("list")
@click.option(
    "--status",
    type=click.Choice(["not_started", "in_progress", "won", "lost"]),
    default=None,
    help="Only this status.",
)
@click.option("--salesperson", default=None, help="Only this salesperson's.")
@click.option("--contact", default=None, help="A company includes its persons' opportunities.")
@click.option("--campaign", default=None, help="Only this campaign's.")
@pass_state
def list_command(state, status, salesperson, contact, campaign):
    """Opportunities with their current stage and values."""
    from relcore_opportunities.queries import list_opportunities

    with state.app.session() as session:
        rows = list_opportunities(
            session, status=status, salesperson=salesperson, contact=contact, campaign=campaign
        )
    output_table(
        state,
        rows,
        "Opportunities",
        {
            "no": "no",
            "description": "description",
            "status": "status",
            "contact": "contact_no",
            "salesperson": "salesperson_code",
            "cycle": "sales_cycle_code",
            "stage": "current_stage",
            "value": "estimated_value",
            "current value": "calcd_current_value",
            "close date": "estimated_close_date",
        },
    )


@click.command("delete")
@click.argument("no")
@pass_state
def delete_command(state, no):
    """Delete an opportunity and its entries (refused while in progress, §6.4.1)."""
    from relcore_opportunities.maintenance import delete_opportunity

    with state.app.session() as session:
        delete_opportunity(session, no)
    output(state, {"deleted": [{"no": no.upper()}]}, human=f"Deleted opportunity {no.upper()}")


@click.command("delete-closed")
@click.option("--to", "to_date", type=DATE, default=None, help="Date Closed up to this date.")
@pass_state
def delete_closed_command(state, to_date):
    """Delete closed opportunities (report "Delete Opportunities")."""
    from relcore_opportunities.maintenance import delete_closed

    with state.app.session() as session:
        nos = delete_closed(session, to_date)
    output(
        state,
        {"deleted": [{"no": n} for n in nos]},
        human=f"Deleted {len(nos)} closed opportunit{'y' if len(nos) == 1 else 'ies'}",
    )
