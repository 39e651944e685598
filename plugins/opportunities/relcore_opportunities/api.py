"""The opportunities plugin's public API: what other plugins and outside authors may import.

A plain re-export; other plugins import this module only, never the plugin's internals. The
``*_table`` objects are for joins in set-based SQL and are read only: write through the
functions. Campaigns never imports it (siblings meet through hooks).
"""

from __future__ import annotations

from relcore_opportunities.closing import close_opportunity
from relcore_opportunities.creating import (
    activate_first_stage,
    create_for_segment,
    create_from_interaction,
    create_opportunity,
)
from relcore_opportunities.estimates import probability, update_estimates
from relcore_opportunities.maintenance import (
    clear_document,
    delete_closed,
    delete_opportunity,
    set_document,
)
from relcore_opportunities.model import entry as entry_table
from relcore_opportunities.model import opportunity as opportunity_table
from relcore_opportunities.model import sales_cycle as sales_cycle_table
from relcore_opportunities.model import stage as stage_table
from relcore_opportunities.queries import list_opportunities, show
from relcore_opportunities.stage_lists import stage_lists
from relcore_opportunities.statistics import stage_figures, statistics
from relcore_opportunities.updating import available_stages, update_opportunity

__all__ = [
    "activate_first_stage",
    "available_stages",
    "clear_document",
    "close_opportunity",
    "create_for_segment",
    "create_from_interaction",
    "create_opportunity",
    "delete_closed",
    "delete_opportunity",
    "entry_table",
    "list_opportunities",
    "opportunity_table",
    "probability",
    "sales_cycle_table",
    "set_document",
    "show",
    "stage_figures",
    "stage_lists",
    "stage_table",
    "statistics",
    "update_estimates",
    "update_opportunity",
]
