"""The CAMPAIGN mapping for the Dynamics 365 Sales synchronisation (reference §D4, issue 12).

An optional integration: the campaigns plugin does not require d365sales. When both are
installed, ``relcore_d365sales_register_mappings`` (an optional hook in :mod:`.plugin`) registers
this mapping; without d365sales nothing here is imported.

CAMPAIGN → ``campaigns`` (to Dataverse only, creating uncoupled campaigns): no → ``codename``
(sent when the campaign is created; relcore never changes a campaign's number, so it is never
sent again), description → ``name``, starting/ending date → ``proposedstart``/``proposedend``,
status code → ``statuscode`` through the option map ``campaigns.statuscode`` (``relcore d365
option-map campaigns.statuscode 2 5-START``; a status without a mapped value fails the record,
a blank one leaves Dataverse's), salesperson → ``ownerid`` (through the SALESPEOPLE couplings,
not null). Depends on SALESPEOPLE.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

FIELDS = ("no", "description", "starting_date", "ending_date", "status_code", "salesperson_code")


class CampaignAdapter:
    """Local side of CAMPAIGN: every campaign (read only; the mapping writes to Dataverse)."""

    label = "Campaign"
    key_column = "no"

    def __init__(self, session: Any) -> None:
        from relcore_campaigns.model import campaign

        self.session = session
        self.table = campaign
        self.columns = {f: campaign.c[f] for f in FIELDS}

    def select(self, *, since: Any = None, keys: Iterable[str] | None = None) -> list[dict]:
        """Campaigns as ``key``, ``modified_at`` and the mapped fields (all, changed at/after
        ``since``, or these keys)."""
        t = self.table
        stmt = sa.select(t.c.no.label("key"), t.c.modified_at, *(t.c[f] for f in FIELDS))
        if since is not None:
            stmt = stmt.where(t.c.modified_at >= since)
        if keys is not None:
            stmt = stmt.where(t.c.no.in_(sorted(set(keys))))
        return [dict(r._mapping) for r in self.session.execute(stmt.order_by(t.c.no))]

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of these campaign numbers still exist."""
        t = self.table
        return {r[0] for r in self.session.execute(sa.select(t.c.no).where(t.c.no.in_(list(keys))))}


def campaign_mapping() -> Any:
    """The CAMPAIGN :class:`relcore_d365sales.api.MappingDef`."""
    from relcore_d365sales.api import OWNER_FIELD, FieldMap, MappingDef

    return MappingDef(
        "CAMPAIGN",
        "campaigns.campaign",
        "campaigns",
        "campaignid",
        CampaignAdapter,
        fields=(
            FieldMap("no", "codename", "to_integration", match_priority=0),
            FieldMap("description", "name", "to_integration"),
            FieldMap("starting_date", "proposedstart", "to_integration"),
            FieldMap("ending_date", "proposedend", "to_integration"),
            FieldMap(
                "status_code",
                "statuscode",
                "to_integration",
                transformation_rule="option",
                not_null=True,
            ),
            OWNER_FIELD,
        ),
        direction="to_integration",
        local_filter="all campaigns",
        only_coupled=False,
        dependency_filter="SALESPEOPLE",
        priority=40,
    )
