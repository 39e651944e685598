"""The example plugin of docs/writing-plugins.md (written against the docs only) is installed and
works end to end: an entity, a number series, setup fields, commands, a criteria source for
segments (optional), an interaction event with a shipped template, contact lifecycle hooks."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import sqlalchemy as sa

WORK_DATE = dt.date(2026, 3, 2)


def test_the_example_plugin_is_installed_through_its_entry_point():
    names = {ep.name for ep in metadata.entry_points(group="relcore")}
    assert "visits" in names, "pip install -e docs/examples/relcore-visits (the README does)"


def test_it_registers_an_entity_a_series_a_setup_field_and_a_command(make_app, run_cli):
    app = make_app("visits")
    assert app.plugin_names == ["contacts", "visits"]  # its requirement is loaded for it
    assert app.entities["visits.visit"].plugin == "visits"
    assert "visits.default_purpose" in app.setup.fields
    assert app.registries.series.plugin_of("VISIT") == "visits"

    added = run_cli(app, "visits", "add", "Grace Hopper", json=True)
    assert added.exit_code == 0, added.output
    assert added.json["no"] == "VS0001"
    assert added.json["purpose"] == "Meeting"

    assert run_cli(app, "setup", "set", "visits.default_purpose", "Audit").exit_code == 0
    second = run_cli(app, "visits", "add", "Alan Turing", json=True)
    assert (second.json["no"], second.json["purpose"]) == ("VS0002", "Audit")

    manual = run_cli(app, "visits", "add", "Edsger Dijkstra", "--no", "VS5000", json=True)
    assert manual.json["no"] == "VS5000"

    listed = run_cli(app, "visits", "list", json=True)
    assert [v["visitor_name"] for v in listed.json] == [
        "Grace Hopper",
        "Alan Turing",
        "Edsger Dijkstra",
    ]


def test_a_blank_visitor_is_refused_with_one_line(make_app, run_cli):
    app = make_app("visits")
    result = run_cli(app, "visits", "add", " ")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Visit: field visitor_name: must not be blank"


def _contacts(app, *names):
    """Contacts with a salesperson (an interaction needs one: BC takes the contact's)."""
    from relcore_contacts.api import insert_contacts

    from relcore import entities

    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        rows = insert_contacts(session, [{"name": n, "salesperson_code": "JO"} for n in names])
        return [r["no"] for r in rows]


def test_a_contacts_visit_logs_an_interaction_with_the_shipped_template(make_app, run_cli):
    app = make_app("visits", "interactions", work_date=WORK_DATE)
    (ada,) = _contacts(app, "Ada Industries")
    added = run_cli(app, "visits", "add", "", "--contact", ada, json=True)
    assert added.exit_code == 0, added.output
    assert (added.json["visitor_name"], added.json["contact_no"]) == ("Ada Industries", ada)
    entries = run_cli(app, "interactions", "list", "--contact", ada, json=True).json
    assert [(e["interaction_template_code"], e["document_no"]) for e in entries] == [
        ("VISIT", added.json["no"])
    ]
    assert entries[0]["description"] == "Visit at our office"


def test_without_interactions_a_contacts_visit_logs_nothing_and_still_works(make_app, run_cli):
    app = make_app("visits")
    (ada,) = _contacts(app, "Ada Industries")
    assert run_cli(app, "visits", "add", "Ada", "--contact", ada).exit_code == 0


def test_segments_can_select_contacts_by_their_visits(make_app, run_cli):
    app = make_app("visits", "segments", work_date=WORK_DATE)
    ada, bob = _contacts(app, "Ada Industries", "Bob Builders")
    run_cli(app, "visits", "add", "", "--contact", ada, "--purpose", "Workshop")
    run_cli(app, "visits", "add", "", "--contact", bob, "--purpose", "Audit")
    segment = run_cli(app, "segments", "add", "--description", "Workshop guests", json=True)
    assert segment.exit_code == 0, segment.output
    no = segment.json["no"]
    added = run_cli(app, "segments", "add-contacts", no, "--where", "visit.purpose=Workshop")
    assert added.exit_code == 0, added.output
    lines = run_cli(app, "segments", "show", no, json=True).json["lines"]
    assert [line["contact_no"] for line in lines] == [ada]


def test_contact_lifecycle_delete_merge_erase(make_app, run_cli):
    from relcore_visits.service import list_visits

    app = make_app("visits")
    ada, twin, bob = _contacts(app, "Ada Industries", "Ada Industries Ltd", "Bob Builders")
    for contact in (ada, twin, bob):
        assert run_cli(app, "visits", "add", "", "--contact", contact).exit_code == 0
    merged = run_cli(app, "contacts", "merge", ada, twin, json=True)
    assert merged.exit_code == 0, merged.output
    assert merged.json["moved"]["visits_visit"] == 1
    assert run_cli(app, "contacts", "delete", bob).exit_code == 0
    erased = run_cli(app, "contacts", "erase", ada, "--yes", json=True)
    assert erased.exit_code == 0, erased.output
    assert erased.json["rows"]["visits_visit"] == 2
    with app.session() as session:
        visits = [(v["visitor_name"], v["contact_no"]) for v in list_visits(session)]
    assert visits == [("", ada), ("", ada), ("Bob Builders", None)]


def test_demo_data_with_the_fixtures(make_app):
    from relcore_visits.service import list_visits

    app = make_app("visits")
    with app.session() as session:
        app.pm.hook.relcore_load_demo_data(app=app, session=session)
        rows = list_visits(session)
        [tour] = [
            t
            for t in app.pm.hook.relcore_demo_tour(app=app, session=session)
            if t and "visit" in t[0]
        ]
    assert [(r["visitor_name"], r["purpose"]) for r in rows] == [("Ada Lovelace", "Workshop")]
    assert tour == ["1 visit(s) in the visitor log"]


def test_the_example_stays_in_step_with_its_migrations(relcore_db_url):
    from relcore.app import App
    from relcore.migrations_api import check, upgrade
    from relcore.plugins import PluginSelection

    app = App(relcore_db_url, selection=PluginSelection(allow=["contacts", "visits"]))
    try:
        upgrade(app)
        assert check(app) == []
        columns = {c["name"] for c in sa.inspect(app.engine).get_columns("visits_visit")}
        assert "contact_no" in columns
    finally:
        app.dispose()
