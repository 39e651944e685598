"""The segment criteria source ``campaign`` (an integration of campaigns into segments' Add
Contacts / Reduce / Refine, §5.5.1): contacts by their part in campaigns.

One record per (contact, campaign, kind), kind being

* ``target_group`` — the company contact of a target-group row (§8.4);
* ``entry`` — a contact of an interaction with a campaign entry (§8.3), with its ``entry_no``;
* ``response`` — a contact of a not canceled interaction marked Campaign Response.

e.g. ``--where campaign.campaign_no=CP0001 --where campaign.kind=response``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_campaigns import model


def campaign_source() -> Any:
    """The ``campaign`` :class:`relcore_segments.api.CriteriaSource`."""
    from relcore_interactions.api import log_entry_table as e
    from relcore_segments.api import CriteriaSource

    tg = model.target_group
    kind_type = sa.String(20)
    records = sa.union_all(
        sa.select(
            tg.c.contact_company_no.label("contact_no"),
            tg.c.campaign_no.label("campaign_no"),
            sa.literal("target_group", kind_type).label("kind"),
            sa.literal(None, sa.Integer).label("entry_no"),
            sa.literal(None, sa.Date).label("date"),
        ),
        sa.select(
            e.c.contact_no,
            e.c.campaign_no,
            sa.literal("entry", kind_type),
            e.c.campaign_entry_no,
            e.c.date,
        ).where(e.c.campaign_entry_no.is_not(None), e.c.contact_no.is_not(None)),
        sa.select(
            e.c.contact_no,
            e.c.campaign_no,
            sa.literal("response", kind_type),
            e.c.campaign_entry_no,
            e.c.date,
        ).where(
            e.c.campaign_response.is_(True),
            e.c.canceled.is_(False),
            e.c.postponed.is_(False),
            e.c.campaign_no.is_not(None),
            e.c.contact_no.is_not(None),
        ),
    ).subquery("campaign_records")
    c = records.c
    fields = {
        "campaign": c.campaign_no,
        "campaign_no": c.campaign_no,
        "kind": c.kind,
        "entry_no": c.entry_no,
        "date": c.date,
    }

    def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
        return sa.select(c.contact_no).where(*conditions)

    return CriteriaSource("campaign", "Campaign", fields, contact_nos)
