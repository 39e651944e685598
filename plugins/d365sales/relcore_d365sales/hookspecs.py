"""Hooks the d365sales plugin publishes for the plugins that build on it.

Published through ``relcore_addhooks``; documented in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from relcore_d365sales.mappings import MappingDef

hookspec = pluggy.HookspecMarker("relcore")


@hookspec
def relcore_d365sales_register_mappings(register: Callable[[MappingDef], None]) -> None:
    """Add table mappings to the Dynamics 365 Sales synchronisation (reference §A4, §D4).

    The opportunities and campaigns plugins register ``OPPORTUNITY`` and ``CAMPAIGN`` here.

    :param register: ``register(MappingDef(...))``; see
        :class:`relcore_d365sales.mappings.MappingDef`. A mapping name registered twice is
        refused, naming both plugins. The definition's fields and options become the default
        rows of ``d365_table_mapping`` / ``d365_field_mapping`` (editable data, as in BC); its
        ``adapter`` (code) reads and writes the local records.
    """
