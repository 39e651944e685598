"""The campaigns plugin's setup fields: its part of the Marketing Setup (§1.1)."""

from __future__ import annotations

from relcore.setup import SetupField

SETUP_FIELDS = [
    SetupField("campaigns.campaign_nos", "series", None, "Number series for campaigns (§8.1)."),
    SetupField(
        "campaigns.salesperson_code",
        "code",
        None,
        "The user's salesperson (BC User Setup), given to new campaigns (§8.1 OnInsert).",
        max_length=20,
    ),
]
