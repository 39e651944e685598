"""The plugin manager: entry-point loading, ``requires`` ordering, allow/block lists, tracing.

Plugins are modules published in the ``relcore`` entry-point group. Each may declare
``requires = ("contacts", ...)``; the loader registers plugins in dependency order and refuses to
start, with a message naming the missing distribution, when a requirement is absent. A plugin
whose import fails is reported by name with its error; the others still load.

This module imports no heavy library: ``relcore --help`` loads plugins through it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import pluggy

from relcore import hookspecs
from relcore.errors import PluginError

ENTRY_POINT_GROUP = "relcore"
ENV_ALLOW = "RELCORE_PLUGINS"
ENV_BLOCK = "RELCORE_DISABLED_PLUGINS"
ENV_TRACE = "RELCORE_TRACE_PLUGINS"


@attrs.frozen
class PluginInfo:
    """What the loader knows of one plugin."""

    name: str
    module: ModuleType
    version: str | None
    requires: tuple[str, ...]
    distribution: str | None


@attrs.frozen
class LoadFailure:
    """A plugin that could not be loaded, and why."""

    name: str
    error: str


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


@attrs.define
class PluginSelection:
    """Which installed plugins to load: an allow-list (``None`` = all) and a block-list.

    From ``RELCORE_PLUGINS`` / ``RELCORE_DISABLED_PLUGINS`` (comma-separated), else the config
    file's ``plugins`` / ``disabled_plugins``.
    """

    allow: list[str] | None = None
    block: list[str] = attrs.Factory(list)

    @classmethod
    def from_env(cls, config: dict[str, Any] | None = None) -> PluginSelection:
        """The selection from the environment, falling back to the config file's values."""
        config = config or {}
        allow = _split(os.environ.get(ENV_ALLOW))
        if allow is None and config.get("plugins") is not None:
            allow = list(config["plugins"])
        block = _split(os.environ.get(ENV_BLOCK))
        if block is None:
            block = list(config.get("disabled_plugins", []))
        return cls(allow=allow, block=block)

    def wants(self, name: str) -> bool:
        """True when the plugin ``name`` is to be loaded."""
        if name in self.block:
            return False
        return self.allow is None or name in self.allow


class PluginManager(pluggy.PluginManager):
    """relcore's pluggy manager, which also remembers plugin metadata and load failures."""

    def __init__(self) -> None:
        super().__init__("relcore")
        self.add_hookspecs(hookspecs)
        # historic: every plugin registered later publishes its hookspecs as it is registered
        self.hook.relcore_addhooks.call_historic(kwargs={"pluginmanager": self})
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[LoadFailure] = []
        self.missing_requirements: list[str] = []
        if os.environ.get(ENV_TRACE):
            self.trace.root.setwriter(sys.stderr.write)
            self.enable_tracing()

    @property
    def ordered_names(self) -> list[str]:
        """Plugin names in registration (dependency) order."""
        return list(self.infos)

    def add_plugin(
        self,
        name: str,
        module: ModuleType,
        *,
        version: str | None = None,
        distribution: str | None = None,
    ) -> None:
        """Register one plugin module under ``name`` (tests use this to add a plugin)."""
        requires = tuple(getattr(module, "requires", ()))
        self.register(module, name=name)
        self.infos[name] = PluginInfo(name, module, version, requires, distribution)

    def remove_plugin(self, name: str) -> None:
        """Unregister the plugin ``name``."""
        plugin = self.get_plugin(name)
        if plugin is not None:
            self.unregister(plugin)
        self.infos.pop(name, None)

    def check(self) -> None:
        """Refuse to start when a requirement is missing or a plugin implements unknown hooks."""
        if self.missing_requirements:
            raise PluginError("; ".join(self.missing_requirements))
        try:
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.get_name(exc.plugin) or repr(exc.plugin)
            raise PluginError(f"plugin {name} implements an unknown hook: {exc}") from exc

    def ordered_impls(self, hook_name: str) -> list[tuple[str, Any]]:
        """``(plugin name, function)`` of a hook's implementations in dependency order."""
        hook = getattr(self.hook, hook_name)
        order = {name: i for i, name in enumerate(self.infos)}
        impls = [(impl.plugin_name, impl.function) for impl in hook.get_hookimpls()]
        return sorted(impls, key=lambda item: order.get(item[0], len(order)))

    def call_in_order(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook's implementations one by one in dependency order (base plugins first)."""
        results = []
        for name, function in self.ordered_impls(hook_name):
            results.append((name, function(**kwargs)))
        return results


def _dependency_order(candidates: dict[str, PluginInfo]) -> tuple[list[str], list[str]]:
    """Order plugins so each comes after those it requires; report missing requirements."""
    ordered: list[str] = []
    missing: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise PluginError("plugin requirement cycle: " + " -> ".join((*chain, name)))
        state[name] = "visiting"
        for req in candidates[name].requires:
            if req in candidates:
                visit(req, (*chain, name))
        state[name] = "done"
        ordered.append(name)

    for name in sorted(candidates):
        for req in candidates[name].requires:
            if req not in candidates:
                missing.append(f"{name} requires {req}: pip install relcore-{req}")
        visit(name, ())
    return ordered, missing


def _entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


def load_plugins(
    selection: PluginSelection | None = None,
    *,
    extra: Sequence[tuple[str, ModuleType]] = (),
) -> PluginManager:
    """Build a plugin manager with every selected, installed plugin registered in order.

    :param selection: which plugins to load (default: from the environment).
    :param extra: additional ``(name, module)`` plugins (tests, embedding applications).
    """
    selection = selection or PluginSelection.from_env()
    pm = PluginManager()
    candidates: dict[str, PluginInfo] = {}
    for ep in _entry_points():
        if not selection.wants(ep.name):
            continue
        try:
            module = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            pm.failures.append(LoadFailure(ep.name, f"{type(exc).__name__}: {exc}"))
            continue
        dist = ep.dist
        candidates[ep.name] = PluginInfo(
            ep.name,
            module,
            dist.version if dist else None,
            tuple(getattr(module, "requires", ())),
            dist.name if dist else None,
        )
    for name, module in extra:
        candidates[name] = PluginInfo(
            name, module, None, tuple(getattr(module, "requires", ())), None
        )
    ordered, missing = _dependency_order(candidates)
    pm.missing_requirements = missing
    for name in ordered:
        info = candidates[name]
        try:
            pm.add_plugin(name, info.module, version=info.version, distribution=info.distribution)
        except Exception as exc:
            pm.failures.append(LoadFailure(name, f"{type(exc).__name__}: {exc}"))
    return pm
