"""Invoices posted by an ERP (§8.3 ``CreateCampaignEntryOnSalesInvoicePosting``)."""

from __future__ import annotations

import datetime as dt

import pytest
from relcore_campaigns.api import log_invoice
from relcore_campaigns.entries import list_entries
from relcore_campaigns.target_groups import activate

from relcore.errors import ValidationError

from .conftest import log


@pytest.fixture
def running(camp_app, campaign):
    with camp_app.session() as session:
        log(session, {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, lambda q: True)
    return campaign


def test_shipped_template_is_mapped(camp_app):
    from relcore_interactions.api import get_template, template_for_event

    with camp_app.session() as session:
        assert template_for_event(session, "campaigns.sales_invoices") == "SALESINV"
        assert get_template(session, "SALESINV")["interaction_group_code"] == "CAMPAIGNS"


def test_needs_the_invoices_template(camp_app, running):
    from relcore_interactions.events import set_template

    with camp_app.session() as session:
        set_template(session, "campaigns.sales_invoices", None)
    with (
        pytest.raises(ValidationError, match="The Invoices field on the Sales FastTab"),
        camp_app.session() as session,
    ):
        log_invoice(session, "INV1", "10000", dt.date(2024, 3, 20), order_no="SO1")


def test_logged_once_per_order_inside_the_period(camp_app, running):
    from relcore_interactions.events import set_template

    with camp_app.session() as session:
        set_template(session, "campaigns.sales_invoices", "BUS")
        first = log_invoice(session, "INV1", "10000", dt.date(2024, 3, 20), order_no="SO1")
        again = log_invoice(session, "INV2", "10000", dt.date(2024, 3, 21), order_no="SO1")
        outside = log_invoice(session, "INV3", "10000", dt.date(2024, 4, 2), order_no="SO2")
        other = log_invoice(session, "INV4", "99999", dt.date(2024, 3, 20))
        entries = list_entries(session, running)
    assert [r["campaign_no"] for r in first] == [running]
    assert again == outside == other == []
    assert [(e["description"], e["document_type"], e["no_of_interactions"]) for e in entries] == [
        ("Interactions", "", 1),
        ("Sales Invoices", "sales_inv", 1),
    ]
