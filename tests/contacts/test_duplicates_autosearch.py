"""Autosearch for Duplicates (§1.1, §2.10; issue #14 item 5): coupled to the maintenance of the
search strings, and the shell shows the duplicates an added or changed company has."""

from __future__ import annotations


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def setup_value(app, run_cli, key):
    return ok(run_cli(app, "setup", "show", key, json=True)).json[key]


def test_maintenance_off_switches_autosearch_off_and_autosearch_on_switches_it_on(
    make_app, run_cli
):
    app = make_app("contacts")
    ok(run_cli(app, "setup", "set", "contacts.maintain_dupl_search_strings", "no"))
    assert setup_value(app, run_cli, "contacts.autosearch_for_duplicates") is False
    ok(run_cli(app, "setup", "set", "contacts.autosearch_for_duplicates", "yes"))
    assert setup_value(app, run_cli, "contacts.maintain_dupl_search_strings") is True
    ok(run_cli(app, "setup", "set", "contacts.autosearch_for_duplicates", "no"))
    assert setup_value(app, run_cli, "contacts.maintain_dupl_search_strings") is True
    ok(run_cli(app, "setup", "set", "contacts.maintain_dupl_search_strings", "yes"))
    assert setup_value(app, run_cli, "contacts.autosearch_for_duplicates") is True


def test_adding_an_exact_duplicate_company_shows_it(make_app, run_cli):
    app = make_app("contacts")
    # 5 of the 8 default fields filled: 10 strings reach the threshold of 10 (§2.10)
    fields = [
        *("--set", "address=Main Street 1", "--set", "city=Oslo", "--set", "phone_no=22334455"),
        *("--set", "post_code=0150", "--set", "email=info@cronus.test"),
    ]
    first = ok(run_cli(app, "contacts", "add", "--name", "Cronus Ltd", *fields, json=True)).json
    assert first["duplicates"] == []
    second = ok(run_cli(app, "contacts", "add", "--name", "Cronus Ltd", *fields, json=True)).json
    assert [{d["contact_no"], d["duplicate_contact_no"]} for d in second["duplicates"]] == [
        {first["no"], second["no"]}
    ]
    shown = ok(run_cli(app, "contacts", "add", "--name", "Cronus Ltd", *fields))
    assert "Duplicate contacts were found" in shown.output
    assert first["no"] in shown.output and second["no"] in shown.output
    # autosearch off: nothing searched, nothing shown
    ok(run_cli(app, "setup", "set", "contacts.autosearch_for_duplicates", "no"))
    quiet = ok(run_cli(app, "contacts", "add", "--name", "Cronus Ltd", *fields))
    assert "Duplicate" not in quiet.output
    assert (
        "duplicates"
        not in ok(run_cli(app, "contacts", "add", "--name", "Cronus Ltd", *fields, json=True)).json
    )
