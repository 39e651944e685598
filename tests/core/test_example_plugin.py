"""The example plugin of docs/writing-plugins.md is installed and works end to end."""

from __future__ import annotations

from importlib import metadata


def test_the_example_plugin_is_installed_through_its_entry_point():
    names = {ep.name for ep in metadata.entry_points(group="relcore")}
    assert "visits" in names, "pip install -e docs/examples/relcore-visits (the README does)"


def test_it_registers_an_entity_a_series_a_setup_field_and_a_command(make_app, run_cli):
    app = make_app("visits")
    assert app.entities["visits.visit"].plugin == "visits"
    assert "visits.default_purpose" in app.setup.fields
    assert [s.code for s in app.registries.default_series] == ["VISIT"]

    added = run_cli(app, "visits", "add", "Grace Hopper", json=True)
    assert added.exit_code == 0, added.output
    assert added.json["no"] == "VS0001"
    assert added.json["purpose"] == "Meeting"

    assert run_cli(app, "setup", "set", "visits.default_purpose", "Audit").exit_code == 0
    second = run_cli(app, "visits", "add", "Alan Turing", json=True)
    assert (second.json["no"], second.json["purpose"]) == ("VS0002", "Audit")

    listed = run_cli(app, "visits", "list", json=True)
    assert [v["visitor_name"] for v in listed.json] == ["Grace Hopper", "Alan Turing"]


def test_a_blank_visitor_is_refused_with_one_line(make_app, run_cli):
    app = make_app("visits")
    result = run_cli(app, "visits", "add", " ")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Visit: field visitor_name: must not be blank"
