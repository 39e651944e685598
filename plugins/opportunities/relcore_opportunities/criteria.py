"""The segment criteria source ``opportunity`` (an optional integration with segments): contacts
with an opportunity matching status, cycle, stage, salesperson, estimated value, probability
or estimated close date (the current values: from the active entry)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_opportunities.model import entry, opportunity


def opportunity_source() -> Any:
    """The ``opportunity`` criteria source (``--where opportunity.status=in_progress``)."""
    from relcore_segments.api import CriteriaSource

    o, e = opportunity.c, entry.c
    fields = {
        "no": o.no,
        "status": o.status,
        "cycle": o.sales_cycle_code,
        "sales_cycle_code": o.sales_cycle_code,
        "stage": e.sales_cycle_stage,
        "salesperson": o.salesperson_code,
        "salesperson_code": o.salesperson_code,
        "campaign": o.campaign_no,
        "estimated_value": e.estimated_value_lcy,
        "probability": e.probability_pct,
        "probability_pct": e.probability_pct,
        "estimated_close_date": e.estimated_close_date,
        "creation_date": o.creation_date,
    }
    joined = opportunity.outerjoin(entry, sa.and_(e.opportunity_no == o.no, e.active.is_(True)))

    def contact_nos(conditions: list[Any]) -> sa.Select:
        return (
            sa.select(o.contact_no)
            .select_from(joined)
            .where(o.contact_no.is_not(None), *conditions)
        )

    return CriteriaSource("opportunity", "Opportunity", fields, contact_nos)
