"""Collecting what plugins register: entities, setup fields, number series, events, migrations.

Each collector hook is called per plugin, in dependency order, with a ``register`` callback bound
to that plugin, so the core knows who contributed what and refuses clashes by name.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

from relcore.errors import PluginError


@attrs.define
class Registries:
    """Everything the loaded plugins registered, plus the hook facade."""

    entities: Any
    setup: Any
    default_series: list[Any]
    interaction_events: dict[str, Any]
    migrations: list[Any]
    converter: Any
    hooks: Any

    @classmethod
    def collect(cls, app: Any) -> Registries:
        """Call every collector hook of the app's plugins."""
        from relcore import ledger, numbering  # noqa: F401  (declares the core tables)
        from relcore.convert import make_converter
        from relcore.entities import EntityRegistry
        from relcore.hooks import Hooks
        from relcore.migrations_api import CORE_LINEAGE, MigrationLineage
        from relcore.setup import SetupRegistry

        pm = app.pm
        entities = EntityRegistry()
        setup = SetupRegistry()
        series: list[Any] = []
        series_codes: dict[str, str] = {}
        events: dict[str, Any] = {}
        lineages: list[MigrationLineage] = [CORE_LINEAGE]

        def add_series(item: Any, plugin: str) -> None:
            if item.code in series_codes:
                raise PluginError(
                    f"number series {item.code!r} registered twice: by "
                    f"{series_codes[item.code]} and {plugin}"
                )
            series_codes[item.code] = plugin
            series.append(item)

        def add_event(item: Any, plugin: str) -> None:
            if item.code in events:
                raise PluginError(
                    f"interaction event {item.code!r} registered twice: by "
                    f"{events[item.code].plugin} and {plugin}"
                )
            events[item.code] = attrs.evolve(item, plugin=plugin)

        def add_lineage(item: Any, plugin: str) -> None:
            if any(lin.branch_label == item.branch_label for lin in lineages):
                raise PluginError(f"migration branch {item.branch_label!r} registered twice")
            lineages.append(attrs.evolve(item, plugin=plugin))

        collectors = {
            "relcore_register_entities": entities.register,
            "relcore_register_setup": setup.register,
            "relcore_register_number_series": add_series,
            "relcore_register_interaction_events": add_event,
            "relcore_register_migrations": add_lineage,
        }
        for hook_name, target in collectors.items():
            for plugin, function in pm.ordered_impls(hook_name):
                function(register=functools.partial(target, plugin=plugin))
        converter = make_converter()
        pm.call_in_order("relcore_configure_converter", converter=converter)
        return cls(entities, setup, series, events, lineages, converter, Hooks(pm))
