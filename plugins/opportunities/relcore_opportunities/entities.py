"""The entities the opportunities plugin registers with the core."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_opportunities import model

ENTITIES = [
    EntityType("opportunities.sales_cycle", model.sales_cycle, "Sales Cycle", key=("code",)),
    EntityType(
        "opportunities.stage",
        model.stage,
        "Sales Cycle Stage",
        key=("sales_cycle_code", "stage"),
    ),
    EntityType(
        "opportunities.close_code", model.close_code, "Close Opportunity Code", key=("code",)
    ),
    EntityType(
        "opportunities.opportunity",
        model.opportunity,
        "Opportunity",
        number_series_setup_key="opportunities.opportunity_nos",
    ),
    EntityType("opportunities.entry", model.entry, "Opportunity Entry", key=("entry_no",)),
]
