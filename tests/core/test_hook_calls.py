"""pluggy calls every hook: argument subsets, wrappers, tryfirst/trylast, tracing, dependency
order, per-plugin ``register`` of collector hooks, and the one keyed registry (#9 defects 1-2)."""

from __future__ import annotations

import types

import pytest

from relcore import entities, hookimpl
from relcore.errors import PluginError
from relcore.registries import KeyedRegistry
from tests.core.test_entities import WidgetPlugin


def plugin(requires: tuple[str, ...] = (), **hooks) -> types.SimpleNamespace:
    """A plugin object: ``requires`` plus the given functions marked as hook implementations
    (pass ``(function, {"tryfirst": True})`` for options)."""
    attrs_: dict = {"requires": requires}
    for name, value in hooks.items():
        function, options = value if isinstance(value, tuple) else (value, {})
        attrs_[name] = hookimpl(**options)(function)
    return types.SimpleNamespace(**attrs_)


def _widget_app(make_app, *others):
    return make_app(extra=[("testkit", WidgetPlugin()), *others])


def test_an_implementation_may_take_a_subset_of_the_arguments(make_app):
    seen = []

    def relcore_before_write(entity, rows):
        seen.append((entity, len(rows)))

    app = _widget_app(
        make_app, ("audit", plugin(("testkit",), relcore_before_write=relcore_before_write))
    )
    with app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}, {"no": "W2"}])
    assert seen == [("testkit.widget", 2)]


def test_new_style_and_old_style_wrappers_run_around_the_hook(make_app):
    calls = []

    def new_style(entity, action):
        calls.append(("enter", action))
        result = yield
        calls.append(("leave", action))
        return result

    def old_style(entity):
        calls.append(("old enter", entity))
        yield
        calls.append(("old leave", entity))

    def plain(action):
        calls.append(("plain", action))

    app = _widget_app(
        make_app,
        ("wrap", plugin(relcore_after_write=(new_style, {"wrapper": True}))),
        ("old", plugin(relcore_after_write=(old_style, {"hookwrapper": True}))),
        ("plain", plugin(relcore_after_write=plain)),
    )
    with app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}])
    assert ("enter", "insert") in calls and ("leave", "insert") in calls
    assert ("old enter", "testkit.widget") in calls and ("old leave", "testkit.widget") in calls
    assert calls.index(("enter", "insert")) < calls.index(("plain", "insert"))
    assert calls.index(("plain", "insert")) < calls.index(("leave", "insert"))


def test_base_plugins_run_first_and_tryfirst_trylast_are_honoured(make_app):
    order = []

    def recorder(name):
        def relcore_after_write(action):
            order.append(name)

        return relcore_after_write

    app = make_app(
        extra=[
            ("top", plugin(("middle",), relcore_after_write=recorder("top"))),
            (
                "eager",
                plugin(("middle",), relcore_after_write=(recorder("eager"), {"tryfirst": True})),
            ),
            ("late", plugin(relcore_after_write=(recorder("late"), {"trylast": True}))),
            ("middle", plugin(("base",), relcore_after_write=recorder("middle"))),
            ("base", plugin(relcore_after_write=recorder("base"))),
            ("testkit", WidgetPlugin()),
        ]
    )
    with app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}])
    assert order == ["eager", "base", "middle", "top", "late"]


def test_a_plugin_added_later_still_runs_after_the_plugins_it_requires(make_app):
    order = []
    app = make_app(
        extra=[
            ("base", plugin(relcore_after_write=lambda action: order.append("base"))),
            ("testkit", WidgetPlugin()),
        ]
    )
    app.pm.add_plugin("late", plugin(("base",), relcore_after_write=lambda: order.append("late")))
    with app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}])
    assert order == ["base", "late"]
    with pytest.raises(PluginError, match="lost requires nowhere: pip install relcore-nowhere"):
        app.pm.add_plugin("lost", plugin(("nowhere",)))


def test_trace_shows_the_write_hooks(make_app, monkeypatch, capsys):
    monkeypatch.setenv("RELCORE_TRACE_PLUGINS", "1")
    app = _widget_app(make_app)
    with app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}])
    err = capsys.readouterr().err
    assert "relcore_before_write" in err and "relcore_after_write" in err
    assert "relcore_register_entities" in err  # collector hooks go through pluggy too


def test_collector_register_is_bound_to_each_plugin_and_subset_arguments_work(make_app):
    from relcore.interactions import InteractionEvent

    def no_arguments():
        """A collector implementation that takes nothing (legal in pluggy)."""

    def quotes(register):
        register(InteractionEvent("quotes.sent", "Quote sent"))

    app = make_app(
        extra=[
            ("idle", plugin(relcore_register_interaction_events=no_arguments)),
            ("quotes", plugin(relcore_register_interaction_events=quotes)),
        ]
    )
    events = app.registries.interaction_events
    assert events["quotes.sent"].plugin == "quotes"
    assert events.plugin_of("quotes.sent") == "quotes"


def test_keyed_registry_refuses_a_clash_naming_both_plugins():
    registry: KeyedRegistry = KeyedRegistry("gadget", lambda item: item["name"])
    registry.register({"name": "G1"}, "alpha")
    with pytest.raises(PluginError, match="gadget 'G1' registered twice: by alpha and beta"):
        registry.register({"name": "G1"}, "beta")
    with pytest.raises(PluginError, match=r"no gadget named 'G9' is registered \(known: G1\)"):
        registry["G9"]
    assert list(registry) == ["G1"] and registry.get("G9") is None


def test_app_registry_collects_once_per_app(make_app):
    calls = []

    def relcore_register_interaction_events(register):
        calls.append(1)

    app = make_app(
        extra=[
            ("x", plugin(relcore_register_interaction_events=relcore_register_interaction_events))
        ]
    )
    before = len(calls)
    first = app.registry("relcore_register_interaction_events", kind="event", key=lambda e: e.code)
    second = app.registry("relcore_register_interaction_events", kind="event", key=lambda e: e.code)
    assert first is second and len(calls) == before + 1
