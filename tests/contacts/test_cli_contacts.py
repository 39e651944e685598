"""The shell contract of ``relcore contacts`` (add/edit/show/list/delete, reference data,
assign, link, salutation, alternative addresses) and the demo data."""

from __future__ import annotations

import pytest


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_add_show_edit_list_delete_json(capp, run_cli):
    r = _ok(
        run_cli(
            capp,
            "contacts",
            "add",
            "--type",
            "company",
            "--name",
            "Acme Ltd",
            "--set",
            "city=Leeds",
            "--set",
            "phone_no=111",
            json=True,
        )
    )
    company = r.json
    assert company["no"] == "CT000001" and company["type"] == "company"
    for key in (
        "no",
        "type",
        "name",
        "first_name",
        "middle_name",
        "surname",
        "company_no",
        "company_name",
        "address",
        "city",
        "post_code",
        "phone_no",
        "email",
        "salesperson_code",
        "language_code",
        "privacy_blocked",
    ):
        assert key in company
    p = _ok(
        run_cli(
            capp,
            "contacts",
            "add",
            "--type",
            "person",
            "--name",
            "John Q Public",
            "--company-no",
            "CT000001",
            json=True,
        )
    ).json
    assert (p["first_name"], p["middle_name"], p["surname"]) == ("John", "Q", "Public")
    assert p["company_name"] == "Acme Ltd" and p["phone_no"] == "111" and p["city"] == "Leeds"
    e = _ok(
        run_cli(capp, "contacts", "edit", "CT000001", "--set", "salesperson_code=jo", json=True)
    ).json
    assert e["salesperson_code"] == "JO"
    assert (
        _ok(run_cli(capp, "contacts", "show", p["no"], json=True)).json["salesperson_code"] == "JO"
    )
    rows = _ok(run_cli(capp, "contacts", "list", json=True)).json
    assert [x["no"] for x in rows] == ["CT000001", "CT000002"]
    assert [
        x["no"] for x in _ok(run_cli(capp, "contacts", "list", "--type", "person", json=True)).json
    ] == ["CT000002"]
    assert len(_ok(run_cli(capp, "contacts", "list", "--search", "public", json=True)).json) == 1
    assert (
        len(_ok(run_cli(capp, "contacts", "list", "--company-no", "CT000001", json=True)).json) == 2
    )
    human = _ok(run_cli(capp, "contacts", "list"))
    assert "Acme Ltd" in human.output
    assert "John Q Public" in _ok(run_cli(capp, "contacts", "show", "CT000002")).output
    _ok(run_cli(capp, "contacts", "delete", "CT000001"))
    assert _ok(run_cli(capp, "contacts", "list", json=True)).json == []


def test_manual_number_and_errors_are_one_line_exit_1(capp, run_cli):
    _ok(run_cli(capp, "contacts", "add", "--name", "Manual", "--no", "M1"))
    r = run_cli(capp, "contacts", "add", "--name", "Again", "--no", "M1")
    assert r.exit_code == 1 and "already exists" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = run_cli(capp, "contacts", "add", "--name", "Bad", "--set", "phone_no=abc")
    assert r.exit_code == 1 and "must not contain letters" in r.output
    r = run_cli(capp, "contacts", "edit", "M1", "--set", "email=nope")
    assert r.exit_code == 1 and "field email" in r.output
    r = run_cli(capp, "contacts", "show", "NOPE")
    assert r.exit_code == 1 and "does not exist" in r.output
    assert [x["no"] for x in run_cli(capp, "contacts", "list", json=True).json] == ["M1"]


KIND_ARGS = [
    "salespeople",
    "teams",
    "territories",
    "countries",
    "languages",
    "salutations",
    "business-relations",
    "industry-groups",
    "mailing-groups",
    "job-responsibilities",
    "organizational-levels",
    "web-sources",
]


NAME_KINDS = ("salespeople", "teams", "territories", "countries", "languages")


@pytest.mark.parametrize("kind", KIND_ARGS)
def test_reference_kind_commands(make_app, run_cli, kind):
    """The text option is named after the field it writes (issue #9: ``--description`` used to
    write ``name`` silently for five kinds)."""
    app = make_app("contacts")
    field = "name" if kind in NAME_KINDS else "description"
    other = "description" if field == "name" else "name"
    wrong = run_cli(app, "contacts", kind, "add", "zz1", f"--{other}", "First")
    assert wrong.exit_code == 2 and f"No such option '--{other}'" in wrong.output
    added = _ok(run_cli(app, "contacts", kind, "add", "zz1", f"--{field}", "First", json=True)).json
    assert added["code"] == "ZZ1" and added[field] == "First"
    assert [r["code"] for r in _ok(run_cli(app, "contacts", kind, "list", json=True)).json] == [
        "ZZ1"
    ]
    edited = _ok(
        run_cli(app, "contacts", kind, "edit", "ZZ1", f"--{field}", "Second", json=True)
    ).json
    assert edited[field] == "Second"
    assert _ok(run_cli(app, "contacts", kind, "show", "ZZ1", json=True)).json["code"] == "ZZ1"
    deleted = _ok(run_cli(app, "contacts", kind, "delete", "ZZ1", json=True)).json
    assert deleted == {"deleted": [{"code": "ZZ1"}]}
    assert _ok(run_cli(app, "contacts", kind, "list", json=True)).json == []


def test_salesperson_name_set_and_in_use_refusal(make_app, run_cli):
    app = make_app("contacts")
    sp = _ok(
        run_cli(
            app,
            "contacts",
            "salespeople",
            "add",
            "JO",
            "--name",
            "John Roberts",
            "--set",
            "email=jo@x.com",
            json=True,
        )
    ).json
    assert sp["name"] == "John Roberts" and sp["email"] == "jo@x.com"
    _ok(run_cli(app, "contacts", "add", "--name", "A", "--set", "salesperson_code=JO"))
    r = run_cli(app, "contacts", "salespeople", "delete", "JO")
    assert r.exit_code == 1 and "in use" in r.output and "contacts_contact" in r.output


def test_assign_link_and_salutation(capp, run_cli):
    with capp.session() as s:
        capp.setup.set(s, "contacts.bus_rel_code_for_customers", "CUST")
    _ok(run_cli(capp, "contacts", "mailing-groups", "add", "NEWS", "--description", "News"))
    _ok(run_cli(capp, "contacts", "add", "--name", "Acme"))
    _ok(
        run_cli(
            capp,
            "contacts",
            "add",
            "--type",
            "person",
            "--name",
            "Ann Lee",
            "--company-no",
            "CT000001",
            "--set",
            "salutation_code=UNISEX",
        )
    )
    r = _ok(
        run_cli(
            capp, "contacts", "assign", "CT000001", "--business-relation", "PROSPECT", json=True
        )
    ).json
    assert r["business_relation"] == ["PROSPECT"]
    _ok(run_cli(capp, "contacts", "assign", "CT000002", "--mailing-group", "NEWS"))
    r = run_cli(capp, "contacts", "assign", "CT000002", "--business-relation", "LAWYER")
    assert r.exit_code == 1 and "companies" in r.output
    _ok(run_cli(capp, "contacts", "unassign", "CT000001", "--business-relation", "PROSPECT"))
    _ok(run_cli(capp, "contacts", "link", "CT000002", "--customer", "C00010"))
    c = _ok(run_cli(capp, "contacts", "show", "CT000001", json=True)).json
    assert c["contact_business_relation"] == "customer"
    r = run_cli(capp, "contacts", "link", "CT000001", "--create", "customer")
    assert r.exit_code == 1
    _ok(run_cli(capp, "contacts", "unlink", "CT000001", "--customer"))
    r = run_cli(capp, "contacts", "link", "CT000001", "--vendor", "V1")
    assert r.exit_code == 1 and "bus_rel_code_for_vendors" in r.output
    _ok(
        run_cli(
            capp,
            "contacts",
            "salutations",
            "formulas",
            "set",
            "UNISEX",
            "--formal",
            "--text",
            "Dear %1 %2",
            "--name",
            "first_name",
            "--name",
            "surname",
        )
    )
    assert (
        _ok(run_cli(capp, "contacts", "salutation", "CT000002", "--formal", json=True)).json[
            "salutation"
        ]
        == "Dear Ann Lee"
    )
    r = run_cli(capp, "contacts", "salutation", "CT000002", "--informal")
    assert r.exit_code == 1 and "salutation formula" in r.output


def test_alt_address_commands(capp, run_cli):
    _ok(run_cli(capp, "contacts", "add", "--name", "Acme"))
    _ok(run_cli(capp, "contacts", "alt-address", "add", "CT000001", "SUMMER", "--set", "city=Nice"))
    _ok(
        run_cli(
            capp,
            "contacts",
            "alt-address",
            "date-range",
            "add",
            "CT000001",
            "SUMMER",
            "--starting-date",
            "2025-06-01",
            "--ending-date",
            "2025-08-31",
        )
    )
    r = _ok(
        run_cli(
            capp, "contacts", "alt-address", "active", "CT000001", "--date", "2025-07-01", json=True
        )
    ).json
    assert r["alt_address_code"] == "SUMMER"
    assert [
        a["code"]
        for a in _ok(run_cli(capp, "contacts", "alt-address", "list", "CT000001", json=True)).json
    ] == ["SUMMER"]
    r = run_cli(
        capp,
        "contacts",
        "alt-address",
        "date-range",
        "add",
        "CT000001",
        "SUMMER",
        "--from",
        "2025-09-02",
        "--to",
        "2025-09-01",
    )
    assert r.exit_code == 1
    _ok(run_cli(capp, "contacts", "alt-address", "delete", "CT000001", "SUMMER"))


def test_demo_data_and_tour(make_app):
    app = make_app("contacts")
    with app.session() as s:
        app.pm.hook.relcore_load_demo_data(app=app, session=s)
    with app.session() as s:
        [tour] = app.pm.hook.relcore_demo_tour(app=app, session=s)
        from relcore_contacts.contacts import list_contacts

        rows = list_contacts(s)
    assert "5 companies and 11 persons" in tour[0]
    assert any("Sehr geehrter Herr Becker" in line for line in tour)
    person = next(r for r in rows if r["name"] == "Klaus Becker")
    assert person["language_code"] == "DEU" and person["salesperson_code"] == "MH"
