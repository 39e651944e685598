"""Hooks the campaigns plugin publishes for the plugins that build on it or sit beside it
(opportunities, ERP connectors, other price sources).

Published through ``relcore_addhooks``; each is documented in ``docs/campaigns.md`` and
``docs/plugin-hooks.md``. Implementers that do not require campaigns use
``@hookimpl(optionalhook=True)``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from relcore_campaigns.pricing import PriceCandidate, PriceRequest

hookspec = pluggy.HookspecMarker("relcore")


@hookspec(firstresult=True)
def relcore_campaigns_opportunity_figures(
    session: Connection, campaign_nos: list[str], date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, dict] | None:
    """The opportunity FlowFields of campaigns (§8.1, §8.8; vector CA16).

    Implemented by an opportunities plugin: counts and sums over **active** opportunity entries
    with these campaign nos. (dated inside the filter when one is given). Without an
    implementation the figures are 0.

    :param session: the current transaction.
    :param campaign_nos: the campaigns asked for.
    :param date_from: first day of the date filter, or ``None``.
    :param date_to: last day of the date filter, or ``None``.
    :returns: ``{campaign_no: {"no_of_opportunities": int, "estimated_value": Decimal,
        "calcd_current_value": Decimal}}`` (campaigns without opportunities may be left out).
    """


@hookspec
def relcore_campaigns_check_items(session: Connection, item_codes: list[str]) -> None:
    """Veto item codes on campaign price and discount lines (§8.6): relcore has no item master,
    so an ERP connector checks that the items exist.

    Raise :class:`relcore.errors.ValidationError` naming the item to refuse. Without an
    implementation any code is accepted.

    :param session: the current transaction.
    :param item_codes: the (upper-cased) item codes about to be stored.
    """


@hookspec
def relcore_campaigns_price_candidates(
    session: Connection, request: PriceRequest
) -> list[PriceCandidate] | None:
    """Add price sources to ``relcore campaigns price`` (BC's price source list, §8.6
    ``OnAfterAddSources``): return the prices and line discounts another source (a customer
    price list, a price group, ...) offers for the request.

    Every implementation is asked; the best candidate wins (lowest unit price, highest line
    discount %) together with the campaign lines and the list price.

    :param session: the current transaction.
    :param request: the item, date, customer/contact, quantity, list price, unit of measure and
        currency asked for (:class:`relcore_campaigns.pricing.PriceRequest`).
    :returns: :class:`relcore_campaigns.pricing.PriceCandidate` values, or ``None``.
    """
