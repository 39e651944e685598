"""Campaign statistics (page 5088 and the Campaign FlowFields, §8.1, §8.8).

The interaction figures come from ONE aggregate query over the interaction log; the opportunity
figures from the ``relcore_campaigns_opportunity_figures`` hook (an opportunities plugin), 0
without one.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import sqlalchemy as sa

from relcore.dateformula import bc_round

ZERO = decimal.Decimal("0.00")


def money(value: Any) -> decimal.Decimal:
    """A sum read back from the database as a 2-decimal ``Decimal``."""
    return decimal.Decimal(str(value or 0)).quantize(ZERO)


def interaction_select(
    campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> sa.Select:
    """The one aggregate query of :func:`interaction_figures` (contacted, responded, cost,
    duration)."""
    from relcore_interactions.api import log_entry_table as e

    where = [e.c.campaign_no == campaign_no, e.c.canceled.is_(False), e.c.postponed.is_(False)]
    if date_from is not None:
        where.append(e.c.date >= date_from)
    if date_to is not None:
        where.append(e.c.date <= date_to)
    return sa.select(
        sa.func.count(sa.case((e.c.campaign_target.is_(True), 1))),
        sa.func.count(sa.case((e.c.campaign_response.is_(True), 1))),
        sa.func.sum(e.c.cost),
        sa.func.sum(e.c.duration),
    ).where(*where)


def interaction_figures(
    session: Any, campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """Target Contacts Contacted, Contacts Responded, Cost (LCY), Duration (Min.) (§8.1): over
    the interaction entries with this campaign no., not canceled, not postponed, dated inside
    the filter. Contacted and Responded count **entries**, not distinct contacts (§9.5 item 13,
    reproduced)."""
    row = session.execute(interaction_select(campaign_no, date_from, date_to)).one()
    return {
        "target_contacts_contacted": int(row[0] or 0),
        "contacts_responded": int(row[1] or 0),
        "cost": money(row[2]),
        "duration": money(row[3]),
    }


def derived_figures(figures: dict) -> dict:
    """Response Rate %, Avg. Cost per Response, Avg. Duration per Response with BC's rounding
    (page 5088, §8.8; vectors CA4–CA6)."""
    contacted = figures["target_contacts_contacted"]
    responded = figures["contacts_responded"]
    rate = (
        bc_round(decimal.Decimal(responded) / decimal.Decimal(contacted) * 100, 1)
        if contacted
        else decimal.Decimal("0.0")
    )
    avg_cost = bc_round(figures["cost"] / responded, 2) if responded else ZERO
    avg_duration = bc_round(figures["duration"] / responded, 2) if responded else ZERO
    return {
        "response_rate_pct": rate,
        "avg_cost_per_response": avg_cost,
        "avg_duration_per_response": avg_duration,
    }


def opportunity_figures(
    session: Any, campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """No. of Opportunities, Estimated Value (LCY), Calcd. Current Value (LCY) (§8.1; CA16),
    from the ``relcore_campaigns_opportunity_figures`` hook; zeros without an implementation."""
    from relcore.app import app_of

    result = app_of(session).pm.hook.relcore_campaigns_opportunity_figures(
        session=session, campaign_nos=[campaign_no], date_from=date_from, date_to=date_to
    )
    figures = (result or {}).get(campaign_no) or {}
    return {
        "no_of_opportunities": int(figures.get("no_of_opportunities") or 0),
        "estimated_value": money(figures.get("estimated_value")),
        "calcd_current_value": money(figures.get("calcd_current_value")),
    }


def statistics(
    session: Any, campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """Every statistics figure of a campaign (page 5088): interaction figures, the derived
    rates and averages, and the opportunity figures."""
    figures = interaction_figures(session, campaign_no, date_from, date_to)
    return {
        **figures,
        **derived_figures(figures),
        **opportunity_figures(session, campaign_no, date_from, date_to),
    }


def campaign_statistics(
    session: Any, campaign_no: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """:func:`statistics` of an existing campaign (``campaign_no`` in any case; NotFoundError
    naming a missing one) — what ``relcore_campaigns.api.statistics`` is."""
    from relcore_campaigns.campaigns import get_campaign

    return statistics(session, get_campaign(session, campaign_no)["no"], date_from, date_to)
