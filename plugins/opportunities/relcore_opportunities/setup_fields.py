"""The opportunities plugin's setup fields: its part of the Marketing Setup (§1.1, §6.1)."""

from __future__ import annotations

from relcore.setup import SetupField

SETUP_FIELDS = [
    SetupField(
        "opportunities.opportunity_nos", "series", None, "Number series for opportunities (§6.4)."
    ),
    SetupField(
        "opportunities.default_sales_cycle",
        "code",
        None,
        "Sales cycle put on new opportunities when it exists and is not blocked (§6.1).",
        max_length=10,
    ),
    SetupField(
        "opportunities.salesperson_code",
        "code",
        None,
        "The user's salesperson (BC User Setup), given to new opportunities (§6.4.1).",
        max_length=20,
    ),
    SetupField(
        "opportunities.d365sales_won_code",
        "code",
        None,
        "Close code of opportunities won in Dynamics 365 Sales whose status reason has no "
        "option map entry (d365sales bridge, issue 12).",
        max_length=10,
    ),
    SetupField(
        "opportunities.d365sales_lost_code",
        "code",
        None,
        "Close code of opportunities lost in Dynamics 365 Sales whose status reason has no "
        "option map entry (d365sales bridge, issue 12).",
        max_length=10,
    ),
]
