"""``relcore campaigns activate|deactivate|target-groups|log-invoice``."""

from __future__ import annotations

import sys

import click

from relcore.cli.context import output, output_table, pass_state


def register(group: click.Group) -> None:
    """Add this module's commands to the ``campaigns`` group."""
    for command in (
        activate_command,
        deactivate_command,
        target_groups_command,
        log_invoice_command,
    ):
        group.add_command(command)


@click.command("activate")
@click.argument("no")
@click.option("--yes", is_flag=True, help="Answer yes to the confirmation (no prices linked).")
@pass_state
def activate_command(state, no, yes):
    """Activate the campaign's prices and discounts: build its target group (§8.5)."""
    from relcore.errors import ValidationError
    from relcore_campaigns.target_groups import activate

    def confirm(question: str) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise ValidationError(
                f"{question} (not asked: no terminal; add --yes to answer yes)",
                entity="Campaign",
                key=no.upper(),
            )
        return click.confirm(question, default=False, err=True)

    with state.app.session() as session:
        result = activate(session, no, confirm)
    output(
        state, result, human=result["message"] or f"Campaign {result['campaign_no']} not activated"
    )


@click.command("deactivate")
@click.argument("no")
@pass_state
def deactivate_command(state, no):
    """Deactivate the campaign: delete its target group (§8.5, CA11)."""
    from relcore_campaigns.target_groups import deactivate

    with state.app.session() as session:
        result = deactivate(session, no)
    output(state, result, human=result["message"])


@click.command("target-groups")
@click.argument("no")
@pass_state
def target_groups_command(state, no):
    """The campaign's target group: customers and company contacts (§8.4)."""
    from relcore_campaigns.target_groups import target_groups

    with state.app.session() as session:
        rows = target_groups(session, no)
    data = [{"type": r["type"], "no": r["no"]} for r in rows]
    output_table(
        state,
        rows,
        f"Target group of {no.upper()}",
        {"type": "type", "no": "no", "company": "contact_company_no"},
        data=data,
    )


@click.command("log-invoice")
@click.option("--invoice", "invoice_no", required=True, help="The posted invoice no.")
@click.option("--customer", "customer_no", required=True, help="The bill-to customer no.")
@click.option(
    "--posting-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="The posting date.",
)
@click.option("--order", "order_no", default=None, help="The originating order no.")
@click.option("--contact", "contact_no", default=None, help="The bill-to contact no.")
@click.option("--salesperson", default=None, help="The invoice's salesperson.")
@pass_state
def log_invoice_command(
    state, invoice_no, customer_no, posting_date, order_no, contact_no, salesperson
):
    """Log a sales invoice an ERP posted, for the campaigns running for its customer (§8.3)."""
    from relcore_campaigns.invoices import log_invoice

    with state.app.session() as session:
        logged = log_invoice(
            session,
            invoice_no,
            customer_no,
            posting_date.date(),
            order_no=order_no,
            bill_to_contact_no=contact_no,
            salesperson_code=salesperson,
        )
    output(
        state,
        logged,
        human=", ".join(f"{r['campaign_no']}: interaction {r['entry_no']}" for r in logged)
        or "No campaign runs for this customer on that date (or the order was logged already)",
    )
