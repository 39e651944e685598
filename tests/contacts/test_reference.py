"""Reference data: one generic add/list/show/edit/delete for the twelve kinds (§1.3)."""

from __future__ import annotations

import pytest
from relcore_contacts import contacts as svc
from relcore_contacts import reference
from relcore_contacts.salutations import salutation_text

from relcore.errors import NotFoundError, ValidationError

KINDS = list(reference.KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_add_list_show_edit_delete(make_app, kind):
    app = make_app("contacts")
    with app.session() as s:
        row = reference.add(s, kind, "ab1", "First")
        text = reference.KINDS[kind].text_field
        assert row["code"] == "AB1" and row[text] == "First"
        assert [r["code"] for r in reference.list_codes(s, kind)] == ["AB1"]
        assert reference.edit(s, kind, "AB1", "Second")[text] == "Second"
        assert reference.show(s, kind, "ab1")[text] == "Second"
        with pytest.raises(ValidationError, match="already exists"):
            reference.add(s, kind, "AB1")
        reference.delete(s, kind, "AB1")
        assert reference.list_codes(s, kind) == []
        with pytest.raises(NotFoundError):
            reference.show(s, kind, "AB1")


def test_unknown_kind_and_field(capp):
    with capp.session() as s:
        with pytest.raises(ValidationError, match="not one of"):
            reference.add(s, "planets", "X")
        with pytest.raises(ValidationError, match="field colour"):
            reference.add(s, "territories", "X", values={"colour": "red"})
        with pytest.raises(ValidationError, match="longer than 10"):
            reference.add(s, "territories", "X" * 11)


@pytest.mark.parametrize(
    ("kind", "code", "use"),
    [
        (
            "salespeople",
            "JO",
            lambda s: svc.insert_contact(s, {"name": "A", "salesperson_code": "JO"}),
        ),
        (
            "salespeople",
            "PS",
            lambda s: reference.add_team_member(s, reference.add(s, "teams", "T1")["code"], "PS"),
        ),
        (
            "languages",
            "DEU",
            lambda s: svc.insert_contact(s, {"name": "A", "language_code": "DEU"}),
        ),
        (
            "salutations",
            "UNISEX",
            lambda s: svc.insert_contact(s, {"name": "A", "salutation_code": "UNISEX"}),
        ),
        (
            "business-relations",
            "CUST",
            lambda s: s.info["relcore.app"].setup.set(
                s, "contacts.bus_rel_code_for_customers", "CUST"
            ),
        ),
        (
            "countries",
            "DE",
            lambda s: svc.insert_contact(s, {"name": "A", "country_region_code": "DE"}),
        ),
    ],
)
def test_code_in_use_cannot_be_deleted(capp, kind, code, use):
    with capp.session() as s:
        use(s)
    with capp.session() as s, pytest.raises(ValidationError, match="in use"):
        reference.delete(s, kind, code)
    with capp.session() as s:
        assert reference.show(s, kind, code)["code"] == code


def test_team_members(capp):
    with capp.session() as s:
        reference.add(s, "teams", "SALES", "Sales team")
        reference.add_team_member(s, "sales", "jo")
        reference.add_team_member(s, "SALES", "PS")
        with pytest.raises(ValidationError, match="already a member"):
            reference.add_team_member(s, "SALES", "PS")
        assert reference.show(s, "teams", "SALES")["members"] == ["JO", "PS"]
        reference.remove_team_member(s, "SALES", "JO")
        assert reference.show(s, "teams", "SALES")["members"] == ["PS"]
        reference.delete(s, "teams", "SALES")  # members go with the team
        reference.delete(s, "salespeople", "PS")


def test_salesperson_email_validated(capp):
    with capp.session() as s, pytest.raises(ValidationError, match="not valid"):
        reference.add(s, "salespeople", "XX", "X", {"email": "nope"})


def test_salutation_formulas_and_salutation_text(capp):
    with capp.session() as s:
        reference.set_salutation_formula(
            s, "UNISEX", "formal", "Dear %1 %2", ["first_name", "surname"]
        )
        reference.set_salutation_formula(s, "UNISEX", "informal", "Hi %1", ["first_name"])
        reference.set_salutation_formula(
            s, "UNISEX", "formal", "Sehr geehrte(r) %1 %2", ["first_name", "surname"], "DEU"
        )
        p = svc.insert_contact(
            s, {"type": "person", "name": "John Smith", "salutation_code": "UNISEX"}
        )
        q = svc.insert_contact(
            s, {"type": "person", "surname": "Smith", "salutation_code": "UNISEX"}
        )
        assert salutation_text(s, p["no"], "formal") == "Dear John Smith"
        assert salutation_text(s, q["no"], "formal") == "Dear Smith"
        assert salutation_text(s, p["no"], "informal") == "Hi John"
        assert salutation_text(s, p["no"], "formal", "DEU") == "Sehr geehrte(r) John Smith"
        assert len(reference.show(s, "salutations", "UNISEX")["formulas"]) == 3
        with pytest.raises(
            ValidationError,
            match="You have to set up the salutation formula of the type Informal in DEU language",
        ):
            salutation_text(s, p["no"], "informal", "DEU")
        reference.delete_salutation_formula(s, "UNISEX", "informal")
        with pytest.raises(ValidationError, match="type Informal"):
            salutation_text(s, p["no"], "informal")
