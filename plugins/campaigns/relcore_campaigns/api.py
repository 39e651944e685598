"""The campaigns plugin's public API: what other plugins (and ERP connectors) may import.

A plain re-export (see ``docs/api-reference.md`` and ``docs/campaigns.md``); other plugins import
this module only (never the plugin's internals). Opportunities and tasks reach campaigns through
hooks instead (``relcore_interactions_check_campaigns``, ``relcore_campaigns_opportunity_figures``),
never by import.

* ``get_campaign(session, no)`` — the campaign row; NotFoundError naming it when missing.
* ``statistics(session, campaign_no, date_from=None, date_to=None)`` — the campaign's statistics
  (§8.8): ``target_contacts_contacted``, ``contacts_responded``, ``cost``, ``duration``,
  ``response_rate_pct``, ``avg_cost_per_response``, ``avg_duration_per_response``,
  ``no_of_opportunities``, ``estimated_value``, ``calcd_current_value``.
* ``best_price(session, request: PriceRequest)`` — which campaign price / line discount applies to
  a sales line (§8.6): ``{"unit_price", "line_discount_pct", "campaign_no", "price_campaign_no",
  "discount_campaign_no"}``.
* ``log_invoice(session, invoice_no, bill_to_customer_no, posting_date, *, order_no=None,
  bill_to_contact_no=None, salesperson_code=None, description=None)`` — call when an ERP posts a
  sales invoice (§8.3); returns ``[{"campaign_no", "entry_no"}]``.
* ``campaign_table``, ``entry_table``, ``target_group_table`` — read only, for joins.
"""

from __future__ import annotations

from relcore_campaigns.campaigns import get_campaign
from relcore_campaigns.invoices import log_invoice
from relcore_campaigns.model import campaign as campaign_table
from relcore_campaigns.model import entry as entry_table
from relcore_campaigns.model import target_group as target_group_table
from relcore_campaigns.pricing import PriceCandidate, PriceRequest, best_price
from relcore_campaigns.statistics import campaign_statistics as statistics

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
