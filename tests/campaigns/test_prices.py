"""Campaign prices and line discounts (§8.6; vectors CA14, CA15)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from relcore_campaigns.pricing import PriceCandidate, PriceRequest, add_price_line, best_price
from relcore_campaigns.target_groups import activate

from relcore import hookimpl
from relcore.errors import ValidationError

from .conftest import log


def _request(**kw):
    kw.setdefault("item_code", "X")
    kw.setdefault("date", dt.date(2024, 3, 15))
    kw.setdefault("list_price", Decimal("10.00"))
    return PriceRequest(**kw)


@pytest.fixture
def activated(camp_app, campaign):
    with camp_app.session() as session:
        add_price_line(session, campaign, {"item_code": "X", "unit_price": "8.00"})
        log(session, {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, lambda q: True)
    return campaign


def test_ca14_campaign_price_through_target_group(camp_app, activated):
    with camp_app.session() as session:
        result = best_price(session, _request(customer_no="10000"))
    assert result["unit_price"] == Decimal("8.00") and result["campaign_no"] == activated


def test_ca15_outside_period(camp_app, activated):
    with camp_app.session() as session:
        result = best_price(session, _request(customer_no="10000", date=dt.date(2024, 4, 2)))
    assert result["unit_price"] == Decimal("10.00") and result["campaign_no"] is None


def test_contact_company_and_document_campaign(camp_app, campaign):
    with camp_app.session() as session:
        add_price_line(session, campaign, {"item_code": "X", "line_discount_pct": "15"})
        # not activated: only a document carrying the campaign gets it
        assert best_price(session, _request(contact_no="P3"))["line_discount_pct"] == 0
        result = best_price(session, _request(contact_no="P3", campaign_no=campaign))
        assert result["line_discount_pct"] == Decimal("15.00")
        log(session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, lambda q: True)
        result = best_price(session, _request(contact_no="P3"))
        assert (result["line_discount_pct"], result["campaign_no"]) == (Decimal("15.00"), campaign)


def test_lowest_price_minimum_quantity_and_currency(camp_app, activated):
    with camp_app.session() as session:
        add_price_line(
            session, activated, {"item_code": "X", "unit_price": "7.00", "minimum_quantity": "10"}
        )
        add_price_line(
            session, activated, {"item_code": "X", "unit_price": "1.00", "currency_code": "EUR"}
        )
        assert best_price(session, _request(customer_no="10000"))["unit_price"] == Decimal("8.00")
        big = _request(customer_no="10000", quantity=Decimal(10))
        assert best_price(session, big)["unit_price"] == Decimal("7.00")


def test_price_line_checks(camp_app, campaign):
    for values, message in (
        ({"item_code": "X"}, "either a unit price or a line discount"),
        ({"item_code": "X", "unit_price": "1", "line_discount_pct": "1"}, "either"),
        ({"item_code": "X", "unit_price": "-1"}, "must not be negative"),
        ({"item_code": "X", "line_discount_pct": "101"}, "not be more than 100"),
    ):
        with pytest.raises(ValidationError, match=message), camp_app.session() as session:
            add_price_line(session, campaign, values)


class Erp:
    """An ERP connector: knows items X and Y; offers a customer price of 7.50 for Y."""

    @staticmethod
    @hookimpl(optionalhook=True)
    def relcore_campaigns_check_items(session, item_codes):
        for code in item_codes:
            if code not in ("X", "Y"):
                raise ValidationError("does not exist in the ERP", entity="Item", key=code)

    @staticmethod
    @hookimpl(optionalhook=True)
    def relcore_campaigns_price_candidates(session, request):
        if request.item_code == "Y":
            return [PriceCandidate("customer_price_list", unit_price=Decimal("7.50"))]
        return None


def test_hooks_check_items_and_add_price_sources(make_app):
    from relcore_campaigns.campaigns import create_campaign

    app = make_app("contacts", "interactions", "segments", "campaigns", extra=[("erp", Erp)])
    with app.session() as session:
        no = create_campaign(session, {"description": "A"})["no"]
        add_price_line(session, no, {"item_code": "y", "unit_price": "9"})
        result = best_price(session, _request(item_code="Y", campaign_no=no))
    assert (result["unit_price"], result["campaign_no"]) == (Decimal("7.50"), None)
    with (
        pytest.raises(ValidationError, match="Item Z: does not exist in the ERP"),
        app.session() as session,
    ):
        add_price_line(session, no, {"item_code": "Z", "unit_price": "9"})


def test_company_linked_to_a_customer_after_activation_keeps_its_prices(camp_app, campaign):
    """A company with several business relations linked with a customer after activation: its
    summary stays "multiple" (no contact write to react to), yet the customer gets the price."""
    from relcore_contacts.relations import assign_business_relation

    from relcore import entities

    from .conftest import link_customer

    with camp_app.session() as session:
        entities.insert(
            session,
            "contacts.business_relation",
            [{"code": "PROS", "description": "P"}, {"code": "PART", "description": "Q"}],
        )
        assign_business_relation(session, "C2", "PROS")
        assign_business_relation(session, "C2", "PART")
        add_price_line(session, campaign, {"item_code": "X", "unit_price": "8.00"})
        log(session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, lambda q: True)
        link_customer(session, "C2", "20000")
        result = best_price(session, _request(customer_no="20000"))
    assert (result["unit_price"], result["campaign_no"]) == (Decimal("8.00"), campaign)
