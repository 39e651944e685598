"""Closing an opportunity as won or lost (§6.9 Close Opportunity page, ``CloseOppFromOpp``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from relcore import entities
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_opportunities import references
from relcore_opportunities.entries import (
    active_entries,
    insert_entries,
    lock_opportunity,
    new_entry,
)
from relcore_opportunities.estimates import update_estimates
from relcore_opportunities.setup_lists import close_codes
from relcore_opportunities.updating import check_open

LABEL = "Opportunity"


def _fail(message: str, key: Any, field: str | None = None) -> None:
    raise ValidationError(message, entity=LABEL, key=key, field=field)


def _close_code(session: Any, key: str, outcome: str, code: str | None) -> str:
    """The code given (it must be of the outcome's type), or the only code of that type."""
    if code:
        row = entities.find(session, "opportunities.close_code", code.upper())
        if row is None:
            _fail(
                f"close opportunity code {code.upper()} does not exist",
                key,
                "close_opportunity_code",
            )
        if row["type"] != outcome:
            _fail(
                f"close opportunity code {row['code']} is of type {row['type'].title()}, "
                f"not {outcome.title()}",
                key,
                "close_opportunity_code",
            )
        return row["code"]
    codes = close_codes(session, outcome)
    if len(codes) == 1:
        return codes[0]["code"]
    _fail("You must fill in the Close Opportunity Code field.", key, "close_opportunity_code")
    raise AssertionError  # unreachable


def _customer_holder(session: Any, opp: dict) -> dict:
    """``TestCust`` (§6.5): the contact, or for a person its company, which must exist."""
    from relcore_contacts.api import get_contact

    contact = get_contact(session, opp["contact_no"])
    if contact["type"] != "person":
        return contact
    company = contact.get("company_no")
    if not company:
        _fail(
            f"You can not create a Customer from contact {contact['no']} before you assign a "
            "Contact Company No. to the contact.",
            opp["no"],
            "contact_company_no",
        )
    return get_contact(session, company)


def close_opportunity(
    session: Any,
    no: str,
    outcome: str | None,
    *,
    code: str | None = None,
    sales_lcy: Decimal | None = None,
    date_of_change: dt.date | None = None,
    cancel_old_tasks: bool = True,
) -> dict:
    """Close an opportunity as ``won`` or ``lost`` (§6.9; OP19–OP22).

    The closing entry (stage 0, §9.5 item 7) becomes the active entry: Won 100/100/100 with
    Calcd. Current Value = the quote's value when a quote is linked, else ``sales_lcy``; Lost
    0/100/0 and value 0. Open tasks are canceled unless ``cancel_old_tasks`` is false. Won asks
    an ERP connector for a customer when the contact's company has none (§9.5 item 3): without
    a connector the close succeeds and says no customer was created.

    :returns: ``{"entry": ..., "customer_no": str | None, "customer_created": bool}``.
    """
    opp = lock_opportunity(session, no)
    key = opp["no"]
    check_open(opp)
    if outcome not in ("won", "lost"):
        _fail("You must select either Won or Lost.", key, "action_taken")
    close_code = _close_code(session, key, outcome, code)
    active = active_entries(session, [key]).get(key)
    row = new_entry(opp, active, app_of(session).work_date)
    if date_of_change is not None:
        row["date_of_change"] = date_of_change
    if active is not None and row["date_of_change"] < active["date_of_change"]:
        _fail("The Date of Change has to be after last Date of change.", key, "date_of_change")
    row.update(
        sales_cycle_stage=0,
        action_taken=outcome,
        close_opportunity_code=close_code,
        calcd_current_value_lcy=Decimal(sales_lcy or 0),
    )
    update_estimates(
        row, stage=None, calculation=None, quote_value=references.quote_value(session, opp)
    )
    if outcome == "won" and row["calcd_current_value_lcy"] <= 0:
        _fail("Sales (LCY) must be greater than 0.", key, "calcd_current_value_lcy")
    customer_no, created = None, False
    if outcome == "won":
        customer_no, created = _ensure_customer(session, opp)
    [entry] = insert_entries(session, [row], cancel_old_tasks=cancel_old_tasks)
    from relcore_opportunities.events import opportunities_closed

    opportunities_closed(session, [key], outcome)
    return {"entry": entry, "customer_no": customer_no, "customer_created": created}


def _ensure_customer(session: Any, opp: dict) -> tuple[str | None, bool]:
    """The customer of the contact's company (§6.5 ``TestCust``), created through an ERP
    connector (``relcore_contacts_create_linked_records``, via contacts' ``link``) when it has
    none. Without a connector nothing is created: ``(None, False)``.

    :returns: ``(customer no. or None, created)``.
    """
    import sqlalchemy as sa
    from relcore_contacts.api import business_relation_table as r
    from relcore_contacts.api import link

    holder = _customer_holder(session, opp)["no"]
    existing = session.execute(
        sa.select(r.c.link_no).where(r.c.contact_no == holder, r.c.link_to_table == "customer")
    ).scalar()
    if existing:
        return existing, False
    if not app_of(session).pm.hook.relcore_contacts_create_linked_records.get_hookimpls():
        return None, False
    row = link(session, holder, "customer")
    return row["link_no"], True
