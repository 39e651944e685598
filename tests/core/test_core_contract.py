"""The core's cross-plugin contracts: interaction logging, converter hooks, erase, demo, errors."""

from __future__ import annotations

import datetime as dt
import decimal

import attrs
import pytest

from relcore import hookimpl
from relcore.errors import PluginError
from relcore.interactions import InteractionRecord, log_interactions


class FakeInteractionStore:
    """Stands in for the interactions plugin: stores records, numbers them, tells listeners."""

    def __init__(self) -> None:
        self.stored: list[InteractionRecord] = []

    @hookimpl
    def relcore_log_interactions(self, session, records):
        start = len(self.stored) + 1
        self.stored.extend(records)
        return [{"entry_no": start + i, "contact_no": r.contact_no} for i, r in enumerate(records)]


class Listener:
    def __init__(self) -> None:
        self.heard: list[int] = []

    @hookimpl
    def relcore_interactions_logged(self, session, entries):
        self.heard.extend(e["entry_no"] for e in entries)


def test_logging_without_a_storing_plugin_names_the_interactions_plugin(make_app):
    app = make_app()
    with pytest.raises(PluginError, match="pip install relcore-interactions"), app.session() as s:
        log_interactions(s, [InteractionRecord("CT000001", "BUS")])


def test_logged_interactions_reach_the_listeners_in_one_batch(make_app):
    store, listener = FakeInteractionStore(), Listener()
    app = make_app(extra=[("store", store), ("listener", listener)])
    records = [
        InteractionRecord(f"CT00000{i}", "BUS", cost=decimal.Decimal("1.50")) for i in range(1, 4)
    ]
    with app.session() as s:
        entries = app.log_interactions(s, records)
    assert [e["entry_no"] for e in entries] == [1, 2, 3]
    assert listener.heard == [1, 2, 3]
    assert store.stored == records


@attrs.define
class Temperature:
    celsius: decimal.Decimal


class ConverterPlugin:
    @hookimpl
    def relcore_configure_converter(self, converter):
        converter.register_unstructure_hook(Temperature, lambda t: f"{t.celsius} °C")


def test_plugins_configure_the_json_converter(make_app):
    app = make_app(extra=[("temps", ConverterPlugin())])
    data = {
        "at": dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC),
        "t": Temperature(decimal.Decimal("21.5")),
        "amount": decimal.Decimal("10.00"),
    }
    from relcore.convert import to_jsonable

    assert to_jsonable(app.converter, data) == {
        "at": "2025-01-02T03:04:00+00:00",
        "t": "21.5 °C",
        "amount": "10.00",
    }


class Eraser:
    def __init__(self) -> None:
        self.erased: list[str] = []

    @hookimpl
    def relcore_erase_personal_data(self, session, contact_nos):
        self.erased.extend(contact_nos)
        return {"eraser_copy": len(contact_nos)}


def test_erase_personal_data_asks_every_plugin(make_app):
    eraser = Eraser()
    app = make_app(extra=[("eraser", eraser)])
    with app.session() as s:
        results = app.pm.hook.relcore_erase_personal_data(session=s, contact_nos=["CT000007"])
    assert {"eraser_copy": 1} in results
    assert "eraser" in app.pm.implementers("relcore_erase_personal_data")
    assert eraser.erased == ["CT000007"]


class DemoPlugin:
    @hookimpl
    def relcore_load_demo_data(self, app, session):
        app.setup.set(session, "demo.greeting", "hello from the demo")

    @hookimpl
    def relcore_demo_tour(self, app, session):
        return [app.setup.get(session, "demo.greeting")]

    @hookimpl
    def relcore_register_setup(self, register):
        from relcore.setup import SetupField

        register(SetupField("demo.greeting", "str", "", "Greeting"))


def test_demo_builds_from_every_plugin_and_prints_a_tour(tmp_path, run_cli):
    from relcore.app import App

    app = App(
        f"sqlite:///{tmp_path / 'demo.db'}", plugins=[("demo", DemoPlugin())], load_installed=False
    )
    result = run_cli(app, "demo", json=True)
    assert result.exit_code == 0, result.output
    tour = {section["plugin"]: section["lines"] for section in result.json["tour"]}
    assert tour["demo"] == ["hello from the demo"]
    assert "core" in tour
    again = run_cli(app, "demo")
    assert again.exit_code == 1
    assert "the demo needs an empty database" in again.output
    app.dispose()


def test_demo_tour_piped_has_no_endless_lines(tmp_path, run_cli):
    """Piped output is unbounded (tables print full values), so nothing may fill its width."""
    from relcore.app import App

    app = App(
        f"sqlite:///{tmp_path / 'demo.db'}", plugins=[("demo", DemoPlugin())], load_installed=False
    )
    result = run_cli(app, "demo")
    app.dispose()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "relcore demo"
    assert max(len(line) for line in result.output.splitlines()) < 200


def test_errors_print_one_line_and_debug_shows_the_traceback(make_app, run_cli):
    app = make_app()
    result = run_cli(app, "numbers", "next", "NOPE")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: ")
    with pytest.raises(Exception, match="NOPE"):
        run_cli(app, "numbers", "next", "NOPE", debug=True)


class EventPlugin:
    def __init__(self, code: str) -> None:
        self.code = code

    @hookimpl
    def relcore_register_interaction_events(self, register):
        from relcore.interactions import InteractionEvent

        register(InteractionEvent(self.code, "A quote was sent"))


def test_interaction_events_are_collected_with_their_plugin(make_app):
    app = make_app(extra=[("quotes", EventPlugin("quotes.sent"))])
    assert app.registries.interaction_events["quotes.sent"].plugin == "quotes"


def test_an_interaction_event_registered_twice_is_refused_naming_both(make_app):
    from relcore.app import App

    app = App(
        "sqlite://",
        load_installed=False,
        plugins=[("one", EventPlugin("x.sent")), ("two", EventPlugin("x.sent"))],
    )
    with pytest.raises(PluginError, match="'x.sent' registered twice: by one and two"):
        _ = app.registries


def test_each_plugin_registers_its_own_migration_lineage(make_app):
    app = make_app("visits")
    # the relcore_register_migrations hook of the example plugin, plus the core's own lineage
    lineages = {lin.branch_label: lin for lin in app.registries.migrations}
    assert set(lineages) == {"core", "contacts", "visits"}  # visits requires contacts
    assert lineages["visits"].table_prefix == "visits_"
    assert lineages["visits"].plugin == "visits"


def test_demo_works_with_the_core_alone(tmp_path, run_cli):
    from relcore.app import App

    app = App(f"sqlite:///{tmp_path / 'core.db'}", load_installed=False)
    result = run_cli(app, "demo", json=True)
    assert result.exit_code == 0, result.output
    assert result.json["plugins"] == []
    assert [section["plugin"] for section in result.json["tour"]] == ["core"]
    app.dispose()
