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
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import pluggy

from relcore import hookspecs
from relcore.errors import PluginError

ENTRY_POINT_GROUP = "relcore"
ENV_ALLOW = "RELCORE_PLUGINS"
ENV_BLOCK = ENV_DISABLED = "RELCORE_DISABLED_PLUGINS"
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
    with_requirements: bool = False
    """Also load the installed plugins that allowed ones require (``relcore.testing``'s
    ``make_app("segments")`` loads contacts and interactions too)."""

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
    """relcore's pluggy manager, which also remembers plugin metadata and load failures.

    pluggy calls every hook. It calls the implementations of a hook last-registered first, so
    plugins are registered in *reverse* dependency order: a hook then runs in base plugins
    first (contacts before interactions before segments), and ``tryfirst`` / ``trylast`` /
    ``wrapper=True`` / ``hookwrapper=True`` work as pluggy documents them.
    """

    def __init__(self) -> None:
        super().__init__("relcore")
        self._spec_modules: list[Any] = []
        self.add_hookspecs(hookspecs)
        # historic: every plugin registered later publishes its hookspecs as it is registered
        self.hook.relcore_addhooks.call_historic(kwargs={"pluginmanager": self})
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[LoadFailure] = []
        self.missing_requirements: list[str] = []
        if os.environ.get(ENV_TRACE):
            self.trace.root.setwriter(sys.stderr.write)
            self.enable_tracing()

    def add_hookspecs(self, module_or_class: Any) -> None:
        """Add a module's hookspecs once (a plugin registered again publishes them again)."""
        if any(m is module_or_class for m in self._spec_modules):
            return
        self._spec_modules.append(module_or_class)
        super().add_hookspecs(module_or_class)

    @property
    def ordered_names(self) -> list[str]:
        """Plugin names in dependency order (base plugins first), the order hooks run in."""
        return list(self.infos)

    def _register_all(self, infos: list[PluginInfo]) -> None:
        """Register ``infos`` (in dependency order) so that pluggy calls them in that order."""
        for info in reversed(infos):
            try:
                self.register(info.module, name=info.name)
            except Exception as exc:
                self.failures.append(LoadFailure(info.name, f"{type(exc).__name__}: {exc}"))
                continue
            self.infos[info.name] = info
        self.infos = {i.name: i for i in infos if i.name in self.infos}

    def add_plugin(
        self,
        name: str,
        module: ModuleType,
        *,
        version: str | None = None,
        distribution: str | None = None,
    ) -> None:
        """Register one more plugin module under ``name`` (tests and embedding applications).

        Every plugin is registered again so that hooks keep running base plugins first.

        :raises PluginError: a plugin it requires is not registered.
        """
        info = PluginInfo(
            name, module, version, tuple(getattr(module, "requires", ())), distribution
        )
        candidates = {**self.infos, name: info}
        ordered, missing = _dependency_order(candidates)
        if missing:
            raise PluginError("; ".join(missing))
        for plugin_name in list(self.infos):
            self.unregister(name=plugin_name)
        self.infos = {}
        self._register_all([candidates[n] for n in ordered])

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

    def plugin_callers(self, hook_name: str) -> list[tuple[str, Callable[..., Any]]]:
        """``(plugin name, call)`` per plugin implementing ``hook_name``, in pluggy's call order.

        ``call(**kwargs)`` has pluggy run that one plugin's implementation (wrappers still wrap
        it): pluggy passes only the arguments the implementation names and traces the call. It
        returns the implementation's result. The core uses this only where it must know which
        plugin answered: collector hooks (a ``register`` bound to the contributing plugin) and
        per-plugin reports (commands, the demo tour).
        """
        hook = getattr(self.hook, hook_name)
        impls = hook.get_hookimpls()
        wrappers = [impl for impl in impls if impl.hookwrapper or impl.wrapper]
        plain = [impl for impl in impls if not (impl.hookwrapper or impl.wrapper)]

        def bind(impl: pluggy.HookImpl) -> Callable[..., Any]:
            def call(**kwargs: Any) -> Any:
                results = self._hookexec(hook_name, [impl, *wrappers], kwargs, False)
                return results[0] if results else None

            return call

        return [(impl.plugin_name, bind(impl)) for impl in reversed(plain)]

    def implementers(self, hook_name: str) -> list[str]:
        """Names of the plugins implementing ``hook_name``, in call order (wrappers excluded)."""
        return [name for name, _caller in self.plugin_callers(hook_name)]


def _dependency_order(
    candidates: dict[str, PluginInfo], installed: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Order plugins so each comes after those it requires; report missing requirements (an
    installed one that the selection left out is named as such, not as one to install)."""
    installed = set(installed)
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
            if req in candidates:
                continue
            if req in installed:
                missing.append(
                    f"{name} requires {req}, which is installed but not selected "
                    f"(see {ENV_ALLOW} / {ENV_DISABLED} or the config file's plugins / "
                    "disabled_plugins)"
                )
            else:
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
    entry_points = {ep.name: ep for ep in _entry_points()}
    wanted = [name for name in entry_points if selection.wants(name)]
    extra_requires = [req for _name, module in extra for req in getattr(module, "requires", ())]
    if selection.with_requirements:
        wanted += [req for req in extra_requires if req in entry_points]
    while wanted:
        ep = entry_points[wanted.pop(0)]
        if ep.name in candidates or any(f.name == ep.name for f in pm.failures):
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
        if selection.with_requirements:
            wanted += [
                req
                for req in candidates[ep.name].requires
                if req in entry_points and req not in selection.block
            ]
    for name, module in extra:
        candidates[name] = PluginInfo(
            name, module, None, tuple(getattr(module, "requires", ())), None
        )
    ordered, missing = _dependency_order(candidates, entry_points)
    pm.missing_requirements = missing
    pm._register_all([candidates[name] for name in ordered])
    return pm


def sum_counts(results: Iterable[dict[str, int] | None]) -> dict[str, int]:
    """Add up the ``{table name: rows}`` answers of a hook (``relcore_contacts_merge``,
    ``relcore_erase_personal_data``): one count per table, tables sorted by name."""
    total: dict[str, int] = {}
    for result in results:
        for table, count in (result or {}).items():
            total[table] = total.get(table, 0) + count
    return dict(sorted(total.items()))
