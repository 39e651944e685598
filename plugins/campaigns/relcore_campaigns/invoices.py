"""Sales invoices posted by an ERP count for campaigns (§8.3, BC
``CreateCampaignEntryOnSalesInvoicePosting``).

An ERP connector calls :func:`log_invoice` when it posts a sales invoice. For a bill-to customer
in a **Customer** target group of a campaign running on the posting date, an interaction is
logged through the interactions plugin's document logging (event ``campaigns.sales_invoices``,
BC's "Invoices" template setup), which gives it a campaign entry — so campaign sales show in the
campaign statistics. Once per originating order and campaign.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_campaigns import model

EVENT = "campaigns.sales_invoices"
"""The interaction event of posted sales invoices (BC Interaction Template Setup "Invoices")."""

DEFAULT_TEMPLATE = "SALESINV"
"""The template ``relcore init`` creates and maps to :data:`EVENT` (plugin-shipped default)."""

NO_TEMPLATE = (
    "The Invoices field on the Sales FastTab in the Interaction Template Setup window must be "
    "filled in."
)
"""BC's error when the "Invoices" event has no template (§8.3)."""


def default_template() -> Any:
    """The shipped :class:`relcore_interactions.api.DefaultTemplate` for :data:`EVENT`."""
    from relcore_interactions.api import DefaultTemplate

    return DefaultTemplate(
        DEFAULT_TEMPLATE,
        "Sales invoice",
        "CAMPAIGNS",
        group_description="Campaign activity",
        information_flow="outbound",
        initiated_by="us",
        correspondence_type="",
    )


def _linked_company(customer_no: str) -> Any:
    """SELECT of the company contact linked with the customer (its rows count as the
    customer's even before they are converted to Customer rows)."""
    from relcore_contacts.api import business_relation_table as R

    return sa.select(R.c.contact_no).where(
        R.c.link_to_table == "customer", R.c.link_no == customer_no
    )


def running_campaigns(session: Any, customer_no: str, posting_date: dt.date) -> list[str]:
    """The campaigns whose target group holds the customer (Type Customer) and whose
    Starting..Ending Date contains the date (a blank date is open)."""
    C, TG = model.campaign, model.target_group
    return list(
        session.execute(
            sa.select(C.c.no)
            .join(TG, TG.c.campaign_no == C.c.no)
            .where(
                sa.or_(
                    sa.and_(TG.c.type == "customer", TG.c.no == customer_no),
                    TG.c.contact_company_no.in_(_linked_company(customer_no)),
                ),
                sa.or_(C.c.starting_date.is_(None), C.c.starting_date <= posting_date),
                sa.or_(C.c.ending_date.is_(None), C.c.ending_date >= posting_date),
            )
            .distinct()
            .order_by(C.c.no)
        ).scalars()
    )


def log_invoice(
    session: Any,
    invoice_no: str,
    bill_to_customer_no: str,
    posting_date: dt.date,
    *,
    order_no: str | None = None,
    bill_to_contact_no: str | None = None,
    salesperson_code: str | None = None,
    description: str | None = None,
) -> list[dict]:
    """Log a posted sales invoice for every campaign running for the bill-to customer (§8.3).

    :param order_no: the originating order; an order already logged for a campaign is skipped
        (an invoice without order counts once by its own number).
    :param bill_to_contact_no: the contact to log for (default: the contact linked with the
        customer; no linked contact → nothing is logged).
    :returns: ``[{"campaign_no", "entry_no"}]`` for the interactions logged.
    :raises ValidationError: BC's message when the "Invoices" event has no template.
    """
    from relcore_contacts.api import link_of
    from relcore_interactions.api import log_event, template_for_event

    customer = bill_to_customer_no.strip().upper()
    invoice = invoice_no.strip().upper()
    order = (order_no or invoice).strip().upper()
    campaigns = running_campaigns(session, customer, posting_date)
    if not campaigns:
        return []
    if not template_for_event(session, EVENT):
        raise ValidationError(NO_TEMPLATE, entity="Sales Invoice", key=invoice)
    contact = bill_to_contact_no or link_of(session, "customer", [customer]).get(customer) or ""
    if not contact:
        return []
    IO = model.invoice_order
    done = set(
        session.execute(
            sa.select(IO.c.campaign_no).where(
                IO.c.order_no == order, IO.c.campaign_no.in_(campaigns)
            )
        ).scalars()
    )
    logged = []
    for campaign_no in campaigns:
        if campaign_no in done:
            continue
        entry = log_event(
            session,
            EVENT,
            contact.upper(),
            document_type="sales_inv",
            document_no=invoice,
            salesperson_code=salesperson_code,
            campaign_no=campaign_no,
            description=description,
            date=posting_date,
        )
        entry_no = entry["entry_no"] if entry else None
        session.execute(
            sa.insert(IO).values(
                campaign_no=campaign_no,
                order_no=order,
                invoice_no=invoice,
                interaction_entry_no=entry_no,
            )
        )
        logged.append({"campaign_no": campaign_no, "entry_no": entry_no})
    return logged
