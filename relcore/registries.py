"""One keyed registry for everything plugins contribute through collector hooks.

A collector hook (``relcore_register_entities``, ``relcore_segments_register_criteria_sources``,
...) hands each plugin a ``register`` callback bound to that plugin. The items land in a
:class:`KeyedRegistry`: keyed by name, each remembering the plugin that contributed it, and a key
registered twice is refused naming both plugins. :meth:`relcore.app.App.registry` collects a
hook once per app and caches the result; the core's own registries are collected here by
:meth:`Registries.collect`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from relcore.errors import PluginError

T = TypeVar("T")


def _unknown(kind: str) -> Callable[[str, list[str]], Exception]:
    def error(key: str, known: list[str]) -> Exception:
        return PluginError(f"no {kind} named {key!r} is registered (known: {', '.join(known)})")

    return error


class KeyedRegistry(Mapping[str, T], Generic[T]):
    """Items contributed by plugins, by key; each remembers the plugin that registered it.

    A read-only mapping (key → item, in registration order) with :meth:`register` for the
    collector hook's ``register`` callback.

    :param kind: what an item is, for messages (``"criteria source"``).
    :param key: the key of an item (``lambda source: source.name``).
    :param normalize: applied to keys on registration and lookup (e.g. ``str.upper``).
    :param unknown: ``unknown(key, known_keys)`` → the exception a lookup of an unknown key
        raises (default: :class:`~relcore.errors.PluginError` listing the known keys).
    :param prepare: ``prepare(item)`` → the item to store: validates (raise
        :class:`~relcore.errors.PluginError`) or completes an item before it is registered.
    """

    def __init__(
        self,
        kind: str,
        key: Callable[[T], str],
        *,
        normalize: Callable[[str], str] | None = None,
        unknown: Callable[[str, list[str]], Exception] | None = None,
        prepare: Callable[[T], T] | None = None,
    ) -> None:
        self.kind = kind
        self._prepare = prepare
        self._key = key
        self._normalize = normalize or (lambda k: k)
        self._unknown = unknown or _unknown(kind)
        self._items: dict[str, T] = {}
        self._plugins: dict[str, str | None] = {}

    def register(self, item: T, plugin: str | None = None) -> None:
        """Add ``item`` contributed by ``plugin``.

        An attrs item with a ``plugin`` field left ``None`` gets the plugin's name filled in.

        :raises PluginError: the key is registered already: ``"<kind> 'X' registered twice: by
            A and B"``.
        """
        if self._prepare is not None:
            item = self._prepare(item)
        key = self._normalize(self._key(item))
        if key in self._items:
            raise PluginError(
                f"{self.kind} {key!r} registered twice: by {self._plugins[key]} and {plugin}"
            )
        if plugin and attrs.has(type(item)) and getattr(item, "plugin", False) is None:
            item = attrs.evolve(item, plugin=plugin)
        self._items[key] = item
        self._plugins[key] = plugin

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[self._normalize(key)]
        except KeyError:
            raise self._unknown(key, self.names()) from None

    def get(self, key: str, default: Any = None) -> Any:
        """The item ``key``, or ``default``."""
        return self._items.get(self._normalize(key), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._normalize(key) in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def names(self) -> list[str]:
        """The registered keys, sorted."""
        return sorted(self._items)

    def plugin_of(self, key: str) -> str | None:
        """The plugin that registered ``key``."""
        self[key]  # noqa: B018  (the unknown-key error)
        return self._plugins[self._normalize(key)]


def collect(pm: Any, hook_name: str, registry: KeyedRegistry[T]) -> KeyedRegistry[T]:
    """Call the collector hook ``hook_name`` of every plugin with a ``register`` bound to it.

    Plugins are called in hook order (base plugins first); pluggy calls each implementation.
    """
    for plugin, call in pm.plugin_callers(hook_name):
        call(register=functools.partial(registry.register, plugin=plugin))
    return registry


@attrs.define
class Registries:
    """What the loaded plugins registered through the core's collector hooks."""

    entities: Any
    setup: Any
    series: KeyedRegistry[Any]
    interaction_events: KeyedRegistry[Any]
    lineages: KeyedRegistry[Any]
    converter: Any

    @property
    def default_series(self) -> list[Any]:
        """The registered :class:`~relcore.numbering.DefaultSeries`, in registration order."""
        return list(self.series.values())

    @property
    def migrations(self) -> list[Any]:
        """The registered :class:`~relcore.migrations_api.MigrationLineage` (core first)."""
        return list(self.lineages.values())

    @classmethod
    def collect(cls, app: Any) -> Registries:
        """Call every collector hook of the app's plugins."""
        from relcore import ledger, numbering  # noqa: F401  (declares the core tables)
        from relcore.convert import make_converter
        from relcore.entities import EntityRegistry
        from relcore.migrations_api import CORE_LINEAGE
        from relcore.setup import SetupRegistry

        pm = app.pm
        entities = collect(pm, "relcore_register_entities", EntityRegistry())
        setup = SetupRegistry()
        collect(pm, "relcore_register_setup", setup.fields)
        series = collect(
            pm, "relcore_register_number_series", KeyedRegistry("number series", _code)
        )
        events = collect(
            pm, "relcore_register_interaction_events", KeyedRegistry("interaction event", _code)
        )
        lineages: KeyedRegistry[Any] = KeyedRegistry(
            "migration branch", lambda lineage: lineage.branch_label
        )
        lineages.register(CORE_LINEAGE, "core")
        collect(pm, "relcore_register_migrations", lineages)
        converter = make_converter()
        pm.hook.relcore_configure_converter(converter=converter)
        return cls(entities, setup, series, events, lineages, converter)


def _code(item: Any) -> str:
    return item.code
