"""References to code tables are checked where they are set (issue #13 item 12).

A setup field or a column that names a code of another table checks that it exists (and is not
blocked, for setup defaults) on every write; deleting a code or a number series still in use is
refused, naming the user.
"""

from __future__ import annotations

import pytest

from relcore import entities
from relcore.errors import ValidationError


@pytest.fixture
def ref_app(make_app, run_cli):
    app = make_app("contacts", "interactions", "segments")
    with app.session() as s:
        entities.insert(
            s,
            "contacts.salesperson",
            [{"code": "JO", "name": "Jo"}, {"code": "OLD", "name": "Old", "blocked": True}],
        )
        entities.insert(s, "contacts.language", [{"code": "DEU", "name": "German"}])
        entities.insert(s, "contacts.salutation", [{"code": "COMPANY", "description": "Co"}])
        entities.insert(s, "contacts.business_relation", [{"code": "CUST", "description": "C"}])
    return app


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("contacts.default_salesperson_code", "GHOST", "Salesperson 'GHOST' does not exist"),
        ("contacts.default_salesperson_code", "OLD", "Salesperson 'OLD' is blocked"),
        ("contacts.default_language_code", "XX", "does not exist"),
        ("contacts.def_company_salutation_code", "NOPE", "does not exist"),
        ("contacts.bus_rel_code_for_customers", "NOPE", "does not exist"),
        ("segments.salesperson_code", "GHOST", "Salesperson 'GHOST' does not exist"),
    ],
)
def test_setup_refuses_codes_that_do_not_exist_or_are_blocked(
    ref_app, run_cli, key, value, message
):
    r = run_cli(ref_app, "setup", "set", key, value)
    assert r.exit_code == 1
    assert f"Setup: field {key}: " in r.output and message in r.output
    assert run_cli(ref_app, "contacts", "add", "--name", "Still works").exit_code == 0


def test_setup_accepts_existing_codes_trimmed(ref_app, run_cli):
    r = run_cli(ref_app, "setup", "set", "contacts.default_salesperson_code", " jo ")
    assert r.exit_code == 0, r.output
    added = run_cli(ref_app, "contacts", "add", "--name", "Ada", json=True)
    assert added.json["salesperson_code"] == "JO"


def test_a_segment_header_refuses_a_salesperson_that_does_not_exist(ref_app, run_cli):
    from relcore_segments import segments

    refused = pytest.raises(ValidationError, match="field salesperson_code: Salesperson 'GHOST'")
    with refused, ref_app.session() as s:
        segments.create_segment(s, {"description": "X", "salesperson_code": "GHOST"})


def test_a_template_language_must_exist(ref_app):
    from relcore_interactions import templates as t

    with ref_app.session() as s:
        t.add_group(s, "LETTER")
        t.add_template(s, "A", "LETTER")
    refused = pytest.raises(ValidationError, match="field language_code: Language 'FRA' does not")
    with refused, ref_app.session() as s:
        t.add_language(s, "A", "FRA")
    with ref_app.session() as s:
        t.add_language(s, "A", "DEU")


def test_deleting_a_code_still_in_use_is_refused_naming_the_user(ref_app, run_cli):
    run_cli(ref_app, "setup", "set", "contacts.default_language_code", "DEU")
    r = run_cli(ref_app, "contacts", "languages", "delete", "DEU")
    assert r.exit_code == 1
    assert "Language DEU: " in r.output and "in use" in r.output
    assert "contacts.default_language_code" in r.output
    with ref_app.session() as s:
        from relcore_segments import segments

        segments.create_segment(s, {"description": "X", "salesperson_code": "JO"})
    r = run_cli(ref_app, "contacts", "salespeople", "delete", "JO")
    assert r.exit_code == 1
    assert "Salesperson JO: is still used by Segment SM00001 (field salesperson_code)" in r.output
    with ref_app.session() as s:
        assert entities.exists(s, "contacts.salesperson", "JO")


def test_deleting_a_number_series_used_by_the_setup_is_refused(ref_app, run_cli):
    r = run_cli(ref_app, "numbers", "delete", "CONT")
    assert r.exit_code == 1
    assert "No. Series CONT is used by setup field contacts.contact_nos" in r.output
    assert run_cli(ref_app, "contacts", "add", "--name", "Ada").exit_code == 0
