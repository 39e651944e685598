"""The campaigns plugin's public API: what other plugins (and ERP connectors) may call.

Other plugins import this module only (never the plugin's internals). Opportunities and tasks
reach campaigns through hooks instead (``relcore_interactions_check_campaigns``,
``relcore_campaigns_opportunity_figures``), never by import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from relcore_campaigns import model
from relcore_campaigns.pricing import PriceCandidate, PriceRequest

__all__ = [
    "PriceCandidate",
    "PriceRequest",
    "best_price",
    "campaign_table",
    "entry_table",
    "get_campaign",
    "log_invoice",
    "statistics",
    "target_group_table",
]

campaign_table = model.campaign
"""Campaigns (§8.1), for joins in other plugins' set-based SQL (read only)."""

entry_table = model.entry
"""Campaign entries (§8.3) (read only)."""

target_group_table = model.target_group
"""Campaign target groups (§8.4): ``type`` (customer/contact), ``no``, ``campaign_no`` (read
only)."""


def get_campaign(session: Any, no: str) -> dict:
    """The campaign row; :class:`relcore.errors.NotFoundError` naming it when missing."""
    from relcore_campaigns.campaigns import get_campaign as _get

    return _get(session, no)


def statistics(
    session: Any, campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """The campaign's statistics (§8.8): ``target_contacts_contacted``, ``contacts_responded``,
    ``cost``, ``duration``, ``response_rate_pct``, ``avg_cost_per_response``,
    ``avg_duration_per_response``, ``no_of_opportunities``, ``estimated_value``,
    ``calcd_current_value``."""
    from relcore_campaigns.statistics import statistics as _stats

    return _stats(session, get_campaign(session, campaign_no)["no"], date_from, date_to)


def best_price(session: Any, request: PriceRequest) -> dict:
    """Which campaign price / line discount applies to a sales line (§8.6):
    ``{"unit_price", "line_discount_pct", "campaign_no", "price_campaign_no",
    "discount_campaign_no"}``."""
    from relcore_campaigns.pricing import best_price as _best

    return _best(session, request)


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
    """Call when an ERP posts a sales invoice (§8.3): logs it for every campaign running for the
    bill-to customer, once per originating order; returns ``[{"campaign_no", "entry_no"}]``.
    :raises ValidationError: "The Invoices field on the Sales FastTab in the Interaction
    Template Setup window must be filled in." when the event has no template."""
    from relcore_campaigns.invoices import log_invoice as _log

    return _log(
        session,
        invoice_no,
        bill_to_customer_no,
        posting_date,
        order_no=order_no,
        bill_to_contact_no=bill_to_contact_no,
        salesperson_code=salesperson_code,
        description=description,
    )
