"""The entities the d365sales plugin registers with the core (its mapping and log tables)."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_d365sales import model

ENTITIES = [
    EntityType(
        "d365sales.table_mapping", model.table_mapping, "Integration Table Mapping", key=("name",)
    ),
    EntityType(
        "d365sales.field_mapping", model.field_mapping, "Integration Field Mapping", key=("id",)
    ),
    EntityType("d365sales.coupling", model.coupling, "Coupling", key=("id",)),
    EntityType("d365sales.sync_job", model.sync_job, "Synchronization Job", key=("id",)),
    EntityType("d365sales.sync_error", model.sync_error, "Synchronization Error", key=("id",)),
    EntityType(
        "d365sales.option_map",
        model.option_map,
        "Option Mapping",
        key=("dv_column", "option_value"),
    ),
]
