"""The campaigns plugin's public API: what other plugins (and ERP connectors) may import.

A plain re-export (documented in ``docs/campaigns.md``). Opportunities and tasks reach campaigns
through hooks instead (``relcore_interactions_check_campaigns``,
``relcore_campaigns_opportunity_figures``), never by import. The ``*_table`` objects are for
joins in set-based SQL and are read only.

* ``get_campaign(session, no) -> dict`` — NotFoundError naming it when missing.
* ``statistics(session, campaign_no, date_from=None, date_to=None) -> dict`` — the figures of
  ``relcore campaigns show`` (§8.8) for an existing campaign no.
* ``best_price(session, PriceRequest(...)) -> dict`` — which campaign price / line discount
  applies (§8.6): ``unit_price``, ``line_discount_pct``, ``campaign_no``, ``price_campaign_no``,
  ``discount_campaign_no``.
* ``log_invoice(session, invoice_no, bill_to_customer_no, posting_date, *, order_no=None,
  bill_to_contact_no=None, salesperson_code=None, description=None) -> list[dict]`` — call when
  an ERP posts a sales invoice (§8.3); ValidationError without the "Invoices" template.
"""

from __future__ import annotations

from relcore_campaigns.campaigns import get_campaign
from relcore_campaigns.invoices import log_invoice
from relcore_campaigns.model import campaign as campaign_table
from relcore_campaigns.model import entry as entry_table
from relcore_campaigns.model import target_group as target_group_table
from relcore_campaigns.pricing import PriceCandidate, PriceRequest, best_price
from relcore_campaigns.statistics import statistics

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
