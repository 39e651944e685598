"""The entities the campaigns plugin registers with the core."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_campaigns import model

ENTITIES = [
    EntityType(
        "campaigns.campaign",
        model.campaign,
        "Campaign",
        number_series_setup_key="campaigns.campaign_nos",
    ),
    EntityType("campaigns.status", model.status, "Campaign Status", key=("code",)),
    EntityType("campaigns.entry", model.entry, "Campaign Entry", key=("entry_no",)),
    EntityType(
        "campaigns.target_group",
        model.target_group,
        "Campaign Target Group",
        key=("type", "no", "campaign_no"),
    ),
    EntityType(
        "campaigns.price_line",
        model.price_line,
        "Campaign Price Line",
        key=("campaign_no", "line_no"),
    ),
]
