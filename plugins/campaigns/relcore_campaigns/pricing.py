"""Campaign prices and line discounts, and which one applies (§8.6; vectors CA14, CA15).

relcore has no item master and no price lists: a campaign's price and discount lines store the
ERP's item code (checked through the ``relcore_campaigns_check_items`` hook an ERP connector
may implement), a unit of measure, a currency, a minimum quantity and a unit price or a line
discount %; they are valid inside the campaign's Starting..Ending Date (BC fills the price
line's dates from the campaign, ``Price Source - Campaign``).

:func:`best_price` answers "which price/discount applies" the way BC's sales line pricing does
(``Sales Line - Price``): the campaign given on the document, else every **activated** campaign
whose target group holds the customer (or, failing that, the contact's company); only lines
valid on the date, for the item, the unit of measure (or blank), the currency, and a minimum
quantity not above the quantity; the lowest price and the highest discount win, against the
list price the caller passes and whatever other price sources add
(``relcore_campaigns_price_candidates``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import attrs
import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore_campaigns import model

P = model.price_line
C = model.campaign
TG = model.target_group


@attrs.frozen
class PriceRequest:
    """What ``relcore campaigns price`` is asked (a sales line being priced).

    :param item_code: the ERP's item code.
    :param date: the document date.
    :param list_price: the item's unit price without campaign (the caller's).
    :param quantity: the line quantity.
    :param customer_no: the document's customer (bill-to/sell-to), or ``None``.
    :param contact_no: the document's contact, or ``None``.
    :param campaign_no: the campaign on the document header, or ``None``.
    :param unit_of_measure: the line's unit of measure ('' = any).
    :param currency_code: the document currency ('' = local currency).
    """

    item_code: str
    date: dt.date
    list_price: decimal.Decimal
    quantity: decimal.Decimal = decimal.Decimal(1)
    customer_no: str | None = None
    contact_no: str | None = None
    campaign_no: str | None = None
    unit_of_measure: str = ""
    currency_code: str = ""


@attrs.frozen
class PriceCandidate:
    """A price or line discount a source offers for a request.

    :param source: what offers it (``"campaign"``, ``"customer_price_list"``, ...).
    :param unit_price: the unit price, or ``None`` for a discount-only line.
    :param line_discount_pct: the line discount %, or ``None`` for a price-only line.
    :param campaign_no: the campaign the line belongs to, if any.
    """

    source: str
    unit_price: decimal.Decimal | None = None
    line_discount_pct: decimal.Decimal | None = None
    campaign_no: str | None = None


# -- price lines ---------------------------------------------------------------------------------


def add_price_line(session: Any, campaign_no: str, values: dict) -> dict:
    """Add a campaign price (``unit_price``) or line discount (``line_discount_pct``) line.

    Exactly one of the two is given; amounts are not negative, a discount is at most 100; the
    item code passes the ``relcore_campaigns_check_items`` veto.
    """
    from relcore.app import app_of
    from relcore_campaigns.campaigns import get_campaign

    no = get_campaign(session, campaign_no)["no"]
    allowed = (
        "item_code",
        "unit_of_measure",
        "currency_code",
        "minimum_quantity",
        "unit_price",
        "line_discount_pct",
    )
    typed = coerce_values(P, values, entity="Campaign Price Line", key=no, allowed=allowed)
    price, discount = typed.get("unit_price"), typed.get("line_discount_pct")
    if (price is None) == (discount is None):
        raise ValidationError(
            "give either a unit price or a line discount %",
            entity="Campaign Price Line",
            key=no,
            field="unit_price",
        )
    if not typed.get("item_code"):
        raise ValidationError(
            "must have a value", entity="Campaign Price Line", key=no, field="item_code"
        )
    for field in ("unit_price", "line_discount_pct", "minimum_quantity"):
        if (typed.get(field) or 0) < 0:
            raise ValidationError(
                "must not be negative", entity="Campaign Price Line", key=no, field=field
            )
    if discount is not None and discount > 100:
        raise ValidationError(
            "must not be more than 100",
            entity="Campaign Price Line",
            key=no,
            field="line_discount_pct",
        )
    app_of(session).pm.hook.relcore_campaigns_check_items(
        session=session, item_codes=[typed["item_code"]]
    )
    last = session.execute(
        sa.select(sa.func.coalesce(sa.func.max(P.c.line_no), 0)).where(P.c.campaign_no == no)
    ).scalar_one()
    row = {
        "campaign_no": no,
        "line_no": last + 10000,
        "line_type": "price" if price is not None else "discount",
        "unit_of_measure": "",
        "currency_code": "",
        "minimum_quantity": decimal.Decimal(0),
        **typed,
    }
    entities.insert(session, "campaigns.price_line", [row])
    return price_lines(session, no, line_no=row["line_no"])[0]


def price_lines(session: Any, campaign_no: str, *, line_no: int | None = None) -> list[dict]:
    """The campaign's price and discount lines with the campaign period they are valid in."""
    from relcore_campaigns.campaigns import get_campaign

    campaign = get_campaign(session, campaign_no)
    where = [P.c.campaign_no == campaign["no"]]
    if line_no is not None:
        where.append(P.c.line_no == line_no)
    rows = session.execute(sa.select(P).where(*where).order_by(P.c.line_no))
    return [
        {
            **dict(r._mapping),
            "starting_date": campaign["starting_date"],
            "ending_date": campaign["ending_date"],
        }
        for r in rows
    ]


# -- which price applies -------------------------------------------------------------------------


def _company_of(session: Any, contact_no: str) -> str:
    from relcore_contacts.api import contact_company_no

    return contact_company_no(session, [contact_no])[contact_no] or contact_no


def _customer_of(session: Any, company_no: str) -> str | None:
    from relcore_contacts.api import business_relation_table as R

    return session.execute(
        sa.select(R.c.link_no).where(
            R.c.contact_no == company_no, R.c.link_to_table == "customer", R.c.link_no != ""
        )
    ).scalar()


def _activated_campaigns(session: Any, customer: str | None, company: str | None) -> list[str]:
    """Activated campaigns whose target group holds the customer (Type Customer) or the
    company (any row standing for it: a company linked with a customer after activation is
    found before its row is converted)."""
    where = []
    if customer:
        where.append(sa.and_(TG.c.type == "customer", TG.c.no == customer))
    if company:
        where.append(TG.c.contact_company_no == company)
    if not where:
        return []
    return list(
        session.execute(
            sa.select(TG.c.campaign_no).where(sa.or_(*where)).distinct().order_by(TG.c.campaign_no)
        ).scalars()
    )


def campaign_sources(session: Any, request: PriceRequest) -> list[str]:
    """The campaigns whose lines may apply (``AddActivatedCampaignsAsSource``, §8.6): the
    document's campaign; else the activated campaigns whose target group holds the customer
    (or its company); failing that, those holding the company of the document's contact."""
    if request.campaign_no:
        from relcore_campaigns.campaigns import get_campaign

        return [get_campaign(session, request.campaign_no)["no"]]
    customer = request.customer_no
    contact_company = _company_of(session, request.contact_no) if request.contact_no else None
    if customer:
        from relcore_contacts.api import link_of

        found = _activated_campaigns(
            session, customer, link_of(session, "customer", [customer]).get(customer)
        )
        if found:
            return found
    elif contact_company:
        customer = _customer_of(session, contact_company)
        if customer:
            found = _activated_campaigns(session, customer, None)
            if found:
                return found
    return _activated_campaigns(session, None, contact_company)


def campaign_candidates(session: Any, request: PriceRequest) -> list[PriceCandidate]:
    """The campaign price and discount lines valid for the request (campaign period, item, unit
    of measure, currency, minimum quantity), as candidates."""
    campaigns = campaign_sources(session, request)
    if not campaigns:
        return []
    day = request.date
    rows = session.execute(
        sa.select(P.c.campaign_no, P.c.unit_price, P.c.line_discount_pct)
        .select_from(P.join(C, C.c.no == P.c.campaign_no))
        .where(
            P.c.campaign_no.in_(campaigns),
            P.c.item_code == request.item_code,
            P.c.currency_code == request.currency_code,
            sa.or_(P.c.unit_of_measure == "", P.c.unit_of_measure == request.unit_of_measure),
            P.c.minimum_quantity <= request.quantity,
            sa.or_(C.c.starting_date.is_(None), C.c.starting_date <= day),
            sa.or_(C.c.ending_date.is_(None), C.c.ending_date >= day),
        )
        .order_by(P.c.campaign_no, P.c.line_no)
    )
    return [
        PriceCandidate("campaign", r.unit_price, r.line_discount_pct, r.campaign_no) for r in rows
    ]


def best_price(session: Any, request: PriceRequest) -> dict:
    """The price and line discount that apply (BC's best price: lowest unit price, highest line
    discount %, §8.6; CA14, CA15).

    :returns: ``{"unit_price", "line_discount_pct", "campaign_no", "price_campaign_no",
        "discount_campaign_no"}`` — ``campaign_no`` is the campaign whose line won (the price's,
        else the discount's), or ``None`` when the list price stands and no discount applies.
    """
    from relcore.app import app_of

    candidates = campaign_candidates(session, request)
    for extra in app_of(session).pm.hook.relcore_campaigns_price_candidates(
        session=session, request=request
    ):
        candidates.extend(extra or [])
    price, price_campaign = request.list_price, None
    discount, discount_campaign = decimal.Decimal("0"), None
    for c in candidates:
        if c.unit_price is not None and c.unit_price < price:
            price, price_campaign = c.unit_price, c.campaign_no
        if c.line_discount_pct is not None and c.line_discount_pct > discount:
            discount, discount_campaign = c.line_discount_pct, c.campaign_no
    return {
        "unit_price": price,
        "line_discount_pct": discount,
        "campaign_no": price_campaign or discount_campaign,
        "price_campaign_no": price_campaign,
        "discount_campaign_no": discount_campaign,
    }


def parse_request_amount(text: str, field: str) -> decimal.Decimal:
    """A list price or quantity typed in the shell (not negative), errors naming the field."""
    try:
        value = decimal.Decimal(str(text).strip())
    except decimal.InvalidOperation:
        raise ValidationError(f"{text!r} is not a number", entity="Price", field=field) from None
    if value < 0:
        raise ValidationError("must not be negative", entity="Price", field=field)
    return value
