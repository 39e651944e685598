"""Manual and event logging use the contact's active alternative address, as segment lines do
(§4.4, §2.8, §5.3; issue #14 item 3): one rule, contacts' ``active_alt_address``."""

from __future__ import annotations

import datetime as dt

from relcore_contacts import alt_addresses

from tests.interactions.conftest import WORK_DATE, add_contacts, add_templates


def _app(make_app):
    app = make_app("contacts", "interactions", "segments", work_date=WORK_DATE)
    with app.session() as s:
        add_contacts(s)
        add_templates(s)
        alt_addresses.add_alt_address(s, "CT000011", "SUMMER", {"email": "bob@summer.test"})
        alt_addresses.add_date_range(s, "CT000011", "SUMMER", dt.date(2025, 6, 1), None)
    return app


def test_manual_interaction_in_the_alt_address_range_uses_it(make_app, run_cli):
    app = _app(make_app)
    inside = run_cli(
        app,
        *("interactions", "log", "--contact", "CT000011", "--template", "BUS"),
        *("--set", "date=2025-07-01", "--no-deliver"),
        json=True,
    )
    assert inside.exit_code == 0, inside.output
    assert inside.json["contact_alt_address_code"] == "SUMMER"
    before = run_cli(
        app,
        *("interactions", "log", "--contact", "CT000011", "--template", "BUS", "--no-deliver"),
        json=True,
    )  # the work date, 2025-01-20: before the range
    assert before.json["contact_alt_address_code"] == ""
    given = run_cli(
        app,
        *("interactions", "log", "--contact", "CT000011", "--template", "BUS"),
        *("--set", "date=2025-07-01", "--set", "contact_alt_address_code=", "--no-deliver"),
        json=True,
    )
    assert given.json["contact_alt_address_code"] == ""  # an explicit choice wins


def test_manual_logging_and_segment_lines_agree(make_app, run_cli):
    app = _app(make_app)
    seg = run_cli(
        app, "segments", "add", "--description", "S", "--set", "date=2025-07-01", json=True
    ).json["no"]
    run_cli(app, "segments", "add-contacts", seg, "--where", "contact.no=CT000011")
    line = run_cli(app, "segments", "show", seg, json=True).json["lines"][0]
    manual = run_cli(
        app,
        *("interactions", "log", "--contact", "CT000011", "--template", "BUS"),
        *("--set", "date=2025-07-01", "--no-deliver"),
        json=True,
    ).json
    assert line["contact_alt_address_code"] == manual["contact_alt_address_code"] == "SUMMER"


def test_event_logging_uses_the_alt_address_of_today(make_app):
    from relcore_interactions.api import log_event
    from relcore_interactions.events import set_template

    app = _app(make_app)
    with app.session() as s:
        set_template(s, "interactions.emails", "EMAIL")
        entry = log_event(s, "interactions.emails", "CT000011", date=dt.date(2025, 8, 1))
    assert entry["contact_alt_address_code"] == "SUMMER"
