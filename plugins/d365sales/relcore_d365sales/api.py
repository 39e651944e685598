"""The d365sales plugin's public API: what other plugins and outside authors may import.

A plain re-export (see ``docs/api-reference.md``): a plugin that adds a table mapping implements
``relcore_d365sales_register_mappings`` and registers a :class:`MappingDef` with its
:class:`FieldMap` list; its adapter reads and writes the local records (see
:mod:`relcore_d365sales.adapters` for the protocol); :func:`option_codes` reads the choice-value
map (an adapter translating a status reason, e.g. opportunities' close codes).
"""

from __future__ import annotations

from relcore_d365sales.mappings import OWNER_FIELD, FieldMap, MappingDef
from relcore_d365sales.mappings import registry as mapping_registry
from relcore_d365sales.options import option_codes

__all__ = ["OWNER_FIELD", "FieldMap", "MappingDef", "mapping_registry", "option_codes"]
